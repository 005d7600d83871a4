from django.db import migrations

from core.roles import grant

EDITORS = "Clinical editors"


def create_clinical_editors(apps, schema_editor):
    grant(
        apps,
        EDITORS,
        model_permissions=[
            "wagtailadmin.access_admin",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.choose_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.choose_document",
        ],
        page_permissions=["add_page", "change_page", "lock_page", "unlock_page"],
    )


def remove_clinical_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_clinical_editors, remove_clinical_editors)]
