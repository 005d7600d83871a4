"""The condition page editor's "+" offers only the sections the page does not have yet (issue #29):
each section is allowed once, and Wagtail's chooser would otherwise offer them all, leaving the
editor to find out on saving."""

import re

import pytest
from playwright.sync_api import expect

from conditions.blocks import ConditionBodyBlock
from conditions.models import ConditionPage

pytestmark = pytest.mark.browser

SECTIONS = [block.label for block in ConditionBodyBlock().child_blocks.values()]
# The initial multiple sclerosis page has these two sections.
PRESENT = ["What the condition is", "How stem cell therapy may help"]


def open_chooser(editor, which):
    """Click the page body's `which`th "+" (between sections, not within one) and return its choices."""
    body = editor.locator("[data-contentpath=body]")
    # The body's own inserters sit in its stream container, beside the sections.
    add = body.locator(
        "[data-streamfield-stream-container] >> nth=0 >> xpath=./div/button[contains(@class, 'c-sf-add-button')]"
    )
    add.nth(which).click()
    options = editor.get_by_role("listbox").get_by_role("option")
    expect(options.first).to_be_visible()
    return options


def offered(editor, which=0):
    options = open_chooser(editor, which)
    names = [name.strip() for name in options.locator(".w-combobox__option-text").all_inner_texts()]
    editor.keyboard.press("Escape")
    expect(editor.get_by_role("listbox")).to_have_count(0)
    return names


def test_the_chooser_offers_only_the_sections_the_page_does_not_have(
    new_context, console_errors, log_in, make_staff
):
    editor = new_context().new_page()
    errors = []
    editor.on("pageerror", lambda error: errors.append(error))
    log_in(editor, make_staff("editor", "Clinical editors"))
    ms = ConditionPage.objects.get(slug="multiple-sclerosis")
    editor.goto(f"/admin/pages/{ms.pk}/edit/")
    absent = [label for label in SECTIONS if label not in PRESENT]
    assert len(absent) == len(SECTIONS) - 2

    # Every "+" of the body, before, between and after the sections, offers the same.
    assert offered(editor, 0) == absent
    assert offered(editor, 2) == absent

    # Added, "Standard treatments" is no longer offered, by the old "+"s nor by the new ones.
    open_chooser(editor, 1).filter(has_text="Standard treatments").click()
    expect(editor.get_by_role("listbox")).to_have_count(0)  # closed once the section is added
    absent.remove("Standard treatments")
    assert offered(editor, 0) == absent
    assert offered(editor, 1) == absent
    assert offered(editor, 2) == absent
    assert offered(editor, 3) == absent

    # Deleted, it is offered again.
    added = editor.locator(".c-sf-block__type").filter(has_text=re.compile("^Standard treatments$"))
    expect(added).to_be_visible()
    # Its panel is the innermost one around its label; its own Delete comes before its blocks'.
    panel = editor.locator("section.w-panel").filter(has=added).last
    panel.get_by_role("button", name="Delete").first.click()
    expect(added).to_be_hidden()  # kept in the form, marked deleted
    absent = [label for label in SECTIONS if label not in PRESENT]
    assert offered(editor, 0) == absent
    assert offered(editor, 2) == absent
    assert errors == [] and console_errors == []  # the script loads under the admin's CSP
