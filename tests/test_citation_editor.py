"""The article editor's "Look up": paste an identifier, get the citation's fields to check and save."""

import pytest
from django.urls import reverse

from articles.models import ArticleIndexPage, ArticlePage
from conditions.models import ConditionPage
from tests.admin_forms import article_page_form
from tests.html import page_text, select_one, text

MESEMS_LINK = "https://doi.org/10.1016/S1474-4422(21)00301-X"


@pytest.fixture
def marketer(client, make_staff):
    client.force_login(make_staff("marketer", "Marketing"))


@pytest.fixture
def mesems(db):
    """The MESEMS article of the initial content, with its DOI and trial ID."""
    return ArticlePage.objects.get(doi__iexact="10.1016/S1474-4422(21)00301-X")


def look_up(client, **identifier):
    return client.get(reverse("article_look_up_citation"), identifier)


def test_a_pasted_doi_link_gives_the_mesems_citation(client, marketer, registries, mesems):
    answer = look_up(client, doi=MESEMS_LINK, article=mesems.pk)
    assert answer.status_code == 200
    assert answer.json() == {
        "service": "Crossref",
        "fields": {
            "title": (
                "Safety, tolerability, and activity of mesenchymal stem cells versus placebo in multiple "
                "sclerosis (MESEMS): a phase 2, randomised, double-blind crossover trial"
            ),
            "authors": "Antonio Uccelli et al.",
            "source": "The Lancet Neurology",
            "published_on": "2021-11-01",
            "date_precision": "month",
        },
        "notice": "",
        "unreadable": "",
    }


def test_a_trial_id_gives_the_registration(client, marketer, registries, mesems):
    answer = look_up(client, nct_id="https://clinicaltrials.gov/study/NCT01854957", article=mesems.pk).json()
    assert answer["service"] == "ClinicalTrials.gov"
    fields = answer["fields"]
    assert {
        name: fields[name] for name in ("trial_phase", "trial_enrolment", "trial_status", "trial_sponsor")
    } == {
        "trial_phase": "2",
        "trial_enrolment": 144,
        "trial_status": "completed",
        "trial_sponsor": "University of Genova",
    }
    assert (fields["trial_started_on"], fields["trial_completed_on"]) == ("2012-01-01", "2019-06-30")


def test_a_retracted_paper_is_flagged_to_the_editor(client, marketer, registries):
    from tests.evidence_registries import summary

    registries.pubmed["11111111"] = summary(
        "11111111", {"pubtype": ["Journal Article", "Retracted Publication"]}
    )
    notice = look_up(client, pmid="11111111").json()["notice"]
    assert notice == "Retracted: see https://pubmed.ncbi.nlm.nih.gov/11111111/"


@pytest.mark.parametrize(
    "identifier, trouble, message",
    [
        ({"doi": "10.5555/unlisted"}, None, "Crossref could not be reached; fill the fields in by hand."),
        ({"pmid": "34687634"}, None, "PubMed could not be reached; fill the fields in by hand."),
    ],
)
def test_no_network_says_to_fill_the_fields_by_hand(
    client, marketer, no_network, identifier, trouble, message
):
    answer = look_up(client, **identifier)
    assert (answer.status_code, answer.json()) == (502, {"error": message})


def test_a_silent_pubmed_says_so(client, marketer, registries):
    registries.trouble["eutils"] = ["hang", "hang"]
    answer = look_up(client, pmid="34687634")
    assert answer.json() == {"error": "PubMed did not answer; fill the fields in by hand."}


def test_a_mistyped_identifier_says_what_a_good_one_looks_like(client, marketer, registries):
    answer = look_up(client, nct_id="NCT123")
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("Enter the ClinicalTrials.gov ID as NCT followed by 8 digits")
    assert registries.requests == []


def test_staff_who_edit_no_pages_cannot_look_up(client, make_staff, registries):
    client.force_login(make_staff("reception", "Patient enquiries"))
    # Wagtail turns away staff without the permission with a redirect to the dashboard.
    assert look_up(client, doi=MESEMS_LINK).url == reverse("wagtailadmin_home")
    assert registries.requests == []


def test_the_article_editor_offers_the_look_up(client, marketer):
    article = ArticlePage.objects.first()
    page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert 'src="/static/articles/citation_look_up.js"' in page
    assert f'data-look-up-url="{reverse("article_look_up_citation")}"' in page


def test_the_fields_looked_up_save_and_show_as_the_citation(client, marketer, registries):
    ArticlePage.objects.filter(doi__iexact="10.1016/S1474-4422(21)00301-X").delete()
    fields = look_up(client, doi=MESEMS_LINK).json()["fields"]
    ms = ConditionPage.objects.get(slug="multiple-sclerosis")
    index = ArticleIndexPage.objects.get()
    form = article_page_form(
        conditions=[ms], slug="mesems", doi=MESEMS_LINK, action="action-publish", **fields
    )
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk]), form
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = client.get(ArticlePage.objects.get(slug="mesems").url)
    assert "Antonio Uccelli et al." in page_text(page, "main")
    published = select_one(page, "main time")
    assert (published["datetime"], text(published)) == ("2021-11", "Nov 2021")


def test_a_record_with_a_date_that_does_not_exist_fills_the_rest_and_says_what_was_left(
    client, marketer, registries
):
    from tests.evidence_registries import summary

    registries.pubmed["34687634"] = summary("34687634", {"pubdate": "2021 Nov 31"})
    answer = look_up(client, pmid="34687634")
    assert answer.status_code == 200
    assert answer.json()["unreadable"] == (
        "PubMed's publication date “2021 Nov 31” could not be read: fill that in by hand"
    )
    assert answer.json()["fields"]["source"] == "The Lancet. Neurology"
    assert "published_on" not in answer.json()["fields"]


@pytest.mark.parametrize(
    "identifier, name",
    [
        ({"doi": "https://doi.org/10.1016/s1474-4422(11)70305-2"}, "DOI"),
        ({"pmid": "PMID: 22236384"}, "PubMed ID"),
        ({"nct_id": "nct00395200"}, "ClinicalTrials.gov ID"),
    ],
)
def test_an_identifier_another_article_has_is_found_at_look_up(
    client, marketer, registries, identifier, name
):
    other = ArticlePage.objects.get(pmid="22236384")  # cited by its DOI, PubMed ID and trial ID
    answer = look_up(client, **identifier)
    assert (answer.status_code, answer.json()) == (
        409,
        {
            "error": (
                f"The article “{other.title}” already has this {name}: patients would see the same "
                "evidence listed twice."
            ),
            "duplicate": {
                "title": other.title,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[other.pk]),
            },
        },
    )
    assert registries.requests == [], "no registry is asked about an article already listed"


def test_the_article_being_edited_is_no_duplicate_of_itself(client, marketer, registries, mesems):
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[mesems.pk]))
    doi = select_one(editor, "#id_doi")
    assert doi["data-look-up-article"] == str(mesems.pk)
    answer = look_up(client, doi=doi["value"], article=doi["data-look-up-article"])
    assert answer.status_code == 200
    assert answer.json()["fields"]["authors"] == "Antonio Uccelli et al."
