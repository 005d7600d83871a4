"""`make restore` puts back the content of a backup: the page cache, shared with the running site,
must not keep serving pages from after it."""

import shutil
import uuid

from tests.servers import Site, manage, site_environment

RENAME_ABOUT = """
from clinic.models import StandardPage
about = StandardPage.objects.get(slug="about")
about.title = "About us, renamed after the backup"
about.save_revision().publish()
"""


def test_a_restore_empties_the_page_cache(site_database_file, redis_server, tmp_path):
    shutil.copy(site_database_file, tmp_path / "site.sqlite3")
    environment = site_environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        REDIS_URL=redis_server.url,
        # Keys of its own, even should another test's server take the same port.
        CACHE_KEY_PREFIX=f"restore-{uuid.uuid4().hex}",
    )
    manage(environment, "collectstatic", "--noinput")
    manage(environment, "backup_site", "--to", str(tmp_path / "backup"))
    manage(environment, "shell", "-c", RENAME_ABOUT)

    site = Site(environment, tmp_path / "gunicorn.log")
    try:
        site.get("/about/")
        cached = site.get("/about/")
        assert cached.headers["X-Page-Cache"] == "hit"
        assert "renamed after the backup" in cached.text

        manage(environment, "restore_site", "--noinput", "--force", str(tmp_path / "backup"))
        restored = site.get("/about/")
        assert restored.status_code == 200
        assert "renamed after the backup" not in restored.text
    finally:
        site.stop()
