"""The "Our team" page: the clinicians behind the clinic, and the review line leading to them."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from conditions.models import MedicalReviewer
from tests.medical_reviews import approve
from tests.team import publish_team


@pytest.fixture
def amara(db):
    return MedicalReviewer.objects.create(
        name="Amara Okafor",
        credentials="MBBS, FRCP",
        role="Consultant Neurologist",
        registration="GMC 7654321",
        photo=Image.objects.create(title="Amara", file=get_test_image_file(filename="amara.png")),
    )


def test_the_team_page_presents_each_clinician_in_the_editors_order(client, amara):
    nurse = MedicalReviewer.objects.create(name="Ben Hale", role="Clinical nurse specialist")
    publish_team(nurse, amara)
    html = client.get("/our-team/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.index("Ben Hale") < main.index("Amara Okafor")
    amara_entry = main[main.index(f'id="clinician-{amara.pk}"') :]
    assert '<h2 class="team__name">Amara Okafor, MBBS, FRCP</h2>' in amara_entry
    assert "Consultant Neurologist" in amara_entry and "Registration: GMC 7654321" in amara_entry
    assert amara.photo.get_rendition("fill-240x240").url in amara_entry
    # Nothing is said of what a clinician's profile leaves out.
    ben_entry = main[main.index(f'id="clinician-{nurse.pk}"') : main.index(f'id="clinician-{amara.pk}"')]
    assert "Registration" not in ben_entry and "<img" not in ben_entry


def test_the_review_line_leads_to_the_reviewers_team_entry_once_they_are_on_the_team(
    client, ms_page, make_staff
):
    review = approve(ms_page, make_staff("amara", "Medical reviewers"))
    reviewer = review.reviewer
    assert (
        f'Medically reviewed by <a href="/reviewers/{reviewer.pk}/">'
        in client.get(ms_page.url).content.decode()
    )
    publish_team(reviewer)
    html = client.get(ms_page.url).content.decode()
    assert f'Medically reviewed by <a href="/our-team/#clinician-{reviewer.pk}">' in html


def test_a_clinicians_new_details_reach_the_team_page(client, amara):
    publish_team(amara)
    assert "GMC 7654321" in client.get("/our-team/").content.decode()
    amara.registration = "GMC 1111111"
    amara.save()
    html = client.get("/our-team/").content.decode()
    assert "GMC 1111111" in html and "GMC 7654321" not in html
