"""Site search, for patients who know what they're looking for: every page type that says it is
listed in search (`SitePage.listed_in_search`: condition pages, articles, standard pages)."""

import re

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page, get_page_models

from core import page_cache, serving
from core.pages import SitePage

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# NUL (which PostgreSQL refuses) and other control characters can only be noise in a search.
# So are double quotes, which the SQLite search backend puts around each term unescaped.
CONTROL_CHARACTERS = re.compile(r'[\x00-\x1f\x7f"]')


def clean_query(raw):
    query = " ".join(CONTROL_CHARACTERS.sub(" ", raw).split())[:MAX_QUERY_LENGTH]
    # A query of punctuation alone matches nothing and some backends choke on it.
    return query if re.search(r"\w", query) else ""


def searchable_pages():
    listed = [model for model in get_page_models() if issubclass(model, SitePage) and model.listed_in_search]
    return serving.public(Page.objects.live()).type(*listed).specific().defer_streamfields()


@page_cache.view_reads_query_parameters("q", "page")
def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = searchable_pages().search(query) if query else Page.objects.none()
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page_of_results = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {"query": query, "results": page_of_results, "paginator": paginator},
    )
