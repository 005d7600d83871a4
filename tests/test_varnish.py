"""Varnish in front of the site, as `make serve-varnish` runs it (deploy/varnish/clinic.vcl): pages
are served by Varnish, a change published through the admin is read through it at once on every
variant of the page, pages stay available while gunicorn is down, and nothing private or failed is
ever kept. Real varnishd and gunicorn, on a PostgreSQL server and a Redis server of their own."""

import time
from types import SimpleNamespace

import pytest
import requests

from tests.admin_forms import condition_page_form
from tests.servers import (
    CREATE_ADMIN,
    Site,
    ThrowawayVarnish,
    csrf_token,
    manage,
    signed_in_admin,
    wait_until,
)

PAGE = "/conditions/multiple-sclerosis/"
VARIANT = f"{PAGE}?utm_source=x"


@pytest.fixture(scope="module")
def site_content(throwaway_site_environment):
    page = manage(
        throwaway_site_environment,
        "shell",
        "-c",
        CREATE_ADMIN + "from conditions.models import ConditionPage as C;"
        "p = C.objects.get(slug='multiple-sclerosis');"
        "print(p.pk, p.title, p.summary, p.articles_heading, sep='|')",
    )
    page_id, title, summary, articles_heading = page.strip().splitlines()[-1].split("|")
    return SimpleNamespace(
        id=page_id, title=title, slug="multiple-sclerosis", summary=summary, articles_heading=articles_heading
    )


class Front:
    """Varnish on its port in front of the site's gunicorn, purged by the site."""

    def __init__(self, environment, redis_url, folder, cdn_max_age):
        self.varnish = ThrowawayVarnish()
        self.site = Site(
            {
                **environment,
                "REDIS_URL": redis_url,
                "FRONTEND_CACHE_VARNISH_LOCATION": self.varnish.url,
                "VARNISH_PURGE_TOKEN": self.varnish.purge_token,
                "CDN_MAX_AGE": str(cdn_max_age),
                "TRUSTED_PROXY_COUNT": "1",
                "ACCESS_LOG": "-",
            },
            folder / "gunicorn.log",
        )
        self.varnish.start(self.site.port)

    def get(self, path, **kwargs):
        return requests.get(self.varnish.url + path, timeout=30, allow_redirects=False, **kwargs)

    def purge(self, path, **headers):
        """A PURGE of every variant of `path`, as the site sends it (core/varnish.py)."""
        return requests.request(
            "PURGE", self.varnish.url + "/", headers={"xkey-purge": path, **headers}, timeout=30
        )

    def assert_gunicorn_answered(self, path, times):
        """That gunicorn answered exactly `times` requests for `path`. It logs a request just after
        answering it, so the log is given a moment to show any beyond those."""

        def answered():
            return self.site.logged().count(f'"GET {path} HTTP/1.1"')

        wait_until(lambda: answered() >= times, f"gunicorn to log {path}", seconds=10)
        time.sleep(0.3)
        assert answered() == times, path

    def stop(self):
        if self.site.process.poll() is None:
            self.site.stop()
        self.varnish.stop()


@pytest.fixture
def start_front(throwaway_site_environment, redis_server, tmp_path):
    started = []

    def start(cdn_max_age=300):
        started.append(Front(throwaway_site_environment, redis_server.url, tmp_path, cdn_max_age))
        return started[-1]

    yield start
    for front in started:
        front.stop()


def test_pages_and_their_variants_are_served_by_varnish(start_front):
    front = start_front()
    for path in (PAGE, VARIANT):
        assert front.get(path).headers["X-Cache"] == "miss"
        served = front.get(path)
        assert served.status_code == 200 and served.headers["X-Cache"] == "hit", path
        assert "multiple sclerosis" in served.text.lower()
        front.assert_gunicorn_answered(path, 1)
    # Cookies that have nothing to do with a session are no way around the cache.
    with_cookies = front.get(PAGE, headers={"Cookie": "_ga=GA1.1.1; csrftoken=made-up"})
    assert with_cookies.headers["X-Cache"] == "hit"
    # The surrogate keys are Varnish's business alone.
    assert "xkey" not in served.headers
    time.sleep(1.1)
    assert int(front.get(PAGE).headers["Age"]) >= 1


def test_a_change_published_through_the_admin_is_read_through_varnish_at_once(start_front, site_content):
    front = start_front()
    for path in (PAGE, VARIANT):
        front.get(path)
        cached = front.get(path)
        assert cached.headers["X-Cache"] == "hit"
        assert "Freshly published wording." not in cached.text

    staff = signed_in_admin(front.varnish.url)
    edit_url = f"{front.varnish.url}/admin/pages/{site_content.id}/edit/"
    form = condition_page_form(
        site_content, paragraphs=["Freshly published wording."], action="action-publish"
    )
    form["csrfmiddlewaretoken"] = csrf_token(staff.get(edit_url, timeout=30).text)
    published = staff.post(edit_url, data=form, timeout=60, allow_redirects=False)
    assert published.status_code == 302

    for path in (PAGE, VARIANT):
        fresh = front.get(path)
        assert fresh.status_code == 200
        assert "Freshly published wording." in fresh.text, path


def test_only_purges_carrying_the_site_s_secret_are_taken(start_front):
    # Sent from 127.0.0.1, as every visitor's request is behind a TLS proxy on the same host.
    front = start_front()
    for path in (PAGE, VARIANT):
        front.get(path)
    for refused in (
        front.purge(PAGE),
        front.purge(PAGE, **{"X-Purge-Token": ""}),
        front.purge(PAGE, **{"X-Purge-Token": "a-guess-" + front.varnish.purge_token[8:]}),
        front.purge(PAGE, **{"X-Purge-Token": front.varnish.purge_token + "x"}),
    ):
        assert refused.status_code == 403
        for path in (PAGE, VARIANT):
            assert front.get(path).headers["X-Cache"] == "hit", path

    purged = front.purge(PAGE, **{"X-Purge-Token": front.varnish.purge_token})
    assert purged.status_code == 200
    for path in (PAGE, VARIANT):
        assert front.get(path).headers["X-Cache"] == "miss", path
    front.assert_gunicorn_answered(PAGE, 2)


def test_while_gunicorn_is_down_varnish_serves_the_pages_it_has(start_front):
    # Pages kept for a second only: what follows is served past that, from Varnish's grace.
    front = start_front(cdn_max_age=1)
    for path in (PAGE, VARIANT):
        assert front.get(path).status_code == 200
    fetched = time.monotonic()

    front.site.stop()
    wait_until(lambda: not front.varnish.backend_is_healthy(), "Varnish to see gunicorn down")
    # Past the page's lifetime and the few seconds of grace it has while the site is up.
    time.sleep(max(0, fetched + 12 - time.monotonic()))
    for path in (PAGE, VARIANT):
        kept = front.get(path)
        assert kept.status_code == 200, path
        assert "multiple sclerosis" in kept.text.lower()
        assert int(kept.headers["Age"]) >= 12
    never_fetched = front.get("/about/")
    assert never_fetched.status_code == 503
    assert never_fetched.headers["Retry-After"] == "30"
    assert "We'll be back shortly" in never_fetched.text


def test_the_admin_forms_and_signed_in_visits_are_never_cached(start_front):
    front = start_front()
    front.get(PAGE)
    assert front.get(PAGE).headers["X-Cache"] == "hit"

    for _ in range(2):
        assert front.get("/admin/login/").headers["X-Cache"] == "pass"

    # A form sent, with its mistakes: the answer is the sender's alone.
    visitor = requests.Session()
    form_page = visitor.get(f"{front.varnish.url}/contact/", timeout=30)
    assert form_page.headers["X-Cache"] != "hit"
    sent = visitor.post(
        f"{front.varnish.url}/contact/", data={"csrfmiddlewaretoken": csrf_token(form_page.text)}, timeout=30
    )
    assert sent.status_code == 200 and sent.headers["X-Cache"] == "pass"
    assert 'aria-invalid="true"' in sent.text
    afterwards = front.get("/contact/")
    assert afterwards.headers["X-Cache"] != "hit"
    assert 'aria-invalid="true"' not in afterwards.text

    # Signed-in staff see the page as it is now, never a copy kept for everyone, nor kept for others.
    staff = signed_in_admin(front.varnish.url)
    seen_by_staff = staff.get(f"{front.varnish.url}{PAGE}", timeout=30)
    assert seen_by_staff.headers["X-Cache"] == "pass"
    assert "private" in seen_by_staff.headers["Cache-Control"]
    assert front.get(PAGE).headers["X-Cache"] == "hit"


def test_errors_are_never_kept(start_front, throwaway_postgres):
    front = start_front()
    # A page that does not exist, or an address naming nothing (a page past the last).
    for path in ("/no-such-page/", "/articles/?page=99999"):
        for _ in range(2):
            missing = front.get(path)
            assert missing.status_code == 404 and missing.headers["X-Cache"] != "hit"
        front.assert_gunicorn_answered(path, 2)
    # A search written another way is sent to its one address, every time.
    for _ in range(2):
        assert front.get("/search/?q=MYELIN").headers["X-Cache"] != "hit"
    front.assert_gunicorn_answered("/search/?q=MYELIN", 2)

    throwaway_postgres.stop()
    try:
        assert front.get("/about/").status_code == 503
    finally:
        throwaway_postgres.start()
    wait_until(front.varnish.backend_is_healthy, "Varnish to see the site back")
    recovered = front.get("/about/")
    assert recovered.status_code == 200
    assert recovered.headers["X-Cache"] == "miss"
