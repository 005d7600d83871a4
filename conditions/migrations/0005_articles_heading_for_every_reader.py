from django.db import migrations, models

from conditions.models import articles_heading_for

# The heading every condition page started with; "click" assumes a mouse, and it names no condition.
OLD_DEFAULT = "Click any of the articles below for more information"


def replace_old_default(apps, schema_editor):
    """Pages (and their latest drafts) still carrying the old default take the new one; headings
    editors wrote themselves stay."""
    ConditionPage = apps.get_model("conditions", "ConditionPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for page in ConditionPage.objects.all():
        if page.articles_heading == OLD_DEFAULT:
            page.articles_heading = articles_heading_for(page.title)
            page.save(update_fields=["articles_heading"])
        draft = Revision.objects.filter(pk=page.latest_revision_id).first()
        if draft is not None and draft.content.get("articles_heading") == OLD_DEFAULT:
            draft.content["articles_heading"] = articles_heading_for(draft.content.get("title", page.title))
            draft.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0004_medical_review_records"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conditionpage",
            name="articles_heading",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Heads the list of related articles at the end of the page. "
                    "Left empty, it becomes 'Research and reading about' and the page's title."
                ),
                max_length=300,
            ),
        ),
        # Back to the old wording is not wanted: the reverse leaves headings as they are.
        migrations.RunPython(replace_old_default, migrations.RunPython.noop),
    ]
