import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic.backups import MANIFEST, run_postgres_tool


class Command(BaseCommand):
    help = (
        "Write a restorable backup of the database and the uploaded files to a folder "
        "(BACKUP_DIR, default backups/<timestamp>). `restore_site <folder>` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="The folder to write (it must not exist yet).")

    def handle(self, *args, **options):
        folder = Path(options["to"] or _default_folder())
        if folder.exists():
            raise CommandError(f"{folder} already exists; backups never overwrite one another.")
        folder.mkdir(parents=True)

        database_file = _dump_database(folder)
        media_included = _copy_media(folder / "media")
        (folder / MANIFEST).write_text(
            json.dumps(
                {
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    "vendor": connection.vendor,
                    "database": database_file,
                    "media": "media" if media_included else None,
                },
                indent=2,
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        if not media_included:
            self.stdout.write("Uploaded files live in object storage and are not part of this backup.")


def _default_folder():
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "backups" / stamp


def _dump_database(folder):
    if connection.vendor == "postgresql":
        name = "database.pgdump"
        # Custom format: compressed, and pg_restore can recreate every object from it.
        run_postgres_tool(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(folder / name),
            settings_dict=connection.settings_dict,
        )
        return name
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        # SQLite's online backup: a consistent copy even while the site is writing.
        connection.ensure_connection()
        with sqlite3.connect(folder / name) as copy:
            connection.connection.backup(copy)
        copy.close()
        return name
    raise CommandError(f"Backups of {connection.vendor} databases are not supported.")


def _copy_media(destination):
    if not isinstance(default_storage, FileSystemStorage):
        return False
    source = Path(settings.MEDIA_ROOT)
    if source.is_dir():
        shutil.copytree(source, destination)
    else:
        destination.mkdir()
    return True
