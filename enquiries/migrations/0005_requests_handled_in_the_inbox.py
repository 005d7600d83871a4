"""Requests already stored join the inbox: the contact details are copied beside the answers, the
e-mail-or-phone question becomes the field type that can require a number, and the front desk may
now handle (change) and delete requests as well as read them."""

from django.db import migrations

from core.roles import grant

PATIENT_ENQUIRIES = "Patient enquiries"
SHORT_LABELS = {
    "name": "Name",
    "email": "E-mail",
    "phone": "Phone",
    "contact": "Contact by",
    "condition": "Condition",
    "consent": "Consent",
}
# Request columns filled from the answer to the first field of each type.
COLUMNS = {"name": "patient_name", "email": "email", "phone": "phone", "contact": "contact_by"}


def is_email_or_phone_question(field):
    choices = {choice.strip() for choice in field.choices.replace(",", "\n").splitlines() if choice.strip()}
    return field.field_type == "radio" and choices == {"E-mail", "Phone"}


def move_to_the_inbox(apps, schema_editor):
    ConsultationFormField = apps.get_model("enquiries", "ConsultationFormField")
    ConsultationRequest = apps.get_model("enquiries", "ConsultationRequest")
    names_by_page = {}
    for field in ConsultationFormField.objects.order_by("sort_order", "pk"):
        if is_email_or_phone_question(field):
            field.field_type = "contact"
        if not field.short_label:
            field.short_label = SHORT_LABELS.get(field.field_type, "")
        field.save()
        names = names_by_page.setdefault(field.page_id, {})
        if field.field_type in COLUMNS:
            names.setdefault(COLUMNS[field.field_type], field.clean_name)
    for request in ConsultationRequest.objects.iterator():
        for column, name in names_by_page.get(request.page_id, {}).items():
            answer = request.form_data.get(name)
            setattr(request, column, answer if isinstance(answer, str) else "")
        request.save(update_fields=list(COLUMNS.values()))

    grant(
        apps,
        PATIENT_ENQUIRIES,
        model_permissions=["enquiries.change_consultationrequest", "enquiries.delete_consultationrequest"],
    )


def move_back(apps, schema_editor):
    ConsultationFormField = apps.get_model("enquiries", "ConsultationFormField")
    ConsultationFormField.objects.filter(field_type="contact").update(field_type="radio", choices="E-mail\nPhone")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    handling = Permission.objects.filter(
        content_type__app_label="enquiries",
        codename__in=["change_consultationrequest", "delete_consultationrequest"],
    )
    for group in Group.objects.filter(name=PATIENT_ENQUIRIES):
        group.permissions.remove(*handling)


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0004_inbox")]

    operations = [migrations.RunPython(move_to_the_inbox, move_back)]
