"""`make restore` puts back the content of a backup: the cache in front of the site must not keep
serving pages from after it, so every page is purged."""

import shutil

import pytest

from tests.servers import manage, site_environment

pytestmark = pytest.mark.servers

RENAME_ABOUT = """
from clinic.models import StandardPage
about = StandardPage.objects.get(slug="about")
about.title = "About us, renamed after the backup"
about.save_revision().publish()
"""


def test_a_restore_purges_every_page_from_the_cache_in_front(site_database_file, purge_recorder, tmp_path):
    shutil.copy(site_database_file, tmp_path / "site.sqlite3")
    environment = site_environment(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    manage(environment, "backup_site", "--to", str(tmp_path / "backup"))
    manage(environment, "shell", "-c", RENAME_ABOUT)

    in_front = {**environment, "FRONTEND_CACHE_HTTP_LOCATION": purge_recorder.url}
    manage(in_front, "restore_site", "--noinput", "--force", str(tmp_path / "backup"))
    assert set(purge_recorder.purged) >= {
        "/",
        "/about/",
        "/conditions/",
        "/conditions/multiple-sclerosis/",
        "/articles/",
        "/articles/feed/",
        "/sitemap.xml",
        "/search/",
    }
