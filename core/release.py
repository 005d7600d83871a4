"""Which release of the site's code is serving. The page cache and the site's facts file what they
keep under it, so that after a deploy no server answers with a page rendered by the code before
it: its markup, or the hashed name of a CSS file the new release no longer serves.

RELEASE in the environment names it (a deployment can set its commit); otherwise it is worked out
once per process from the project's own files (its apps' code, templates and static files, the
templates folder and the pinned requirements), which every server running the same code shares.
"""

import functools
import hashlib
from pathlib import Path

from django.apps import apps
from django.conf import settings


def current():
    return settings.RELEASE or _project_digest()


@functools.cache
def _project_digest():
    base = Path(settings.BASE_DIR)
    places = {Path(config.path) for config in apps.get_app_configs() if Path(config.path).parent == base}
    places.update(Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", []))
    places.add(base / "requirements.txt")
    return digest_of_files(base, places)


def digest_of_files(base, places):
    """A short digest of these files and every file below these folders, with their paths from `base`."""
    digest = hashlib.blake2b(digest_size=8)
    files = {place for place in places if place.is_file()}
    files.update(path for place in places if place.is_dir() for path in place.rglob("*") if path.is_file())
    for path in sorted(files):
        if "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
