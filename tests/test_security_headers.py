"""Content-Security-Policy: strict on every public page, looser in the Wagtail admin, and in both
cases nothing on the page is blocked (read from the real responses with tests/csp.py)."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page

from tests.csp import blocked, inline_scripts, parse_policy

pytestmark = pytest.mark.usefixtures("same_origin_admin")

ORIGIN = "http://testserver"


@pytest.fixture
def same_origin_admin():
    # In production the admin's base URL is the site itself; the userbar loads its assets from it.
    with override_settings(WAGTAILADMIN_BASE_URL=ORIGIN):
        yield


def public_urls():
    return [page.url for page in Page.objects.live().public().specific() if page.url]


@pytest.fixture
def editor_client(client, admin_user):
    client.force_login(admin_user)
    return client


def assert_nothing_blocked(response):
    policy = response["Content-Security-Policy"]
    assert blocked(response.content.decode(), policy, ORIGIN + response.wsgi_request.path) == []


def test_public_policy_allows_no_inline_script_or_style(client, db):
    policy = parse_policy(client.get("/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_no_public_page_has_anything_its_policy_blocks(client, db):
    urls = public_urls()
    assert len(urls) > 5
    for url, status in [(url, 200) for url in urls] + [("/no-such-page/", 404)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert inline_scripts(response.content.decode()) == [], url
        assert_nothing_blocked(response)


def test_json_ld_data_blocks_are_not_treated_as_scripts():
    html = '<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>'
    assert inline_scripts(html) == []
    assert blocked(html, "default-src 'self'; script-src 'self'") == []
    assert blocked("<script>alert(1)</script>", "script-src 'self'") == ["script-src inline"]


def test_pages_seen_by_signed_in_editors_keep_the_userbar_working(editor_client, db):
    for url in public_urls()[:4]:
        response = editor_client.get(url)
        assert "wagtail-userbar" in response.content.decode()
        assert_nothing_blocked(response)


def admin_urls(home):
    condition = Page.objects.get(slug="multiple-sclerosis")
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("wagtailadmin_pages:edit", args=[condition.pk]),
        reverse("wagtailadmin_pages:history", args=[condition.pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add"),
        reverse("wagtaildocs:index"),
        reverse("wagtailsnippets:index"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_users:add"),
        reverse("wagtailsettings:edit", args=["core", "clinicsettings", home.get_site().pk]),
    ]


def test_admin_pages_run_their_inline_scripts_under_the_admin_policy(editor_client, home):
    seen_inline_script = False
    for url in admin_urls(home):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "'unsafe-inline'" in parse_policy(policy)["script-src"]
        assert_nothing_blocked(response)
        seen_inline_script = seen_inline_script or bool(inline_scripts(response.content.decode()))
    # The admin does rely on inline scripts: the public policy would have broken it.
    assert seen_inline_script


def test_the_admin_login_page_is_not_blocked(client, db):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert_nothing_blocked(response)


def test_page_previews_are_framed_by_the_admin_and_not_blocked(editor_client, home):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])
    edit_page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert parse_policy(edit_page["Content-Security-Policy"])["frame-src"] == ["'self'"]
    preview = editor_client.get(url, {"mode": ""})
    assert parse_policy(preview["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
