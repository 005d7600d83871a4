"""What search engines and social networks read of a page: meta tags and JSON-LD that match what it shows."""

import json
from urllib.parse import urljoin

from django import template
from django.utils.safestring import mark_safe
from wagtail import hooks

from core.templatetags.navigation import ancestors_of

register = template.Library()


def json_ld(data):
    # Escape what could close the <script> element early; JSON parsers read the escapes back.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


def breadcrumb_list(page, request):
    trail = [*ancestors_of(page, request), page]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if crumb.depth == 2 else crumb.title,
                "item": crumb.get_full_url(request),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context):
    request = context["request"]
    page = context.get("page")
    if page is None:
        return {}
    data = page.structured_data(request)
    if data:
        # What other apps show on the page: the articles a condition page cites, say.
        for add_to in hooks.get_hooks("construct_structured_data"):
            add_to(page, request, data)
    structured = [data, breadcrumb_list(page, request)]
    image = page.social_image
    rendition = image.get_rendition("fill-1200x630|format-jpeg") if image else None
    canonical_url = page.get_full_url(request)
    return {
        "page": page,
        "canonical_url": canonical_url,
        "description": page.meta_description,
        "social_image": rendition,
        # On the site's own address, like every other link here, whatever Host the request named.
        "social_image_url": urljoin(canonical_url, rendition.url) if rendition else None,
        "structured_data": [json_ld(item) for item in structured if item],
        "request": request,
        "site_name": context["chrome"]["name"],
    }
