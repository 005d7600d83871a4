"""Who may read patients' requests in the admin, and who may only see the counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu, reports_menu

from enquiries.models import ConsultationRequest
from tests.admin_pages import refused
from tests.enquiry_forms import report_rows, requests_table, stored_request
from tests.html import select_one, text

PATIENT_NAME = "Florence Nightingale"


@pytest.fixture
def patient_request(consultation):
    return stored_request(
        timezone.now(),
        "Scleroderma",
        your_name=PATIENT_NAME,
        your_message='=HYPERLINK("http://evil.example")',
    )


INBOX = "/admin/consultation_requests/"


def menu_names(rf, user, menu=admin_menu):
    request = rf.get("/admin/")
    request.user = user
    return {item.name for item in menu.menu_items_for_request(request)}


def test_patient_enquiries_staff_read_and_export_the_requests(
    client, make_staff, consultation, patient_request
):
    client.force_login(make_staff("reception", "Patient enquiries"))

    listing = client.get(INBOX)
    assert listing.status_code == 200
    assert PATIENT_NAME in listing.content.decode()

    export = client.get(f"{INBOX}?export=csv")
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode()
    assert PATIENT_NAME in csv
    assert "Consent given at" in csv
    # A formula typed into the form stays text when the export is opened in a spreadsheet.
    assert "'=HYPERLINK" in csv


@pytest.mark.parametrize("group", ["Clinical editors", "Marketing"])
def test_editors_and_marketing_cannot_see_the_requests(
    client, make_staff, consultation, patient_request, group
):
    client.force_login(make_staff("staff", group))

    assert refused(client.get(INBOX))
    assert refused(client.get(f"{INBOX}?export=csv"))
    assert refused(client.get(reverse("consultation_requests:edit", args=[patient_request.pk])))
    assert refused(client.post(reverse("consultation_requests:delete", args=[patient_request.pk])))
    assert ConsultationRequest.objects.filter(pk=patient_request.pk).exists()


def test_clinical_editors_still_edit_the_page_but_its_requests_are_not_listed_for_them(
    client, make_staff, consultation, patient_request
):
    client.force_login(make_staff("editor", "Clinical editors"))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk])).status_code == 200
    forms_index = client.get(reverse("wagtailforms:index")).content.decode()
    assert reverse("wagtailforms:list_submissions", args=[consultation.pk]) not in forms_index
    assert PATIENT_NAME not in forms_index


def test_wagtails_submissions_screens_show_no_one_the_requests(admin_client, consultation, patient_request):
    # They would list them without status and delete them without a record.
    assert refused(admin_client.get(reverse("wagtailforms:list_submissions", args=[consultation.pk])))


def test_administrators_see_the_requests(admin_client, consultation, patient_request):
    assert PATIENT_NAME in admin_client.get(INBOX).content.decode()


def test_the_menu_leads_each_role_only_where_it_may_go(rf, make_staff, consultation):
    enquiries = menu_names(rf, make_staff("reception", "Patient enquiries"))
    # Only what the front desk may use: Articles, Forms and the rest would only refuse them.
    assert enquiries == {"consultation-requests", "reports", "help"}
    for group in ("Clinical editors", "Marketing"):
        assert "consultation-requests" not in menu_names(rf, make_staff(f"staff-{group[:3]}", group))


def test_the_report_is_in_the_reports_menu_for_marketing_and_enquiry_staff_only(rf, make_staff):
    for username, group, shown in [
        ("marketer", "Marketing", True),
        ("reception", "Patient enquiries", True),
        ("editor", "Clinical editors", False),
    ]:
        names = menu_names(rf, make_staff(username, group), reports_menu)
        assert ("enquiries-per-condition" in names) is shown, group


def test_marketing_sees_counts_but_no_personal_data_in_the_report(client, make_staff, patient_request):
    client.force_login(make_staff("marketer", "Marketing"))
    response = client.get(reverse("enquiries_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Scleroderma" in html
    assert PATIENT_NAME not in html and "HYPERLINK" not in html


def test_clinical_editors_cannot_open_the_report(client, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    assert refused(client.get(reverse("enquiries_report")))


def test_the_report_counts_per_condition_per_month(client, make_staff, consultation):
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    for condition, month, count in [
        ("Scleroderma", this_month, 3),
        ("Scleroderma", last_month, 1),
        ("Other / not sure", last_month, 2),
    ]:
        sent = timezone.make_aware(datetime.datetime.combine(month, datetime.time(12)))
        for _ in range(count):
            stored_request(sent, condition)

    client.force_login(make_staff("reception", "Patient enquiries"))
    report = client.get(reverse("enquiries_report"))
    headings = [text(heading) for heading in requests_table(report).select('th[scope="col"]')]
    # The live conditions nobody asked about come last, at nought.
    assert headings == [
        "Month",
        "Scleroderma",
        "Other / not sure",
        "Multiple Sclerosis (MS)",
        "Rheumatoid Arthritis (RA)",
        "Total",
    ]
    rows = report_rows(report)
    assert rows[f"{this_month:%B %Y}"] == ["3", "0", "0", "0", "3"]
    assert rows[f"{last_month:%B %Y}"] == ["1", "2", "0", "0", "3"]
    assert rows["Total"] == ["4", "2", "0", "0", "6"]
    # Twelve months are listed, the empty ones with noughts, then the totals and the booked shares.
    assert len(rows) == 14

    chart = select_one(report, "svg.enquiry-chart")
    assert chart["role"] == "img"
    assert "Scleroderma: 4" in text(chart) and "Other / not sure: 2" in text(chart)
