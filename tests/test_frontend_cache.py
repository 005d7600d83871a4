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
    from core.models import ClinicSettings

    with django_capture_on_commit_callbacks(execute=True):
        details = ClinicSettings.objects.get()
        details.phone = "020 7946 0111"
        details.save()
    assert {"/", "/conditions/multiple-sclerosis/", "/about/", "/articles/feed/"} <= set(cdn)


def test_a_new_redirect_purges_the_address_it_answers_for(cdn, db, django_capture_on_commit_callbacks):
    """A CDN may have kept the old answer at that address (a 404, or an earlier redirect)."""
    from wagtail.contrib.redirects.models import Redirect

    with django_capture_on_commit_callbacks(execute=True):
        Redirect.objects.create(old_path="/old-fees", redirect_link="/about/")
    assert "/old-fees/" in cdn or "/old-fees" in cdn


def test_an_image_change_purges_the_pages_showing_it(cdn, db, django_capture_on_commit_callbacks):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Clinic", file=get_test_image_file(), description="Before")
    page = ConditionPage.objects.get(slug="scleroderma")
    page.hero_image = image
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    cdn.clear()
    with django_capture_on_commit_callbacks(execute=True):
        image.description = "After"
        image.save()
    # The page, and the listings whose cards show its picture.
    assert {"/conditions/scleroderma/", "/conditions/", "/"} <= set(cdn)
    assert "/about/" not in cdn
