"""A patient books a consultation on the site; the front desk finds the request, handles it and exports it."""

import csv
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from enquiries.models import ConsultationRequest

pytestmark = pytest.mark.browser

MESSAGE = "Could we talk about the trials for scleroderma? Afternoons suit me best."
NOTE = "Called at 10:05, she will ring back after talking to her GP."


def staff_member(make_staff, username, first_name, last_name):
    user = make_staff(username, "Patient enquiries")
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


def test_the_front_desk_handles_a_request_from_the_website_to_the_export(
    page, log_in, make_staff, mailoutbox, settings, site_url
):
    # As in production, the clinic's e-mail links to the address the site is served on.
    settings.WAGTAILADMIN_BASE_URL = site_url
    reception = staff_member(make_staff, "reception", "Rita", "Reception")
    staff_member(make_staff, "nurse", "Nina", "Nurse")

    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Book a consultation").click()
    page.get_by_label("Your name").fill("Grace Hopper")
    page.get_by_label("E-mail address").fill("grace.hopper@example.com")
    page.get_by_role("textbox", name="Phone number").fill("020 7946 0321")
    page.get_by_role("radio", name="Phone").check()
    page.get_by_role("radio", name="Scleroderma").check()
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_label("I agree that the clinic may keep these details").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has been sent")

    # The clinic is told by e-mail, with nothing about the patient but a link to the request.
    (notification,) = mailoutbox
    assert "Grace" not in notification.body
    link = re.search(r"^http\S+$", notification.body, re.M)[0]
    number = re.fullmatch(r"New consultation request (#\d+)", notification.subject)[1]

    log_in(page, reception)
    panel = page.get_by_role("region", name="New consultation requests")
    expect(panel.get_by_role("link", name="1 new request")).to_be_visible()
    expect(panel.get_by_role("listitem")).to_contain_text("Grace Hopper, Scleroderma")

    page.get_by_role("link", name="Consultation requests", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Grace Hopper")
    for column in (number, "Scleroderma", "Phone", "New", "Nobody yet"):
        expect(row).to_contain_text(column)
    row.get_by_role("link", name="Grace Hopper").click()
    assert page.url == link

    answers = page.get_by_role("region", name="What the patient sent")
    expect(answers).to_contain_text(MESSAGE)
    expect(answers).to_contain_text("020 7946 0321")
    page.get_by_role("combobox", name="Status*").select_option(label="Contacted")
    page.get_by_role("combobox", name="Assigned to").select_option(label="Nina Nurse")
    page.get_by_role("textbox", name="Add a note").fill(NOTE)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text(re.compile(r"Consultation request #\d+ updated\."))).to_be_visible()
    expect(page.get_by_role("region", name="Notes")).to_contain_text(NOTE)
    history = page.get_by_role("region", name="History")
    for event in (
        "received from the website",
        "Status changed from New to Contacted (Rita Reception)",
        "Assigned to Nina Nurse (Rita Reception)",
        "Note added (Rita Reception)",
    ):
        expect(history).to_contain_text(event)

    page.get_by_role("link", name="Consultation requests", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="Grace Hopper")).to_contain_text("Nina Nurse")
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV", exact=True).click()
    with Path(download.value.path()).open(newline="", encoding="utf-8") as exported:
        (row,) = csv.DictReader(exported)
    received = timezone.localtime(ConsultationRequest.objects.get().submit_time)
    assert row["Number"] == number.removeprefix("#")
    assert row["Received"] == f"{received:%Y-%m-%d %H:%M}"
    assert (row["Name"], row["Condition"], row["Message"]) == ("Grace Hopper", "Scleroderma", MESSAGE)
    assert (row["Consent"], row["News by e-mail"]) == ("Yes", "No")
    assert (row["Status"], row["Assigned to"]) == ("Contacted", "Nina Nurse")
    assert "Notes" not in row

    # The request's history keeps who took a copy of it, and whether with the team's notes.
    page.keyboard.press("Escape")  # the Export menu stays open after the download
    page.get_by_role("link", name="Grace Hopper").click()
    expect(page.get_by_role("heading", name=f"Consultation request {number}", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="History")).to_contain_text(
        "Exported to CSV without the notes (Rita Reception)"
    )
