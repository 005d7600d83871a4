"""Marketing paste an identifier in the article editor and choose "Look up": the citation fills in,
what they typed stays, and a registry that cannot be reached is said so plainly."""

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
    expect(status).to_contain_text("Filled in from the registry: check each field before saving.")
    expect(status).to_contain_text("Kept what you typed in: Title")
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
