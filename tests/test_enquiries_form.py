import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conditions.models import ConditionPage
from core.models import ClinicSettings
from enquiries.models import ConsultationFormField, ConsultationRequest
from tests.enquiry_forms import consultation_form_data, ticked, typed
from tests.html import page_text, select, select_one, text
from tests.servers import csrf_token

URL = "/contact/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with no request counted against the test client's address."""
    cache.clear()


@pytest.fixture
def clinic_email(db):
    details = ClinicSettings.objects.get()
    details.email = "enquiries@clinic.example"
    details.save()
    return details.email


def send(client, data):
    """The page the patient ends on after sending the form."""
    return client.post(URL, data, follow=True).content.decode()


def field_name(page, field_type):
    return page.form_fields.get(field_type=field_type).clean_name


def choices_offered(response):
    """Each choice of a radio button the form offers, by its value, with the words of its label."""
    return {
        choice["value"]: text(select_one(response, f'label[for="{choice["id"]}"]'))
        for choice in select(response, 'main form input[type="radio"]')
    }


def test_the_form_offers_the_live_condition_pages_and_other(client, consultation):
    offered = choices_offered(client.get(URL))
    for condition in ConditionPage.objects.live():
        assert offered[str(condition.pk)] == condition.title
    assert "Other / not sure" in offered.values()


def test_the_condition_list_follows_the_pages_without_a_restart(client, consultation):
    scleroderma = ConditionPage.objects.get(slug="scleroderma")
    scleroderma.unpublish()
    offered = choices_offered(client.get(URL))
    assert str(scleroderma.pk) not in offered
    assert "Multiple Sclerosis (MS)" in offered.values()


def test_consent_is_required_unticked_and_links_to_the_privacy_notice(client, consultation):
    name = field_name(consultation, "consent")
    response = client.get(URL)
    checkbox = select_one(response, f'input[type="checkbox"][name="{name}"]')
    assert checkbox.has_attr("required") and not checkbox.has_attr("checked")
    assert [link["href"] for link in select(response, f"#id_{name}_helptext a")] == ["/privacy/"]
    # Marketing consent is a separate box, optional and unticked.
    marketing = field_name(consultation, "checkbox")
    other_box = select_one(response, f'input[type="checkbox"][name="{marketing}"]')
    assert not other_box.has_attr("required") and not other_box.has_attr("checked")


def test_the_message_hint_asks_for_no_medical_history(client, consultation):
    html = client.get(URL).content.decode()
    assert "do not include details of your medical history" in html


def test_a_condition_page_link_ticks_its_condition(client, consultation):
    ms = ConditionPage.objects.get(slug="multiple-sclerosis")
    assert ticked(client.get(f"{URL}?condition={ms.pk}")) == [str(ms.pk)]
    # A value that matches nothing simply ticks nothing.
    assert ticked(client.get(f"{URL}?condition=nonsense")) == []


def test_a_valid_request_is_stored_once_and_the_clinic_is_told_without_details(
    client, consultation, clinic_email, mailoutbox, settings
):
    data = consultation_form_data(consultation)
    response = client.post(URL, data)

    assert (response.status_code, response["Location"]) == (303, "/contact/sent/")
    assert ConsultationRequest.objects.count() == 1
    request = ConsultationRequest.objects.get()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [clinic_email]
    assert mail.subject == f"New consultation request #{request.pk}"
    everything_sent = mail.subject + mail.body
    link = f"{settings.WAGTAILADMIN_BASE_URL}/admin/consultation_requests/edit/{request.pk}/"
    assert link in mail.body.split()
    for secret in (
        "Ada",
        "Lovelace",
        "ada.lovelace@example.com",
        "7946",
        "Mornings",
        "Multiple",
        "Sclerosis",
    ):
        assert secret not in everything_sent


def test_the_request_records_consent_time_and_condition_beside_the_answers(client, consultation):
    before = timezone.now()
    client.post(URL, consultation_form_data(consultation))
    request = ConsultationRequest.objects.get()
    assert before <= request.consented_at <= timezone.now()
    assert request.condition == "Multiple Sclerosis (MS)"
    assert request.form_data[field_name(consultation, "name")] == "Ada Lovelace"
    assert request.form_data[field_name(consultation, "consent")] is True


def test_other_or_not_sure_is_counted_as_such(client, consultation):
    client.post(URL, consultation_form_data(consultation, condition="other"))
    assert ConsultationRequest.objects.get().condition == "Other / not sure"


def test_the_thank_you_page_says_what_happens_next_and_repeats_nothing(client, consultation):
    response = client.post(URL, consultation_form_data(consultation), follow=True)
    assert response.redirect_chain == [("/contact/sent/", 303)]
    html = response.content.decode()
    assert "Thank you: your request has been sent" in html
    assert "We will contact you by the way you preferred" in html
    for sent in ("Ada", "ada.lovelace@example.com", "7946", "Mornings", "Multiple Sclerosis"):
        assert sent not in html
    assert select(response, "main form") == []


def test_no_scripts_on_the_form_or_the_thank_you_page(client, consultation):
    pages = [client.get(URL), client.post(URL, consultation_form_data(consultation), follow=True)]
    for response in pages:
        # Only the page's JSON-LD, which is data, not a script.
        scripts = [(script.get("src"), script.get("type")) for script in select(response, "script")]
        assert scripts == [(None, "application/ld+json")]


def test_mistakes_come_back_in_words_next_to_their_fields_with_everything_typed_kept(
    client, consultation, mailoutbox
):
    data = consultation_form_data(consultation, name="", email="not-an-address", consent=None)
    response = client.post(URL, data)

    assert response.status_code == 200
    assert ConsultationRequest.objects.count() == 0
    assert mailoutbox == []
    name, email, consent = (field_name(consultation, kind) for kind in ("name", "email", "consent"))
    assert page_text(response, "title").startswith("Error: Book a consultation")
    main = page_text(response, "main")
    assert "Please answer “Your name”." in main
    assert "Enter an e-mail address like name@example.com." in main
    assert "we can only keep and answer your request with your agreement" in main
    # Each field says it is invalid and points at its own message.
    for field in (name, email, consent):
        tag = select_one(response, f'input[name="{field}"]')
        assert tag["aria-invalid"] == "true"
        assert f"id_{field}_error" in tag["aria-describedby"].split()
        assert select_one(response, f"#id_{field}_error")
    # What the patient typed is all still there, including their choices.
    assert typed(response, email) == "not-an-address"
    assert typed(response, field_name(consultation, "phone")) == "020 7946 0123"
    assert typed(response, field_name(consultation, "multiline")) == "Mornings are best for a call."
    ms = ConditionPage.objects.get(slug="multiple-sclerosis").pk
    assert {"Phone", str(ms)} <= set(ticked(response))


def test_the_error_summary_comes_first_is_focused_and_links_to_each_field(client, consultation):
    data = consultation_form_data(consultation, name="", condition=None)
    response = client.post(URL, data)
    assert [element.name for element in select(response, "main #error-summary, main h1")] == ["div", "h1"]
    summary = select_one(response, "main #error-summary")
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    name, condition = field_name(consultation, "name"), field_name(consultation, "condition")
    # A group of radios is reached through its first option.
    assert {link["href"]: text(link) for link in summary.select("a")} == {
        f"#id_{name}": "Please answer “Your name”.",
        f"#id_{condition}_0": "Please choose an answer to “Which condition would you like to talk about?”",
    }
    assert select_one(response, f"#id_{condition}_0")


def test_a_filled_honeypot_gets_the_thank_you_page_and_nothing_is_kept_or_sent(
    client, consultation, mailoutbox
):
    data = consultation_form_data(consultation) | {"website-address": "http://spam.example"}
    response = client.post(URL, data, follow=True)
    assert response.redirect_chain == [("/contact/sent/", 303)]
    assert "Thank you: your request has been sent" in response.content.decode()
    assert ConsultationRequest.objects.count() == 0
    assert mailoutbox == []


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, consultation):
    trap = select_one(client.get(URL), ".enquiry-form__trap")
    assert trap["aria-hidden"] == "true"
    assert (trap.input["tabindex"], trap.input["autocomplete"]) == ("-1", "off")


def test_one_address_may_send_five_requests_an_hour_and_then_keeps_what_it_typed(
    client, consultation, mailoutbox
):
    for _ in range(5):
        assert "Thank you" in send(client, consultation_form_data(consultation))

    response = client.post(URL, consultation_form_data(consultation, name="Grace Hopper"))
    assert response.status_code == 200
    assert "several requests from your connection in the last hour" in page_text(response, "main")
    assert typed(response, field_name(consultation, "name")) == "Grace Hopper"
    assert ConsultationRequest.objects.count() == 5 and len(mailoutbox) == 5

    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert "Thank you" in send(other, consultation_form_data(consultation))
    assert ConsultationRequest.objects.count() == 6


def test_behind_the_proxy_each_visitor_has_their_own_limit(consultation, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.5"
    for _ in range(5):
        first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
        first.post(URL, consultation_form_data(consultation))
    held_back = first.post(URL, consultation_form_data(consultation)).content.decode()
    assert "several requests from your connection" in held_back
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "Thank you" in send(second, consultation_form_data(consultation))


def test_mistakes_do_not_count_towards_the_limit(client, consultation):
    for _ in range(6):
        client.post(URL, consultation_form_data(consultation, email="wrong"))
    assert "Thank you" in send(client, consultation_form_data(consultation))


@pytest.mark.parametrize(
    "kind, answer, message",
    [
        ("name", "Ada\x00Lovelace", "Null characters are not allowed."),
        ("multiline", "Call me\x00", "Null characters are not allowed."),
        ("name", "Ada\x1b[31mLovelace", "Remove the invisible control characters"),
        ("phone", "020\x077946\x070000", "Remove the invisible control characters"),
        ("name", "A" * 201, "at most 200 characters"),
        ("multiline", "word " * 401, "at most 2000 characters"),
        ("email", "a" * 250 + "@example.com", "at most 254 characters"),
        ("phone", "0" * 31, "at most 30 characters"),
        ("phone", "call me maybe", "Enter a phone number with its area code"),
        ("phone", "123", "Enter a phone number with its area code"),
        ("condition", "999999", "Choose one of the conditions listed."),
        ("name", "Ada\nLovelace", "Write this answer on one line"),
        ("name", "Ada\r\nLovelace", "Write this answer on one line"),
        ("name", "Ada\u2028Lovelace", "Write this answer on one line"),
        ("name", "Ada\tLovelace", "Remove the invisible control characters"),
        ("phone", "020 7946\n0123", "Write this answer on one line"),
        ("email", "ada@example.com\nBcc: b@example.com", "Write this answer on one line"),
        ("name", "Ada \u202eecalevoL", "Remove the invisible formatting characters"),
        ("name", "Ada\u200bLovelace", "Remove the invisible formatting characters"),
        ("name", "Ada\u200dLovelace", "Remove the invisible formatting characters"),
        ("name", "\ufeffAda Lovelace", "Remove the invisible formatting characters"),
        ("phone", "020 7946\u200b0123", "Remove the invisible formatting characters"),
        ("email", "ada\u2060@example.com", "Remove the invisible formatting characters"),
        ("multiline", "Call me on \u202eyadirF", "Remove the invisible formatting characters"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_stored(client, consultation, kind, answer, message):
    response = client.post(URL, consultation_form_data(consultation, **{kind: answer}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_a_single_line_field_staff_add_refuses_line_breaks_and_keeps_every_answer(client, consultation):
    ConsultationFormField.objects.create(
        page=consultation, label="Your GP's surgery", field_type="singleline"
    )
    surgery = field_name(consultation, "singleline")
    data = consultation_form_data(consultation, name="Ada\nLovelace", singleline="Riverside\nPractice")
    response = client.post(URL, data)

    assert ConsultationRequest.objects.count() == 0
    for field in (field_name(consultation, "name"), surgery):
        assert "Write this answer on one line" in page_text(response, f"#id_{field}_error")
    # What the patient typed is all still there.
    assert typed(response, field_name(consultation, "name")) == "Ada\nLovelace"
    assert typed(response, surgery) == "Riverside\nPractice"
    assert typed(response, field_name(consultation, "multiline")) == "Mornings are best for a call."


def test_a_name_made_to_look_like_another_is_refused_and_every_answer_kept(client, consultation):
    name = field_name(consultation, "name")
    response = client.post(URL, consultation_form_data(consultation, name="Ada \u202eecalevoL"))
    assert "Remove the invisible formatting characters" in page_text(response, f"#id_{name}_error")
    assert typed(response, name) == "Ada \u202eecalevoL"
    assert typed(response, field_name(consultation, "email")) == "ada.lovelace@example.com"
    assert typed(response, field_name(consultation, "multiline")) == "Mornings are best for a call."
    assert ConsultationRequest.objects.count() == 0


def test_a_longer_answer_keeps_emoji_built_with_joiners(client, consultation):
    message = "Mornings suit us \U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert "Thank you" in send(client, consultation_form_data(consultation, multiline=message))
    assert ConsultationRequest.objects.get().form_data[field_name(consultation, "multiline")] == message


def test_a_longer_answer_keeps_its_line_breaks(client, consultation):
    client.post(URL, consultation_form_data(consultation, multiline="Mornings are best.\r\nNot Fridays."))
    request = ConsultationRequest.objects.get()
    assert request.form_data[field_name(consultation, "multiline")] == "Mornings are best.\r\nNot Fridays."


@pytest.mark.parametrize("phone", ["020 7946 0123", "+44 (0)20 7946-0123", "07700 900123", ""])
def test_usual_ways_of_writing_a_phone_number_are_accepted(client, consultation, phone):
    client.post(URL, consultation_form_data(consultation, phone=phone, contact="E-mail"))
    assert ConsultationRequest.objects.count() == 1


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(
        st.sampled_from(["name", "email", "phone", "contact", "condition", "multiline"]), st.text()
    )
)
def test_no_input_however_malformed_produces_an_error_page(client, consultation, answers):
    cache.clear()
    requests_before = ConsultationRequest.objects.count()
    response = client.post(URL, consultation_form_data(consultation, **answers))
    if ConsultationRequest.objects.count() > requests_before:
        assert (response.status_code, response["Location"]) == (303, "/contact/sent/")
    else:
        assert response.status_code == 200
        assert select_one(response, ".error-summary")


def test_a_post_without_the_csrf_token_is_refused_and_nothing_is_kept(consultation):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(URL, consultation_form_data(consultation))
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert ConsultationRequest.objects.count() == 0

    page = strict.get(URL).content.decode()
    token = csrf_token(page)
    data = consultation_form_data(consultation) | {"csrfmiddlewaretoken": token}
    assert "Thank you" in send(strict, data)


def test_neither_the_form_nor_the_thank_you_page_may_be_kept_by_a_shared_cache(client, consultation):
    for response in (client.get(URL), client.post(URL, consultation_form_data(consultation), follow=True)):
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
    assert "Cookie" in client.get(URL)["Vary"]


def test_without_a_clinic_address_the_notification_goes_to_the_configured_one(
    client, consultation, settings, mailoutbox
):
    settings.ENQUIRIES_NOTIFY_EMAIL = "frontdesk@clinic.example"
    client.post(URL, consultation_form_data(consultation))
    assert mailoutbox[0].to == ["frontdesk@clinic.example"]


def test_a_mail_server_that_is_down_does_not_lose_the_request(client, consultation, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = client.post(URL, consultation_form_data(consultation), follow=True)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert ConsultationRequest.objects.count() == 1
    assert "Could not send the notification" in caplog.text


def test_asking_to_be_phoned_without_a_number_is_refused_with_everything_typed_kept(client, consultation):
    data = consultation_form_data(consultation, phone="", contact="Phone")
    response = client.post(URL, data)

    assert response.status_code == 200
    assert ConsultationRequest.objects.count() == 0
    phone = field_name(consultation, "phone")
    error = page_text(response, f"#id_{phone}_error")
    assert "Give us a phone number to call you on, or choose to be contacted by e-mail." in error
    assert f"#id_{phone}" in [link["href"] for link in select(response, "#error-summary a")]
    assert typed(response, field_name(consultation, "email")) == "ada.lovelace@example.com"
    assert typed(response, field_name(consultation, "name")) == "Ada Lovelace"
    assert "Phone" in ticked(response)
    assert typed(response, field_name(consultation, "multiline")) == "Mornings are best for a call."

    # With a number, or by e-mail, the same request goes through.
    assert "Thank you" in send(client, data | {phone: "020 7946 0123"})
    assert "Thank you" in send(client, consultation_form_data(consultation, phone="", contact="E-mail"))
    assert ConsultationRequest.objects.count() == 2


def test_the_form_says_the_e_mail_address_may_be_left_out_for_a_call(client, consultation):
    email = field_name(consultation, "email")
    response = client.get(URL)
    assert text(select_one(response, f'label[for="id_{email}"]')) == "E-mail address"
    assert page_text(response, f"#id_{email}_helptext") == "Optional if you would like us to phone you."
    assert f"id_{email}_helptext" in select_one(response, f'input[name="{email}"]')["aria-describedby"]
    assert not select_one(response, f'input[name="{email}"]').has_attr("required")


def test_a_patient_who_asks_for_a_call_may_leave_out_their_e_mail_address(
    client, consultation, clinic_email, mailoutbox
):
    data = consultation_form_data(consultation, email="", contact="Phone")
    assert "Thank you: your request has been sent" in send(client, data)
    request = ConsultationRequest.objects.get()
    assert (request.patient_name, request.email, request.phone, request.contact_by) == (
        "Ada Lovelace",
        "",
        "020 7946 0123",
        "Phone",
    )
    # The front desk is told as for any request.
    assert [mail.to for mail in mailoutbox] == [[clinic_email]]
    assert mailoutbox[0].subject == f"New consultation request #{request.pk}"


def test_asking_to_be_e_mailed_without_an_address_is_refused_with_everything_typed_kept(client, consultation):
    data = consultation_form_data(consultation, email="", contact="E-mail")
    response = client.post(URL, data)

    assert response.status_code == 200
    assert ConsultationRequest.objects.count() == 0
    email = field_name(consultation, "email")
    message = "Give us an e-mail address to write to you at, or choose to be contacted by phone."
    assert message in page_text(response, f"#id_{email}_error")
    assert {link["href"]: text(link) for link in select(response, "#error-summary a")} == {
        f"#id_{email}": message
    }
    assert select_one(response, f'input[name="{email}"]')["aria-invalid"] == "true"
    assert typed(response, field_name(consultation, "phone")) == "020 7946 0123"
    assert "E-mail" in ticked(response)


def test_a_wrongly_typed_address_gets_one_message_not_two(client, consultation):
    html = client.post(
        URL, consultation_form_data(consultation, email="ada@", contact="E-mail")
    ).content.decode()
    assert "Enter an e-mail address like name@example.com." in html
    assert "Give us an e-mail address" not in html


def test_without_a_question_for_the_way_to_be_contacted_the_e_mail_address_stays_required(
    client, consultation
):
    consultation.form_fields.filter(field_type="contact").delete()
    email = field_name(consultation, "email")
    response = client.get(URL)
    assert "Optional if you would like us to phone you" not in page_text(response, "main")
    response = client.post(URL, consultation_form_data(consultation, email=""))
    assert "Please answer “E-mail address”." in page_text(response, f"#id_{email}_error")
    assert ConsultationRequest.objects.count() == 0


def test_a_wrongly_typed_number_gets_one_message_not_two(client, consultation):
    html = client.post(
        URL, consultation_form_data(consultation, phone="call me", contact="Phone")
    ).content.decode()
    assert "Enter a phone number with its area code" in html
    assert "Give us a phone number to call you on" not in html


def test_back_or_reload_after_sending_sends_nothing_again(client, consultation, mailoutbox):
    client.post(URL, consultation_form_data(consultation))
    thank_you = client.get("/contact/sent/")
    assert "Thank you: your request has been sent" in thank_you.content.decode()
    assert client.get(URL).status_code == 200
    assert ConsultationRequest.objects.count() == 1 and len(mailoutbox) == 1


def test_the_form_and_the_thank_you_page_give_the_clinics_phone_number_once_set(client, consultation):
    assert "phone us on" not in client.get(URL).content.decode()
    details = ClinicSettings.objects.get()
    details.phone = "020 7946 0999"
    details.save()
    for response in (client.get(URL), client.post(URL, consultation_form_data(consultation), follow=True)):
        links = select(response, ".clinic-phone a")
        assert [(link["href"], text(link)) for link in links] == [("tel:02079460999", "020 7946 0999")]


def test_the_form_and_the_thank_you_page_say_where_the_clinic_is_when_it_opens_and_who_regulates_it(
    client, consultation
):
    assert "How to reach us" not in client.get(URL).content.decode()
    details = ClinicSettings.objects.get()
    details.address = "1 Harley Street\nLondon W1G 9QD"
    details.opening_hours = "Mon–Fri 9:00–17:00"
    details.registration = "Registered with the Care Quality Commission, provider ID 1-000000000"
    details.save()
    sent = client.post(URL, consultation_form_data(consultation), follow=True)
    for response in (client.get(URL), sent):
        reach_us = select_one(response, 'main section[aria-labelledby="how-to-reach-us"]')
        assert list(reach_us.address.stripped_strings) == ["1 Harley Street", "London W1G 9QD"]
        assert "Mon–Fri 9:00–17:00" in text(reach_us)
        assert "Registered with the Care Quality Commission, provider ID 1-000000000" in text(reach_us)


def test_the_inbox_columns_are_kept_beside_the_answers(client, consultation):
    client.post(URL, consultation_form_data(consultation))
    request = ConsultationRequest.objects.get()
    assert (request.patient_name, request.email, request.phone, request.contact_by) == (
        "Ada Lovelace",
        "ada.lovelace@example.com",
        "020 7946 0123",
        "Phone",
    )
    assert request.get_status_display() == "New" and request.assigned_to is None


def test_in_development_the_e_mail_links_to_the_port_make_run_serves_on():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings.dev", "PORT": "8123"}
    environment.pop("WAGTAILADMIN_BASE_URL", None)
    base_address = (
        "import django; django.setup(); from wagtail.admin.utils import get_admin_base_url as b; print(b())"
    )
    run = subprocess.run(
        [sys.executable, "-c", base_address], env=environment, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "http://127.0.0.1:8123"
