"""Receiving "Was this page helpful?" answers.

The condition pages stay in the shared caches (no cookie for anonymous visitors), so the form
carries no CSRF token: this view is exempt from Django's check and instead refuses any post whose
Origin (or, lacking it, Referer) is not this site, which is what the token would have proved.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from conditions.models import ConditionPage
from core import rate_limit
from feedback.forms import PageFeedbackForm
from feedback.models import PageFeedback
from feedback.reports import feedback_per_page_per_month

VIEW_FEEDBACK = "feedback.view_pagefeedback"
DELETE_FEEDBACK = "feedback.delete_pagefeedback"

LIMIT_MESSAGE = (
    "We have already had a lot of feedback from your connection in the last hour, so this has not "
    "been sent. Your comment is still below: please try again later."
)


def from_this_site(request):
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    return bool(origin) and urlsplit(origin).netloc == request.get_host()


def within_limit(request):
    """Whether the visitor's address may send more feedback this hour, and its sender hash."""
    sender = rate_limit.sender(request, "feedback")
    sent = rate_limit.count_in_cache("feedback", sender)
    if sent is None:
        # The cache is unreachable: count what this address stored in the last hour.
        sent = (
            PageFeedback.objects.filter(sender=sender, created_at__gt=rate_limit.window_start()).count() + 1
        )
    return sent <= settings.FEEDBACK_RATE_LIMIT, sender


@csrf_exempt
@require_POST
@never_cache
def send_feedback(request):
    if not from_this_site(request):
        return HttpResponseForbidden("Feedback can only be sent from this site's own pages.")
    form = PageFeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request, "feedback/feedback_page.html", {"form": form, "page": _page_of(form)}, status=400
        )
    allowed, sender = within_limit(request)
    if not allowed:
        form.add_error(None, LIMIT_MESSAGE)
        return render(
            request, "feedback/feedback_page.html", {"form": form, "page": _page_of(form)}, status=429
        )
    with transaction.atomic():
        feedback = form.save(commit=False)
        feedback.sender = sender
        feedback.save()
    return HttpResponseRedirect(reverse("feedback_thanks", args=[feedback.page_id]), status=303)


@never_cache
def thanks(request, page_id):
    # Only for a page that asks for feedback: any other id is answered as if it did not exist.
    page = get_object_or_404(ConditionPage.objects.live().public(), pk=page_id)
    return render(request, "feedback/thanks.html", {"page": page})


def _page_of(form):
    """The page the answer is about, to lead back to, if it is a live, public condition page."""
    page = form.cleaned_data.get("page") if hasattr(form, "cleaned_data") else None
    return page.specific if page else None


class FeedbackReportView(WagtailAdminTemplateMixin, TemplateView):
    """ "Was this page helpful?" per page and month, with the comments, for editors and reviewers."""

    page_title = "Page feedback"
    header_icon = "comment"
    template_name = "feedback/feedback_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_FEEDBACK):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=feedback_per_page_per_month(),
            # A page is a link to its editor only for those who may edit it.
            editable_pages=set(
                ConditionPage.objects.editable_by(self.request.user).values_list("pk", flat=True)
            ),
            may_delete=self.request.user.has_perm(DELETE_FEEDBACK),
            **kwargs,
        )


class DeleteFeedbackView(DeleteView):
    """A comment that should not be kept (abuse, or personal details a patient wrote despite the
    form's advice) is deleted from the report, after a confirmation; the deletion is logged."""

    model = PageFeedback
    permission_policy = ModelPermissionPolicy(PageFeedback)
    index_url_name = "feedback_report"
    delete_url_name = "delete_feedback"
    header_icon = "comment"
