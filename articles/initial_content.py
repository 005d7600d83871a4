"""The articles index and the client's reading list (articles.json), attached to their conditions.

Creates only what is missing: articles that staff have edited or unpublished are left as they are.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from articles.models import ArticleIndexPage, ArticlePage, DatePrecision
from articles.roles import let_marketing_manage_articles
from conditions.models import ConditionPage
from core.initial_content import get_or_create_child, site_home

CONTENT_FILE = Path(__file__).parent / "initial_content" / "articles.json"
# Words a shortened address should not end on: "...-for-the-treatment-of".
DANGLING_WORDS = {"a", "about", "an", "and", "for", "in", "of", "on", "the", "to", "with"}

INDEX = {
    "title": "Research and reading",
    "slug": "articles",
    "introduction": (
        "<p>Research papers, trial results and patient information about stem cell therapy for "
        "autoimmune conditions. Each one is labelled with the kind of evidence it is: a randomised "
        "controlled trial tells you more than a small early-phase study, and a news story is not a trial.</p>"
    ),
    "show_in_menus": True,
}


def parse_publication_date(text):
    """'2013', '2012-02' or '2018-01-04' -> (date, precision); None -> (None, day)."""
    if not text:
        return None, DatePrecision.DAY
    parts = [int(part) for part in text.split("-")]
    precision = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][len(parts) - 1]
    return datetime.date(*parts, *[1] * (3 - len(parts))), precision


def slug_for(title):
    """A readable address from the title's main clause: whole words, at most 60 characters."""
    words = slugify(title.split(":")[0]).split("-")
    while len(words) > 1 and (len("-".join(words)) > 60 or words[-1] in DANGLING_WORDS):
        words.pop()
    return "-".join(words)[:60]


def article_from(entry):
    published_on, precision = parse_publication_date(entry["published"])
    return ArticlePage(
        title=entry["title"],
        slug=slug_for(entry["title"]),
        external_url=entry["url"] or "",
        source=entry["source"] or "",
        authors=entry["authors"] or "",
        published_on=published_on,
        date_precision=precision,
        kind=entry["kind"],
        doi=entry["doi"] or "",
        pmid=entry["pmid"] or "",
        nct_id=entry["nct_id"] or "",
        summary=entry["summary"],
    )


def load_articles(log=print):
    entries = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        home = site_home()
        if home is None:
            log("No home page yet: articles not loaded.")
            return None
        index, created = get_or_create_child(home, ArticleIndexPage, **INDEX)
        if created:
            let_marketing_manage_articles(index)
            log(f"Created '{index.title}'")

        conditions = {page.slug: page for page in ConditionPage.objects.descendant_of(home)}
        existing = set(index.get_children().values_list("slug", flat=True))
        for entry in entries:
            article = article_from(entry)
            if article.slug in existing:
                continue
            its_conditions = [conditions[slug] for slug in entry["conditions"] if slug in conditions]
            if not its_conditions:
                log(f"Skipped article '{article.title}': none of its conditions exist.")
                continue
            article.conditions = its_conditions
            # The seed gets the same checks (and DOI normalisation) as an editor's form.
            article.full_clean(exclude=["path", "depth"])
            index.add_child(instance=article)
            article.save_revision().publish()
            log(f"Created article '{article.title}'")
    return index
