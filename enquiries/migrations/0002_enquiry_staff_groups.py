from django.db import migrations

from core.roles import grant

PATIENT_ENQUIRIES = "Patient enquiries"
MARKETING = "Marketing"
REPORT = ("view_enquiry_report", "Can view the enquiries report (counts only)")


def create_report_permission(apps):
    # A custom permission of ConsultationRequest: made on that model's content type now, as Django
    # would after migrating, so that grant() finds it there.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    requests, _ = ContentType.objects.get_or_create(app_label="enquiries", model="consultationrequest")
    codename, name = REPORT
    Permission.objects.get_or_create(content_type=requests, codename=codename, defaults={"name": name})


def create_enquiry_staff(apps, schema_editor):
    create_report_permission(apps)
    grant(
        apps,
        PATIENT_ENQUIRIES,
        model_permissions=[
            "wagtailadmin.access_admin",
            "enquiries.view_consultationrequest",
            "enquiries.view_enquiry_report",
        ],
    )
    # Marketing sees the counts, never the requests. The group may also be set up by other apps.
    grant(apps, MARKETING, model_permissions=["wagtailadmin.access_admin", "enquiries.view_enquiry_report"])


def remove_enquiry_staff(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=PATIENT_ENQUIRIES).delete()
    report = Permission.objects.filter(content_type__app_label="enquiries", codename=REPORT[0])
    for marketing in Group.objects.filter(name=MARKETING):
        marketing.permissions.remove(*report)


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_enquiry_staff, remove_enquiry_staff)]
