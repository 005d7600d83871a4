"""The "Book a consultation" page of the initial content, with the default fields.

Like the rest of the initial content it only creates what is missing: once the page exists, its
wording and fields are the clinic's to change, and running the loader again leaves them alone.
Runs after the condition pages and the privacy notice exist.
"""

from django.db import transaction

from core.initial_content import get_or_create_child, site_home
from enquiries.models import ConsultationFormField, ConsultationPage

PAGE = {
    "title": "Book a consultation",
    "slug": "contact",
    "show_in_menus": False,  # the header links to it as a button of its own
    "introduction": (
        "<p>Tell us how to reach you and which condition you would like to talk about, and a member "
        "of our patient team will contact you to arrange a consultation.</p>"
    ),
    "thank_you_text": (
        # How to reach the clinic meanwhile follows from Clinic details (the page's template): no
        # number here, which a fresh site does not have yet.
        "<p>We will contact you by the way you preferred to arrange a time to talk.</p>"
        "<p>You can ask us at any time to delete the details you sent.</p>"
    ),
}

# Kept to the minimum the clinic needs to answer:
# (label, short label for staff, type, required, choices, help text).
FIELDS = [
    ("Your name", "Name", "name", True, "", ""),
    ("E-mail address", "E-mail", "email", True, "", ""),
    (
        "Phone number",
        "Phone",
        "phone",
        False,
        "",
        "Include the area code. Needed if you would like us to phone you.",
    ),
    ("How would you like us to contact you?", "Contact by", "contact", True, "", ""),
    ("Which condition would you like to talk about?", "Condition", "condition", True, "", ""),
    (
        "Your message",
        "Message",
        "multiline",
        False,
        "",
        "Anything you would like us to know before we talk. Please do not include details of your "
        "medical history: we will ask about it in person.",
    ),
    (
        "I agree that the clinic may keep these details to answer my request.",
        "Consent",
        "consent",
        True,
        "",
        "",
    ),
    (
        "I would also like to hear about the clinic's news and events by e-mail.",
        "News by e-mail",
        "checkbox",
        False,
        "",
        "You can stop these e-mails at any time.",
    ),
]


def load_consultation_page(log=print):
    with transaction.atomic():
        home = site_home()
        if home is None or ConsultationPage.objects.exists():
            return
        privacy = home.get_children().filter(slug="privacy").first()
        fields = [
            ConsultationFormField(
                label=label,
                short_label=short_label,
                field_type=kind,
                required=required,
                choices=choices,
                help_text=hint,
            )
            for label, short_label, kind, required, choices, hint in FIELDS
        ]
        page, created = get_or_create_child(
            home, ConsultationPage, privacy_page=privacy, form_fields=fields, **PAGE
        )
        if created:
            log(f"Created page '{page.title}'")
