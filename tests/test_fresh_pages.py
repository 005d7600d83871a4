"""Without an HTTP cache in front (`make run`, a bare gunicorn) the site keeps no page of its own:
a change made by another process (a scheduled publish, the nightly evidence check) shows on the
next request, as it would behind Varnish once purged."""

import shutil

import pytest

from tests.servers import Site, manage, site_environment

pytestmark = pytest.mark.servers

PAGE = "/conditions/multiple-sclerosis/"

SCHEDULE_NEW_SUMMARY = """
import datetime
from django.utils import timezone
from conditions.models import ConditionPage
page = ConditionPage.objects.get(slug="multiple-sclerosis")
page.summary = "A summary scheduled to go live."
page.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
"""


def test_a_scheduled_publish_run_in_another_process_shows_on_the_next_request(site_database_file, tmp_path):
    shutil.copy(site_database_file, tmp_path / "site.sqlite3")
    environment = site_environment(
        tmp_path,
        DJANGO_SETTINGS_MODULE="clinic.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
    )
    site = Site(environment, tmp_path / "gunicorn.log")
    try:
        assert "A summary scheduled to go live." not in site.get(PAGE).text
        manage(environment, "shell", "-c", SCHEDULE_NEW_SUMMARY)
        manage(environment, "publish_scheduled")
        assert "A summary scheduled to go live." in site.get(PAGE).text
    finally:
        site.stop()
