"""Numbered citations on condition pages.

An editor cites an article by linking words of a condition page's text to it with the page chooser
(an internal link to an article). The page shows a superscript number after the words, numbered in
the order articles are first cited, linked to the article's entry in the page's references, which
links back to every place citing it; the page's JSON-LD lists the same articles as `citation`.
"""

import contextvars
from collections import Counter
from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.utils.html import format_html
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from articles.models import ArticlePage

# The link to an article, as rich text renders it: the page citing it numbers it by this.
CITES_ATTRIBUTE = "data-cites-article"
# A citation of a retracted article, for the editor's Checks panel; its value is the notice.
RETRACTED_ATTRIBUTE = "data-retracted-citation"
HEADING_ID = "references-heading"

# The articles a page being rendered cites, already fetched for its references: the links to them
# in its text need no query of their own.
cited_articles = contextvars.ContextVar("cited_articles", default=None)


class ArticleCitingPageLinkHandler(PageLinkHandler):
    """Wagtail's internal page links; a link to an article names the article."""

    @classmethod
    def get_many(cls, attrs_list):
        known = cited_articles.get() or {}
        unknown = [attrs for attrs in attrs_list if str(attrs.get("id")) not in known]
        fetched = iter(super().get_many(unknown) if unknown else [])
        return [
            known[str(attrs.get("id"))] if str(attrs.get("id")) in known else next(fetched)
            for attrs in attrs_list
        ]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        return [
            format_html('<a href="{}" data-cites-article="{}">', page.localized.url, page.pk)
            if isinstance(page, ArticlePage)
            else format_html('<a href="{}">', page.localized.url)
            if page
            else "<a>"
            for page in cls.get_many(attrs_list)
        ]


@dataclass(frozen=True)
class Reference:
    number: int
    article: ArticlePage
    times_cited: int

    @property
    def anchor(self):
        return f"ref-{self.number}"

    def citation_anchor(self, place):
        """The id of the `place`th citation (from 1) of the article in the text."""
        return f"cite-{self.number}-{place}"

    @property
    def citation_anchors(self):
        return [self.citation_anchor(place) for place in range(1, self.times_cited + 1)]


def references_of(page):
    """The live, public articles the page's body cites, numbered in the order of their first citation.

    Kept on the page: its JSON-LD, its text and its reference list all ask, in one query between them.
    """
    if not hasattr(page, "_article_references"):
        body_field = page._meta.get_field("body")
        cited_ids = [
            int(object_id)
            for model, object_id, _, _ in body_field.extract_references(page.body)
            if issubclass(model, Page) and str(object_id).isdigit()
        ]
        times_cited = Counter(cited_ids)
        articles = (
            ArticlePage.objects.live().public().filter(pk__in=times_cited).defer_streamfields().in_bulk()
            if times_cited
            else {}
        )
        live_in_order = [articles[pk] for pk in times_cited if pk in articles]
        page._article_references = [
            Reference(number, article, times_cited[article.pk])
            for number, article in enumerate(live_in_order, start=1)
        ]
    return page._article_references


def number_citations(html, references):
    """The rendered text with each link to a cited article replaced by its words and the
    reference's superscript number."""
    by_article = {str(reference.article.pk): reference for reference in references}
    soup = BeautifulSoup(html, "html.parser")
    places = Counter()
    for link in soup.find_all("a", attrs={CITES_ATTRIBUTE: True}):
        reference = by_article.get(link[CITES_ATTRIBUTE])
        if reference is None:
            # An article patients cannot read (a draft, a private page): its words stay, without a
            # link to where they may not go, which would give its address away.
            link.unwrap()
            continue
        places[reference.number] += 1
        mark = soup.new_tag("sup", attrs={"class": "citation"})
        if reference.article.is_retracted:
            mark[RETRACTED_ATTRIBUTE] = reference.article.notice_label
        number = soup.new_tag(
            "a",
            attrs={
                "href": f"#{reference.anchor}",
                "id": reference.citation_anchor(places[reference.number]),
                "aria-describedby": HEADING_ID,
            },
        )
        number.string = str(reference.number)
        mark.append(number)
        link.insert_after(mark)
        link.unwrap()
    return str(soup)
