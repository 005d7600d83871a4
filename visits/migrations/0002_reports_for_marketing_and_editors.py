from django.db import migrations

from core.roles import grant

# Marketing's numbers are for Marketing and the clinical editors (docs/roles.md); administrators see everything.
GROUPS = ["Marketing", "Clinical editors"]
PERMISSION = "visits.view_dailycount"


def give(apps, schema_editor):
    for group in GROUPS:
        grant(apps, group, model_permissions=[PERMISSION])


def take_back(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="visits", codename="view_dailycount")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_daily_counts"),
        # The groups, as the apps that create them leave them.
        ("articles", "0002_marketing_group"),
        ("conditions", "0001_initial"),
    ]

    operations = [migrations.RunPython(give, take_back)]
