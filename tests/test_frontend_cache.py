"""A CDN in front of the site is purged of the same pages as the site's own cache, through
Wagtail's frontend-cache contrib, here pointed at a real local HTTP server that records PURGEs."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conditions.models import ConditionPage


class PurgeRecorder(BaseHTTPRequestHandler):
    purged = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    PurgeRecorder.purged = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield PurgeRecorder.purged
    server.shutdown()


def test_publishing_a_condition_purges_it_and_the_pages_that_list_it(
    cdn, db, django_capture_on_commit_callbacks
):
    page = ConditionPage.objects.get(slug="scleroderma")
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert {"/conditions/scleroderma/", "/conditions/", "/", "/sitemap.xml", "/search/", "/articles/"} <= set(
        cdn
    )
    assert "/conditions/multiple-sclerosis/" not in cdn


def test_a_site_wide_change_purges_every_live_page(cdn, db, django_capture_on_commit_callbacks):
    from clinic.models import ClinicSettings

    with django_capture_on_commit_callbacks(execute=True):
        details = ClinicSettings.objects.get()
        details.phone = "020 7946 0111"
        details.save()
    assert {"/", "/conditions/multiple-sclerosis/", "/about/", "/articles/feed/"} <= set(cdn)
