"""Recording a medical review the only way the site allows: a medical reviewer approving the
page's "Medical review" task, here through Wagtail's workflow API."""

from conditions.models import MedicalReview, MedicalReviewer, MedicalReviewTask

# What a reviewer's profile must give before their approval records a review; a test's own values win.
COMPLETE_PROFILE = {
    "credentials": "MB ChB, FRCP",
    "role": "Consultant neurologist",
    "registration_body": "General Medical Council",
    "registration_number": "7654321",
}


def complete_profile(user, **fields):
    """The reviewer's profile (made from their account's name, as on their first visit to it) with
    whatever it lacks filled in, as the reviewer would before approving."""
    profile = MedicalReviewer.for_user(user)
    for field, value in {**COMPLETE_PROFILE, **fields}.items():
        if field in fields or not getattr(profile, field):
            setattr(profile, field, value)
    profile.save()
    return profile


def submit(page, editor=None):
    """Save the page's current state as a revision and submit it to the page's workflow."""
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor).current_task_state


def approve(page, reviewer, editor=None):
    """Submit `page` and approve it as `reviewer` (their profile completed first, if it needs to be);
    returns the review recorded, if any."""
    if MedicalReviewTask.reviewers_include(reviewer):
        complete_profile(reviewer)
    submit(page, editor).approve(user=reviewer)
    page.refresh_from_db()
    return MedicalReview.objects.filter(page=page).first()
