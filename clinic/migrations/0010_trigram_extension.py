"""pg_trgm on PostgreSQL, for site search's trigram similarity (Wagtail's `Fuzzy` query in
`clinic/search.py`): a misspelt condition still finds its page. Django's operation does nothing on
another database (SQLite in development and most tests), whose search has no such query."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clinic", "0009_urgent_help_card")]

    operations = [TrigramExtension()]
