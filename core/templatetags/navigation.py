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


def ancestors_of(page, request):
    """The pages above `page`, from the home page down, fetched once per request: the breadcrumbs
    and their JSON-LD both show them."""
    fetched = request.__dict__.setdefault("_breadcrumb_ancestors", {})
    if page.pk not in fetched:
        fetched[page.pk] = list(
            Page.objects.ancestor_of(page).filter(depth__gt=1).only("title", "url_path", "path", "depth")
        )
    return fetched[page.pk]


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    ancestors = ancestors_of(page, context["request"]) if page is not None and page.depth > 2 else []
    return {"ancestors": ancestors, "page": page, "request": context["request"]}


@register.simple_tag(takes_context=True)
def page_link(context, number):
    """The current URL's query string with `page` set to `number`, keeping filters and search terms."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
