"""Header navigation and breadcrumbs, each built in one query whatever the size of the tree."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/header_nav.html", takes_context=True)
def header_nav(context):
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site:
        home = site.root_page
        items = list(Page.objects.child_of(home).live().in_menu().only("title", "url_path", "path", "depth"))
        for item in items:
            item.is_current = current is not None and current.path.startswith(item.path)
    return {"items": items, "request": request}


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
