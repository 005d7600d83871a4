from django.db.models import F
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.admin.views.reports import PageReportView

from conditions.models import ConditionPage, MedicalReviewer


class ReviewDueReportView(PageReportView):
    """Condition pages never reviewed, overdue, or due within 30 days: the clinic's review queue."""

    page_title = "Medical review due"
    header_icon = "time"
    model = ConditionPage
    results_template_name = "conditions/admin/review_due_results.html"
    index_url_name = "review_due"
    index_results_url_name = "review_due_results"
    permission_required = "change"
    list_export = ["title", "last_reviewed", "next_review_due"]

    def user_has_permission(self, permission):
        # Wagtail's page policy grants "change" for a right on any page (Marketing's articles);
        # the report is for whoever may edit a condition page.
        return ConditionPage.objects.editable_by(self.request.user).exists()

    def get_filename(self):
        return "medical-review-due"

    def get_queryset(self):
        return (
            ConditionPage.objects.needing_review()
            .editable_by(self.request.user)
            .order_by(F("next_review_due").asc(nulls_first=True), "title")
        )


def medical_reviewer(request, pk):
    """A reviewer's public profile, for those who have reviewed a page: patients can see who checked
    what they read."""
    reviewer = get_object_or_404(
        MedicalReviewer.objects.filter(reviews__isnull=False).distinct().select_related("photo"), pk=pk
    )
    return TemplateResponse(
        request,
        "conditions/medical_reviewer.html",
        {"reviewer": reviewer, "pages": reviewer.reviewed_pages()},
    )
