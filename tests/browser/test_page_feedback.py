"""A patient tells the clinic whether a condition page helped, from a phone, without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import PageFeedback

pytestmark = pytest.mark.browser


def test_a_patient_answers_was_this_page_helpful_and_is_thanked(new_context):
    page = new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False).new_page()
    page.goto("/conditions/scleroderma/")
    question = page.get_by_role("group", name="Was this page helpful?")
    question.get_by_role("radio", name="No").check()
    page.get_by_label("Tell us more").fill("I could not find the cost.")
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    feedback = PageFeedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (False, "I could not find the cost.")
    page.get_by_role("link", name="Back to Scleroderma").click()
    expect(page).to_have_url(re.compile(r"/conditions/scleroderma/$"))
