"""The reading list, the trials recruiting and the numbered references at the end of each condition
page, and the entry every list of articles shows for each."""

from collections import Counter
from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

from articles import references
from articles.models import STUDY_DESIGNS, ArticlePage, EvidenceKind, RecruitingTrials

register = template.Library()

RETRACTED = "Retracted studies"


def at_a_glance(articles):
    """What the research list holds, counted from the articles it lists: how many studies of each kind,
    always saying when there is no randomised controlled trial, then the retracted ones, which are no
    longer evidence of their kind, then what each kind the count names can and cannot show."""
    counted = Counter(article.kind for article in articles if not article.is_retracted)
    randomised = EvidenceKind.RANDOMISED_TRIAL
    named = [kind for kind in STUDY_DESIGNS if counted[kind] or kind == randomised]
    counts = [STUDY_DESIGNS[kind].count(counted[kind]) for kind in named if counted[kind]]
    if not counted[randomised]:
        counts.append(STUDY_DESIGNS[randomised].count(0))
        if len(named) == 1:
            counts.append("no other study")
    retracted = sum(article.is_retracted for article in articles)
    return {
        "counts": counts[0] if len(counts) == 1 else f"{', '.join(counts[:-1])} and {counts[-1]}",
        "retracted": (
            f"{retracted} retracted {'study is' if retracted == 1 else 'studies are'} not counted: "
            f"{'it is' if retracted == 1 else 'they are'} listed last, under {RETRACTED}."
            if retracted
            else ""
        ),
        "shows": [STUDY_DESIGNS[kind].shows for kind in named],
    }


def strongest_kind(articles):
    """The strongest kind of evidence among `articles` (EvidenceKind's order), retracted ones not
    counted: they are no longer evidence of their kind. None when none is left."""
    ranking = list(EvidenceKind)
    kinds = [EvidenceKind(article.kind) for article in articles if not article.is_retracted]
    return min(kinds, key=ranking.index, default=None)


@register.simple_tag
def cited_evidence(articles):
    """{% cited_evidence option.evidence as evidence %}: the articles an option of "Compare your
    options" cites that patients can read (evidence.articles), and the strongest kind of study among
    them in words (evidence.strength), the retracted ones said apart (evidence.retracted).

    Within {% citing %} the page's references say which cited articles are live and public, fetched
    once for the page; elsewhere (the editor's block preview) an article is shown while it is live."""
    readable = references.cited_articles.get()
    shown = [
        article
        for article in articles
        if article is not None and (str(article.pk) in readable if readable is not None else article.live)
    ]
    design = STUDY_DESIGNS.get(strongest_kind(shown))
    retracted = sum(article.is_retracted for article in shown)
    return {
        "articles": shown,
        "strength": f"Strongest evidence cited: {design.one}" if design else "No study cited",
        "retracted": (
            f"{retracted} retracted {'study is' if retracted == 1 else 'studies are'} not counted."
            if retracted
            else ""
        ),
    }


@register.inclusion_tag("articles/includes/related_articles.html", takes_context=True)
def related_articles(context, condition):
    """The condition's live, public articles grouped by kind of evidence, the strongest research design
    first (EvidenceKind's order), each group in the listing's order; retracted studies last, on
    their own: they are no longer evidence of their kind."""
    groups = {kind.label: [] for kind in EvidenceKind} | {RETRACTED: []}
    articles = list(ArticlePage.objects.live().public().for_condition(condition))
    for article in articles:
        groups[RETRACTED if article.is_retracted else EvidenceKind(article.kind).label].append(article)
    return {
        "groups": [(label, articles) for label, articles in groups.items() if articles],
        "at_a_glance": at_a_glance(articles),
        # The questions to ask before taking part, once after the list rather than beside each trial.
        "lists_a_trial": any(article.trial_line for article in articles),
        "condition": condition,
        "request": context["request"],
        "chrome": context.get("chrome"),
    }


def registry_search_url(condition_term, intervention_term):
    """The same search on ClinicalTrials.gov's own site: recruiting studies of the treatment for the condition."""
    query = urlencode({"cond": condition_term, "intr": intervention_term, "aggFilters": "status:rec"})
    return f"https://clinicaltrials.gov/search?{query}"


@register.inclusion_tag("articles/includes/recruiting_trials.html", takes_context=True)
def recruiting_trials(context, condition):
    """The trials ClinicalTrials.gov last listed as recruiting for the condition page's search terms,
    with the date it did (one query, however many trials); before its first answer, the way to the
    same search on the registry."""
    condition_term, intervention_term = condition.recruiting_trials_search
    found = RecruitingTrials.objects.filter(condition=condition).first()
    return {
        "found": found,
        "trials": found.shown_trials if found else [],
        "condition_term": condition_term,
        "intervention_term": intervention_term,
        "search_url": registry_search_url(condition_term, intervention_term),
        "chrome": context.get("chrome"),
        "request": context["request"],
    }


@register.inclusion_tag("articles/includes/article_item.html", takes_context=True)
def article_entry(context, article, heading_level, show_conditions=False, grouped=False):
    """One article in a list. It reads only the fields a list loads (ArticlePageQuerySet.LISTED_FIELDS;
    the query-count tests hold it to them) and, of the site chrome, the questions link.

    In a list `grouped` by kind of evidence (a condition page's research) the group's heading says the
    kind, so the entry carries no badge, and the list links the questions page once after it, so a
    trial's caveat does not."""
    return {
        "article": article,
        "heading_level": heading_level,
        "show_conditions": show_conditions,
        "grouped": grouped,
        "chrome": {"questions": None if grouped else context["chrome"]["questions"]},
        "request": context["request"],
    }


class CitingNode(template.Node):
    def __init__(self, page, nodelist):
        self.page = page
        self.nodelist = nodelist

    def render(self, context):
        cited = references.references_of(self.page.resolve(context))
        token = references.cited_articles.set({str(ref.article.pk): ref.article for ref in cited})
        try:
            html = self.nodelist.render(context)
        finally:
            references.cited_articles.reset(token)
        if references.CITES_ATTRIBUTE not in html:
            return html
        # Also when none is numbered: a link to an article patients cannot read is taken out. The
        # markup is the template's own output, re-serialised with the numbers added.
        return mark_safe(references.number_citations(html, cited))  # noqa: S308


@register.tag
def citing(parser, token):
    """{% citing page %}…{% endciting %}: the page's text with its citations of articles numbered,
    as the page's {% references %} lists them."""
    _tag, page = token.split_contents()
    nodelist = parser.parse(("endciting",))
    parser.delete_first_token()
    return CitingNode(parser.compile_filter(page), nodelist)


@register.inclusion_tag("articles/includes/references.html", takes_context=True)
def references_list(context, page):
    """The articles the page's text cites, numbered; nothing at all when it cites none."""
    return {
        "references": references.references_of(page),
        "heading_id": references.HEADING_ID,
        "request": context["request"],
    }
