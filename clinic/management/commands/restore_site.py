import json
import shutil
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic import page_cache
from clinic.backups import MANIFEST, run_postgres_tool


class Command(BaseCommand):
    help = "Restore a backup written by `backup_site`: the database, then the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Don't ask to confirm."
        )

    def handle(self, *args, folder, interactive, **options):
        folder = Path(folder)
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            raise CommandError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
        if manifest["vendor"] != connection.vendor:
            raise CommandError(
                f"This backup is of a {manifest['vendor']} database; the site now uses {connection.vendor}."
            )
        if interactive:
            answer = input(
                f"This replaces the contents of the database {connection.settings_dict['NAME']} "
                f"with the backup from {manifest['created']}. Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")

        _restore_database(folder / manifest["database"])
        _forget_cached_pages()
        if manifest["media"] and isinstance(default_storage, FileSystemStorage):
            shutil.copytree(folder / manifest["media"], settings.MEDIA_ROOT, dirs_exist_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Restored the backup from {manifest['created']}."))


def _forget_cached_pages():
    """Pages cached since the backup show what the restore has just undone."""
    page_cache.invalidate_site()


def _restore_database(dump):
    if connection.vendor == "postgresql":
        connection.close()
        run_postgres_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
            settings_dict=connection.settings_dict,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as backup:
            backup.backup(connection.connection)
        backup.close()
