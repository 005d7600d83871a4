"""The health-claims wording check (core.wording) in templates."""

from django import template
from django.utils.safestring import mark_safe

from core import wording

register = template.Library()


@register.simple_tag
def flagged_sentences(page):
    return wording.flagged_sentences_of(page.specific) if page is not None else []


class WordingCheckNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        request = context.get("request")
        # Only the editor's preview is marked: patients get the page as written, at no cost.
        if getattr(request, "is_preview", False):
            # The markup is the template's own output, re-serialised with attributes added.
            return mark_safe(wording.mark_claims(html))  # noqa: S308
        return html


@register.tag
def wording_check(parser, token):
    """{% wording_check %}…{% endwording_check %}: in previews, mark the sentences that make health
    claims, which the preview highlights with the kind of claim named."""
    nodelist = parser.parse(("endwording_check",))
    parser.delete_first_token()
    return WordingCheckNode(nodelist)
