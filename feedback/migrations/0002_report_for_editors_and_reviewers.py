"""Editors and medical reviewers read what patients say of the pages (the report and comments);
the front desk and marketing do not need to."""

from django.db import migrations

from core.roles import grant

READERS = ["Clinical editors", "Medical reviewers"]
PERMISSIONS = ["feedback.view_pagefeedback", "feedback.delete_pagefeedback"]


def let_editors_and_reviewers_read_feedback(apps, schema_editor):
    for group in READERS:
        grant(apps, group, model_permissions=PERMISSIONS)


def take_it_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="feedback")
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_page_feedback"),
        ("conditions", "0008_existing_text_in_sections"),
    ]

    operations = [migrations.RunPython(let_editors_and_reviewers_read_feedback, take_it_back)]
