"""The articles' data: identifiers, publication dates, and the client's reading list as loaded."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.models import GroupPagePermission
from wagtail.test.utils import WagtailPageTestCase

from articles.identifiers import normalise_doi, normalise_nct_id, normalise_pmid
from articles.initial_content import CONTENT_FILE, slug_for
from articles.models import ArticleIndexPage, ArticlePage, DatePrecision, EvidenceKind
from clinic.models import HomePage
from conditions.models import ConditionIndexPage

SEED = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "pasted, doi",
    [
        ("10.1056/NEJMoa1703327", "10.1056/NEJMoa1703327"),
        ("  10.1056/NEJMoa1703327 ", "10.1056/NEJMoa1703327"),
        ("https://doi.org/10.1056/NEJMoa1703327", "10.1056/NEJMoa1703327"),
        ("http://dx.doi.org/10.1056/NEJMoa1703327", "10.1056/NEJMoa1703327"),
        ("doi:10.1056/NEJMoa1703327", "10.1056/NEJMoa1703327"),
        ("https://doi.org/10.1016/S1474-4422%2811%2970305-2", "10.1016/S1474-4422(11)70305-2"),
    ],
)
def test_dois_are_stored_bare(pasted, doi):
    assert normalise_doi(pasted) == doi


@pytest.mark.parametrize(
    "normalise, pasted, expected",
    [
        (normalise_pmid, "22236384", "22236384"),
        (normalise_pmid, "PMID: 22236384", "22236384"),
        (normalise_pmid, "https://pubmed.ncbi.nlm.nih.gov/22236384/", "22236384"),
        (normalise_nct_id, "nct00114530", "NCT00114530"),
        (normalise_nct_id, "https://clinicaltrials.gov/study/NCT00114530", "NCT00114530"),
        (normalise_nct_id, "https://clinicaltrials.gov/ct2/show/NCT00114530", "NCT00114530"),
    ],
)
def test_trial_and_pubmed_ids_are_stored_bare(normalise, pasted, expected):
    assert normalise(pasted) == expected


@pytest.mark.parametrize(
    "normalise, value",
    [
        (normalise_doi, "11.1056/NEJMoa1703327"),
        (normalise_doi, "10.10/short-registrant"),
        (normalise_doi, "10.1056/"),
        (normalise_doi, "https://example.org/10.1056/x"),
        (normalise_pmid, "0"),
        (normalise_pmid, "1234567890"),
        (normalise_pmid, "12a"),
        (normalise_nct_id, "NCT123"),
        (normalise_nct_id, "NCT001145300"),
        (normalise_nct_id, "ISRCTN12345678"),
    ],
)
def test_malformed_identifiers_are_refused(normalise, value):
    with pytest.raises(ValidationError):
        normalise(value)


@pytest.mark.parametrize(
    "day, precision, stored, shown, machine",
    [
        (datetime.date(2013, 8, 15), DatePrecision.YEAR, datetime.date(2013, 1, 1), "2013", "2013"),
        (datetime.date(2012, 2, 17), DatePrecision.MONTH, datetime.date(2012, 2, 1), "Feb 2012", "2012-02"),
        (datetime.date(2018, 1, 4), DatePrecision.DAY, datetime.date(2018, 1, 4), "4 Jan 2018", "2018-01-04"),
    ],
)
def test_publication_dates_keep_only_the_precision_the_source_gives(
    db, day, precision, stored, shown, machine
):
    article = ArticlePage(
        title="A paper", slug="a-paper", summary="s", kind="news", external_url="https://example.org/"
    )
    article.published_on, article.date_precision = day, precision
    article.clean()
    assert (article.published_on, article.published_display, article.published_iso) == (
        stored,
        shown,
        machine,
    )


def test_a_year_only_article_sorts_before_articles_of_later_years(db):
    newer = ArticlePage.objects.get(slug="safety-and-efficacy-of-mesenchymal-stem-cells-therapy")
    year_only = ArticlePage.objects.get(slug="human-umbilical-cord-mesenchymal-stem-cell-therapy")
    assert (year_only.published_display, newer.published_display) == ("2013", "Jul 2023")
    ordered = list(ArticlePage.objects.filter(pk__in=[newer.pk, year_only.pk]).for_listing())
    assert ordered == [newer, year_only]


def test_every_kind_of_evidence_has_a_patient_facing_label():
    assert {kind.label for kind in EvidenceKind} >= {
        "Randomised controlled trial",
        "Early-phase trial (not randomised)",
        "Systematic review",
        "Observational study",
        "Laboratory or animal study",
        "Patient information",
        "News",
        "Clinic news",
    }


class TestInitialContent:
    def test_the_index_is_live_in_the_menu_at_articles(self, db):
        index = ArticleIndexPage.objects.get()
        assert (index.url, index.live, index.show_in_menus) == ("/articles/", True, True)

    def test_every_seed_article_is_published_with_its_conditions(self, db):
        assert ArticlePage.objects.live().count() == len(SEED) == 14
        for entry in SEED:
            article = ArticlePage.objects.get(slug=slug_for(entry["title"]))
            assert article.latest_revision_id and article.live
            assert sorted(article.conditions.values_list("slug", flat=True)) == sorted(entry["conditions"])
            assert (article.kind, article.doi, article.pmid) == (
                entry["kind"],
                entry["doi"] or "",
                entry["pmid"] or "",
            )

    def test_slugs_are_readable_and_short(self):
        assert slug_for(SEED[0]["title"]) == "autologous-mesenchymal-stem-cells-for-the-treatment"
        assert slug_for("Stem Cell Guidance") == "stem-cell-guidance"
        assert all(len(slug_for(entry["title"])) <= 60 for entry in SEED)

    def test_marketing_may_look_after_the_index(self, db):
        granted = GroupPagePermission.objects.filter(
            group__name="Marketing", page=ArticleIndexPage.objects.get()
        )
        assert set(granted.values_list("permission__codename", flat=True)) == {
            "add_page",
            "change_page",
            "publish_page",
        }

    def test_marketings_edits_and_unpublishing_survive_another_run(self, db):
        guidance = ArticlePage.objects.get(slug="stem-cell-guidance")
        guidance.summary = "Edited by marketing."
        guidance.save_revision().publish()
        retired = ArticlePage.objects.get(slug="what-to-ask-a-stem-cell-clinic")
        retired.unpublish()

        call_command("load_initial_content", stdout=StringIO())

        guidance.refresh_from_db()
        retired.refresh_from_db()
        assert guidance.summary == "Edited by marketing." and not retired.live
        assert ArticlePage.objects.filter(title=retired.title).count() == 1


class ArticleTreeRulesTests(WagtailPageTestCase):
    """Editors are offered article pages only where they belong."""

    def test_one_articles_index_under_the_home_page(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        assert not ArticleIndexPage.can_create_at(HomePage.objects.get())

    def test_articles_live_only_under_the_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(ArticleIndexPage, {ArticlePage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        self.assertCanNotCreateAt(ConditionIndexPage, ArticlePage)
