import re

from django.contrib import messages
from django.urls import path, reverse
from django.utils.html import strip_tags
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from conditions.models import ConditionPage, MedicalReviewer
from conditions.views import ReviewDueReportView


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = ["name", "credentials", "role"]


register_snippet(MedicalReviewerViewSet)


@hooks.register("register_admin_urls")
def register_review_due_urls():
    return [
        path("reports/review-due/", ReviewDueReportView.as_view(), name="review_due"),
        path(
            "reports/review-due/results/",
            ReviewDueReportView.as_view(results_only=True),
            name="review_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_due_menu_item():
    return MenuItem("Medical review due", reverse("review_due"), icon_name="time", order=50)


class ReviewDuePanel(Component):
    name = "review_due"
    template_name = "conditions/admin/review_due_panel.html"
    order = 50

    def __init__(self, pages):
        self.pages = pages

    def get_context_data(self, parent_context):
        return {"pages": self.pages}


@hooks.register("construct_homepage_panels")
def add_review_due_panel(request, panels):
    pages = list(ConditionPage.objects.needing_review().defer_streamfields().order_by("next_review_due"))
    if pages:
        panels.append(ReviewDuePanel(pages))


# Words that promise more than the evidence for an experimental therapy can support.
OVERCLAIMING = re.compile(r"\b(cure[sd]?|curing|guarantee[sd]?|reverse[sd]?|reversing|miracle|100\s?%)", re.I)


def overclaiming_words(page):
    text = " ".join(strip_tags(str(block.render())) for block in getattr(page, "body", []))
    text += " " + getattr(page, "summary", "")
    return sorted({match.lower() for match in OVERCLAIMING.findall(text)})


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_overclaiming(request, page):
    """Warn, without blocking, when a health page uses words regulators treat as unsupported claims."""
    words = overclaiming_words(page.specific)
    if words:
        messages.warning(
            request,
            "Check the wording: this page says " + ", ".join(f"“{w}”" for w in words) + ". Claims like these "
            "must be backed by strong evidence; experimental treatments must not be described this way.",
        )
