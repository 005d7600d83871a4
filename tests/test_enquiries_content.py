"""The consultation page in the initial content, the links to it, and staff editing it."""

import pytest
from django.core.cache import caches
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from conditions.models import ConditionPage
from core.initial_content import load_all
from core.models import ClinicSettings
from enquiries.initial_content import load_consultation_page
from enquiries.models import ConsultationFormField, ConsultationPage
from tests.html import page_text, select, select_one, text


def test_the_initial_content_has_the_page_at_contact_with_the_default_fields(client, consultation):
    assert consultation.url == "/contact/" and consultation.title == "Book a consultation"
    assert consultation.privacy_page.url == "/privacy/"
    assert [f.field_type for f in consultation.form_fields.all()] == [
        "name",
        "email",
        "phone",
        "contact",
        "condition",
        "multiline",
        "consent",
        "checkbox",
    ]
    assert client.get("/contact/").status_code == 200


def test_loading_again_keeps_the_clinics_changes(consultation):
    consultation.form_fields.filter(field_type="phone").delete()
    messages = []
    load_all(log=messages.append)
    assert messages == []
    assert ConsultationPage.objects.count() == 1
    assert not ConsultationFormField.objects.filter(field_type="phone").exists()


def test_the_loader_recreates_the_page_only_when_it_is_missing(consultation):
    consultation.delete()
    messages = []
    load_consultation_page(log=messages.append)
    assert messages == ["Created page 'Book a consultation'"]
    assert ConsultationPage.objects.get().form_fields.count() == 8


@pytest.mark.parametrize("url", ["/", "/conditions/", "/about/", "/conditions/scleroderma/", "/contact/"])
def test_every_page_header_offers_the_consultation(client, consultation, url):
    button = select_one(client.get(url), "header a.site-header__cta")
    assert (button["href"], text(button)) == ("/contact/", "Book a consultation")


def test_the_header_marks_the_button_when_on_the_page(client, consultation):
    html = client.get("/contact/").content.decode()
    assert 'href="/contact/" aria-current="page"' in html


def test_renaming_the_page_updates_the_header_of_pages_already_cached(
    client, consultation, django_capture_on_commit_callbacks
):
    client.get("/about/")
    client.get("/about/")
    consultation.title = "Ask us to call you"
    with django_capture_on_commit_callbacks(execute=True):
        consultation.save_revision().publish()
    assert text(select_one(client.get("/about/"), "header a.site-header__cta")) == "Ask us to call you"


def test_every_condition_page_ends_with_a_call_to_book(client, consultation):
    for condition in ConditionPage.objects.live():
        response = client.get(condition.url)
        assert f"/contact/?condition={condition.pk}" in [link["href"] for link in select(response, "main a")]
        assert f"Talk to us about {condition.title}" in page_text(response, "main")


def test_without_a_live_consultation_page_there_are_no_links_to_it(client, consultation, settings):
    consultation.unpublish()
    # Earlier tests may have left the page in a cache, rendered with the link.
    for alias in settings.CACHES:
        caches[alias].clear()
    html = client.get("/conditions/scleroderma/").content.decode()
    assert "/contact/" not in html


def editor_form(page, *, intro, thank_you, extra_fields=()):
    """What the page editor posts for `page`, keeping its fields and adding `extra_fields`."""
    fields = [
        {
            "id": field.pk,
            "label": field.label,
            "help_text": field.help_text,
            "required": "on" if field.required else "",
            "field_type": field.field_type,
            "choices": field.choices,
            "default_value": field.default_value,
        }
        for field in page.form_fields.all()
    ]
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "introduction": rich_text(f"<p>{intro}</p>"),
            "privacy_page": page.privacy_page_id,
            "thank_you_text": rich_text(f"<p>{thank_you}</p>"),
            "form_fields": inline_formset(fields + list(extra_fields), initial=len(fields)),
        }
    )


def test_staff_edit_the_intro_fields_and_thank_you_text_in_the_page_editor(
    admin_client, client, consultation
):
    new_field = {"label": "Best time to call", "help_text": "", "required": "", "field_type": "singleline"}
    data = editor_form(
        consultation,
        intro="Ask us anything about treatment.",
        thank_you="We will ring you back soon.",
        extra_fields=[new_field],
    )
    data["action-publish"] = "action-publish"
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=[consultation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    html = client.get("/contact/").content.decode()
    assert "Ask us anything about treatment." in html
    assert (
        '<label class="field__label" for="id_best_time_to_call">Best time to call (optional)</label>' in html
    )
    consultation.refresh_from_db()
    assert "We will ring you back soon." in consultation.thank_you_text


def test_the_editor_previews_the_form_and_the_thank_you_page(admin_client, consultation):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[consultation.pk])
    data = editor_form(consultation, intro="Previewed introduction.", thank_you="Previewed next steps.")
    assert admin_client.post(url, data).json()["is_valid"] is True
    assert "Previewed introduction." in admin_client.get(url).content.decode()
    landing = admin_client.get(url + "?mode=landing").content.decode()
    assert "Thank you: your request has been sent" in landing and "Previewed next steps." in landing


PAID = "Patients pay the clinic for each consultation and treatment."


def say_how_the_clinic_is_paid(how):
    details = ClinicSettings.objects.get()
    details.how_the_clinic_is_paid = how
    details.save()


def test_a_condition_page_says_how_the_clinic_is_paid_beside_each_way_to_book(client, consultation, ms_page):
    say_how_the_clinic_is_paid(PAID)
    response = client.get(ms_page.url)
    said = f"How the clinic is paid: {PAID}"
    # Under the header's "Book a consultation", before the page's first section…
    (top, call) = select(response, "main .clinic-paid")
    assert text(top) == said
    assert top.find_next("nav")["aria-labelledby"] == "on-this-page-heading"
    # …and in the call to book, just before its button.
    aside = select_one(response, "aside.call-to-action")
    assert call.find_parent("aside") == aside
    assert text(call) == said
    assert call.find_next("a")["href"] == f"/contact/?condition={ms_page.pk}"

    # Without a way to book, it is not said where there is nothing to book.
    consultation.unpublish()
    assert select(client.get(ms_page.url), ".clinic-paid") == []


def test_the_consultation_form_says_how_the_clinic_is_paid_before_the_form(client, consultation):
    say_how_the_clinic_is_paid(PAID)
    response = client.get(consultation.url)
    (paid,) = select(response, "main .clinic-paid")
    assert text(paid) == f"How the clinic is paid: {PAID}"
    assert paid.find_next("form")["class"] == ["enquiry-form"]


def test_until_the_clinic_says_how_it_is_paid_nothing_is_shown_in_its_place(client, consultation, ms_page):
    assert ClinicSettings.objects.get().how_the_clinic_is_paid == ""
    for url in (ms_page.url, consultation.url):
        response = client.get(url)
        assert "paid" not in page_text(response, "main").lower()
        assert select(response, ".clinic-paid") == []
