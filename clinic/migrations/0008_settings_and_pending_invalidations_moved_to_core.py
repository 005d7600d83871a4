from django.db import migrations


class Migration(migrations.Migration):
    """The site settings and pending cache invalidations now belong to the core app (its 0001
    migration keeps their tables and rows): only this app's record of them goes."""

    dependencies = [
        ("clinic", "0007_remove_wagtail_default_roles"),
        ("core", "0001_moved_from_clinic"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ClinicSettings"),
                migrations.DeleteModel(name="TreatmentStatus"),
                migrations.DeleteModel(name="PendingCacheInvalidation"),
            ],
        ),
    ]
