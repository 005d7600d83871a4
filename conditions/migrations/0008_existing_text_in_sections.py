"""Condition pages written before sections existed keep every word: their whole text becomes the
"How stem cell therapy may help" section (the client's text is about that), in the page and in
every saved version, so that the editor opens the text as it was. Editors move sentences to other
sections as they write them (the editor's panel lists those still missing)."""

import json
import uuid

from django.db import connection, migrations

SECTION = "stem_cells"


def into_section(blocks):
    if any(block.get("type") == SECTION for block in blocks) or not blocks:
        return blocks
    return [{"type": SECTION, "value": {"heading": "", "content": blocks}, "id": str(uuid.uuid4())}]


def out_of_sections(blocks):
    return [inner for block in blocks for inner in block["value"]["content"]]


def convert(apps, change):
    ConditionPage = apps.get_model("conditions", "ConditionPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Read and written as stored: loaded through either version of the field, the other's blocks
    # would be dropped as unknown.
    table = ConditionPage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT page_ptr_id, body FROM {table}")  # noqa: S608 - the model's own table
        for pk, body in cursor.fetchall():
            cursor.execute(
                f"UPDATE {table} SET body = %s WHERE page_ptr_id = %s",  # noqa: S608
                [json.dumps(change(body if isinstance(body, list) else json.loads(body))), pk],
            )
    content_type = ContentType.objects.filter(app_label="conditions", model="conditionpage").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(content_type=content_type):
        body = revision.content.get("body")
        if body:
            revision.content["body"] = json.dumps(change(json.loads(body)))
            revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    convert(apps, into_section)


def backwards(apps, schema_editor):
    convert(apps, out_of_sections)


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0007_condition_pages_in_sections"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
