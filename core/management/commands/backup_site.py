import json
import os
import shutil
import sqlite3
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backups import (
    EXCLUDED_TABLE_DATA,
    MANIFEST,
    UPLOADS,
    encrypt,
    keep_private,
    recipients,
    run_postgres_tool,
)


class Command(BaseCommand):
    help = (
        "Write a restorable backup of the database and the uploaded files to a folder "
        "(BACKUP_DIR, default backups/<timestamp>), readable by its owner only, without sessions; "
        "encrypted when BACKUP_AGE_RECIPIENTS is set, and copied to BACKUP_S3_BUCKET when that is. "
        "`restore_site <folder>` brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="The folder to write (it must not exist yet).")

    def handle(self, *args, **options):
        folder = Path(options["to"] or _default_folder())
        if folder.exists():
            raise CommandError(f"{folder} already exists; backups never overwrite one another.")
        encrypt_to = recipients()
        # Nothing written here (pg_dump's output included) is ever readable by anyone else, not
        # even for the moment before keep_private() runs.
        previous_umask = os.umask(0o077)
        try:
            folder.mkdir(parents=True)
            database_file = _dump_database(folder)
            # Images in "media", documents (kept apart from them, private) in "documents".
            uploads = {
                kind: kind if _copy_uploads(storages[alias], folder / kind) else None
                for kind, alias in UPLOADS.items()
            }
            if encrypt_to:
                database_file = encrypt(folder / database_file, encrypt_to).name
                uploads = {
                    kind: encrypt(_archive(folder / copied), encrypt_to).name if copied else None
                    for kind, copied in uploads.items()
                }
            (folder / MANIFEST).write_text(
                json.dumps(
                    {
                        "created": datetime.now(UTC).isoformat(timespec="seconds"),
                        "vendor": connection.vendor,
                        "database": database_file,
                        **uploads,
                        "encrypted": bool(encrypt_to),
                    },
                    indent=2,
                )
            )
            keep_private(folder)
        finally:
            os.umask(previous_umask)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        if not all(uploads.values()):
            self.stdout.write("Uploaded files in object storage are not part of this backup.")
        if settings.BACKUP_S3_BUCKET:
            location = _copy_off_the_machine(folder)
            self.stdout.write(self.style.SUCCESS(f"Copied to {location}"))


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
            *(f"--exclude-table-data={table}" for table in EXCLUDED_TABLE_DATA),
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
            present = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            for table in present.intersection(EXCLUDED_TABLE_DATA):
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608 - names from our own list
        # Deleted rows linger in free pages until the file is rewritten.
        copy.execute("VACUUM")
        copy.close()
        return name
    raise CommandError(f"Backups of {connection.vendor} databases are not supported.")


def _copy_uploads(storage, destination):
    if not isinstance(storage, FileSystemStorage):
        return False
    source = Path(storage.location)
    if source.is_dir():
        shutil.copytree(source, destination)
    else:
        destination.mkdir()
    return True


def _archive(uploads_folder):
    """One file for a folder of uploads, so that it can be encrypted whole; the folder goes."""
    archive = uploads_folder.with_name(f"{uploads_folder.name}.tar")
    with tarfile.open(archive, "w") as tar:
        tar.add(uploads_folder, arcname=uploads_folder.name)
    shutil.rmtree(uploads_folder)
    return archive


def _copy_off_the_machine(folder):
    """Every file of the backup to BACKUP_S3_BUCKET (under BACKUP_S3_PREFIX/<folder name>/), through
    django-storages; AWS_* credentials and endpoint as for uploads."""
    from storages.backends.s3 import S3Storage

    storage = S3Storage(
        bucket_name=settings.BACKUP_S3_BUCKET,
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL,
        region_name=settings.BACKUP_S3_REGION_NAME,
        location=settings.BACKUP_S3_PREFIX,
        default_acl="private",
        querystring_auth=True,
        file_overwrite=False,
    )
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with path.open("rb") as content:
            storage.save(f"{folder.name}/{path.relative_to(folder).as_posix()}", File(content))
    return f"s3://{storage.bucket_name}/{storage.location}/{folder.name}/"
