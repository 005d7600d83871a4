"""A fresh site has no clinic details: the administrator's dashboard says which are missing, and
patients are never told to phone a number the site does not give."""

import pytest
from django.urls import reverse

from core.models import ClinicSettings
from tests.enquiry_forms import consultation_form_data
from tests.html import page_text, select, select_one, text

URL = "/contact/"
SENT = "/contact/sent/"


def set_details(**values):
    details = ClinicSettings.objects.get()
    for field, value in values.items():
        setattr(details, field, value)
    details.save()
    return details


def dashboard_panel(client):
    return select(client.get(reverse("wagtailadmin_home")), "#missing-clinic-details-section")


def test_the_administrators_dashboard_lists_the_empty_clinic_details_and_links_to_the_form(admin_client):
    (panel,) = dashboard_panel(admin_client)
    assert "Clinic details still empty" in text(panel)
    listed = [text(item.strong) for item in panel.select("li")]
    assert listed == [
        "Phone number",
        "E-mail address",
        "Postal address",
        "Registration",
        "How the clinic is paid",
    ]
    form = reverse(
        "wagtailsettings:edit", args=["core", "clinicsettings", ClinicSettings.objects.get().site_id]
    )
    link = panel.find("a", string="Fill in the clinic details")
    assert link["href"] == form and admin_client.get(form).status_code == 200

    set_details(phone="020 7946 0999", registration="Registered with the Care Quality Commission")
    (panel,) = dashboard_panel(admin_client)
    assert [text(item.strong) for item in panel.select("li")] == [
        "E-mail address",
        "Postal address",
        "How the clinic is paid",
    ]

    set_details(email="hello@clinic.example", address="1 Harley Street\nLondon W1G 9QD")
    (panel,) = dashboard_panel(admin_client)
    (paid,) = panel.select("li")
    assert text(paid).startswith("How the clinic is paid: for patients about to book")

    set_details(how_the_clinic_is_paid="Patients pay the clinic for each consultation and treatment.")
    assert dashboard_panel(admin_client) == []


@pytest.mark.parametrize("role", ["Clinical editors", "Medical reviewers", "Marketing", "Patient enquiries"])
def test_only_those_who_may_fill_in_the_clinic_details_are_told(client, make_staff, role):
    client.force_login(make_staff("staff", role))
    assert dashboard_panel(client) == []


def test_a_fresh_site_never_tells_a_patient_to_phone(client, consultation):
    form = client.get(URL)
    thank_you = client.post(URL, consultation_form_data(consultation), follow=True)
    assert "Thank you: your request has been sent" in page_text(thank_you)
    for response in (form, thank_you):
        assert "phone the clinic" not in page_text(response).lower()
        assert "phone us" not in page_text(response).lower()


def test_without_a_number_the_thank_you_page_gives_the_clinics_email(client, consultation):
    set_details(email="hello@clinic.example")
    thank_you = client.post(URL, consultation_form_data(consultation), follow=True)
    contact = select_one(thank_you, ".clinic-email")
    assert text(contact) == (
        "If you have not heard from us within a few working days, or need to reach us sooner, "
        "e-mail us at hello@clinic.example."
    )
    assert contact.a["href"] == "mailto:hello@clinic.example"
    assert "phone" not in page_text(thank_you, "article").lower()

    # Once there is a number, that is what patients are given.
    set_details(phone="020 7946 0999")
    thank_you = client.get(SENT)
    assert text(select_one(thank_you, ".clinic-phone")).endswith("phone us on 020 7946 0999.")
    assert select(thank_you, ".clinic-email") == []


@pytest.mark.parametrize(
    "details, ending",
    [
        ({}, "please try again in an hour."),
        (
            {"email": "hello@clinic.example"},
            "please try again in an hour, or e-mail us at hello@clinic.example.",
        ),
        ({"phone": "020 7946 0999"}, "please try again in an hour, or phone us on 020 7946 0999."),
    ],
)
def test_a_patient_held_back_by_the_limit_is_given_only_a_way_to_reach_the_clinic_it_has(
    client, consultation, settings, details, ending
):
    settings.ENQUIRY_RATE_LIMIT = 0
    set_details(**details)
    response = client.post(URL, consultation_form_data(consultation))
    summary = text(select_one(response, "#error-summary"))
    assert "several requests from your connection" in summary
    assert summary.endswith(ending)
