"""The production configuration, served by gunicorn as `make serve` serves it, behind a pretend
TLS proxy (the X-Forwarded-* headers a real one would add)."""

import re
import shutil
import subprocess
import sys

import pytest
import requests

from tests.html import select_one
from tests.servers import PROJECT, Site, csrf_token, manage, site_environment

pytestmark = pytest.mark.servers

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
STAFF_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def site(site_database_file, collected_static, tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    shutil.copy(site_database_file, folder / "db.sqlite3")
    environment = site_environment(
        folder,
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        HTTPS_ONLY="true",
        TRUSTED_PROXY_COUNT="1",
        STATIC_ROOT=collected_static,
    )
    manage(
        {**environment, "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD},
        "createsuperuser",
        "--noinput",
        "--username=boss",
        "--email=boss@clinic.example",
    )
    running = Site(environment, folder / "gunicorn.log")
    yield running
    running.stop()


def set_cookies(response):
    return {c.split("=", 1)[0]: c for c in response.raw.headers.getlist("Set-Cookie")}


def manage_output(environment, *arguments):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_the_deployment_checklist_finds_nothing(tmp_path):
    result = manage_output(
        site_environment(tmp_path, HTTPS_ONLY="true"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_essential_settings(tmp_path, variable):
    environment = site_environment(tmp_path)
    del environment[variable]
    result = manage_output(environment, "check")
    assert result.returncode != 0
    assert f"Set {variable} in the environment" in result.stderr


@pytest.mark.parametrize(
    "token, message",
    [
        (None, "Set VARNISH_PURGE_TOKEN in the environment"),
        ("too-short-to-be-secret", "VARNISH_PURGE_TOKEN must be at least 32 letters"),
        ('a" ) { return (synth(200)); } if ("' + "a" * 32, "VARNISH_PURGE_TOKEN must be at least 32 letters"),
    ],
)
def test_production_refuses_to_purge_varnish_without_a_secret(tmp_path, token, message):
    environment = site_environment(tmp_path, FRONTEND_CACHE_VARNISH_LOCATION="http://127.0.0.1:6081")
    environment.pop("VARNISH_PURGE_TOKEN", None)
    if token is not None:
        environment["VARNISH_PURGE_TOKEN"] = token
    result = manage_output(environment, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_varnish_and_its_secret(tmp_path):
    environment = site_environment(
        tmp_path, FRONTEND_CACHE_VARNISH_LOCATION="http://127.0.0.1:6081", VARNISH_PURGE_TOKEN="p" * 43
    )
    result = manage_output(environment, "check")
    assert result.returncode == 0, result.stderr


def test_plain_http_is_redirected_to_https(site):
    response = site.get("/conditions/", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{site.port}/conditions/"


def test_load_balancers_can_check_health_over_plain_http(site):
    response = site.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_pages_over_https_carry_the_security_headers(site):
    response = site.get("/conditions/", headers=HTTPS)
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]


def site_post(site, path, data, cookie):
    return requests.post(
        f"http://127.0.0.1:{site.port}{path}",
        data=data,
        headers={**HTTPS, "Cookie": cookie, "Origin": f"https://127.0.0.1:{site.port}"},
        allow_redirects=False,
        timeout=30,
    )


def test_staff_cookies_are_secure_and_out_of_reach_of_scripts(site):
    login_page = site.get("/admin/login/", headers=HTTPS)
    csrf_cookie = set_cookies(login_page)["csrftoken"]
    assert "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie and "SameSite=Lax" in csrf_cookie
    token = csrf_token(login_page.text)

    response = site_post(
        site,
        "/admin/login/",
        {"username": "boss", "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token},
        cookie=csrf_cookie.split(";", 1)[0],
    )
    assert response.status_code == 302, response.text[:500]
    session_cookie = set_cookies(response)["sessionid"]
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    # Without "remember me" the session ends when the browser closes.
    assert "expires" not in session_cookie.lower() and "max-age" not in session_cookie.lower()


def test_static_files_have_hashed_names_cached_for_a_year(site):
    stylesheet = select_one(site.get("/", headers=HTTPS), 'link[rel="stylesheet"]')["href"]
    assert re.fullmatch(r"/static/clinic/site\.[0-9a-f]{12}\.css", stylesheet)
    response = site.get(stylesheet, headers={**HTTPS, "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response.headers["Content-Encoding"] == "gzip"


def test_an_unknown_address_gets_the_designed_404_without_details(site):
    response = site.get("/no-such-page/", headers=HTTPS)
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Traceback" not in response.text and "DEBUG" not in response.text


def test_production_refuses_to_start_with_the_second_factor_off_unless_told(tmp_path):
    environment = site_environment(tmp_path, STAFF_SECOND_FACTOR_REQUIRED="false")
    result = manage_output(environment, "check")
    assert result.returncode != 0
    assert "STAFF_SECOND_FACTOR_REQUIRED is off" in result.stderr
    accepted = manage_output({**environment, "STAFF_SECOND_FACTOR_OFF_ACCEPTED": "true"}, "check")
    assert accepted.returncode == 0, accepted.stderr
