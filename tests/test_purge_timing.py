"""What stands between a publish and its purge reaching Varnish (#27): a purge is sent before the
database is asked what Varnish missed, opens no transaction when nothing was missed, and the pages
showing a change get their addresses from one look-up of the sites, however many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from articles.models import ArticleIndexPage
from conditions.models import ConditionPage
from core.cache_invalidation import forget_what_shows, showing
from core.models import PendingPurge
from core.varnish import VarnishBackend
from tests.article_pages import add_article
from tests.frontend_cache import PurgeRecorder


@pytest.fixture
def timeline():
    """Every query the site makes and every purge Varnish receives (in another thread), in order."""
    events = []

    def record(execute, sql, params, many, context):
        events.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield events


@pytest.fixture
def varnish(timeline):
    server = PurgeRecorder(timeline)
    yield server
    server.shutdown()
    server.server_close()


def backend(varnish, **params):
    return VarnishBackend({"LOCATION": varnish.url, "PURGE_TOKEN": "t" * 32, **params})


def test_a_purge_is_sent_before_the_database_is_asked_what_varnish_missed(db, varnish, timeline):
    backend(varnish, SOFTLY=True).purge_keys(["/conditions/ms/"])
    (headers,) = varnish.headers
    assert headers["xkey-softpurge"] == "/conditions/ms/"
    before = timeline[: timeline.index(headers)]
    assert not any("core_pendingpurge" in sql for sql in before)


def test_nothing_missed_opens_no_transaction(db, varnish):
    with CaptureQueriesContext(connection) as made:
        backend(varnish, SOFTLY=True).purge_keys(["/conditions/ms/"])
    # Asking what was missed, and nothing else: no transaction (a savepoint here, in a test's).
    (asked,) = made
    assert asked["sql"].startswith('SELECT "core_pendingpurge"')


def test_a_key_missed_and_purged_again_ends_purged_at_once_and_no_longer_kept(db, varnish):
    varnish_backend = backend(varnish, SOFTLY=True)
    PendingPurge.objects.create(location=varnish_backend.location, surrogate_key="/about/")
    varnish_backend.purge_keys(["/about/", "/conditions/ms/"])
    sent = [
        headers.get("xkey-softpurge") or f"at once: {headers.get('xkey-purge')}"
        for headers in varnish.headers
    ]
    assert sent == ["/about/ /conditions/ms/", "at once: /about/"]
    assert not PendingPurge.objects.exists()


def test_a_missed_key_is_kept_until_taken(db, varnish):
    down = VarnishBackend({"LOCATION": "http://127.0.0.1:9", "PURGE_TOKEN": "t" * 32, "SOFTLY": True})
    down.purge_keys(["/about/"])
    assert list(PendingPurge.objects.values_list("surrogate_key", flat=True)) == ["/about/"]


@pytest.fixture
def site_roots_looked_up(monkeypatch):
    """How often the sites' roots are looked up (in the cache, or the database when not there)."""
    calls = []
    look_up = Site.get_site_root_paths

    def counted():
        calls.append(1)
        return look_up()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counted))
    return calls


def test_the_pages_showing_a_change_share_one_look_up_of_the_sites(db, cdn, site_roots_looked_up):
    condition = ConditionPage.objects.get(slug="multiple-sclerosis")
    for number in range(5):
        add_article(ArticleIndexPage.objects.get(), [condition], title=f"Wombat {number}")
    assert len(showing(condition)) > 10
    site_roots_looked_up.clear()
    forget_what_shows(condition, softly=True)
    assert len(site_roots_looked_up) == 2  # the pages' addresses, then every site's for the purge
