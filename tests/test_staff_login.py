"""Staff sign-in: throttled against password guessing, strong passwords, sessions that end."""

import time

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.test import RequestFactory, override_settings
from django.urls import reverse

from clinic.client_address import client_address
from clinic.staff_login import ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, LOCKOUT_MINUTES
from tests.servers import free_port

LOGIN = reverse("wagtailadmin_login")
PASSWORD = "a-long-test-password"
LOCKED = "Too many failed sign-in attempts"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def quick_password_hashing():
    # Dozens of sign-ins per test: the real hasher is slow on purpose.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "Clinical editors")


def sign_in(client, username, password, address="198.51.100.7", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_repeated_wrong_passwords_lock_the_account_even_against_the_right_one(client, editor):
    for _ in range(ACCOUNT_FAILURE_LIMIT):
        response = sign_in(client, "editor", "wrong guess")
        assert "didn&#x27;t match" in response.content.decode()

    response = sign_in(client, "editor", PASSWORD)
    assert not signed_in(response)
    assert LOCKED in response.content.decode()
    assert f"paused for {LOCKOUT_MINUTES} minutes" in response.content.decode()
    # The same account from another address is locked too.
    assert not signed_in(sign_in(client, "Editor", PASSWORD, address="192.0.2.55"))


def test_a_locked_account_does_not_lock_out_colleagues(client, editor, make_staff):
    make_staff("colleague", "Clinical editors")
    for _ in range(ACCOUNT_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong guess")
    assert signed_in(sign_in(client, "colleague", PASSWORD))


def test_the_lock_lifts_after_the_lockout(client, editor, monkeypatch):
    for _ in range(ACCOUNT_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong guess")
    assert not signed_in(sign_in(client, "editor", PASSWORD))

    later = time.time() + LOCKOUT_MINUTES * 60 + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_signing_in_successfully_clears_earlier_mistakes(client, editor):
    for _ in range(ACCOUNT_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "typo")
    assert signed_in(sign_in(client, "editor", PASSWORD))
    client.logout()
    for _ in range(ACCOUNT_FAILURE_LIMIT - 1):
        sign_in(client, "editor", "typo")
    assert signed_in(sign_in(client, "editor", PASSWORD))


def test_guessing_across_many_accounts_locks_the_address(client, editor):
    for attempt in range(ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"guess-{attempt}", "wrong", address="203.0.113.66")
    response = sign_in(client, "editor", PASSWORD, address="203.0.113.66")
    assert LOCKED in response.content.decode()
    assert signed_in(sign_in(client, "editor", PASSWORD, address="198.51.100.7"))


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw():
    request = RequestFactory().post(
        LOGIN, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.66", REMOTE_ADDR="10.0.0.2"
    )
    # The visitor wrote the first entry; the proxy appended the real one.
    assert client_address(request) == "203.0.113.66"


def test_sign_in_still_works_while_the_cache_is_unreachable(client, editor):
    unreachable = {
        "default": {
            "BACKEND": "clinic.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable):
        for _ in range(ACCOUNT_FAILURE_LIMIT + 1):
            sign_in(client, "editor", "wrong guess")
        assert signed_in(sign_in(client, "editor", PASSWORD))


def test_sessions_end_with_the_browser_unless_remembered_and_last_a_working_day_at_most(client, editor):
    assert signed_in(sign_in(client, "editor", PASSWORD))
    assert client.session.get_expire_at_browser_close()
    client.logout()

    assert signed_in(sign_in(client, "editor", PASSWORD, remember="on"))
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 8 * 60 * 60


@pytest.mark.parametrize(
    "password, complaint",
    [
        ("Sh0rt!pw", "too short"),
        ("password1234", "too common"),
        ("804276153890", "entirely numeric"),
        ("newcolleague1", "too similar"),
    ],
)
def test_weak_passwords_are_refused_for_new_staff(admin_client, password, complaint):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcolleague",
            "email": "new@clinic.example",
            "first_name": "New",
            "last_name": "Colleague",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert complaint in response.content.decode()
