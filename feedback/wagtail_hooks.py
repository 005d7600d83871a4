from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from feedback.views import VIEW_FEEDBACK, DeleteFeedbackView, FeedbackReportView


class FeedbackReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_FEEDBACK)


@hooks.register("register_reports_menu_item")
def register_feedback_report_menu_item():
    return FeedbackReportMenuItem(
        "Page feedback", reverse("feedback_report"), name="page-feedback", icon_name="comment", order=1400
    )


@hooks.register("register_admin_urls")
def register_feedback_report_url():
    return [
        path("reports/feedback/", FeedbackReportView.as_view(), name="feedback_report"),
        path("reports/feedback/<int:pk>/delete/", DeleteFeedbackView.as_view(), name="delete_feedback"),
    ]
