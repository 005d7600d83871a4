"""The "Our team" page as an editor publishes it."""

from clinic.models import HomePage
from conditions.models import TeamMember, TeamPage


def publish_team(*clinicians):
    team = TeamPage(title="Our team", slug="our-team", introduction="The clinicians who look after you.")
    HomePage.objects.get().add_child(instance=team)
    # In the order the editor put them, as the page editor's drag and drop records it.
    team.members = [
        TeamMember(clinician=clinician, sort_order=place) for place, clinician in enumerate(clinicians)
    ]
    team.save_revision().publish()
    return team
