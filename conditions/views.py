from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.panels import ObjectList
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import EditView
from wagtail.admin.views.reports import PageReportView

from conditions.models import ConditionPage, MedicalReviewer, MedicalReviewTask


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


def own_profile_url(back_to):
    """Where a reviewer completes their profile, coming back to `back_to` once it is saved."""
    return f"{reverse('own_reviewer_profile')}?{urlencode({'next': back_to})}"


class OwnReviewerProfileView(EditView):
    """A medical reviewer's own profile, the one their reviews name: theirs to complete and keep up
    to date. Other clinicians' profiles are the administrators' (Snippets › Medical reviewers)."""

    model = MedicalReviewer
    page_title = "Your reviewer profile"
    header_icon = "user"
    permission_required = None  # their own profile: medical reviewers only (dispatch)
    success_message = "Your reviewer profile is saved."
    error_message = "Your reviewer profile could not be saved: see what is missing below."

    def dispatch(self, request, *args, **kwargs):
        if not MedicalReviewTask.reviewers_include(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_panel(self):
        return ObjectList(MedicalReviewer.profile_panels).bind_to_model(MedicalReviewer)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # What patients check a reviewer by: required here, where a reviewer keeps their own.
        for field in MedicalReviewer.REQUIRED_FOR_REVIEW:
            form.fields[field].required = True
        return form

    def get_object(self, queryset=None):
        return MedicalReviewer.for_user(self.request.user)

    def get_edit_url(self):
        # Saving returns the reviewer to where they came from (the approval they were making).
        url = reverse("own_reviewer_profile")
        if next_url := get_valid_next_url_from_request(self.request):
            url = f"{url}?{urlencode({'next': next_url})}"
        return url

    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or reverse("own_reviewer_profile")

    def get_success_buttons(self):
        return []

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]
