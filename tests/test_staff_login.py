"""Staff sign-in: throttled against password guessing at every door, strong passwords, sessions
that end. Tried as an attacker would, behind the TLS proxy (TRUSTED_PROXY_COUNT=1): the attacker's
address and the member of staff's are told apart by X-Forwarded-For, as the proxy sets it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings as django_settings
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.client_address import client_address
from tests.servers import free_port

ADMIN_LOGIN = reverse("wagtailadmin_login")
SITE_LOGIN = reverse("wagtailcore_login")  # Wagtail's front-end sign-in, for restricted pages
DOORS = [ADMIN_LOGIN, SITE_LOGIN]
PASSWORD = "a-long-test-password"
ACCOUNT_LIMIT = django_settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT = django_settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
ATTACKER = "203.0.113.66"
STAFF = "198.51.100.7"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    # Dozens of sign-ins per test: the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "Clinical editors")


def sign_in(door, username, password, address, **extra):
    """A sign-in from `address` through the proxy, in a browser of its own; returns the response
    and whether it left the browser signed in."""
    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {address}")
    response = browser.post(door, {"username": username, "password": password, **extra})
    return response, "_auth_user_id" in browser.session


def signed_in(door, username, password, address, **extra):
    return sign_in(door, username, password, address, **extra)[1]


def is_paused(response):
    html = response.content.decode()
    return (
        response.status_code == 429
        and "<h1>Signing in is paused</h1>" in html
        and "paused for 15 minutes" in html
        and "/static/clinic/site" in html  # the site's own design, not a bare error text
    )


@pytest.mark.parametrize("door", DOORS)
def test_wrong_passwords_pause_signing_in_to_that_account_from_that_address(db, editor, door):
    for _ in range(ACCOUNT_LIMIT - 1):
        response, _ = sign_in(door, "editor", "wrong guess", ATTACKER)
        assert response.status_code == 200 and not is_paused(response)
    response, _ = sign_in(door, "editor", "wrong guess", ATTACKER)
    assert is_paused(response)
    assert response["Retry-After"] == "900"

    # Even the right password is refused from the attacker's address, at either door.
    for any_door in DOORS:
        response, now_signed_in = sign_in(any_door, "editor", PASSWORD, ATTACKER)
        assert is_paused(response) and not now_signed_in
    # The member of staff, at their own address, is not locked out by someone else's guessing.
    assert signed_in(door, "editor", PASSWORD, STAFF)


def test_guesses_at_the_front_end_sign_in_count_for_the_admin_too(db, editor):
    """Reproduction 1: 25 wrong passwords at /_util/login/, then the right one, signed in."""
    for _ in range(25):
        sign_in(SITE_LOGIN, "editor", "wrong guess", ATTACKER)
    assert not signed_in(SITE_LOGIN, "editor", PASSWORD, ATTACKER)
    assert not signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)


def test_the_username_counts_whatever_its_capitals(db, editor):
    for username in ["editor", "Editor", "EDITOR", "eDiToR", "EDitor"]:
        sign_in(ADMIN_LOGIN, username, "wrong guess", ATTACKER)
    assert not signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)


def test_anyone_guessing_elsewhere_cannot_lock_a_member_of_staff_out(db, editor):
    """Reproduction 2: five wrong passwords from any address locked the account for everyone."""
    for attempt in range(3):
        for username in ["editor", "EDITOR"]:
            for _ in range(ACCOUNT_LIMIT):
                sign_in(ADMIN_LOGIN, username, "wrong guess", f"192.0.2.{attempt}")
    assert signed_in(ADMIN_LOGIN, "editor", PASSWORD, STAFF)
    assert signed_in(SITE_LOGIN, "editor", PASSWORD, STAFF)


@pytest.mark.parametrize("door", DOORS)
def test_guessing_across_many_accounts_pauses_the_address(db, editor, door):
    for attempt in range(ADDRESS_LIMIT - 1):
        sign_in(door, f"guess-{attempt}", "wrong", ATTACKER)
    response, _ = sign_in(door, "someone-else", "wrong", ATTACKER)
    assert is_paused(response)
    for any_door in DOORS:
        assert not signed_in(any_door, "editor", PASSWORD, ATTACKER)
        assert signed_in(any_door, "editor", PASSWORD, STAFF)


def test_a_known_password_does_not_wipe_the_addresss_other_guesses(db, editor, make_staff):
    make_staff("colleague", "Marketing")
    for attempt in range(ADDRESS_LIMIT - 1):
        sign_in(ADMIN_LOGIN, f"guess-{attempt}", "wrong", ATTACKER)
    assert signed_in(ADMIN_LOGIN, "colleague", PASSWORD, ATTACKER)
    response, _ = sign_in(ADMIN_LOGIN, "guess-x", "wrong", ATTACKER)
    assert is_paused(response)


def test_the_pause_lifts_after_fifteen_minutes(db, editor):
    for _ in range(ACCOUNT_LIMIT):
        sign_in(ADMIN_LOGIN, "editor", "wrong guess", ATTACKER)
    assert not signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)
    # Trying again meanwhile does not make it longer.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert not signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=1, seconds=1))
    assert signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)


def test_signing_in_successfully_clears_earlier_mistakes(db, editor):
    for _ in range(2):
        for _ in range(ACCOUNT_LIMIT - 1):
            sign_in(ADMIN_LOGIN, "editor", "typo", STAFF)
        assert signed_in(ADMIN_LOGIN, "editor", PASSWORD, STAFF)


def test_the_throttle_holds_while_the_cache_is_unreachable(db, editor):
    unreachable = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable):
        assert signed_in(ADMIN_LOGIN, "editor", PASSWORD, STAFF)
        for _ in range(ACCOUNT_LIMIT):
            sign_in(ADMIN_LOGIN, "editor", "wrong guess", ATTACKER)
        assert not signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)


def test_administrators_read_failed_sign_ins_and_lift_a_lockout(db, editor, admin_client, make_staff):
    for _ in range(ACCOUNT_LIMIT):
        sign_in(ADMIN_LOGIN, "Editor", "wrong guess", ATTACKER)

    failures = admin_client.get(reverse("failed_sign_ins:index")).content.decode()
    assert ATTACKER in failures and "editor" in failures
    lockouts = admin_client.get(reverse("sign_in_lockouts:index")).content.decode()
    assert ATTACKER in lockouts and "editor" in lockouts

    lockout = AccessAttempt.objects.get(username="editor", ip_address=ATTACKER)
    admin_client.post(reverse("sign_in_lockouts:delete", args=[lockout.pk]))
    assert signed_in(ADMIN_LOGIN, "editor", PASSWORD, ATTACKER)
    # The audit trail stays.
    assert AccessFailureLog.objects.filter(username="editor").count() == ACCOUNT_LIMIT


def test_other_staff_cannot_see_or_lift_lockouts(db, editor, client):
    for _ in range(ACCOUNT_LIMIT):
        sign_in(ADMIN_LOGIN, "editor", "wrong guess", ATTACKER)
    lockout = AccessAttempt.objects.get()
    client.force_login(editor)
    for url in (reverse("sign_in_lockouts:index"), reverse("failed_sign_ins:index")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    client.post(reverse("sign_in_lockouts:delete", args=[lockout.pk]))
    assert AccessAttempt.objects.filter(pk=lockout.pk).exists()
    assert "Sign-in lockouts" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw():
    request = RequestFactory().post(
        ADMIN_LOGIN, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.66", REMOTE_ADDR=PROXY
    )
    # The visitor wrote the first entry; the proxy appended the real one.
    assert client_address(request) == "203.0.113.66"


def test_sessions_end_with_the_browser_unless_remembered_and_last_a_working_day_at_most(client, editor):
    response = client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    client.logout()

    client.post(ADMIN_LOGIN, {"username": "editor", "password": PASSWORD, "remember": "on"})
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
