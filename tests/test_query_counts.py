"""Every public page type renders in few queries, and in the same number with 1 related item as
with 50.

Measured through the whole stack, as an anonymous visitor, after one warm-up request that fills
what Wagtail keeps between requests (every site's address)."""

import datetime

import pytest

from articles.models import ArticleIndexPage, ArticlePage
from conditions.models import ConditionIndexPage, ConditionPage
from tests.article_pages import add_article
from tests.condition_text import comparing, in_section, option
from tests.visitors import queries_for

# Each page type's most queries, as measured: Wagtail finding the Site and the page (a query per
# level of the address) and its view restrictions, the site chrome (clinic details, treatment
# status, navigation, consultation link), the breadcrumbs, then what the page itself lists. A
# condition page's list of trials recruiting (#30) is one query more: the one row of registry data
# that holds every trial, which no other query of the page could bring.
MOST_QUERIES = {
    "home": ("/", 10),
    "conditions index": ("/conditions/", 12),
    "condition page": ("/conditions/multiple-sclerosis/", 14),
    "articles, filtered": ("/articles/?condition=multiple-sclerosis", 17),
    "article": ("/articles/autologous-mesenchymal-stem-cells-for-the-treatment/", 12),
    # Search counts the clinic's pages and the outside articles apart, and reads the titles for "Did you mean".
    "search": ("/search/?q=myelin", 10),
    "standard page": ("/about/", 10),
    "consultation form": ("/contact/", 14),
}


@pytest.mark.parametrize(("url", "most"), MOST_QUERIES.values(), ids=MOST_QUERIES.keys())
def test_each_page_type_takes_few_queries(client, db, url, most):
    assert queries_for(client, url) <= most


def add_conditions(count):
    index = ConditionIndexPage.objects.get()
    pages = []
    for number in range(count):
        page = ConditionPage(
            title=f"Condition {number}", slug=f"condition-{number}", summary="Wombatish.", body=[]
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
    return pages


@pytest.fixture
def one_condition(db):
    """The conditions section with a single condition page."""
    ConditionPage.objects.exclude(slug="multiple-sclerosis").delete()
    return ConditionPage.objects.get()


@pytest.mark.parametrize("url", ["/", "/conditions/"])
def test_condition_listings(client, one_condition, url):
    one = queries_for(client, url)
    add_conditions(49)
    assert ConditionPage.objects.live().count() == 50
    assert queries_for(client, url) == one


def test_article_page_with_1_or_50_conditions(client, one_condition):
    article = ArticlePage.objects.live().filter(conditions=one_condition).first()
    article.conditions.set([one_condition])
    article.save_revision().publish()
    one = queries_for(client, article.url)
    article.conditions.set([one_condition, *add_conditions(49)])
    article.save_revision().publish()
    assert queries_for(client, article.url) == one
    assert article.title in client.get(article.url).content.decode()


def add_articles(count):
    index = ArticleIndexPage.objects.get()
    first = ArticlePage.objects.count()  # each article its own address
    for number in range(first, first + count):
        article = ArticlePage(
            title=f"Wombatish {number}",
            summary="Wombatish.",
            kind="news",
            external_url=f"https://example.org/w{number}",
        )
        index.add_child(instance=article)
        article.save_revision().publish()


def add_articles_showing_everything(count, condition):
    """Articles with every part an entry in a list can show: a trial, a journal's notice, a
    publication date and a DOI."""
    index = ArticleIndexPage.objects.get()
    for _ in range(count):
        number = ArticlePage.objects.count()  # each article its own address
        add_article(
            index,
            [condition],
            title=f"Wombat trial {number}",
            kind="randomised-trial",
            source="The Wombat Journal",
            authors="A. Wombat et al.",
            published_on=datetime.date(2019, 3, 1),
            date_precision="month",
            doi=f"10.1000/wombat.{number}",
            nct_id=f"NCT{number:08d}",
            trial_phase="2",
            trial_status="completed",
            trial_completed_on=datetime.date(2019, 1, 31),
            trial_enrolment=144,
            evidence_notice="correction",
            evidence_notice_on=datetime.date(2020, 5, 1),
            evidence_notice_url=f"https://example.org/correction/{number}",
        )


@pytest.mark.parametrize("listing", ["condition page", "articles listing"])
def test_articles_listed_in_full_1_or_10(client, one_condition, listing):
    ArticlePage.objects.all().delete()
    url = one_condition.url if listing == "condition page" else "/articles/"
    add_articles_showing_everything(1, one_condition)
    one = queries_for(client, url)
    add_articles_showing_everything(9, one_condition)
    html = client.get(url).content.decode()
    assert html.count("Phase 2 trial · completed 2019 · 144 participants") == 10
    assert html.count("Corrected in May 2020: the journal published a correction") == 10
    assert html.count('<time datetime="2019-03">Mar 2019</time>') == 10
    assert queries_for(client, url) == one


def test_search_results_with_1_or_50_matches(client, db):
    url = "/search/?q=wombatish"
    add_articles(1)
    one = queries_for(client, url)
    add_articles(49)
    assert "50 results" in client.get(url).content.decode()
    # One query per kind of page found, never per result.
    assert queries_for(client, url) == one


def test_condition_page_citing_1_or_20_articles(client, one_condition):
    def cite_articles(count):
        articles = ArticlePage.objects.live().order_by("pk")[:count]
        one_condition.body = in_section(
            *(f'<p>Studied <a linktype="page" id="{article.pk}">here</a>.</p>' for article in articles)
        )
        one_condition.save_revision().publish()

    cite_articles(1)
    one = queries_for(client, one_condition.url)
    add_articles(20)
    cite_articles(20)
    assert queries_for(client, one_condition.url) == one
    assert 'id="ref-20"' in client.get(one_condition.url).content.decode()


def test_condition_page_comparing_2_options_citing_1_article_or_8_citing_40(client, one_condition):
    """The articles "Compare your options" cites are fetched in one query for the whole table (Wagtail's
    PageChooserBlock converts a stream's citations in bulk), and the references in one more."""

    def compare(options, citing):
        articles = iter(ArticlePage.objects.live().order_by("pk")[: options * citing])
        one_condition.body = comparing(
            *(
                option(f"Option {number}", evidence=[next(articles) for _ in range(citing)])
                for number in range(options)
            )
        )
        one_condition.save_revision().publish()

    compare(2, 1)
    one = queries_for(client, one_condition.url)
    add_articles(40)
    compare(8, 5)
    html = client.get(one_condition.url).content.decode()
    assert html.count('data-label="The evidence"') == 8 and 'id="ref-40"' in html
    assert queries_for(client, one_condition.url) == one


def test_team_page_with_1_or_50_clinicians(client, db):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from conditions.models import MedicalReviewer, TeamMember
    from tests.team import publish_team

    def clinician(number):
        photo = Image.objects.create(title=f"Photo {number}", file=get_test_image_file())
        return MedicalReviewer.objects.create(name=f"Clinician {number}", photo=photo)

    team = publish_team(clinician(0))
    one = queries_for(client, team.url)
    team.members = [TeamMember(clinician=clinician(number)) for number in range(50)]
    team.save_revision().publish()
    assert queries_for(client, team.url) == one
    assert "Clinician 49" in client.get(team.url).content.decode()


def test_condition_page_listing_1_or_50_recruiting_trials(client, one_condition):
    from django.utils import timezone

    from articles.models import RecruitingTrials

    def list_trials(count):
        trials = [
            {
                "nct_id": f"NCT0{number:07d}",
                "title": f"Wombat cells {number}",
                "phase": "2",
                "sponsor": "Wombat University",
                "countries": ["Australia", "New Zealand"],
            }
            for number in range(count)
        ]
        RecruitingTrials.objects.update_or_create(
            condition=one_condition,
            defaults={
                "searched_at": timezone.now(),
                "condition_term": "Wombat disease",
                "intervention_term": "stem cell",
                "trials": trials,
            },
        )

    list_trials(1)
    one = queries_for(client, one_condition.url)
    list_trials(50)
    assert queries_for(client, one_condition.url) == one
    assert client.get(one_condition.url).content.decode().count("Sponsor: Wombat University") == 50
