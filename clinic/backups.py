"""What `backup_site` and `restore_site` share."""

import os
import shutil
import subprocess

from django.core.management.base import CommandError

MANIFEST = "backup.json"


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
