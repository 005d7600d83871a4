"""Marketing paste an identifier in the article editor and choose "Look up": the citation fills in,
what they typed stays, each value's origin is said, an identifier another article has is caught,
and a registry that cannot be reached is said so plainly."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import ArticlePage

pytestmark = pytest.mark.browser

MESEMS_LINK = "https://doi.org/10.1016/S1474-4422(21)00301-X"


@pytest.fixture
def new_article(page, log_in, make_staff):
    ArticlePage.objects.filter(doi__iexact="10.1016/S1474-4422(21)00301-X").delete()
    log_in(page, make_staff("marketing", "Marketing"))
    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Add article").click()
    return page


def test_look_up_fills_the_citation_and_keeps_the_typed_title(new_article, registries):
    page = new_article
    page.get_by_role("textbox", name="Title*").fill("MESEMS trial")
    page.get_by_role("textbox", name="DOI").fill(MESEMS_LINK)
    page.get_by_role("button", name="Look up").first.click()

    status = page.locator("#look-up-doi-status")
    expect(status).to_contain_text(
        "Filled from Crossref: Authors, Source, Publication date. Check each field before saving."
    )
    expect(status).to_contain_text("Kept what you typed: Title (Crossref says “Safety, tolerability")
    expect(page.get_by_role("textbox", name="Title*")).to_have_value("MESEMS trial")
    expect(page.get_by_role("textbox", name="Authors")).to_have_value("Antonio Uccelli et al.")
    expect(page.get_by_role("textbox", name="Source")).to_have_value("The Lancet Neurology")
    expect(page.get_by_role("textbox", name="Publication date")).to_have_value("2021-11-01")
    expect(page.get_by_role("combobox", name="Show the date as")).to_have_value("month")


def test_no_network_says_to_fill_in_by_hand_and_changes_nothing(new_article, no_network):
    page = new_article
    page.get_by_role("textbox", name="Authors").fill("Uccelli A")
    page.get_by_role("textbox", name="DOI").fill(MESEMS_LINK)
    page.get_by_role("button", name="Look up").first.click()

    expect(page.locator("#look-up-doi-status")).to_have_text(
        "Crossref could not be reached; fill the fields in by hand."
    )
    expect(page.get_by_role("textbox", name="Authors")).to_have_value("Uccelli A")
    expect(page.get_by_role("textbox", name="DOI")).to_have_value(MESEMS_LINK)
    expect(page.get_by_role("textbox", name=re.compile("^Title"))).to_have_value("")


def test_a_second_look_up_names_the_registry_an_earlier_one_filled_from(new_article, registries):
    page = new_article
    page.get_by_role("textbox", name="DOI").fill(MESEMS_LINK)
    page.get_by_role("button", name="Look up").first.click()
    expect(page.locator("#look-up-doi-status")).to_contain_text("Filled from Crossref: Title, Authors")
    page.get_by_role("textbox", name="Source").fill("Lancet Neurol")
    page.get_by_role("textbox", name="PubMed ID").fill("34687634")
    page.get_by_role("button", name="Look up").nth(1).click()

    expect(page.locator("#look-up-pmid-status")).to_have_text(
        "Nothing filled from PubMed: each field it gives already has a value. "
        "Already as PubMed gives it: Title, Publication date. "
        "Already filled from Crossref, kept: Authors (PubMed says “Uccelli A et al.”). "
        "Kept what you typed: Source (PubMed says “The Lancet. Neurology”)."
    )
    expect(page.get_by_role("textbox", name="Authors")).to_have_value("Antonio Uccelli et al.")
    expect(page.get_by_role("textbox", name="Source")).to_have_value("Lancet Neurol")


def test_a_saved_articles_values_are_said_to_be_saved(page, log_in, make_staff, registries):
    article = ArticlePage.objects.get(doi__iexact="10.1016/S1474-4422(21)00301-X")
    article.authors = "Uccelli A, Laroni A et al."
    article.save_revision()
    log_in(page, make_staff("marketing", "Marketing"))
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="Look up").first.click()
    status = page.locator("#look-up-doi-status")
    expect(status).to_contain_text("Kept what was saved: Authors (Crossref says “Antonio Uccelli et al.”).")
    expect(status).not_to_contain_text("typed")
    expect(status).not_to_contain_text("already has this DOI")


def test_a_doi_another_article_has_links_to_it_and_fills_nothing(new_article, registries):
    other = ArticlePage.objects.get(doi__iexact="10.1016/S1474-4422(11)70305-2")
    page = new_article
    page.get_by_role("textbox", name="DOI").fill("https://doi.org/10.1016/S1474-4422(11)70305-2")
    page.get_by_role("button", name="Look up").first.click()

    status = page.locator("#look-up-doi-status")
    expect(status).to_contain_text(
        f"The article “{other.title}” already has this DOI: patients would see the same evidence listed twice."
    )
    link = status.get_by_role("link", name=f"Edit “{other.title}” instead")
    expect(link).to_have_attribute("href", f"/admin/pages/{other.pk}/edit/")
    expect(page.get_by_role("textbox", name=re.compile("^Title"))).to_have_value("")
