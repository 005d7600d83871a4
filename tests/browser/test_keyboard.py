"""Keyboard only: for people who cannot use a mouse, such as those with stiff, painful hands."""

import pytest

from tests.browser.checks import PUBLIC_PAGES, focused, show, tag_controls

pytestmark = pytest.mark.browser


def tab_through(page, controls):
    """Press Tab until focus has left the page's last control; returns what got focus, in order."""
    visits = []
    for _ in range(len(controls) + 3):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["control"] is None and visits:
            break
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
