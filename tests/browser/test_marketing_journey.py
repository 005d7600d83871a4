"""Marketing adds an article for two conditions in the Wagtail admin; both condition pages list it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "Haematopoietic stem cell transplantation in autoimmune disease: the evidence so far"
CONDITIONS = ["Multiple Sclerosis (MS)", "Scleroderma"]


def test_marketing_publishes_an_article_that_both_its_conditions_list(page, log_in, make_staff):
    log_in(page, make_staff("marketing", "Marketing"))
    page.get_by_role("link", name="Articles").click()
    page.get_by_role("link", name="Add article").click()

    page.get_by_role("textbox", name="Title*").fill(TITLE)
    page.get_by_role("textbox", name="Summary*").fill(
        "A review of what the randomised trials of stem cell transplantation have found, and where they fall short."
    )
    page.get_by_role("combobox", name="Kind of evidence*").select_option(label="Systematic review")
    for condition in CONDITIONS:
        page.get_by_role("checkbox", name=condition).check()
    page.get_by_role("textbox", name="Web address").fill("https://example.org/reviews/hsct-autoimmune")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"Page '{TITLE}' created and published")).to_be_visible()

    page.context.clear_cookies()  # a patient now: nothing of the editor's session
    for url in ("/conditions/multiple-sclerosis/", "/conditions/scleroderma/"):
        page.goto(url)
        reading = page.get_by_role("region", name=re.compile("^Research and reading about "))
        expect(reading.get_by_role("heading", name=re.compile(re.escape(TITLE)))).to_be_visible()
    page.goto("/conditions/rheumatoid-arthritis/")
    expect(page.get_by_text(TITLE)).to_have_count(0)
