"""Debian's Chromium, driven by Playwright (pytest-playwright's fixtures), against a live server
holding the site's initial content.

The browser starts once per worker for the browser tests, which run last (tests/conftest.py); each test
gets fresh contexts (cookies, storage, viewport), so tests stay independent without paying for a
new browser each time. `--tracing retain-on-failure` keeps a trace of each failing test in
test-results/ (open it with `.venv/bin/playwright show-trace`).
"""

import os
import re
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

from clinic.models import HomePage
from scripts import trial_site
from tests.second_factor import code_for, enrolled

# The same Chromium, with the same flags, as `make lighthouse` and `make screenshots`.
CHROMIUM = Path(trial_site.CHROMIUM)
CHROMIUM_FLAGS = trial_site.CHROMIUM_FLAGS
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
STAFF_PASSWORD = "a-long-test-password"  # the one tests/conftest.py's make_staff gives

# Anything but the live server: the tests never reach the internet (and the machine may have none).
OFF_SITE = re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/])[a-z]+://")

skipped_browser_tests = pytest.StashKey[int]()


def pytest_collection_modifyitems(config, items):
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if not browser_tests or CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI needs Chromium at {CHROMIUM} for the browser tests: run .ci/install-browser"
        )
    skip = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM}")
    for item in browser_tests:
        item.add_marker(skip)
    config.stash[skipped_browser_tests] = len(browser_tests)


def pytest_terminal_summary(terminalreporter, config):
    skipped = config.stash.get(skipped_browser_tests, 0)
    if skipped:
        terminalreporter.write_line(
            f"SKIPPED {skipped} browser tests: Chromium is not installed at {CHROMIUM} "
            "(`sudo .ci/install-browser` installs it).",
            yellow=True,
            bold=True,
        )


class OneRequestAtATimeServer(WSGIServer):
    """Django's development server without a thread per request, for the live server.

    With SQLite's in-memory test database every thread of the live server shares one connection,
    and two requests at once (Wagtail's editor makes some in the background) fail with "database
    table is locked". Served one at a time, each request also finishes before the next begins,
    which lets a test wait for the server to be idle before its database is emptied.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        # Requests run in the live server's own thread, which already uses the test's connection.
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="package", autouse=True)
def _live_server_serves_one_request_at_a_time():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", OneRequestAtATimeServer)
        yield


@pytest.fixture(scope="session")
def playwright(playwright):
    """Playwright's synchronous API keeps an event loop in this thread, which makes Django refuse
    ORM calls from the test itself. The tests are plain synchronous code, so that guard is moot
    while the browser runs: from the first browser test to the end of the run, when no other test
    is left."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def initial_site(browser, django_db_setup, django_db_blocker):
    """A snapshot of the test database as the suite's setup leaves it: migrated, initial content loaded.

    A live server needs a transactional database, which is emptied after each test; with serialized
    rollback each browser test starts again from this snapshot (Django's own mechanism, which would
    otherwise restore the database as it was before the initial content was loaded).

    Taken once the browser runs: Django then keeps this thread's connections per asyncio context
    (Playwright's event loop counts as one), so the snapshot goes on the connection the tests use.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        assert HomePage.objects.exists(), (
            "the test database lost its initial content before the browser tests"
        )
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def site_url(initial_site, live_server, django_db_serialized_rollback):
    """The live server's address, serving the site as `load_initial_content` builds it."""
    # What an earlier test counted (the limits per address) or Wagtail kept is gone with its data.
    for cache in caches.all():
        cache.clear()
    return live_server.url


@pytest.fixture
def console_errors():
    """What the pages of the test's browser contexts logged as errors (failed loads, script errors)."""
    return []


@pytest.fixture
def new_context(new_context, site_url, console_errors):
    """Opens browser contexts on the live site (desktop-sized unless told), blocked from leaving it;
    each is closed after the test."""

    def log_error(message):
        # A page's own error status (the 404 page's) is the server's answer, not a fault in the page.
        if message.type == "error" and not (message.page and message.location["url"] == message.page.url):
            console_errors.append(f"{message.page.url if message.page else ''}: {message.text}")

    contexts = []

    def open_context(viewport=DESKTOP, **options):
        context = new_context(base_url=site_url, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        context.route(OFF_SITE, lambda route: route.abort())
        context.on("console", log_error)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    # Answered only once the requests still in hand are finished: none is left to touch the
    # database while it is emptied for the next test.
    urllib.request.urlopen(f"{site_url}{settings.STATIC_URL}clinic/site.css").close()


@pytest.fixture
def page(context):
    """A desktop-sized tab that fails the test on any uncaught JavaScript error."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def log_in():
    """Log `page` in to the Wagtail admin through its login form, then the second step with the code
    of the user's authenticator app (set up for them if they have none), as staff do."""

    def log_in_as(page, user, password=STAFF_PASSWORD):
        device = enrolled(user)
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/admin/second-factor/"))
        page.get_by_label("Code").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/admin/$"))

    return log_in_as


@pytest.fixture(scope="session")
def axe_source():
    axe = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.fail(f"{axe} is missing: run `npm ci` (make test does it when Chromium is installed)")
    return axe
