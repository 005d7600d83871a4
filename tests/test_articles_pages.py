"""What patients see of the articles: on condition pages, at /articles/, on an article's page and in the feed."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils.form_data import rich_text

from articles.models import ArticlePage, DatePrecision, TrialStatus
from conditions.models import ConditionPage
from core.models import ClinicSettings
from tests.article_pages import add_article

MS_TITLES_IN_ORDER = [
    # Dated articles newest first, then the undated ones, newest added first.
    "Mesenchymal Stem Cell Therapy in Multiple Sclerosis: A Systematic Review and Meta-Analysis",
    "Safety, tolerability, and activity of mesenchymal stem cells versus placebo in multiple sclerosis "
    "(MESEMS): a phase 2, randomised, double-blind crossover trial",
    "Important Patient and Consumer Information About Regenerative Medicine Therapies",
    "Autologous mesenchymal stem cells for the treatment of secondary progressive multiple sclerosis: "
    "an open-label phase 2a proof-of-concept study",
    "What to Ask a Stem Cell Clinic",
    "Stem Cell Clinics – Questions to Ask",
]
# On the condition page, grouped by kind of evidence, the strongest design first; in the listing's
# order within each kind.
MS_GROUPS = [
    ("Systematic review", [MS_TITLES_IN_ORDER[0]]),
    ("Randomised controlled trial", [MS_TITLES_IN_ORDER[1]]),
    ("Early-phase trial (not randomised)", [MS_TITLES_IN_ORDER[3]]),
    ("Patient information", [MS_TITLES_IN_ORDER[2], *MS_TITLES_IN_ORDER[4:]]),
]


def html_of(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def list_titles(html):
    """Titles of the listed articles, in page order."""
    items = re.findall(r'class="article-item__title">\s*<a [^>]*>(.*?)<', html, re.S)
    return [item.replace("&#x27;", "'").strip() for item in items]


def article_groups(html):
    """The kinds of evidence the condition page groups its articles under, with their titles."""
    research = html[html.index('id="research"') : html.index("</section>", html.index('id="research"'))]
    parts = re.split(r'<h3 class="related-articles__kind">(.*?)</h3>', research)[1:]
    return [(kind, list_titles(items)) for kind, items in zip(parts[::2], parts[1::2], strict=True)]


class TestConditionPage:
    def test_groups_its_live_articles_by_kind_of_evidence_strongest_first(
        self, client, article_index, ms_page
    ):
        assert article_groups(html_of(client, ms_page.url)) == MS_GROUPS

    def test_within_a_kind_featured_first_then_newest(self, client, article_index, ms_page):
        featured = ArticlePage.objects.get(slug="stem-cell-clinics-questions-to-ask")
        featured.featured = True
        featured.save_revision().publish()
        kind, titles = article_groups(html_of(client, ms_page.url))[-1]
        assert titles == [featured.title, MS_TITLES_IN_ORDER[2], MS_TITLES_IN_ORDER[4]]

    def test_each_article_shows_source_date_and_evidence_badge(self, client, ms_page):
        html = html_of(client, ms_page.url)
        item = html[html.index("MESEMS") : html.index("</li>", html.index("MESEMS"))]
        assert "The Lancet Neurology" in item
        assert '<time datetime="2021-11">Nov 2021</time>' in item
        assert '<span class="visually-hidden">Kind of evidence: </span>Randomised controlled trial' in item
        assert "MS were randomly assigned to a single intravenous infusion" in item

    def test_external_links_say_they_leave_the_site_and_open_safely(self, client, ms_page):
        html = html_of(client, ms_page.url)
        links = re.findall(
            r'<a href="https?://[^"]*"[^>]*>.*?</a>', html[html.index("related-articles") :], re.S
        )
        assert len(links) == len(MS_TITLES_IN_ORDER)
        for link in links:
            assert 'rel="external noopener noreferrer"' in link and 'target="_blank"' in link
            assert "(opens external site in a new tab)" in link

    def test_an_article_written_here_links_to_its_own_page(self, client, article_index, ms_page):
        article = add_article(
            article_index,
            [ms_page],
            title="Our clinic's news",
            external_url="",
            body=[("paragraph", rich_text("<p>Hi</p>"))],
        )
        html = html_of(client, ms_page.url)
        assert f'<a href="/articles/{article.slug}/">Our clinic' in html

    def test_without_a_live_article_the_research_section_says_so(self, client, article_index):
        scleroderma = ConditionPage.objects.get(slug="scleroderma")
        assert "article-item" in html_of(client, scleroderma.url)
        for article in ArticlePage.objects.filter(conditions=scleroderma):
            article.unpublish()
        html = html_of(client, scleroderma.url)
        assert "article-item" not in html
        assert "We have not listed any research about Scleroderma yet." in html

    def test_drafts_are_not_listed(self, client, article_index, ms_page):
        add_article(article_index, [ms_page], title="Not yet published", publish=False)
        assert "Not yet published" not in html_of(client, ms_page.url)


def queries_to_render(rf, page, **params):
    """Queries that serving `page` makes, straight from the page so no cache in front can answer."""
    request = rf.get(page.url, params)
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        response = page.serve(request)
        response.render()
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_number_of_articles(client, rf, article_index, capsys):
    """A new condition with 1 article, then 50: its page and /articles/ make the same number of queries."""
    lupus = ConditionPage(title="Lupus", slug="lupus", summary="About lupus.", body=[])
    ConditionPage.objects.get(slug="scleroderma").get_parent().add_child(instance=lupus)
    lupus.save_revision().publish()
    add_article(article_index, [lupus], title="Lupus article 0", published_on=datetime.date(2020, 1, 1))
    queries_to_render(rf, lupus)  # fills per-process caches (site root paths) before measuring
    one = (queries_to_render(rf, lupus), queries_to_render(rf, article_index, condition="lupus"))

    for number in range(1, 50):
        add_article(
            article_index, [lupus], title=f"Lupus article {number}", date_precision=DatePrecision.YEAR
        )
    fifty = (queries_to_render(rf, lupus), queries_to_render(rf, article_index, condition="lupus"))

    assert len(list_titles(html_of(client, lupus.url))) == 50
    assert one == fifty
    with capsys.disabled():
        print(f"\nqueries (condition page, /articles/): 1 article {one}, 50 articles {fifty}")


class TestEntriesShowEveryChange:
    """Whatever changes in what an article's entry shows, and however, patients see it at once."""

    def test_a_trial_registry_update_shows_though_it_writes_no_revision(self, client, ms_page):
        trial = ArticlePage.objects.get(title=MS_TITLES_IN_ORDER[1])  # MESEMS, a registered trial
        assert '<p class="trial-status">Registered trial</p>' in html_of(client, ms_page.url)
        trial.record_trial_registration(
            {"trial_status": TrialStatus.TERMINATED, "trial_completed_on": datetime.date(2019, 5, 1)}
        )
        html = html_of(client, ms_page.url)
        assert '<p class="trial-status trial-status--stopped">Registered trial · terminated 2019</p>' in html

    def test_a_renamed_questions_page_shows_in_each_trial_s_caveat(self, client, ms_page):
        questions = ClinicSettings.objects.get().questions_page.specific
        assert f">{questions.title}</a>, including whether participants pay." in html_of(client, ms_page.url)
        questions.title = "Before any stem cell treatment"
        questions.save_revision().publish()
        html = html_of(client, ms_page.url)
        assert ">Before any stem cell treatment</a>, including whether participants pay." in html

    def test_a_renamed_condition_shows_in_the_articles_listing(self, client, article_index):
        scleroderma = ConditionPage.objects.get(slug="scleroderma")
        assert ">Scleroderma</a>" in html_of(client, article_index.url)
        scleroderma.title = "Systemic sclerosis (scleroderma)"
        scleroderma.save_revision().publish()
        html = html_of(client, article_index.url)
        assert ">Scleroderma</a>" not in html and ">Systemic sclerosis (scleroderma)</a>" in html


class TestArticlesIndex:
    def test_lists_every_live_article_ten_to_a_page(self, client, article_index):
        first, second = html_of(client, article_index.url), html_of(client, article_index.url, page=2)
        assert "14 articles" in first
        assert len(list_titles(first)) == 10 and len(list_titles(second)) == 4
        assert set(list_titles(first) + list_titles(second)) == set(
            ArticlePage.objects.live().values_list("title", flat=True)
        )

    def test_items_name_their_conditions(self, client, article_index):
        html = html_of(client, article_index.url, kind="patient-information")
        fda = html[html.index("Important Patient") : html.index("</li>", html.index("Important Patient"))]
        assert fda.count('href="/conditions/') == 3

    def test_filters_by_condition_and_kind(self, client, article_index):
        html = html_of(client, article_index.url, condition="scleroderma", kind="randomised-trial")
        assert list_titles(html) == [
            "Myeloablative Autologous Stem-Cell Transplantation for Severe Scleroderma"
        ]
        assert "1 article matches your choices" in html
        several = html_of(client, article_index.url, condition="scleroderma")
        assert f"{len(list_titles(several))} articles match your choices" in several
        # The form shows what was chosen, so patients can change it.
        assert '<option value="scleroderma" selected>' in html
        assert '<option value="randomised-trial" selected>' in html

    def test_the_filter_form_works_without_javascript(self, client, article_index):
        html = html_of(client, article_index.url)
        form = html[html.index("<form") : html.index("</form>")]
        assert 'method="get"' in form and 'action="/articles/"' in form
        assert '<label for="id_condition">' in form and '<label for="id_kind">' in form
        assert '<button class="button" type="submit">' in form

    def test_page_links_keep_the_filters(self, client, article_index, ms_page):
        for number in range(5):
            add_article(article_index, [ms_page], title=f"MS news {number}")
        first = html_of(client, article_index.url, condition="multiple-sclerosis", kind="news")
        assert len(list_titles(first)) == 5
        for number in range(5, 11):
            add_article(article_index, [ms_page], title=f"MS news {number}")
        first = html_of(client, article_index.url, condition="multiple-sclerosis", kind="news")
        assert 'href="?condition=multiple-sclerosis&amp;kind=news&amp;page=2"' in first
        second = html_of(client, article_index.url, condition="multiple-sclerosis", kind="news", page=2)
        assert list_titles(second) == ["MS news 0"]

    def test_a_filter_with_no_match_says_so(self, client, article_index):
        html = html_of(client, article_index.url, condition="scleroderma", kind="preclinical-study")
        assert "No articles match these choices" in html and list_titles(html) == []

    def test_the_last_page_and_every_choice_are_found(self, client, article_index):
        assert client.get(article_index.url, {"page": "2"}).status_code == 200
        assert client.get(article_index.url, {"condition": "", "kind": "", "page": "1"}).status_code == 200

    @pytest.mark.parametrize(
        "params",
        [
            {"page": "3"},
            {"page": "99999"},
            {"page": "abc"},
            {"page": "-1"},
            {"page": "0"},
            {"page": str(10**30)},
            {"page": "2.5"},
            {"page": "02"},
            {"page": " 2"},
            {"page": "\x00"},
            {"page": ["2", "2"]},
            {"condition": "no-such-condition"},
            {"condition": "\x00'; DROP TABLE x; --"},
            {"condition": ["scleroderma", "scleroderma"]},
            {"kind": "gossip"},
            {"kind": ["news", "gossip"], "condition": ""},
            {"condition": "x" * 5000, "page": "9" * 100},
            {"page": "9" * 5000},
        ],
    )
    def test_a_query_string_naming_nothing_is_not_found(self, client, article_index, params):
        # Each address answered with a list would become an entry of any cache in front.
        response = client.get(article_index.url, params)
        assert response.status_code == 404
        assert "<h1>Page not found</h1>" in response.content.decode()

    def test_advertises_its_feed(self, client, article_index):
        html = html_of(client, article_index.url)
        assert (
            '<link rel="alternate" type="application/rss+xml" title="Research and reading" href="/articles/feed/">'
            in html
        )
        assert 'href="/articles/feed/"' in html.split("<main")[1]


class TestArticlePage:
    def test_shows_the_full_reference_with_its_links(self, client, db):
        html = html_of(client, "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/")
        assert "<h1>Autologous mesenchymal stem cells" in html
        assert "<dt>Authors</dt><dd>Peter Connick et al.</dd>" in html
        assert "<dt>Published by</dt><dd>The Lancet Neurology</dd>" in html
        assert '<time datetime="2012-02">Feb 2012</time>' in html
        assert 'href="https://doi.org/10.1016/S1474-4422(11)70305-2"' in html
        assert 'href="https://pubmed.ncbi.nlm.nih.gov/22236384/"' in html
        assert 'href="https://clinicaltrials.gov/study/NCT00395200"' in html
        assert "Early-phase trial (not randomised)" in html
        assert "Ten people with secondary progressive MS" in html
        assert 'href="/conditions/multiple-sclerosis/"' in html

    def test_links_out_to_the_article(self, client, db):
        html = html_of(client, "/articles/stem-cell-guidance/")
        assert re.search(
            r'<a href="https://arthritis.org/science/events-publications/stem-cell-guidance" '
            r'rel="external noopener noreferrer" target="_blank">Read the full article at Arthritis Foundation \(USA\)',
            html,
        )

    def test_an_article_written_here_shows_its_body_and_no_outbound_link(
        self, client, article_index, ms_page
    ):
        body = [("paragraph", rich_text("<p>We have opened a new infusion suite.</p>"))]
        article = add_article(
            article_index, [ms_page], title="New suite", external_url="", kind="clinic-news", body=body
        )
        html = html_of(client, article.url)
        assert "We have opened a new infusion suite." in html
        assert "Read the full article" not in html

    def test_undated_articles_show_no_date(self, client, db):
        html = html_of(client, "/articles/stem-cell-guidance/")
        assert "<dt>Date</dt>" not in html and "<time" not in html.split("<main")[1]

    def test_lists_only_live_conditions(self, client, ms_page):
        ms_page.unpublish()
        html = html_of(client, "/articles/what-to-ask-a-stem-cell-clinic/")
        assert 'href="/conditions/multiple-sclerosis/"' not in html
        assert 'href="/conditions/scleroderma/"' in html


class TestFeed:
    def test_is_rss_of_the_newest_articles(self, client, article_index, ms_page):
        newest = add_article(article_index, [ms_page], title="Just added")
        response = client.get("/articles/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        channel = ET.fromstring(response.content).find("channel")  # noqa: S314 - our own feed
        items = channel.findall("item")
        assert len(items) == 15
        assert items[0].findtext("title") == "Just added"
        assert items[0].findtext("link") == newest.get_full_url()
        assert items[0].findtext("category") == "News"
        assert items[0].findtext("description") == "News. Summary of Just added."

    def test_leaves_out_unpublished_articles(self, client, article_index, ms_page):
        add_article(article_index, [ms_page], title="Only a draft", publish=False)
        assert b"Only a draft" not in client.get("/articles/feed/").content
