"""The site settings and the page cache's pending invalidations, moved here from the clinic app
(the site layer) so that every app can use them: the tables and their rows stay, renamed, and so do
the content types (with the permissions and log entries that point at them)."""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


MOVED_MODELS = ["clinicsettings", "treatmentstatus", "pendingcacheinvalidation"]


def relabel_content_types(from_label, to_label):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(app_label=from_label, model__in=MOVED_MODELS).update(app_label=to_label)

    return relabel


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clinic', '0007_remove_wagtail_default_roles'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PendingCacheInvalidation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('generation_key', models.CharField(max_length=200)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'clinic_pendingcacheinvalidation',
                    },
                ),
                migrations.CreateModel(
                    name='ClinicSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(default='Clinic', max_length=120)),
                        ('phone', models.CharField(blank=True, max_length=40)),
                        ('email', models.EmailField(blank=True, max_length=254)),
                        ('address', models.TextField(blank=True, help_text='One line per line of the postal address.')),
                        ('opening_hours', models.TextField(blank=True, help_text="One line per line, e.g. 'Mon–Fri 9:00–17:00'.")),
                        ('editorial_policy_page', models.ForeignKey(blank=True, help_text='How content is reviewed, linked from every condition page and the footer.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('privacy_page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('questions_page', models.ForeignKey(blank=True, help_text="'Questions to ask before stem cell treatment', linked from every condition page and the footer.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL)),
                        ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
                    ],
                    options={
                        'verbose_name': 'Clinic details',
                        'db_table': 'clinic_clinicsettings',
                    },
                ),
                migrations.CreateModel(
                    name='TreatmentStatus',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('notice', wagtail.fields.RichTextField(help_text='Say plainly whether the treatment is approved, for what, and where it is offered.')),
                        ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
                    ],
                    options={
                        'verbose_name': 'Treatment status notice',
                        'db_table': 'clinic_treatmentstatus',
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types("clinic", "core"), relabel_content_types("core", "clinic")),
        migrations.AlterModelTable(name='clinicsettings', table=None),
        migrations.AlterModelTable(name='treatmentstatus', table=None),
        migrations.AlterModelTable(name='pendingcacheinvalidation', table=None),
    ]
