"""Consultation requests for tests: what a patient posts, and requests stored as if sent earlier."""

from conditions.models import ConditionPage
from enquiries.models import ConsultationPage, ConsultationRequest
from tests.html import select, select_one, text


def consultation_form_data(page, **answers):
    """A complete, valid request; `answers` replace the default answer for a field type
    (name, email, phone, contact, radio, condition, multiline, consent, checkbox, singleline). None leaves a field out."""
    defaults = {
        "name": "Ada Lovelace",
        "email": "ada.lovelace@example.com",
        "phone": "020 7946 0123",
        "contact": "Phone",
        "radio": None,
        "condition": str(ConditionPage.objects.get(slug="multiple-sclerosis").pk),
        "multiline": "Mornings are best for a call.",
        "consent": "on",
        "checkbox": None,
        "singleline": None,
    }
    defaults.update(answers)
    data = {}
    for field in page.form_fields.all():
        answer = defaults[field.field_type]
        if answer is not None:
            data[field.clean_name] = answer
    return data


# The inbox's columns, filled from the answers to the initial content's questions.
COLUMNS = {
    "your_name": "patient_name",
    "e_mail_address": "email",
    "phone_number": "phone",
    "how_would_you_like_us_to_contact_you": "contact_by",
}


def stored_request(sent, condition="", **form_data):
    """A request kept as if the form had been sent at `sent` (an aware datetime)."""
    columns = {column: form_data[name] for name, column in COLUMNS.items() if name in form_data}
    request = ConsultationRequest.objects.create(
        page=ConsultationPage.objects.get(),
        form_data=form_data,
        consented_at=sent,
        condition=condition,
        **columns,
    )
    # submit_time is set on creation; move it to when the request was "sent".
    ConsultationRequest.objects.filter(pk=request.pk).update(submit_time=sent)
    request.refresh_from_db()
    return request


def requests_table(response):
    """The requests report's table of requests per month and condition."""
    return select_one(
        response, 'table:has(> caption:-soup-contains("Consultation requests per month and condition"))'
    )


def report_rows(response):
    """The requests report's table as staff read it: each row's heading with the words of its cells."""
    rows = requests_table(response).select("tbody tr, tfoot tr")
    return {
        text(row.select_one('th[scope="row"]')): [text(cell) for cell in row.select("td")] for row in rows
    }


def typed(response, name):
    """What the form shows in the field `name`, as the patient typed it."""
    field = select_one(response, f'[name="{name}"]')
    # Browsers drop the newline Django writes after <textarea>.
    return field.get_text().removeprefix("\n") if field.name == "textarea" else field["value"]


def ticked(response):
    """The choices the form shows ticked, by the values a browser would send ("on" for a box without one)."""
    return [choice.get("value", "on") for choice in select(response, "input[checked]")]
