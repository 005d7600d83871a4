import json
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backups import MANIFEST, UPLOADS, decrypt, run_postgres_tool
from core.cache_invalidation import forget_site


class Command(BaseCommand):
    help = "Restore a backup written by `backup_site`: the database, then the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Don't ask to confirm."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even over a database that already holds tables (they are replaced).",
        )
        parser.add_argument(
            "--identity",
            default=settings.BACKUP_AGE_IDENTITY_FILE,
            help="The age identity file that opens an encrypted backup (default: BACKUP_AGE_IDENTITY_FILE).",
        )

    def handle(self, *args, folder, interactive, force, identity, **options):
        folder = Path(folder)
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except FileNotFoundError:
            raise CommandError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
        if manifest["vendor"] != connection.vendor:
            raise CommandError(
                f"This backup is of a {manifest['vendor']} database; the site now uses {connection.vendor}."
            )
        if connection.introspection.table_names() and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} already holds tables, which a restore "
                "would replace. Restore into an empty database, or add --force to replace them."
            )
        if interactive:
            answer = input(
                f"This replaces the contents of the database {connection.settings_dict['NAME']} "
                f"with the backup from {manifest['created']}. Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")

        with tempfile.TemporaryDirectory(prefix="clinic-restore-") as scratch:
            database, uploads = _readable(folder, manifest, identity, Path(scratch))
            _restore_database(database)
            _clear_sessions()
            _purge_cached_pages()
            for kind, copied in uploads.items():
                storage = storages[UPLOADS[kind]]
                if copied and isinstance(storage, FileSystemStorage):
                    shutil.copytree(copied, storage.location, dirs_exist_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Restored the backup from {manifest['created']}."))


def _readable(folder, manifest, identity, scratch):
    """The database file and the folders of uploads of the backup (by kind), decrypted into
    `scratch` if need be. Backups made before documents were kept apart have no "documents"."""
    database = folder / manifest["database"]
    uploads = {kind: folder / manifest[kind] if manifest.get(kind) else None for kind in UPLOADS}
    if not manifest.get("encrypted"):
        return database, uploads
    database = decrypt(database, identity, scratch / database.stem)
    for kind, archived in uploads.items():
        if archived:
            with tarfile.open(decrypt(archived, identity, scratch / archived.stem)) as archive:
                archive.extractall(scratch, filter="data")
            uploads[kind] = scratch / kind
    return database, uploads


def _clear_sessions():
    """Nobody is signed in after a restore, whatever the backup held: sessions are not content."""
    Session.objects.all().delete()


def _purge_cached_pages():
    """Pages the cache in front kept since the backup show what the restore has just undone."""
    forget_site()


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
