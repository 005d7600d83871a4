"""A patient on a phone searches from the header, misspelling the condition, and finds the clinic's
page on it first, every result saying what it is."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_violations, sideways_scroll
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def test_a_patient_on_a_phone_finds_a_misspelt_condition_from_the_header(new_context, axe_source):
    # bypass_csp: axe-core's script goes in whatever the site's Content-Security-Policy says.
    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto("/conditions/")
    # The search is in the menu, so that the header stays small on a phone.
    page.get_by_text("Menu").click()
    search = page.get_by_role("search", name="Site search")
    box = search.get_by_role("searchbox", name="Search this site")
    button = search.get_by_role("button", name="Search")
    for target in (box, button):
        assert target.bounding_box()["height"] >= 44
    box.fill("Sclerodema")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=sclerodema$"))
    expect(page.get_by_text("No results for “sclerodema”. Showing results for scleroderma.")).to_be_visible()
    results = page.get_by_role("list", name=re.compile("results? for “scleroderma”"))
    first = results.get_by_role("listitem").first
    expect(first.get_by_role("link")).to_have_text("Scleroderma")
    expect(first).to_contain_text("Clinic page")
    # Outside articles come after the clinic's pages, each with its kind of evidence.
    expect(results.get_by_role("listitem").last).to_contain_text(
        re.compile(r"Outside article\s+Kind of evidence: \w")
    )
    problems = axe_violations(page, axe_source)
    assert not problems, problems
    assert sideways_scroll(page) == 0
