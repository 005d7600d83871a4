from django import template
from django.urls import reverse
from wagtail import hooks

from conditions.views import own_profile_url

register = template.Library()


@register.simple_tag(takes_context=True)
def reviewer_profile_gap(context, task_state):
    """{% reviewer_profile_gap task_state as gap %}: what the signed-in reviewer's profile lacks
    before their approval can record a review (gap.reason), and where they complete it (gap.url)."""
    reason = task_state.task.specific.profile_incomplete_because(context["request"].user)
    if reason is None:
        return None
    return {"reason": reason, "url": own_profile_url(reverse("wagtailadmin_home"))}


@register.simple_tag
def evidence_to_check(page):
    """{% evidence_to_check page as warnings %}: what the apps that know the evidence (articles) ask
    the reviewer to look at in `page` before approving it, through the `medical_review_warnings`
    hook: each function takes the page and returns its warnings, each a (name, detail) pair."""
    if page is None:
        return []
    return [warning for warn in hooks.get_hooks("medical_review_warnings") for warning in warn(page.specific)]
