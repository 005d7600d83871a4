from django import template

from feedback.forms import PageFeedbackForm

register = template.Library()


@register.inclusion_tag("feedback/includes/feedback_form.html")
def page_feedback(page):
    """{% page_feedback page %}: "Was this page helpful?", posted without a cookie or CSRF token so
    that the page stays in the shared caches (feedback.views)."""
    return {"form": PageFeedbackForm(initial={"page": page.pk})}
