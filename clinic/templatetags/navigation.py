"""Header navigation, breadcrumbs and pagination links."""

from django import template
from wagtail.models import Page

register = template.Library()


@register.inclusion_tag("includes/header_nav.html", takes_context=True)
def header_nav(context):
    """The site's top-level pages (site chrome), with the section the current page is in marked."""
    current = context.get("page")
    items = [
        {**item, "is_current": current is not None and current.path.startswith(item["path"])}
        for item in context["chrome"]["navigation"]
    ]
    return {"items": items}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    request = context["request"]
    if page is None or page.depth <= 2:
        return {"ancestors": [], "page": page, "request": request}
    ancestors = list(
        Page.objects.ancestor_of(page).filter(depth__gt=1).only("title", "url_path", "path", "depth")
    )
    return {"ancestors": ancestors, "page": page, "request": request}


@register.simple_tag(takes_context=True)
def page_link(context, number):
    """The current URL's query string with `page` set to `number`, keeping filters and search terms."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
