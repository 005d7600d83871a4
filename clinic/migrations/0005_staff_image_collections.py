"""Wagtail checks image and document permissions per collection, so the image and document
permissions the staff groups hold do nothing until they apply to the root collection (and so to
every collection)."""

from django.db import migrations

GROUPS = ["Clinical editors", "Medical reviewers"]
APPS = ["wagtailimages", "wagtaildocs"]


def grant_on_root_collection(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group in Group.objects.filter(name__in=GROUPS):
        for permission in group.permissions.filter(content_type__app_label__in=APPS):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def revoke_on_root_collection(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name__in=GROUPS, collection__depth=1, permission__content_type__app_label__in=APPS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_site_wide_page_links"),
        ("conditions", "0003_medical_review_workflow"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant_on_root_collection, revoke_on_root_collection)]
