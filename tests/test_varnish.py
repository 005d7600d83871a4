"""Varnish in front of the site, as `make serve` runs it (deploy/varnish/clinic.vcl), the one page
cache: pages are served by Varnish under one entry whatever junk their address carries, a change
(through the admin, or a command in another process) is read through every Varnish server at once,
a purge a server missed is sent again once it answers, a new release empties it, nothing private,
signed-in or failed is ever kept, made-up sessions are limited, and pages stay available while
gunicorn is down. Real varnishd and gunicorn, on a PostgreSQL server and a Redis server of their own."""

import json
import re
import time
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
import requests
from bs4 import BeautifulSoup
from wagtail.models import get_page_models

from clinic.search import QUERY_PARAMETERS
from clinic.urls import SITEMAP_QUERY_PARAMETERS
from tests.admin_forms import condition_page_form
from tests.servers import (
    CREATE_ADMIN,
    Link,
    Site,
    ThrowawayRedis,
    ThrowawayVarnish,
    csrf_token,
    free_port,
    manage,
    signed_in_admin,
    wait_until,
)

pytestmark = pytest.mark.servers

PAGE = "/conditions/multiple-sclerosis/"
# How long after a Varnish server answers again a purge it missed may take to reach it: the
# retry interval (PURGE_RETRY_SECONDS) and a request's time.
RETRY_WITHIN = 5 + 3

SETUP = """
import json
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageViewRestriction
from conditions.models import ConditionPage as C
p = C.objects.get(slug="multiple-sclerosis")
login_only = C.objects.get(slug="rheumatoid-arthritis")
PageViewRestriction.objects.create(page=login_only, restriction_type="login")
password = Page.objects.get(slug="questions-to-ask")
PageViewRestriction.objects.create(page=password, restriction_type="password", password="open-sesame-42")
pictured = C.objects.get(slug="scleroderma")
pictured.hero_image = Image.objects.create(title="Hands", file=get_test_image_file(), description="Hands at rest")
pictured.save_revision().publish()
print(json.dumps({
    "id": p.pk, "title": p.title, "slug": p.slug, "summary": p.summary,
    "articles_heading": p.articles_heading,
    "login_only": login_only.url, "password": password.url, "password_page_id": password.pk,
    "pictured": pictured.url, "image_id": pictured.hero_image_id,
}))
"""


@pytest.fixture(scope="module")
def site_content(throwaway_site_environment):
    printed = manage(throwaway_site_environment, "shell", "-c", CREATE_ADMIN + SETUP)
    return SimpleNamespace(**json.loads(printed.strip().splitlines()[-1]))


def shell(environment, code):
    """Python run by `manage.py shell` in a process of its own, as a command an operator runs."""
    return manage(environment, "shell", "-c", code)


class Front:
    """Varnish servers on their ports in front of one gunicorn, all purged by the site: `nearby`
    directly, the others through a network link a test may cut (`links`)."""

    def __init__(self, environment, folder, *, servers=1, cdn_max_age=86400):
        self.environment = environment
        self.folder = folder
        self.varnishes = [ThrowawayVarnish() for _ in range(servers)]
        self.links = [Link(varnish.port) for varnish in self.varnishes[1:]]
        self.nearby = self.varnishes[0]
        backend_port = free_port()
        for varnish in self.varnishes:
            # One secret for every Varnish server, as the site has one.
            varnish.purge_token = self.nearby.purge_token
            varnish.start(backend_port)
        locations = [self.nearby.url, *(f"http://127.0.0.1:{link.port}" for link in self.links)]
        self.site_environment = {
            **environment,
            "FRONTEND_CACHE_VARNISH_LOCATION": ",".join(locations),
            "VARNISH_PURGE_TOKEN": self.nearby.purge_token,
            "CDN_MAX_AGE": str(cdn_max_age),
            "TRUSTED_PROXY_COUNT": "1",
            "SERVE_MEDIA": "true",
            "ACCESS_LOG": "-",
        }
        self.start_site(backend_port)

    def start_site(self, port):
        """Starts gunicorn; returns the seconds from its first answer until every Varnish counts
        it up."""
        self.site = Site(self.site_environment, self.folder / "gunicorn.log", port=port)
        answered = time.monotonic()
        for varnish in self.varnishes:
            wait_until(varnish.backend_is_healthy, "Varnish to see the site")
        return time.monotonic() - answered

    def restart_site(self):
        self.site.stop()
        return self.start_site(self.site.port)

    def get(self, path, varnish=None, **kwargs):
        varnish = varnish or self.nearby
        return requests.get(varnish.url + path, timeout=30, allow_redirects=False, **kwargs)

    def purge(self, path, varnish=None, **headers):
        """A PURGE of every variant of `path`, as the site sends it (core/varnish.py)."""
        varnish = varnish or self.nearby
        return requests.request(
            "PURGE", varnish.url + "/", headers={"xkey-purge": path, **headers}, timeout=30
        )

    def forget(self, *paths):
        """Every Varnish server forgets these pages, so that a test starts from a miss."""
        for varnish in self.varnishes:
            for path in paths:
                assert self.purge(path, varnish, **{"X-Purge-Token": varnish.purge_token}).ok

    def cached(self, path, varnish=None):
        """The page, once Varnish keeps it."""
        self.get(path, varnish)
        kept = self.get(path, varnish)
        assert kept.headers["X-Cache"] == "hit", path
        return kept

    def gunicorn_answered(self, request_line):
        """How many times gunicorn answered this request ("GET /path?query"). It logs a request
        just after answering it, so the log is given a moment to show any beyond those."""
        time.sleep(0.3)
        return self.site.logged().count(f'"{request_line} HTTP/1.1"')

    def stop(self):
        if self.site.process.poll() is None:
            self.site.stop()
        for link in self.links:
            link.cut()
        for varnish in self.varnishes:
            varnish.stop()


@pytest.fixture(scope="module")
def front(throwaway_site_environment, site_content, tmp_path_factory):
    """Two Varnish servers in front of the site, kept for the module's tests."""
    redis_server = ThrowawayRedis()
    started = Front(
        {**throwaway_site_environment, "REDIS_URL": redis_server.url},
        tmp_path_factory.mktemp("front"),
        servers=2,
    )
    yield started
    started.stop()
    redis_server.kill()


@pytest.fixture
def start_front(throwaway_site_environment, tmp_path):
    """A Varnish and a site of the test's own, which it may stop or restart."""
    started = []

    def start(**options):
        started.append(Front(throwaway_site_environment, tmp_path, **options))
        return started[-1]

    yield start
    for front in started:
        front.stop()


def publish_through_the_admin(front, site_content, paragraph):
    staff = signed_in_admin(front.nearby.url)
    edit_url = f"{front.nearby.url}/admin/pages/{site_content.id}/edit/"
    form = condition_page_form(site_content, paragraphs=[paragraph], action="action-publish")
    form["csrfmiddlewaretoken"] = csrf_token(staff.get(edit_url, timeout=30).text)
    published = staff.post(edit_url, data=form, timeout=60, allow_redirects=False)
    assert published.status_code == 302


def test_pages_are_served_by_varnish_under_one_entry_whatever_junk_their_address_carries(front):
    front.forget(PAGE, "/search/")
    assert front.get(PAGE).headers["X-Cache"] == "miss"
    for path in (PAGE, f"{PAGE}?utm_source=x", f"{PAGE}?x=1&utm_medium=y&", f"{PAGE}?fbclid"):
        served = front.get(path)
        assert served.status_code == 200 and served.headers["X-Cache"] == "hit", path
        assert "multiple sclerosis" in served.text.lower()
    assert front.gunicorn_answered(f"GET {PAGE}") == 1

    # A parameter the page reads is kept, whatever else comes with it and in whichever order.
    assert front.get("/search/?q=myelin").headers["X-Cache"] == "miss"
    for path in ("/search/?utm_source=x&q=myelin", "/search/?q=myelin&qq=1", "/search/?x=&q=myelin&y"):
        found = front.get(path)
        assert found.headers["X-Cache"] == "hit", path
        assert 'value="myelin"' in found.text
    assert front.gunicorn_answered("GET /search/?q=myelin") == 1
    assert "utm_source" not in front.site.logged()

    # Cookies that have nothing to do with a session are no way around the cache.
    with_cookies = front.get(PAGE, headers={"Cookie": "_ga=GA1.1.1; csrftoken=made-up"})
    assert with_cookies.headers["X-Cache"] == "hit"
    # The surrogate keys are Varnish's business alone.
    assert "xkey" not in with_cookies.headers
    time.sleep(1.1)
    assert int(front.get(PAGE).headers["Age"]) >= 1


def test_varnish_keeps_every_query_parameter_some_page_reads_and_no_other():
    vcl = ThrowawayVarnish.VCL.read_text()
    kept = re.search(r"sub keep_only_read_query_parameters \{.*?\(\?:([a-z_|]+)\)=", vcl, re.S).group(1)
    read = set(QUERY_PARAMETERS).union(
        SITEMAP_QUERY_PARAMETERS,
        *(getattr(model, "cache_query_parameters", ()) for model in get_page_models()),
    )
    assert set(kept.split("|")) == read


def test_a_change_published_reaches_every_varnish_within_a_second_and_no_visitor_waits_for_it(
    front, site_content
):
    for varnish in front.varnishes:
        assert "Read through both." not in front.cached(PAGE, varnish).text

    publish_through_the_admin(front, site_content, "Read through both.")
    published = time.monotonic()

    for varnish in front.varnishes:
        # The next visitor is answered with what Varnish has, while it fetches the new page.
        assert front.get(PAGE, varnish).headers["X-Cache"] == "hit"
        wait_until(lambda v=varnish: "Read through both." in front.get(PAGE, v).text, "the change", seconds=1)
    assert time.monotonic() - published < 1
    # One render per Varnish server, not one per visitor who came meanwhile.
    assert front.gunicorn_answered(f"GET {PAGE}") <= len(front.varnishes) + 2


def test_a_page_made_private_or_unpublished_leaves_every_varnish_at_once(front, site_content):
    pictured = f"Page.objects.get(url_path__endswith='{site_content.pictured}')"
    for varnish in front.varnishes:
        front.cached(site_content.pictured, varnish)
    shell(
        front.site_environment,
        "from wagtail.models import Page, PageViewRestriction;"
        f"PageViewRestriction.objects.create(page={pictured}, restriction_type='login')",
    )
    try:
        for varnish in front.varnishes:
            assert front.get(site_content.pictured, varnish).status_code == 302
    finally:
        shell(
            front.site_environment,
            f"from wagtail.models import Page; {pictured}.view_restrictions.all().delete()",
        )

    for varnish in front.varnishes:
        front.cached(PAGE, varnish)
    page = f"Page.objects.get(pk={site_content.id})"
    shell(front.site_environment, f"from wagtail.models import Page; {page}.unpublish()")
    try:
        for varnish in front.varnishes:
            assert front.get(PAGE, varnish).status_code == 404
    finally:
        shell(
            front.site_environment, f"from wagtail.models import Page; {page}.get_latest_revision().publish()"
        )


def test_a_purge_a_varnish_server_missed_reaches_it_once_it_answers_again(front, site_content):
    distant, link = front.varnishes[1], front.links[0]
    front.cached(PAGE, distant)
    link.cut()
    try:
        publish_through_the_admin(front, site_content, "Published while one Varnish was away.")
        assert "Published while one Varnish was away." in front.get(PAGE).text
        # Still reachable by visitors, the server that missed the purge serves what it has.
        assert "Published while one Varnish was away." not in front.get(PAGE, distant).text
    finally:
        link.restore()
    answered_again = time.monotonic()
    wait_until(
        lambda: "Published while one Varnish was away." in front.get(PAGE, distant).text,
        "the missed purge to reach Varnish",
        seconds=RETRY_WITHIN,
    )
    assert time.monotonic() - answered_again < RETRY_WITHIN


def test_a_page_that_needs_signing_in_or_a_password_is_never_kept(front, site_content):
    staff = signed_in_admin(front.nearby.url)
    seen_by_staff = staff.get(front.nearby.url + site_content.login_only, timeout=30, allow_redirects=False)
    assert seen_by_staff.status_code == 200 and "rheumatoid arthritis" in seen_by_staff.text.lower()
    for _ in range(2):
        visitor = front.get(site_content.login_only)
        assert visitor.status_code == 302
        assert "/login/" in visitor.headers["Location"]

    patient = requests.Session()
    form_page = patient.get(front.nearby.url + site_content.password, timeout=30)
    form = (
        BeautifulSoup(form_page.text, "html.parser").find("input", {"name": "password"}).find_parent("form")
    )
    unlocked = patient.post(
        front.nearby.url + form["action"],
        data={
            "csrfmiddlewaretoken": csrf_token(form_page.text),
            "password": "open-sesame-42",
            "return_url": site_content.password,
        },
        timeout=30,
    )
    assert unlocked.status_code == 200
    assert BeautifulSoup(unlocked.text, "html.parser").find("input", {"name": "password"}) is None
    for _ in range(2):
        visitor = front.get(site_content.password)
        assert visitor.headers["X-Cache"] != "hit"
        assert BeautifulSoup(visitor.text, "html.parser").find("input", {"name": "password"}) is not None


def test_renaming_a_page_in_the_menu_changes_the_navigation_on_every_page_within_a_second(front):
    paths = (PAGE, "/", "/about/", "/articles/")
    for path in paths:
        front.cached(path)
    shell(
        front.site_environment,
        "from wagtail.models import Page; p = Page.objects.get(slug='conditions').specific;"
        "p.title = 'What we treat'; p.save_revision().publish()",
    )

    def renamed_in_the_menu(path):
        menu = BeautifulSoup(front.get(path).text, "html.parser").find("nav", class_="site-nav")
        return "What we treat" in menu.get_text()

    for path in paths:
        wait_until(lambda p=path: renamed_in_the_menu(p), f"the menu renamed on {path}", seconds=1)


def test_a_new_image_description_is_on_the_page_showing_it_at_once(front, site_content):
    def alt_texts():
        page = front.get(site_content.pictured).text
        return [img.get("alt") for img in BeautifulSoup(page, "html.parser").find_all("img")]

    front.cached(site_content.pictured)
    assert "Hands at rest" in alt_texts()
    shell(
        front.site_environment,
        f"from wagtail.images.models import Image; i = Image.objects.get(pk={site_content.image_id});"
        "i.description = 'Hands on a warm cup'; i.save()",
    )
    assert "Hands on a warm cup" in alt_texts()


def test_made_up_sessions_are_limited_per_visitor_and_staff_are_not(front):
    front.cached(PAGE)
    # Visitors as the TLS proxy on this host names them; what they wrote themselves before it is
    # their own say-so, and changes nothing. Asked of the cheapest page to render: the limit is 20
    # in 10 s, and 20 renders of a condition page on a busy two-core machine can take longer.
    statuses = [
        front.get(
            "/robots.txt",
            headers={"Cookie": "sessionid=made-up", "X-Forwarded-For": f"10.0.0.{attempt}, 203.0.113.5"},
        )
        for attempt in range(40)
    ]
    assert [response.status_code for response in statuses[:20]] == [200] * 20
    refused = statuses[20:]
    assert {response.status_code for response in refused} == {429}
    assert refused[0].headers["Retry-After"] == "10"
    assert front.get(PAGE, headers={"X-Forwarded-For": "203.0.113.5"}).headers["X-Cache"] == "hit"

    # A member of staff reads pages, with their images and the site's files, and works in the admin.
    staff = signed_in_admin(front.nearby.url)
    proxy = {"X-Forwarded-For": "198.51.100.7"}
    for path in (PAGE, "/", "/conditions/", "/about/", "/articles/", PAGE, "/conditions/"):
        page = staff.get(front.nearby.url + path, headers=proxy, timeout=30)
        assert page.status_code == 200, path
        assets = [
            tag.get("src") or tag.get("href")
            for tag in BeautifulSoup(page.text, "html.parser").select(
                "img[src^='/'], link[rel=stylesheet][href^='/'], script[src^='/']"
            )
        ]
        for asset in assets:
            assert staff.get(urljoin(page.url, asset), headers=proxy, timeout=30).status_code == 200, asset
    for _ in range(25):
        assert staff.get(f"{front.nearby.url}/admin/", headers=proxy, timeout=30).status_code == 200


def test_only_purges_carrying_the_site_s_secret_are_taken(front):
    # Sent from 127.0.0.1, as every visitor's request is behind a TLS proxy on the same host.
    front.cached("/about/")
    for refused in (
        front.purge("/about/"),
        front.purge("/about/", **{"X-Purge-Token": ""}),
        front.purge("/about/", **{"X-Purge-Token": "a-guess-" + front.nearby.purge_token[8:]}),
        front.purge("/about/", **{"X-Purge-Token": front.nearby.purge_token + "x"}),
    ):
        assert refused.status_code == 403
        assert front.get("/about/").headers["X-Cache"] == "hit"

    purged = front.purge("/about/", **{"X-Purge-Token": front.nearby.purge_token})
    assert purged.status_code == 200
    assert front.get("/about/").headers["X-Cache"] == "miss"


def test_the_admin_forms_and_signed_in_visits_are_never_cached(front):
    front.cached(PAGE)
    for _ in range(2):
        assert front.get("/admin/login/").headers["X-Cache"] == "pass"

    # A form sent, with its mistakes: the answer is the sender's alone.
    visitor = requests.Session()
    form_page = visitor.get(f"{front.nearby.url}/contact/", timeout=30)
    assert form_page.headers["X-Cache"] != "hit"
    sent = visitor.post(
        f"{front.nearby.url}/contact/", data={"csrfmiddlewaretoken": csrf_token(form_page.text)}, timeout=30
    )
    assert sent.status_code == 200 and sent.headers["X-Cache"] == "pass"
    assert 'aria-invalid="true"' in sent.text
    afterwards = front.get("/contact/")
    assert afterwards.headers["X-Cache"] != "hit"
    assert 'aria-invalid="true"' not in afterwards.text

    # Signed-in staff see the page as it is now, never a copy kept for everyone, nor kept for others.
    staff = signed_in_admin(front.nearby.url)
    seen_by_staff = staff.get(f"{front.nearby.url}{PAGE}", timeout=30)
    assert seen_by_staff.headers["X-Cache"] == "pass"
    assert "private" in seen_by_staff.headers["Cache-Control"]
    assert front.get(PAGE).headers["X-Cache"] == "hit"


def test_errors_are_never_kept(front, throwaway_postgres):
    # A page that does not exist, or an address naming nothing (a page past the last).
    for path in ("/no-such-page/", "/articles/?page=99999"):
        for _ in range(2):
            missing = front.get(path)
            assert missing.status_code == 404 and missing.headers["X-Cache"] != "hit"
        assert front.gunicorn_answered(f"GET {path}") == 2
    # A search written another way is sent to its one address, every time.
    for _ in range(2):
        assert front.get("/search/?q=MYELIN").headers["X-Cache"] != "hit"
    assert front.gunicorn_answered("GET /search/?q=MYELIN") == 2

    front.forget("/privacy/")
    throwaway_postgres.stop()
    try:
        assert front.get("/privacy/").status_code == 503
    finally:
        throwaway_postgres.start()
    wait_until(front.nearby.backend_is_healthy, "Varnish to see the site back")
    recovered = front.get("/privacy/")
    assert recovered.status_code == 200
    assert recovered.headers["X-Cache"] == "miss"


def test_a_new_release_starts_with_varnish_emptied(start_front, throwaway_site_environment):
    # No page cache in the site: what a restarted site shows is what it renders.
    front = start_front()
    assert "Our approach" not in front.cached("/about/").text
    # What the new release renders otherwise, without a publish (as a data migration changes it).
    shell(
        throwaway_site_environment,
        "from wagtail.models import Page; Page.objects.filter(slug='about').update(title='Our approach')",
    )
    # Varnish sends visitors to the new release within seconds of its answering: until then they
    # would get "We'll be back shortly".
    assert front.restart_site() < 3
    first = front.get("/about/")
    assert first.headers["X-Cache"] == "miss"
    assert "Our approach" in first.text


def test_while_gunicorn_is_down_varnish_serves_the_pages_it_has(start_front):
    # Pages kept for a second only: what follows is served past that, from Varnish's grace.
    front = start_front(cdn_max_age=1)
    assert front.get(PAGE).status_code == 200
    fetched = time.monotonic()

    front.site.stop()
    wait_until(lambda: not front.nearby.backend_is_healthy(), "Varnish to see gunicorn down")
    # Past the page's lifetime and the few seconds of grace it has while the site is up.
    time.sleep(max(0, fetched + 12 - time.monotonic()))
    kept = front.get(PAGE)
    assert kept.status_code == 200
    assert "multiple sclerosis" in kept.text.lower()
    assert int(kept.headers["Age"]) >= 12
    never_fetched = front.get("/privacy/")
    assert never_fetched.status_code == 503
    assert never_fetched.headers["Retry-After"] == "30"
    assert "We'll be back shortly" in never_fetched.text
