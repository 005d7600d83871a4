"""Recording a medical review the only way the site allows: a medical reviewer approving the
page's "Medical review" task, here through Wagtail's workflow API."""

from conditions.models import MedicalReview


def submit(page, editor=None):
    """Save the page's current state as a revision and submit it to the page's workflow."""
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor).current_task_state


def approve(page, reviewer, editor=None):
    """Submit `page` and approve it as `reviewer`; returns the review recorded, if any."""
    submit(page, editor).approve(user=reviewer)
    page.refresh_from_db()
    return MedicalReview.objects.filter(page=page).first()
