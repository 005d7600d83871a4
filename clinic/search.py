"""Site search, for patients who know what they're looking for: every page type that says it is
listed in search (`SitePage.listed_in_search`: condition pages, articles, standard pages)."""

import re
import unicodedata
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from wagtail.models import Page, get_page_models

from core import query_string
from core.pages import SitePage

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# What the search reads from its query string: Varnish keeps these and drops the rest (clinic.vcl).
QUERY_PARAMETERS = ("q", "page")
# Double quotes are noise too: the SQLite search backend puts them around each term unescaped.
NOISE = {'"'}


def clean_query(raw):
    """The one way of writing a search: what it finds does not depend on case, spacing, invisible
    characters (control and format characters: NUL, which PostgreSQL refuses, zero-width spaces)
    or what lies past MAX_QUERY_LENGTH, so neither does the address of its results."""
    visible = "".join(
        " " if c in NOISE or unicodedata.category(c) in ("Cc", "Cf") else c for c in raw.casefold()
    )
    query = " ".join(visible.split())[:MAX_QUERY_LENGTH].rstrip()
    # A query of punctuation alone matches nothing and some backends choke on it.
    return query if re.search(r"\w", query) else ""


def searchable_pages():
    listed = [model for model in get_page_models() if issubclass(model, SitePage) and model.listed_in_search]
    return Page.objects.live().public().type(*listed).specific().defer_streamfields()


def search(request):
    asked = query_string.single_values(request, QUERY_PARAMETERS)
    query = clean_query(asked.get("q", ""))
    if asked.get("q", "") != query:
        # Every way of writing a search leads to one address: only that one is ever kept by the
        # cache in front (a redirect is not), however many ways there are of typing it.
        wanted = {"q": query} if query else {}
        if "page" in asked:
            wanted["page"] = asked["page"]
        return HttpResponseRedirect(f"{request.path}?{urlencode(wanted)}" if wanted else request.path)
    results = searchable_pages().search(query) if query else Page.objects.none()
    page_of_results = query_string.page_or_404(results, RESULTS_PER_PAGE, asked.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "results": page_of_results, "paginator": page_of_results.paginator},
    )
