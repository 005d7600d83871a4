"""What patients see of the articles: on condition pages, at /articles/, on an article's page and in the feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils.form_data import rich_text

from articles.models import ArticlePage, DatePrecision, NoticeKind, TrialStatus
from conditions.models import ConditionPage
from core.models import ClinicSettings
from tests.article_pages import add_article
from tests.html import page_text, select, select_one, text

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


def shown(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def title_of(item):
    """A listed article's title as its heading shows it (without what only screen readers hear)."""
    return item.select_one(".article-item__title a").contents[0].strip()


def list_titles(response):
    """Titles of the listed articles, in page order."""
    return [title_of(item) for item in select(response, ".article-item")]


def entry(response, title):
    """The listed article whose title this is."""
    return next(item for item in select(response, ".article-item") if title_of(item) == title)


def article_groups(response):
    """The kinds of evidence the condition page groups its articles under, with their titles."""
    return [
        (text(kind), [title_of(item) for item in kind.find_next_sibling("ul").select(".article-item")])
        for kind in select(response, "#research .related-articles__kind")
    ]


class TestConditionPage:
    def test_groups_its_live_articles_by_kind_of_evidence_strongest_first(
        self, client, article_index, ms_page
    ):
        assert article_groups(shown(client, ms_page.url)) == MS_GROUPS

    def test_within_a_kind_featured_first_then_newest(self, client, article_index, ms_page):
        featured = ArticlePage.objects.get(slug="stem-cell-clinics-questions-to-ask")
        featured.featured = True
        featured.save_revision().publish()
        kind, titles = article_groups(shown(client, ms_page.url))[-1]
        assert titles == [featured.title, MS_TITLES_IN_ORDER[2], MS_TITLES_IN_ORDER[4]]

    def test_each_article_shows_source_and_date_and_its_kind_is_said_once_by_its_group(self, client, ms_page):
        response = shown(client, ms_page.url)
        item = entry(response, MS_TITLES_IN_ORDER[1])  # MESEMS
        assert "The Lancet Neurology" in text(item)
        assert (item.time["datetime"], text(item.time)) == ("2021-11", "Nov 2021")
        assert "MS were randomly assigned to a single intravenous infusion" in text(item)
        # The group's heading names the kind; no entry repeats it.
        assert text(item.find_parent("ul").find_previous_sibling("h3")) == "Randomised controlled trial"
        assert select(response, "#research .evidence-badge") == []
        assert page_text(response, "#research").count("Randomised controlled trial") == 1

    def test_a_retracted_study_is_listed_as_retracted_not_as_its_kind(self, client, ms_page):
        review = ArticlePage.objects.get(title=MS_TITLES_IN_ORDER[0])  # a systematic review
        ArticlePage.objects.filter(pk=review.pk).update(evidence_notice=NoticeKind.RETRACTION)
        response = shown(client, ms_page.url)
        assert article_groups(response)[-1] == ("Retracted studies", [review.title])
        assert "Systematic review" not in page_text(response, "#research")
        assert "Retracted: do not rely on this study" in text(entry(response, review.title))

    def test_the_questions_page_is_linked_once_after_the_research_list(self, client, ms_page):
        questions = ClinicSettings.objects.get().questions_page.specific
        response = shown(client, ms_page.url)
        links = select(response, f'#research a[href="{questions.url}"]')
        assert len(links) == 1 and text(links[0]) == questions.title
        assert text(links[0].parent) == (
            f"Before taking part in any trial, read {questions.title}, including whether participants pay."
        )
        # It ends the section, after the last group; each trial still says what it is not.
        assert select(response, "#research > *")[-1] == links[0].parent
        assert {text(caveat) for caveat in select(response, "#research .trial-caveat")} == {
            "A registered trial is not an approved treatment."
        }

    def test_without_a_trial_listed_the_research_does_not_link_the_questions(self, client, ms_page):
        ArticlePage.objects.filter(conditions=ms_page).update(nct_id="")
        questions = ClinicSettings.objects.get().questions_page.specific
        assert select(shown(client, ms_page.url), f'#research a[href="{questions.url}"]') == []

    def test_external_links_say_they_leave_the_site_and_open_safely(self, client, ms_page):
        links = select(shown(client, ms_page.url), '#research a[href^="http"]')
        assert len(links) == len(MS_TITLES_IN_ORDER)
        for link in links:
            assert (link["rel"], link["target"]) == (["external", "noopener", "noreferrer"], "_blank")
            assert text(link).endswith("(opens external site in a new tab)")

    def test_an_article_written_here_links_to_its_own_page(self, client, article_index, ms_page):
        article = add_article(
            article_index,
            [ms_page],
            title="Our clinic's news",
            external_url="",
            body=[("paragraph", rich_text("<p>Hi</p>"))],
        )
        link = select_one(
            shown(client, ms_page.url), f'.article-item__title a[href="/articles/{article.slug}/"]'
        )
        assert text(link) == "Our clinic's news"

    def test_without_a_live_article_the_research_section_says_so(self, client, article_index):
        scleroderma = ConditionPage.objects.get(slug="scleroderma")
        assert select(shown(client, scleroderma.url), ".article-item")
        for article in ArticlePage.objects.filter(conditions=scleroderma):
            article.unpublish()
        response = shown(client, scleroderma.url)
        assert select(response, ".article-item") == []
        assert "We have not listed any research about Scleroderma yet." in page_text(response, "#research")

    def test_drafts_are_not_listed(self, client, article_index, ms_page):
        add_article(article_index, [ms_page], title="Not yet published", publish=False)
        assert "Not yet published" not in page_text(shown(client, ms_page.url))


def at_a_glance(response):
    """The research section's first words, before any list: the count, then what each kind can show."""
    glance = select_one(response, "#research .evidence-at-a-glance")
    assert glance.find_previous_sibling() == select_one(response, "#research > h2")
    count, *rest = glance.find_all(["p", "li"])
    return text(count), [text(part) for part in rest]


SHOWS = {
    "systematic review": "A systematic review brings together the studies that asked one question and weighs "
    "what they found: it can show what the research as a whole says, but it is only as strong as the "
    "studies it gathers.",
    "randomised controlled trial": "A randomised controlled trial compares people given a treatment with "
    "people who, chosen by chance, were not: it is the fairest test of whether a treatment works, though "
    "a single small or short trial can still mislead.",
    "early-phase trial": "An early-phase trial gives a treatment to a small group, mainly to see whether it "
    "is safe enough to study further: with no comparison group chosen by chance, it cannot show that the "
    "treatment works.",
}


class TestEvidenceAtAGlance:
    """Before the list, how many studies of each kind it holds, and what each kind can and cannot show."""

    def test_counts_each_kind_of_study_listed_and_says_what_each_can_show(self, client, ms_page):
        count, said = at_a_glance(shown(client, ms_page.url))
        assert count == (
            "The evidence at a glance. Studies listed here: 1 systematic review, "
            "1 randomised controlled trial and 1 early-phase trial."
        )
        assert said == list(SHOWS.values())

    def test_says_when_there_is_no_randomised_controlled_trial(self, client, article_index):
        lupus = ConditionPage(title="Lupus", slug="lupus", summary="About lupus.", body=[])
        ConditionPage.objects.get(slug="scleroderma").get_parent().add_child(instance=lupus)
        lupus.save_revision().publish()
        for number, kind in enumerate(["systematic-review"] * 2 + ["early-phase-trial"] * 3 + ["news"]):
            add_article(article_index, [lupus], title=f"Lupus study {number}", kind=kind)
        count, said = at_a_glance(shown(client, lupus.url))
        assert count == (
            "The evidence at a glance. Studies listed here: 2 systematic reviews, "
            "3 early-phase trials and no randomised controlled trial."
        )
        # What the missing kind would show, so that patients can tell why it matters.
        assert said == list(SHOWS.values())

    def test_with_no_study_listed_it_still_says_there_is_no_randomised_controlled_trial(
        self, client, ms_page
    ):
        ArticlePage.objects.filter(conditions=ms_page).update(kind="patient-information")
        count, said = at_a_glance(shown(client, ms_page.url))
        assert count == (
            "The evidence at a glance. Studies listed here: no randomised controlled trial and no other study."
        )
        assert said == [SHOWS["randomised controlled trial"]]

    def test_a_retracted_study_is_not_counted_as_its_kind(self, client, ms_page):
        review = ArticlePage.objects.get(title=MS_TITLES_IN_ORDER[0])  # the one systematic review
        ArticlePage.objects.filter(pk=review.pk).update(evidence_notice=NoticeKind.RETRACTION)
        count, said = at_a_glance(shown(client, ms_page.url))
        assert count == (
            "The evidence at a glance. Studies listed here: 1 randomised controlled trial and 1 early-phase trial."
        )
        assert said == [
            "1 retracted study is not counted: it is listed last, under Retracted studies.",
            SHOWS["randomised controlled trial"],
            SHOWS["early-phase trial"],
        ]

    def test_drafts_are_not_counted(self, client, article_index, ms_page):
        add_article(article_index, [ms_page], title="Draft trial", kind="randomised-trial", publish=False)
        count, _said = at_a_glance(shown(client, ms_page.url))
        assert "1 randomised controlled trial" in count


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

    assert len(list_titles(shown(client, lupus.url))) == 50
    assert one == fifty
    with capsys.disabled():
        print(f"\nqueries (condition page, /articles/): 1 article {one}, 50 articles {fifty}")


def caveats(response):
    """Each trial's caveat: the questions page it links to, by name, and what it says."""
    return {(text(caveat.a), text(caveat)) for caveat in select(response, ".trial-caveat")}


def caveat_naming(questions):
    said = (
        f"A registered trial is not an approved treatment. {questions}, including whether participants pay."
    )
    return questions, said


def conditions_named(response):
    """The conditions the listed articles say they are about."""
    return [text(link) for link in select(response, ".article-item__conditions a")]


class TestEntriesShowEveryChange:
    """Whatever changes in what an article's entry shows, and however, patients see it at once."""

    def test_a_trial_registry_update_shows_though_it_writes_no_revision(self, client, ms_page):
        trial = ArticlePage.objects.get(title=MS_TITLES_IN_ORDER[1])  # MESEMS, a registered trial
        status = entry(shown(client, ms_page.url), trial.title).select_one(".trial-status")
        assert (status["class"], text(status)) == (["trial-status"], "Registered trial")
        trial.record_trial_registration(
            {"trial_status": TrialStatus.TERMINATED, "trial_completed_on": datetime.date(2019, 5, 1)}
        )
        status = entry(shown(client, ms_page.url), trial.title).select_one(".trial-status")
        assert (status["class"], text(status)) == (
            ["trial-status", "trial-status--stopped"],
            "Registered trial · terminated 2019",
        )

    def test_a_renamed_questions_page_shows_in_each_trial_s_caveat_and_after_the_research(
        self, client, ms_page, article_index
    ):
        questions = ClinicSettings.objects.get().questions_page.specific
        trials = {"kind": "early-phase-trial", "condition": "multiple-sclerosis"}
        assert caveats(shown(client, article_index.url, **trials)) == {caveat_naming(questions.title)}
        questions.title = "Before any stem cell treatment"
        questions.save_revision().publish()
        assert caveats(shown(client, article_index.url, **trials)) == {
            caveat_naming("Before any stem cell treatment")
        }
        link = select_one(shown(client, ms_page.url), "#research .related-articles__questions a")
        assert text(link) == "Before any stem cell treatment"

    def test_a_renamed_condition_shows_in_the_articles_listing(self, client, article_index):
        scleroderma = ConditionPage.objects.get(slug="scleroderma")
        assert "Scleroderma" in conditions_named(shown(client, article_index.url))
        scleroderma.title = "Systemic sclerosis (scleroderma)"
        scleroderma.save_revision().publish()
        named = conditions_named(shown(client, article_index.url))
        assert "Scleroderma" not in named and "Systemic sclerosis (scleroderma)" in named


class TestArticlesIndex:
    def test_lists_every_live_article_ten_to_a_page(self, client, article_index):
        first, second = shown(client, article_index.url), shown(client, article_index.url, page=2)
        assert page_text(first, "#articles-heading") == "14 articles"
        assert len(list_titles(first)) == 10 and len(list_titles(second)) == 4
        assert set(list_titles(first) + list_titles(second)) == set(
            ArticlePage.objects.live().values_list("title", flat=True)
        )

    def test_each_item_wears_its_kind_and_a_retracted_one_says_retracted_instead(self, client, article_index):
        review = ArticlePage.objects.get(title=MS_TITLES_IN_ORDER[0])  # a systematic review
        ArticlePage.objects.filter(pk=review.pk).update(evidence_notice=NoticeKind.RETRACTION)
        response = shown(client, article_index.url, condition="multiple-sclerosis")
        badges = {
            title_of(item): text(item.select_one(".evidence-badge"))
            for item in select(response, ".article-item")
        }
        assert badges[review.title] == "Retracted"
        assert badges[MS_TITLES_IN_ORDER[1]] == "Kind of evidence: Randomised controlled trial"
        assert "Systematic review" not in text(entry(response, review.title))

    def test_items_name_their_conditions(self, client, article_index):
        fda = entry(shown(client, article_index.url, kind="patient-information"), MS_TITLES_IN_ORDER[2])
        assert len(fda.select('a[href^="/conditions/"]')) == 3

    def test_filters_by_condition_and_kind(self, client, article_index):
        response = shown(client, article_index.url, condition="scleroderma", kind="randomised-trial")
        assert list_titles(response) == [
            "Myeloablative Autologous Stem-Cell Transplantation for Severe Scleroderma"
        ]
        assert page_text(response, "#articles-heading") == "1 article matches your choices"
        several = shown(client, article_index.url, condition="scleroderma")
        assert (
            page_text(several, "#articles-heading")
            == f"{len(list_titles(several))} articles match your choices"
        )
        # The form shows what was chosen, so patients can change it.
        chosen = [option["value"] for option in select(response, "form.article-filters option[selected]")]
        assert chosen == ["scleroderma", "randomised-trial"]

    def test_the_filter_form_works_without_javascript(self, client, article_index):
        form = select_one(shown(client, article_index.url), "form.article-filters")
        assert (form["method"], form["action"]) == ("get", "/articles/")
        assert [label["for"] for label in form.select("label")] == ["id_condition", "id_kind"]
        assert form.select_one("#id_condition") and form.select_one("#id_kind")
        assert form.select_one('button[type="submit"]')

    def test_page_links_keep_the_filters(self, client, article_index, ms_page):
        for number in range(5):
            add_article(article_index, [ms_page], title=f"MS news {number}")
        first = shown(client, article_index.url, condition="multiple-sclerosis", kind="news")
        assert len(list_titles(first)) == 5
        for number in range(5, 11):
            add_article(article_index, [ms_page], title=f"MS news {number}")
        first = shown(client, article_index.url, condition="multiple-sclerosis", kind="news")
        assert select(first, 'a[href="?condition=multiple-sclerosis&kind=news&page=2"]')
        second = shown(client, article_index.url, condition="multiple-sclerosis", kind="news", page=2)
        assert list_titles(second) == ["MS news 0"]

    def test_a_filter_with_no_match_says_so(self, client, article_index):
        response = shown(client, article_index.url, condition="scleroderma", kind="preclinical-study")
        assert "No articles match these choices" in page_text(response, "main")
        assert list_titles(response) == []

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
        assert page_text(response, "h1") == "Page not found"

    def test_advertises_its_feed(self, client, article_index):
        response = shown(client, article_index.url)
        feed = select_one(response, 'head link[rel="alternate"][type="application/rss+xml"]')
        assert (feed["title"], feed["href"]) == ("Research and reading", "/articles/feed/")
        assert select(response, 'main a[href="/articles/feed/"]')


def reference(response):
    """The article's reference as its page lists it, each detail by its name."""
    return {text(name): text(name.find_next_sibling("dd")) for name in select(response, "main dt")}


class TestArticlePage:
    def test_shows_the_full_reference_with_its_links(self, client, db):
        response = shown(client, "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/")
        assert page_text(response, "h1").startswith("Autologous mesenchymal stem cells")
        details = reference(response)
        assert details["Authors"] == "Peter Connick et al."
        assert details["Published by"] == "The Lancet Neurology"
        date = select_one(response, "main time")
        assert (date["datetime"], text(date)) == ("2012-02", "Feb 2012")
        for link in (
            "https://doi.org/10.1016/S1474-4422(11)70305-2",
            "https://pubmed.ncbi.nlm.nih.gov/22236384/",
            "https://clinicaltrials.gov/study/NCT00395200",
            "/conditions/multiple-sclerosis/",
        ):
            assert select(response, f'main a[href="{link}"]'), link
        assert "Early-phase trial (not randomised)" in page_text(response, "main")
        assert "Ten people with secondary progressive MS" in page_text(response, "main")

    def test_a_retracted_study_wears_retracted_instead_of_its_kind(self, client, db):
        url = "/articles/autologous-mesenchymal-stem-cells-for-the-treatment/"
        assert text(select_one(shown(client, url), ".article-kind")) == (
            "Kind of evidence: Early-phase trial (not randomised)"
        )
        ArticlePage.objects.filter(
            url_path__endswith="/autologous-mesenchymal-stem-cells-for-the-treatment/"
        ).update(evidence_notice=NoticeKind.RETRACTION)
        response = shown(client, url)
        assert text(select_one(response, ".article-kind")) == "Retracted"
        assert "Retracted: do not rely on this study" in page_text(response, "main")

    def test_links_out_to_the_article(self, client, db):
        response = shown(client, "/articles/stem-cell-guidance/")
        link = select_one(
            response, 'a[href="https://arthritis.org/science/events-publications/stem-cell-guidance"]'
        )
        assert (link["rel"], link["target"]) == (["external", "noopener", "noreferrer"], "_blank")
        assert text(link).startswith("Read the full article at Arthritis Foundation (USA)")

    def test_an_article_written_here_shows_its_body_and_no_outbound_link(
        self, client, article_index, ms_page
    ):
        body = [("paragraph", rich_text("<p>We have opened a new infusion suite.</p>"))]
        article = add_article(
            article_index, [ms_page], title="New suite", external_url="", kind="clinic-news", body=body
        )
        main = page_text(shown(client, article.url), "main")
        assert "We have opened a new infusion suite." in main
        assert "Read the full article" not in main

    def test_undated_articles_show_no_date(self, client, db):
        response = shown(client, "/articles/stem-cell-guidance/")
        assert "Date" not in reference(response) and select(response, "main time") == []

    def test_lists_only_live_conditions(self, client, ms_page):
        ms_page.unpublish()
        response = shown(client, "/articles/what-to-ask-a-stem-cell-clinic/")
        assert select(response, 'a[href="/conditions/multiple-sclerosis/"]') == []
        assert select(response, 'a[href="/conditions/scleroderma/"]')


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
