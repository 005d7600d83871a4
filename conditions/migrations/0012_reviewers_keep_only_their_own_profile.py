"""Medical reviewers keep their own profile (conditions.views.OwnReviewerProfileView) and only see the
others': they could change any clinician's, another reviewer's registration included. Administrators
manage the rest."""

from django.db import migrations

from core.roles import grant

REVIEWERS = "Medical reviewers"
EVERY_PROFILE = ["conditions.add_medicalreviewer", "conditions.change_medicalreviewer"]


def see_every_profile_change_only_their_own(apps, schema_editor):
    reviewers = grant(apps, REVIEWERS, model_permissions=["conditions.view_medicalreviewer"])
    Permission = apps.get_model("auth", "Permission")
    for dotted in EVERY_PROFILE:
        app_label, codename = dotted.split(".")
        reviewers.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


def change_every_profile_again(apps, schema_editor):
    reviewers = grant(apps, REVIEWERS, model_permissions=EVERY_PROFILE)
    Permission = apps.get_model("auth", "Permission")
    reviewers.permissions.remove(
        *Permission.objects.filter(content_type__app_label="conditions", codename="view_medicalreviewer")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0011_registration_body_qualification_and_role"),
    ]

    operations = [
        migrations.RunPython(see_every_profile_change_only_their_own, change_every_profile_again),
    ]
