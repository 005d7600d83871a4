from django.db import migrations

from core.roles import grant

MARKETING = "Marketing"
IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def create_marketing(apps, schema_editor):
    # Page permissions on the articles index are granted where that page is created (articles.roles).
    grant(
        apps,
        MARKETING,
        model_permissions=["wagtailadmin.access_admin", *(f"wagtailimages.{name}" for name in IMAGE_PERMISSIONS)],
    )


def remove_marketing(apps, schema_editor):
    # Only what this migration gave: other apps may give the group permissions of their own.
    Permission = apps.get_model("auth", "Permission")
    images = Permission.objects.filter(content_type__app_label="wagtailimages", codename__in=IMAGE_PERMISSIONS)
    for marketing in apps.get_model("auth", "Group").objects.filter(name=MARKETING):
        marketing.permissions.remove(*images)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        # After these, which give every admin group of their day the right to choose any image or document.
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_marketing, remove_marketing)]
