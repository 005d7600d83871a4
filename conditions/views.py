from django.db.models import F
from wagtail.admin.views.reports import PageReportView

from conditions.models import ConditionPage


class ReviewDueReportView(PageReportView):
    """Condition pages never reviewed, overdue, or due within 30 days: the clinic's review queue."""

    page_title = "Medical review due"
    header_icon = "time"
    model = ConditionPage
    results_template_name = "conditions/admin/review_due_results.html"
    index_url_name = "review_due"
    index_results_url_name = "review_due_results"
    permission_required = "change"
    list_export = ["title", "reviewed_by", "last_reviewed", "next_review_due"]
    export_headings = {"reviewed_by": "Reviewed by"}

    def get_filename(self):
        return "medical-review-due"

    def get_queryset(self):
        return (
            ConditionPage.objects.needing_review()
            .select_related("reviewed_by")
            .defer_streamfields()
            .order_by(F("next_review_due").asc(nulls_first=True), "title")
        )
