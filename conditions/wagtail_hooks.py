import datetime

from django.db.models import F
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from conditions.initial_content import load_conditions
from conditions.models import ConditionPage, MedicalReviewer, MedicalReviewTask
from conditions.views import OwnReviewerProfileView, ReviewDueReportView, own_profile_url


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = ["name", "credentials", "role", "user"]


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


class ConditionEditorsMenuItem(MenuItem):
    """Shown only to staff who may edit some condition page: the report lists nothing else."""

    def is_shown(self, request):
        return ConditionPage.objects.editable_by(request.user).exists()


@hooks.register("register_admin_urls")
def register_own_reviewer_profile_url():
    return [path("reviewer-profile/", OwnReviewerProfileView.as_view(), name="own_reviewer_profile")]


class OwnReviewerProfileMenuItem(MenuItem):
    def is_shown(self, request):
        return MedicalReviewTask.reviewers_include(request.user)


@hooks.register("register_admin_menu_item")
def register_own_reviewer_profile_menu_item():
    return OwnReviewerProfileMenuItem(
        "Your reviewer profile", reverse("own_reviewer_profile"), icon_name="user", order=900
    )


@hooks.register("register_reports_menu_item")
def register_review_due_menu_item():
    return ConditionEditorsMenuItem("Medical review due", reverse("review_due"), icon_name="time", order=50)


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
    # The pages this member of staff may open and review: none for the front desk or Marketing.
    pages = list(
        ConditionPage.objects.needing_review()
        .editable_by(request.user)
        .defer_streamfields()
        .order_by(F("next_review_due").asc(nulls_first=True))
    )
    if pages:
        panels.append(ReviewDuePanel(pages))


class SecondReviewerPanel(Component):
    """The versions awaiting review that this reviewer may not approve (four eyes), and why: the
    "Awaiting your review" panel above offers them only "Request changes"."""

    name = "second_medical_reviewer"
    template_name = "conditions/admin/second_reviewer_panel.html"
    order = 221  # just after Wagtail's "Awaiting your review" (220)

    def __init__(self, waiting):
        self.waiting = waiting

    def get_context_data(self, parent_context):
        return {"waiting": self.waiting}


@hooks.register("construct_homepage_panels")
def add_second_reviewer_panel(request, panels):
    waiting = []
    for task in MedicalReviewTask.objects.filter(active=True):
        states = task.get_task_states_user_can_moderate(request.user).select_related("workflow_state")
        for state in states.order_by("-started_at"):
            page = state.workflow_state.content_object
            if page is not None and (reason := task.approval_refused_because(page, request.user)):
                waiting.append((page, reason))
    if waiting:
        panels.append(SecondReviewerPanel(waiting))


@hooks.register("before_edit_page")
def say_why_a_reviewer_may_not_approve(request, page):
    """The edit view's menu offers a reviewer only "Request changes" on a version they may not
    approve; say why, and refuse an approval posted all the same before anything is saved."""
    task = page.current_workflow_task
    if not isinstance(task, MedicalReviewTask) or not task.get_actions(page, request.user):
        return None
    reason = task.approval_refused_because(page, request.user)
    buttons = []
    if reason is None and (reason := task.profile_incomplete_because(request.user)):
        buttons = [messages.button(own_profile_url(request.get_full_path()), "Complete your profile")]
    if reason is None:
        return None
    if request.method == "POST":
        if (
            request.POST.get("action-workflow-action")
            and request.POST.get("workflow-action-name") == "approve"
        ):
            messages.error(request, reason, buttons=buttons)
            return redirect("wagtailadmin_pages:edit", page.pk)
    else:
        messages.warning(request, reason, buttons=buttons)
    return None


@hooks.register("register_log_actions")
def register_medical_review_log_action(actions):
    @actions.register_action("conditions.medical_review")
    class MedicalReviewFormatter(LogFormatter):
        label = "Medical review"

        def format_message(self, log_entry):
            data = log_entry.data
            due = datetime.date.fromisoformat(data["next_review_due"])
            return f"Medically reviewed by {data['reviewer']}; next review due {due:%-d %B %Y}"


hooks.register("load_initial_content", load_conditions, order=10)
