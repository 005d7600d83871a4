"""The consultation request form: Wagtail's form builder plus field types for a patient's details.

Staff choose each field's type in the page editor. The types added here carry what a generic text
box cannot: validation, autocomplete hints, the live list of conditions and the consent wording.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from conditions.models import ConditionPage
from core.validators import validate_longer_answer, validate_one_line_answer

FIELD_TYPES = FORM_FIELD_CHOICES + (
    ("name", "Patient's name"),
    ("phone", "Phone number"),
    ("contact", "Preferred way to contact the patient (e-mail or phone)"),
    ("condition", "Condition of interest (the live condition pages)"),
    ("consent", "Consent to keep the request (always required)"),
)

# The longest answer accepted for each kind of typed field; anything longer gets a message.
MAX_LENGTHS = {
    "singleline": 255,
    "multiline": 2000,
    "name": 200,
    "email": 254,
    "phone": 30,
    "url": 255,
    "hidden": 255,
}

CONTACT_BY_EMAIL = "E-mail"
CONTACT_BY_PHONE = "Phone"
PHONE_NEEDED = "Give us a phone number to call you on, or choose to be contacted by e-mail."
EMAIL_NEEDED = "Give us an e-mail address to write to you at, or choose to be contacted by phone."
# The hint of an e-mail field a patient who asks for a call may leave empty.
EMAIL_OPTIONAL_FOR_A_CALL = "Optional if you would like us to phone you."

OTHER_CONDITION = "Other / not sure"
OTHER_CONDITION_VALUE = "other"

# Fields whose answer is one line: a line break there would split the name or number in
# the admin's listing and the CSV export.
SINGLE_LINE_FIELD_TYPES = {"singleline", "name", "email", "phone", "url", "hidden"}
PHONE_NUMBER = re.compile(r"\+?[0-9]{7,15}")
PHONE_PUNCTUATION = re.compile(r"[\s().-]")


def quoted(label):
    """A field's label quoted inside a sentence, without doubling its own final punctuation."""
    return f"“{label}”" if label.endswith(("?", ".", "!")) else f"“{label}”."


def validate_phone_number(value):
    if not PHONE_NUMBER.fullmatch(PHONE_PUNCTUATION.sub("", value)):
        raise ValidationError(
            "Enter a phone number with its area code, like 020 7946 0000 or +44 20 7946 0000.",
            code="invalid_phone",
        )


class PatientNameField(forms.CharField):
    pass


class PhoneNumberField(forms.CharField):
    pass


class ContactMethodField(forms.ChoiceField):
    """E-mail or phone: fixed choices, so that choosing "Phone" can make the number required."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(CONTACT_BY_EMAIL, CONTACT_BY_EMAIL), (CONTACT_BY_PHONE, CONTACT_BY_PHONE)], **kwargs
        )


class ConditionOfInterestField(forms.TypedChoiceField):
    """The condition pages live and public when the form is built, then "other / not sure".

    The browser posts the page's id, which survives an editor retitling the page meanwhile; the
    cleaned value is the title the patient saw, which is what staff read and the report counts.
    """

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        conditions = ConditionPage.objects.live().public().order_by("path").values_list("pk", "title")
        choices = [(str(pk), title) for pk, title in conditions] + [(OTHER_CONDITION_VALUE, OTHER_CONDITION)]
        kwargs["error_messages"]["invalid_choice"] = "Choose one of the conditions listed."
        super().__init__(choices=choices, coerce=dict(choices).get, **kwargs)


class ConsultationForm(BaseForm):
    """A patient's request, with a trap for bots and an error summary for people."""

    # Not a form field, so it is never validated, stored or listed; the hyphen keeps it apart
    # from the names Wagtail gives staff-defined fields (letters, digits and underscores).
    honeypot_name = "website-address"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not required as a field: clean() asks for it unless the patient chooses a call. The label
        # keeps no "(optional)" (includes/forms/field.html): the hint says when it may be left empty.
        self.email_optional_for_a_call = self._email_optional_for_a_call()
        for name in self.email_optional_for_a_call:
            field = self.fields[name]
            field.required = field.widget.is_required = False
            field.optional_for_a_call = True
            field.help_text = " ".join(hint for hint in (EMAIL_OPTIONAL_FOR_A_CALL, field.help_text) if hint)

    def _email_optional_for_a_call(self):
        """The required e-mail field a patient may leave empty by asking for a call: the first one
        (the one the inbox lists), when the form also asks for a number and the way to be contacted."""
        emails = self._names_of(forms.EmailField)
        if not (emails and self._names_of(PhoneNumberField) and self._names_of(ContactMethodField)):
            return []
        return emails[:1] if self.fields[emails[0]].required else []

    def is_from_a_bot(self):
        return bool(self.data.get(self.honeypot_name, "").strip())

    def preselect_condition(self, page_id):
        if page_id:
            for name in self._names_of(ConditionOfInterestField):
                self.initial[name] = page_id

    def clean(self):
        cleaned_data = super().clean()
        wants_a_call = CONTACT_BY_PHONE in (
            cleaned_data.get(name) for name in self._names_of(ContactMethodField)
        )
        phone_fields = self._names_of(PhoneNumberField)
        # A number the patient typed wrongly already has its own message.
        if (
            wants_a_call
            and phone_fields
            and not any(name in self.errors or cleaned_data.get(name) for name in phone_fields)
        ):
            self.add_error(phone_fields[0], PHONE_NEEDED)
        for name in self.email_optional_for_a_call:
            # An address typed wrongly already has its own message.
            if not wants_a_call and name not in self.errors and not cleaned_data.get(name):
                self.add_error(name, EMAIL_NEEDED)
        return cleaned_data

    def chosen_condition(self):
        """The condition of interest as the patient chose it, for reports to count."""
        return self._first_answer(ConditionOfInterestField)

    def contact_details(self):
        """Who to contact and how, kept beside the answers for the inbox to list and search."""
        return {
            "patient_name": self._first_answer(PatientNameField),
            "email": self._first_answer(forms.EmailField),
            "phone": self._first_answer(PhoneNumberField),
            "contact_by": self._first_answer(ContactMethodField),
        }

    def _first_answer(self, field_class):
        return next((self.cleaned_data[name] or "" for name in self._names_of(field_class)), "")

    def _names_of(self, field_class):
        return [name for name, field in self.fields.items() if isinstance(field, field_class)]

    def error_summary(self):
        """(anchor id or None, message) for each error, in the order of the form."""
        items = [(None, error) for error in self.non_field_errors()]
        for field in self:
            # A group of radios or checkboxes is reached through its first option.
            anchor = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
            items += [(anchor, error) for error in field.errors]
        return items


class ConsultationFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("ConsultationForm", (ConsultationForm,), self.formfields)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        options["error_messages"] = {"required": f"Please answer {quoted(field.label)}"}
        if field.field_type in MAX_LENGTHS:
            options["max_length"] = MAX_LENGTHS[field.field_type]
            single_line = field.field_type in SINGLE_LINE_FIELD_TYPES
            options["validators"] = [validate_one_line_answer if single_line else validate_longer_answer]
        return options

    def create_email_field(self, field, options):
        options["widget"] = forms.EmailInput(attrs={"autocomplete": "email"})
        options["error_messages"]["invalid"] = "Enter an e-mail address like name@example.com."
        return super().create_email_field(field, options)

    def create_name_field(self, field, options):
        options["widget"] = forms.TextInput(attrs={"autocomplete": "name"})
        return PatientNameField(**options)

    def create_phone_field(self, field, options):
        options["widget"] = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
        options["validators"].append(validate_phone_number)
        return PhoneNumberField(**options)

    def create_contact_field(self, field, options):
        options["error_messages"]["required"] = f"Please choose an answer to {quoted(field.label)}"
        return ContactMethodField(**options)

    def create_condition_field(self, field, options):
        options["error_messages"]["required"] = f"Please choose an answer to {quoted(field.label)}"
        return ConditionOfInterestField(**options)

    def create_consent_field(self, field, options):
        options["required"] = True
        options["error_messages"]["required"] = (
            "Please tick this box: we can only keep and answer your request with your agreement."
        )
        privacy = field.page.privacy_page
        if privacy is not None and privacy.live:
            # A new tab, so that reading the notice does not lose what the patient has typed.
            link = format_html(
                '<a href="{}" target="_blank" rel="noopener">Read our privacy notice (opens in a new tab)</a>.',
                privacy.url,
            )
            options["help_text"] = (
                format_html("{} {}", options["help_text"], link) if options["help_text"] else link
            )
        return forms.BooleanField(**options)

    def create_radio_field(self, field, options):
        options["error_messages"]["required"] = f"Please choose an answer to {quoted(field.label)}"
        return super().create_radio_field(field, options)
