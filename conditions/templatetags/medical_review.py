from django import template
from django.urls import reverse

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
