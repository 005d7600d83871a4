"""What `backup_site` and `restore_site` share.

A backup holds what the clinic could not recreate: the content, patients' requests, staff
accounts, uploaded files. It never holds what would let its reader in: signed-in sessions, nor
axes' lockout counters (short-lived, and restoring them would bring back stale lockouts). Axes'
log of failed sign-ins is kept: it is the audit trail. Everything is readable by its owner only,
and encrypted with age when BACKUP_AGE_RECIPIENTS names public keys.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.management.base import CommandError

MANIFEST = "backup.json"
# Tables whose rows a backup leaves out (their structure is kept, so a restore recreates them empty).
EXCLUDED_TABLE_DATA = [
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accesslog",
]
ENCRYPTED_SUFFIX = ".age"
# The folders of uploaded files in a backup, and the storage each comes from and goes back to.
UPLOADS = {"media": "default", "documents": "documents"}


def run_postgres_tool(name, *arguments, settings_dict):
    """Run pg_dump or pg_restore against the site's database. The connection details, password
    included, go in the environment so that they never appear in a process listing."""
    executable = shutil.which(name)
    if executable is None:
        raise CommandError(f"{name} is not installed (it comes with the PostgreSQL client tools).")
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    result = subprocess.run(  # noqa: S603 - a fixed program; the arguments are ours
        [executable, *arguments], env=environment, capture_output=True, text=True
    )
    if result.returncode:
        raise CommandError(f"{name} failed: {result.stderr.strip()}")


def keep_private(folder):
    """Folders 0700 and files 0600 throughout: copied files keep their own modes otherwise."""
    folder = Path(folder)
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def recipients():
    """The age public keys of BACKUP_AGE_RECIPIENTS; none means no encryption."""
    try:
        return [pyrage.x25519.Recipient.from_str(key) for key in settings.BACKUP_AGE_RECIPIENTS]
    except pyrage.RecipientError as error:
        raise CommandError(
            f"BACKUP_AGE_RECIPIENTS holds something that is not an age public key: {error}"
        ) from None


def encrypt(path, recipients):
    """Replace `path` with its age-encrypted copy, `path`.age; return the new path."""
    encrypted = path.with_name(path.name + ENCRYPTED_SUFFIX)
    pyrage.encrypt_file(str(path), str(encrypted), recipients)
    path.unlink()
    return encrypted


def decrypt(path, identity_file, destination):
    """Decrypt the backup file `path` into `destination` with the age identities in `identity_file`."""
    if identity_file is None:
        raise CommandError(
            "This backup is encrypted: give the age identity file that can open it "
            "(--identity, or BACKUP_AGE_IDENTITY_FILE)."
        )
    lines = Path(identity_file).read_text().splitlines()
    try:
        identities = [
            pyrage.x25519.Identity.from_str(line.strip()) for line in lines if line.startswith("AGE-")
        ]
        pyrage.decrypt_file(str(path), str(destination), identities)
    except (pyrage.IdentityError, pyrage.DecryptError) as error:
        raise CommandError(f"Could not decrypt {path.name} with {identity_file}: {error}") from None
    return destination
