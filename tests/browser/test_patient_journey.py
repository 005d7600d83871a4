"""A patient with multiple sclerosis finds the clinic's information, checks the evidence, and asks to talk."""

import re

import pytest
from playwright.sync_api import expect

from enquiries.models import ConsultationPage

pytestmark = pytest.mark.browser


def test_a_patient_reads_about_ms_follows_the_evidence_and_asks_for_a_consultation(page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Autoimmune conditions").click()
    page.get_by_role("link", name="Multiple Sclerosis (MS)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Multiple Sclerosis (MS)")
    expect(page.get_by_text("immune cells attack the myelin sheath")).to_be_visible()

    # The reading list, grouped under headings that each name a kind of evidence once.
    reading = page.get_by_role("region", name="Research and reading about Multiple Sclerosis (MS)")
    expect(reading.get_by_role("heading", level=3).first).to_contain_text(re.compile(r"\w"))
    full_reference_link = page.get_by_role("link", name=re.compile("^Full reference for"))
    first_study = reading.get_by_role("listitem").filter(has=full_reference_link).first
    expect(first_study.locator(".evidence-badge")).to_have_count(0)
    full_reference = first_study.get_by_role("link", name=re.compile("^Full reference for"))
    study_title = re.search(
        "“(.+)”", full_reference.get_attribute("aria-label") or full_reference.inner_text()
    )[1]
    full_reference.click()

    # The article page: the full citation, and a safe link out (not followed: the test stays offline).
    expect(page.get_by_role("heading", level=1)).to_have_text(study_title)
    expect(page.get_by_role("heading", name="Reference")).to_be_visible()
    outbound = page.get_by_role("link", name=re.compile("^Read the full article"))
    expect(outbound).to_have_attribute("href", re.compile(r"^https://"))
    expect(outbound).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    expect(outbound).to_have_accessible_name(re.compile(r"opens external site in a new tab"))

    # Search for what the page talked about, from the search in the header of every page.
    header_search = page.get_by_role("search", name="Site search")
    header_search.get_by_role("searchbox", name="Search this site").fill("myelin")
    header_search.get_by_role("button", name="Search").click()
    results = page.get_by_role("list", name=re.compile("results? for “myelin”"))
    expect(results.get_by_role("link", name="Multiple Sclerosis (MS)")).to_be_visible()
    results.get_by_role("link", name="Multiple Sclerosis (MS)").click()

    # Ask for a consultation from the condition page, with a mistake first.
    page.get_by_role("link", name="Book a consultation").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a consultation")
    page.get_by_label("Your name").fill("Alex Morgan")
    page.get_by_label("E-mail address").fill("alex.morgan@example")
    page.get_by_role("textbox", name="Phone number (optional)").click()  # on from e-mail, as a patient would
    page.get_by_label("Your message").fill("Could we talk about the trials for progressive MS?")
    page.get_by_role("button", name="Send my request").click()

    summary = page.get_by_role("heading", name="There is a problem with your request")
    expect(summary).to_be_visible()
    expect(page.locator(":focus")).to_have_id("error-summary")
    expect(page.get_by_label("Your name")).to_have_value("Alex Morgan")
    expect(page.get_by_label("E-mail address")).to_have_value("alex.morgan@example")
    expect(page.get_by_label("Your message")).to_have_value(
        "Could we talk about the trials for progressive MS?"
    )
    # Chosen for the patient by the multiple sclerosis page's link, and kept.
    condition = page.get_by_role("group", name="Which condition would you like to talk about?")
    expect(condition.get_by_role("radio", name="Multiple Sclerosis (MS)")).to_be_checked()
    for field in ("E-mail address", "I agree that the clinic may keep these details to answer my request."):
        expect(page.get_by_label(field, exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_label("E-mail address").fill("alex.morgan@example.com")
    page.get_by_role("radio", name="E-mail").check()
    page.get_by_label("I agree that the clinic may keep these details").check()
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has been sent")
    expect(page.get_by_text("alex.morgan@example.com")).to_have_count(0)
    assert ConsultationPage.objects.get().get_submission_class().objects.count() == 1
