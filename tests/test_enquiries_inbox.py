"""The front desk's inbox: the list, a page per request, handling it, its history and exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from enquiries.dashboard import working_days_before
from enquiries.models import ConsultationRequest, RequestStatus
from tests.enquiry_forms import consultation_form_data, stored_request, typed
from tests.html import page_text, select, select_one, text

INBOX = "/admin/consultation_requests/"
UTC = datetime.UTC


def request_page(request):
    return reverse("consultation_requests:edit", args=[request.pk])


@pytest.fixture
def reception(client, make_staff):
    user = make_staff("reception", "Patient enquiries")
    user.first_name, user.last_name = "Rita", "Reception"
    user.save()
    client.force_login(user)
    return user


@pytest.fixture
def sent_request(client, consultation):
    """A request as a patient sends it through the form."""
    client.post("/contact/", consultation_form_data(consultation, name="Ada Lovelace", checkbox="on"))
    return ConsultationRequest.objects.get()


def handle(client, request, **changes):
    data = {"status": request.status, "closing_reason": "", "assigned_to": "", "note": ""} | changes
    return client.post(request_page(request), data)


def history(client, request):
    return page_text(client.get(request_page(request)), 'section[aria-labelledby="request-history"]')


def test_the_inbox_lists_requests_newest_first_in_columns_that_fit_a_laptop(client, consultation, reception):
    now = timezone.now()
    stored_request(now - datetime.timedelta(days=2), "Scleroderma", your_name="Older Patient")
    stored_request(now, "Multiple Sclerosis (MS)", your_name="Newer Patient")
    response = client.get(INBOX)
    headings = [text(heading) for heading in select(response, "table.listing thead th")]
    assert [heading for heading in headings if heading][:7] == [
        "Number",
        "Received",
        "Name",
        "Condition",
        "Contact by",
        "Status",
        "Assigned to",
    ]
    rows = [text(row) for row in select(response, "table.listing tbody tr")]
    assert ["Newer Patient" in rows[0], "Older Patient" in rows[1]] == [True, True]


def test_filters_by_status_condition_and_date_and_search_by_name_email_or_phone(
    client, consultation, reception
):
    now = timezone.now()
    booked = stored_request(now, "Scleroderma", your_name="Booked Patient")
    ConsultationRequest.objects.filter(pk=booked.pk).update(status=RequestStatus.BOOKED)
    stored_request(now, "Multiple Sclerosis (MS)", your_name="New Patient")
    old = stored_request(now - datetime.timedelta(days=40), "Scleroderma", your_name="Old Patient")
    ConsultationRequest.objects.filter(pk=old.pk).update(email="old@example.com", phone="020 7946 0555")

    def names(query):
        html = client.get(f"{INBOX}?{query}").content.decode()
        return {name for name in ("Booked Patient", "New Patient", "Old Patient") if name in html}

    assert names("status=booked") == {"Booked Patient"}
    assert names("condition=Scleroderma") == {"Booked Patient", "Old Patient"}
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert names(f"submit_time_from={since}") == {"Booked Patient", "New Patient"}
    assert names("q=booked") == {"Booked Patient"}
    assert names("q=old@example") == {"Old Patient"}
    assert names("q=7946 0555") == {"Old Patient"}


def test_the_request_page_shows_every_answer_by_its_short_label_and_the_consent_time(
    client, reception, sent_request
):
    response = client.get(request_page(sent_request))
    labels, values = select(response, "dl.request-answers dt"), select(response, "dl.request-answers dd")
    answers = {text(label): text(value) for label, value in zip(labels, values, strict=True)}
    assert answers["Name"] == "Ada Lovelace"
    assert answers["E-mail"] == "ada.lovelace@example.com"
    assert answers["Contact by"] == "Phone"
    assert answers["Condition"] == "Multiple Sclerosis (MS)"
    assert answers["Consent"] == "Yes" and answers["News by e-mail"] == "Yes"
    consented = timezone.localtime(sent_request.consented_at)
    assert answers["Consent given at"] == f"{consented:%-d %B %Y, %H:%M}"


def test_a_request_for_a_call_without_an_e_mail_address_is_listed_shown_and_exported(
    client, consultation, reception
):
    client.post(
        "/contact/", consultation_form_data(consultation, name="Phil Phone", email="", contact="Phone")
    )
    request = ConsultationRequest.objects.get()
    assert "Phil Phone" in page_text(client.get(INBOX), "table.listing tbody")

    response = client.get(request_page(request))
    labels, values = select(response, "dl.request-answers dt"), select(response, "dl.request-answers dd")
    answers = {text(label): text(value) for label, value in zip(labels, values, strict=True)}
    assert (answers["Name"], answers["E-mail"], answers["Phone"], answers["Contact by"]) == (
        "Phil Phone",
        "—",
        "020 7946 0123",
        "Phone",
    )
    for export_format in ("csv", "xlsx"):
        rows = export(client, export_format)
        row = dict(zip(rows[0], rows[1], strict=True))
        assert (row["Name"], row["E-mail"] or "", row["Phone"]) == ("Phil Phone", "", "020 7946 0123")


def test_marking_contacted_assigning_and_noting_are_each_recorded_with_who_and_when(
    client, make_staff, reception, sent_request
):
    colleague = make_staff("nurse", "Patient enquiries")
    colleague.first_name, colleague.last_name = "Nina", "Nurse"
    colleague.save()

    response = handle(
        client,
        sent_request,
        status="contacted",
        assigned_to=colleague.pk,
        note="Called at 10:05, will ring back.",
    )
    assert response.status_code == 302 and response["Location"] == request_page(sent_request)
    sent_request.refresh_from_db()
    assert sent_request.status == RequestStatus.CONTACTED and sent_request.assigned_to == colleague

    text = history(client, sent_request)
    assert "Status changed from New to Contacted (Rita Reception)" in text
    assert "Assigned to Nina Nurse (Rita Reception)" in text
    assert "Note added (Rita Reception)" in text
    html = client.get(request_page(sent_request)).content.decode()
    assert "Called at 10:05, will ring back." in html
    # The log keeps who and when, never what the note says (it outlives the request).
    logged = ModelLogEntry.objects.filter(object_id=str(sent_request.pk))
    assert {entry.user for entry in logged} == {reception}
    assert not any("ring back" in str(entry.data) for entry in logged)


def test_closing_needs_a_reason_and_nothing_typed_is_lost(client, reception, sent_request):
    response = handle(client, sent_request, status="closed", note="Patient chose another clinic.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say why the request is closed" in html
    assert typed(response, "note") == "Patient chose another clinic."
    sent_request.refresh_from_db()
    assert sent_request.status == RequestStatus.NEW and not sent_request.notes.exists()

    # One banner says nothing was saved, and the field says why, once.
    banners = select(response, ".messages li")
    assert [text(banner) for banner in banners] == [
        "Nothing was saved: correct the highlighted answer. Go to the first error"
    ]
    assert page_text(response).count("Say why the request is closed") == 1

    handle(client, sent_request, status="closed", closing_reason="Booked elsewhere")
    sent_request.refresh_from_db()
    assert (sent_request.status, sent_request.closing_reason) == ("closed", "Booked elsewhere")


def test_only_the_team_may_be_assigned(client, make_staff, reception, sent_request):
    editor = make_staff("editor", "Clinical editors")
    response = handle(client, sent_request, assigned_to=editor.pk)
    assert response.status_code == 200
    sent_request.refresh_from_db()
    assert sent_request.assigned_to is None


def test_deleting_a_request_is_recorded(client, reception, sent_request):
    response = client.post(reverse("consultation_requests:delete", args=[sent_request.pk]))
    assert response.status_code == 302
    assert not ConsultationRequest.objects.exists()
    entry = ModelLogEntry.objects.get(object_id=str(sent_request.pk), action="wagtail.delete")
    assert entry.user == reception and entry.label == f"Consultation request #{sent_request.pk}"
    assert "Ada" not in entry.label


def test_nobody_adds_a_request_in_the_admin(admin_client, consultation):
    html = admin_client.get(INBOX).content.decode()
    assert "/admin/consultation_requests/new/" not in html
    assert admin_client.get("/admin/consultation_requests/new/").status_code == 302


def export(client, export_format, query=""):
    response = client.get(f"{INBOX}?export={export_format}{query}")
    assert response.status_code == 200
    if export_format == "csv":
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def inbox_cells(response):
    """Each row of the inbox as {column heading: what the cell says}."""
    headings = [text(heading) for heading in select(response, "table.listing thead th")]
    return [
        dict(zip(headings, (text(cell) for cell in row.select("td")), strict=True))
        for row in select(response, "table.listing tbody tr")
    ]


def test_the_email_inbox_request_page_and_exports_give_a_request_the_same_number(
    client, consultation, reception, mailoutbox
):
    stored_request(timezone.now() - datetime.timedelta(days=1), "Scleroderma", your_name="Earlier Patient")
    client.post("/contact/", consultation_form_data(consultation, name="Ada Lovelace"))
    number = mailoutbox[0].subject.removeprefix("New consultation request ")
    assert number.startswith("#") and number[1:].isdigit()

    rows = {row["Name"]: row for row in inbox_cells(client.get(INBOX))}
    assert rows["Ada Lovelace"]["Number"] == number
    assert rows["Earlier Patient"]["Number"] != number

    request = ConsultationRequest.objects.get(patient_name="Ada Lovelace")
    headings = [text(heading) for heading in select(client.get(request_page(request)), "h1, h2")]
    assert f"Consultation request {number}" in headings

    for export_format in ("csv", "xlsx"):
        rows = export(client, export_format)
        assert rows[0][0] == "Number"
        by_name = {row[rows[0].index("Name")]: row[0] for row in rows[1:]}
        assert str(by_name["Ada Lovelace"]) == number[1:]


def test_the_inbox_offers_its_downloads_under_a_labelled_export_button(client, consultation, reception):
    response = client.get(f"{INBOX}?condition=Scleroderma")
    header = select_one(response, "#w-slim-header-buttons")
    export_menu = next(
        menu for menu in header.select(".w-dropdown") if text(menu.select_one("button")) == "Export"
    )
    links = {text(link): link["href"] for link in export_menu.select("a")}
    assert list(links) == [
        "Download XLSX",
        "Download CSV",
        "Download XLSX with notes",
        "Download CSV with notes",
    ]
    # What is downloaded is what the inbox lists.
    assert all("condition=Scleroderma" in href for href in links.values())
    assert "notes=yes" in links["Download CSV with notes"] and "notes" not in links["Download CSV"]
    # Nothing to download is left in the unlabelled "…" menu.
    assert "Download" not in " ".join(
        text(menu) for menu in header.select(".w-dropdown") if menu is not export_menu
    )


def test_each_export_is_recorded_in_the_history_of_the_requests_it_holds(
    client, admin_client, consultation, reception
):
    exported = stored_request(timezone.now(), "Scleroderma", your_name="Sam Scleroderma")
    not_exported = stored_request(timezone.now(), "Other / not sure", your_name="Olly Other")
    export(client, "csv", "&condition=Scleroderma")
    export(client, "xlsx", "&condition=Scleroderma&notes=yes")

    assert "Exported to CSV without the notes (Rita Reception)" in history(client, exported)
    assert "Exported to XLSX with the notes (Rita Reception)" in history(client, exported)
    assert "Exported" not in history(client, not_exported)
    # The site history shows who exported which request and when, as it shows every change.
    site_history = page_text(admin_client.get(reverse("wagtailadmin_reports:site_history")))
    assert f"Consultation request #{exported.pk}" in site_history
    assert "Exported to CSV without the notes" in site_history and "Rita Reception" in site_history


def test_the_csv_export_is_in_local_time_with_short_headings_yes_no_and_the_status(
    client, consultation, reception
):
    # 12:30 UTC in July is 13:30 in London.
    request = stored_request(
        datetime.datetime(2026, 7, 1, 12, 30, 45, 123456, tzinfo=UTC),
        "Scleroderma",
        your_name="Ada Lovelace",
        i_agree_that_the_clinic_may_keep_these_details_to_answer_my_request=True,
        your_message='=HYPERLINK("http://evil.example")',
    )
    request.notes.create(text="Private note", author=reception)
    rows = export(client, "csv")
    headings, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert headings[:4] == ["Number", "Received", "Name", "E-mail"]
    assert "Consent" in headings and "Status" in headings and "Notes" not in headings
    assert row["Received"] == "2026-07-01 13:30"
    assert row["Consent"] == "Yes" and row["News by e-mail"] == ""
    assert row["Status"] == "New"
    # A formula typed into the form stays text when the export is opened in a spreadsheet.
    assert row["Message"] == '\'=HYPERLINK("http://evil.example")'
    assert "Private note" not in str(rows)

    with_notes = export(client, "csv", "&notes=yes")
    assert with_notes[0][-1] == "Notes" and "Private note" in with_notes[1][-1]


def test_the_excel_export_keeps_times_as_local_dates(client, consultation, reception):
    stored_request(datetime.datetime(2026, 1, 15, 9, 0, tzinfo=UTC), "Scleroderma", your_name="Ada")
    rows = export(client, "xlsx")
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Received"] == datetime.datetime(2026, 1, 15, 9, 0)


def test_the_export_follows_the_filters(client, consultation, reception):
    stored_request(timezone.now(), "Scleroderma", your_name="Sam Scleroderma")
    stored_request(timezone.now(), "Other / not sure", your_name="Olly Other")
    rows = export(client, "csv", "&condition=Scleroderma")
    assert len(rows) == 2 and "Sam Scleroderma" in rows[1]


def test_the_dashboard_counts_new_requests_and_marks_those_waiting_over_two_working_days(
    client, consultation, reception
):
    now = timezone.now()
    stored_request(now - datetime.timedelta(days=6), "Scleroderma", your_name="x")
    stored_request(now, "Scleroderma")
    handled = stored_request(now - datetime.timedelta(days=9), "Scleroderma")
    ConsultationRequest.objects.filter(pk=handled.pk).update(status=RequestStatus.CONTACTED)

    panel = select_one(client.get(reverse("wagtailadmin_home")), "#new-consultation-requests-section")
    assert "2 new requests, 1 waiting longer than two working days" in text(panel)
    assert text(panel.find("strong")) == "1 waiting longer than two working days"
    assert text(panel).count("Waiting over two working days") == 1


def test_the_dashboard_panel_is_only_for_staff_who_read_requests(client, make_staff, consultation):
    stored_request(timezone.now(), "Scleroderma")
    client.force_login(make_staff("marketer", "Marketing"))
    assert "new-consultation-requests" not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize(
    "now, expected",
    [
        # Wednesday 10:00 -> Monday 10:00; Monday 10:00 -> the Thursday before; Sunday -> Thursday.
        (datetime.datetime(2026, 12, 2, 10), datetime.datetime(2026, 11, 30, 10)),
        (datetime.datetime(2026, 11, 30, 10), datetime.datetime(2026, 11, 26, 10)),
        (datetime.datetime(2026, 11, 29, 10), datetime.datetime(2026, 11, 26, 10)),
    ],
)
def test_two_working_days_skip_the_weekend(now, expected):
    assert working_days_before(timezone.make_aware(now), 2) == timezone.make_aware(expected)


def test_the_inbox_takes_the_same_number_of_queries_for_many_requests(
    client, consultation, reception, django_assert_max_num_queries
):
    for number in range(3):
        stored_request(timezone.now(), "Scleroderma", your_name=f"Patient {number}")
    with django_assert_max_num_queries(40) as few:
        client.get(INBOX)
    for number in range(20):
        stored_request(timezone.now(), "Scleroderma", your_name=f"Patient {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(INBOX)
