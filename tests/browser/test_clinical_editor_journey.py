"""A clinical editor changes the multiple sclerosis page; it goes live only once a medical reviewer approves."""

import pytest
from playwright.sync_api import expect

from conditions.models import ConditionPage

pytestmark = pytest.mark.browser

NEW_SENTENCE = "Most people with MS are diagnosed between the ages of 20 and 40."
MS_URL = "/conditions/multiple-sclerosis/"

# The rich text editor writes what was typed into the form's hidden field a moment later.
TYPED_TEXT_SAVED = """text => [...document.querySelectorAll("input[type=hidden]")]
    .some(input => input.value.includes(text))"""


@pytest.fixture
def editor(new_context, log_in, make_staff):
    """A clinical editor's tab, with a sentence added to the multiple sclerosis page (not yet saved)."""
    editor = new_context().new_page()
    log_in(editor, make_staff("editor", "Clinical editors"))
    ms = ConditionPage.objects.get(slug="multiple-sclerosis")
    editor.goto(f"/admin/pages/{ms.get_parent().pk}/")
    editor.get_by_role("link", name="Multiple Sclerosis (MS)").first.click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Multiple Sclerosis (MS)")

    # At the end of the body's first paragraph.
    editor.locator("[contenteditable=true]").first.click()
    editor.keyboard.press("Control+End")
    editor.keyboard.type(" " + NEW_SENTENCE)
    editor.wait_for_function(TYPED_TEXT_SAVED, arg=NEW_SENTENCE)
    return editor


def patient_sees(new_context, text):
    page = new_context().new_page()
    page.goto(MS_URL)
    return page.get_by_text(text).count() > 0


def test_the_editor_previews_the_change_before_saving_it(editor):
    editor.get_by_role("button", name="Toggle preview").click()
    expect(editor.frame_locator("#w-preview-iframe").get_by_text(NEW_SENTENCE)).to_be_visible()


def test_a_change_goes_live_only_once_a_medical_reviewer_approves_it(editor, new_context, log_in, make_staff):
    editor.get_by_role("button", name="More actions").click()
    expect(editor.get_by_role("button", name="Publish")).to_have_count(0)  # only a reviewer publishes
    editor.get_by_role("button", name="Submit to Medical review").click()
    expect(editor.get_by_text("has been submitted for moderation")).to_be_visible()
    assert not patient_sees(new_context, NEW_SENTENCE)

    # The reviewer finds the change on their dashboard, compares it with the live page, approves.
    reviewer = new_context().new_page()
    log_in(reviewer, make_staff("reviewer", "Medical reviewers"))
    awaiting = reviewer.get_by_role("region", name="Awaiting your review")
    submitted = awaiting.get_by_role("row").filter(
        has=reviewer.get_by_role("link", name="Multiple Sclerosis (MS)")
    )
    submitted.get_by_role("button", name="Actions").click()
    submitted.get_by_role("link", name="Compare with live version").click()
    expect(reviewer.get_by_role("cell", name="Body:")).to_be_visible()  # the one field changed
    reviewer.go_back()
    submitted.get_by_role("button", name="Actions").click()
    submitted.get_by_role("button", name="Approve", exact=True).click()
    expect(awaiting.get_by_role("link", name="Multiple Sclerosis (MS)")).to_have_count(0)

    assert patient_sees(new_context, NEW_SENTENCE)
