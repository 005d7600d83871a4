"""On a phone the page starts on the first screen: a header of at most 120 px whose menu folds
behind a button that works without JavaScript, and a footer that reaches the bottom of short pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.checks import CONSULTATION_URL

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
PAGES = ["/", "/conditions/multiple-sclerosis/", "/articles/", CONSULTATION_URL]


def header_height(page):
    return page.locator(".site-header").bounding_box()["height"]


@pytest.mark.parametrize("path", PAGES)
def test_the_header_takes_at_most_120_px_of_a_phone_screen(new_context, path):
    page = new_context(viewport=PHONE).new_page()
    page.goto(path)
    assert header_height(page) <= 120
    header = page.locator(".site-header")
    # The clinic, the menu and the way to book stay in it.
    expect(header.get_by_role("link", name="Autoimmune Stem Cell Clinic")).to_be_visible()
    expect(header.get_by_text("Menu")).to_be_visible()
    expect(header.get_by_role("link", name="Book a consultation")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions")).to_be_hidden()


def test_the_menu_opens_and_closes_without_javascript(new_context):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/")
    conditions = page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions")
    page.get_by_text("Menu").click()
    expect(conditions).to_be_visible()
    conditions.click()
    expect(page).to_have_url(re.compile(r"/conditions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autoimmune conditions")
    page.get_by_text("Menu").click()
    page.get_by_text("Menu").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions")).to_be_hidden()


def test_the_menu_opens_from_the_keyboard(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    page.locator(".site-menu__button").focus()
    page.keyboard.press("Enter")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions")
    expect(link).to_be_visible()
    page.keyboard.press("Tab")
    expect(link.or_(page.get_by_role("navigation", name="Main").get_by_role("link").first)).to_be_focused()


def test_on_a_wide_screen_the_menu_shows_without_a_button(new_context):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto("/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions")).to_be_visible()
    expect(page.locator(".site-menu__button")).to_be_hidden()
    assert header_height(page) <= 120


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
def test_the_footer_reaches_the_bottom_of_a_short_page(new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/no-such-page/")
    footer = page.locator(".site-footer").bounding_box()
    assert footer["y"] + footer["height"] >= viewport["height"] - 1
