"""Keyboard only: for people who cannot use a mouse, such as those with stiff, painful hands."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import CONSULTATION_URL, PUBLIC_PAGES, focused, show, tag_controls

pytestmark = pytest.mark.browser


def tab_through(page, controls):
    """Press Tab round the whole page, from wherever focus is; returns what got focus, in order.

    Stops on coming back to the first control reached (a form with errors starts at its summary,
    part-way down the page); between the last control and the first, focus leaves the page.
    """
    visits = []
    for _ in range(len(controls) + 3):
        page.keyboard.press("Tab")
        now = focused(page)
        if visits and now["control"] is not None and now["control"] == visits[0]["control"]:
            break
        if now["control"] is not None:
            visits.append(now)
    return visits


def test_the_skip_link_comes_first_shows_itself_and_jumps_to_the_content(page):
    page.goto("/conditions/")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.bounding_box()["y"] < 0, "hidden until it has focus"

    page.keyboard.press("Tab")
    first = focused(page)
    assert "Skip to main content" in first["html"]
    assert first["onScreen"] and first["indicated"]

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    after_skipping = focused(page)
    assert after_skipping["pastHeader"], after_skipping["html"]


def test_tab_reaches_every_control_of_every_page_and_shows_where_it_is(page):
    problems = {}
    for name, public_page in PUBLIC_PAGES.items():
        show(page, public_page)
        controls = tag_controls(page)
        visits = tab_through(page, controls)
        reached = {visit["control"] for visit in visits}
        problems[f"{name}: not reached"] = [c for c in controls if c.split(":")[0] not in reached]
        problems[f"{name}: focus not shown"] = [visit["html"] for visit in visits if not visit["indicated"]]
        problems[f"{name}: focus off screen"] = [visit["html"] for visit in visits if not visit["onScreen"]]
    assert {check: found for check, found in problems.items() if found} == {}


def tab_to(page, name):
    """Press Tab until the control labelled `name` has focus, as a keyboard user moves through a form."""
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement; return (e.labels?.[0] ?? e).textContent.trim(); }"
        )
        if label.startswith(name):
            assert focused(page)["indicated"], f"no visible focus on {name}"
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_consultation_form_can_be_filled_in_and_sent_with_the_keyboard_alone(page):
    page.goto(CONSULTATION_URL)
    tab_to(page, "Your name")
    page.keyboard.type("Jo Rivers")
    tab_to(page, "E-mail address")
    page.keyboard.type("jo.rivers@example.com")
    tab_to(page, "E-mail")  # the first way to be contacted; Space chooses it
    page.keyboard.press("Space")
    tab_to(page, "Multiple Sclerosis (MS)")
    page.keyboard.press("ArrowDown")  # the arrow keys move through a group of choices
    page.keyboard.press("Space")
    tab_to(page, "Send my request")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")

    # The consent box was missed: the summary has focus, and its link leads to the box.
    expect(page.locator(":focus")).to_have_id("error-summary")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text(re.compile("tick this box"))
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    consent = page.get_by_label("I agree that the clinic may keep these details to answer my request.")
    expect(consent).to_be_checked()
    expect(page.get_by_role("radio", name="Rheumatoid Arthritis (RA)")).to_be_checked()
    tab_to(page, "Send my request")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has been sent")
