from django import template

from conditions.sections import sections_of

register = template.Library()


@register.simple_tag(takes_context=True)
def condition_sections(context, page):
    """{% condition_sections page as sections %}: the sections the page shows, in order."""
    return sections_of(page, context.get("chrome") or {})
