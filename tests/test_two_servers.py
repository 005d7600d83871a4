"""Two app servers sharing one PostgreSQL and one Redis, as in production behind a load balancer:
a change published through one is what the other serves, at once, though it had the page cached."""

from types import SimpleNamespace

import pytest

from tests.admin_forms import condition_page_form
from tests.servers import (
    CREATE_ADMIN,
    Site,
    ThrowawayPostgres,
    ThrowawayRedis,
    csrf_token,
    manage,
    signed_in_admin,
    site_environment,
)

PAGE = "/conditions/multiple-sclerosis/"


@pytest.fixture(scope="module")
def shared_services(tmp_path_factory):
    postgres, redis_server = ThrowawayPostgres(), ThrowawayRedis()
    postgres.create_database()
    environment = site_environment(
        tmp_path_factory.mktemp("two-servers"), DATABASE_URL=postgres.url, REDIS_URL=redis_server.url
    )
    manage(environment, "migrate", "--noinput")
    manage(environment, "load_initial_content")
    manage(environment, "collectstatic", "--noinput")
    page = manage(
        environment,
        "shell",
        "-c",
        CREATE_ADMIN + "from conditions.models import ConditionPage as C;"
        "p = C.objects.get(slug='multiple-sclerosis');"
        "print(p.pk, p.title, p.summary, p.articles_heading, sep='|')",
    )
    yield environment, page.strip().splitlines()[-1].split("|")
    redis_server.kill()
    postgres.remove()


@pytest.fixture
def two_servers(shared_services, tmp_path):
    environment, page = shared_services
    servers = [Site(environment, tmp_path / f"server-{name}.log") for name in "ab"]
    yield servers, page
    for server in servers:
        server.stop()


def test_a_change_published_on_one_server_is_served_by_the_other_at_once(two_servers):
    (server_a, server_b), (page_id, title, summary, articles_heading) = two_servers
    server_b.get(PAGE)
    cached = server_b.get(PAGE)
    assert cached.headers["X-Page-Cache"] == "hit"
    assert "Freshly published wording." not in cached.text

    base_a = f"http://127.0.0.1:{server_a.port}"
    staff = signed_in_admin(base_a)

    edit_url = f"{base_a}/admin/pages/{page_id}/edit/"
    page = SimpleNamespace(
        title=title, slug="multiple-sclerosis", summary=summary, articles_heading=articles_heading
    )
    form = condition_page_form(page, paragraphs=["Freshly published wording."], action="action-publish")
    form["csrfmiddlewaretoken"] = csrf_token(staff.get(edit_url, timeout=30).text)
    published = staff.post(edit_url, data=form, timeout=60, allow_redirects=False)
    assert published.status_code == 302

    fresh = server_b.get(PAGE)
    assert fresh.status_code == 200
    assert "Freshly published wording." in fresh.text
    assert fresh.headers["X-Page-Cache"] == "miss"


def test_a_server_running_a_new_release_renders_its_pages_afresh(shared_services, tmp_path):
    # A rolling deploy: the old release's pages in the shared Redis are not the new release's
    # pages (their markup, the hashed name of a CSS file the new one may not have).
    environment, _ = shared_services
    old = Site({**environment, "RELEASE": "2026-12-01"}, tmp_path / "old.log")
    new = Site({**environment, "RELEASE": "2026-12-05"}, tmp_path / "new.log")
    try:
        old.get(PAGE)
        assert old.get(PAGE).headers["X-Page-Cache"] == "hit"
        assert new.get(PAGE).headers["X-Page-Cache"] == "miss"
        assert new.get(PAGE).headers["X-Page-Cache"] == "hit"
        assert old.get(PAGE).headers["X-Page-Cache"] == "hit"
    finally:
        old.stop()
        new.stop()
