"""Site search, for patients who know what they're looking for: every page type that says it is
listed in search (`SitePage.listed_in_search`: condition pages, articles, standard pages).

What it adds to the search backend's full-text match, the same on SQLite and PostgreSQL:

- the clinic's own pages first (`SitePage.written_by_the_clinic`), then outside articles, each run in
  order of relevance: a patient asking about a condition reads the clinic's page on it before the
  research about it;
- each word of the query that no listed page's title has, but one comes close to, put right from
  those titles (difflib): a search that finds nothing shows what the corrected one finds, saying so
  ("sclerodema" shows the Scleroderma page); one that finds something offers "Did you mean …?".

On PostgreSQL a search that still matches nothing (a misspelt word that is in no title) is run
again by trigram similarity (Wagtail's `Fuzzy` query, pg_trgm, enabled by
`clinic/migrations/0010_trigram_extension.py`); SQLite's backend has no such query.
"""

import re
import unicodedata
from difflib import get_close_matches
from functools import cached_property
from urllib.parse import urlencode

from django.db import connection
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from wagtail.models import Page, get_page_models
from wagtail.search.query import Fuzzy

from core import query_string
from core.pages import SitePage

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
# What the search reads from its query string: Varnish keeps these and drops the rest (clinic.vcl).
QUERY_PARAMETERS = ("q", "page")
# Double quotes are noise too: the SQLite search backend puts them around each term unescaped.
NOISE = {'"'}
# Shorter words ("ms", "ra") are abbreviations, not misspellings; a word is put right only by one at
# least this alike (difflib's ratio: "sclerodema" and "scleroderma" are 0.95, "myelin" and
# "myeloablative" 0.53).
SHORTEST_CORRECTED_WORD = 4
LIKENESS = 0.8
WORD = re.compile(r"\w+")


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


def listed_page_models():
    return [model for model in get_page_models() if issubclass(model, SitePage) and model.listed_in_search]


def searchable_pages():
    """The pages search finds: live, public (one query for the view restrictions) and listed."""
    return Page.objects.live().public().type(*listed_page_models())


class ClinicPagesFirst:
    """A search's results as the paginator reads them: the clinic's own pages, then the others, each
    searched apart and in its own order of relevance. Each run is counted once, and only the results
    of the page shown are fetched."""

    def __init__(self, pages, search_query):
        models = listed_page_models()
        groups = (
            [m for m in models if m.written_by_the_clinic],
            [m for m in models if not m.written_by_the_clinic],
        )
        self.runs = [
            pages.type(*group).specific().defer_streamfields().search(search_query)
            for group in groups
            if group
        ]

    @cached_property
    def counts(self):
        return [run.count() for run in self.runs]

    def count(self):
        return sum(self.counts)

    def __len__(self):
        return self.count()

    def __getitem__(self, wanted):
        if not isinstance(wanted, slice):
            return self[wanted : wanted + 1][0]
        start, stop, _ = wanted.indices(self.count())
        found, offset = [], 0
        for run, count in zip(self.runs, self.counts, strict=True):
            if max(start - offset, 0) < min(stop - offset, count):
                found.extend(run[max(start - offset, 0) : min(stop - offset, count)])
            offset += count
        return found


def did_you_mean(query, titles):
    """The query with each word that none of the titles has, but one of their words comes close to,
    replaced by that word ("sclerodema" by "scleroderma"); None when no word changes. A plural or
    singular of a title's word ("cells" for "cell") counts as known."""
    known = {word for title in titles for word in WORD.findall(title.casefold())}

    def put_right(match):
        word = match.group()
        if len(word) < SHORTEST_CORRECTED_WORD or {word, word + "s", word.removesuffix("s")} & known:
            return word
        return next(iter(get_close_matches(word, known, n=1, cutoff=LIKENESS)), word)

    suggestion = clean_query(WORD.sub(put_right, query))
    return suggestion if suggestion != query else None


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
    results, alike, suggestion, corrected = [], False, None, None
    if query:
        pages = searchable_pages()
        results = ClinicPagesFirst(pages, query)
        suggestion = did_you_mean(query, pages.values_list("title", flat=True))
        if not results.count() and suggestion:
            # Nothing for the words as typed: the results for the spelling the titles suggest, said
            # so above them, as a patient who misspelt a condition's name wanted its page.
            results_corrected = ClinicPagesFirst(pages, suggestion)
            if results_corrected.count():
                results, corrected, suggestion = results_corrected, suggestion, None
        if not results.count() and connection.vendor == "postgresql":
            results = ClinicPagesFirst(pages, Fuzzy(query))
            alike = True
    page_of_results = query_string.page_or_404(results, RESULTS_PER_PAGE, asked.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "results": page_of_results,
            "paginator": page_of_results.paginator,
            # Found by words like the query's rather than by its words (PostgreSQL's trigrams).
            "alike": alike,
            "suggestion": suggestion,
            "corrected": corrected,
            "suggestion_address": f"{request.path}?{urlencode({'q': suggestion})}" if suggestion else "",
        },
    )
