"""Staff sign in in two steps: the password, then a code from their authenticator app or a recovery
code (core/two_factor.py). Signed in here through the forms, with Django's plain test client."""

import json
import os
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from wagtail.models import ModelLogEntry, PageViewRestriction

from core.models import SecondFactorFailures
from tests.admin_pages import refused
from tests.second_factor import code_for, code_from_key, enrolled

PASSWORD = "a-long-test-password"  # make_staff's
WRONG = "000000"


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "Clinical editors")


def signed_in_with_password(user):
    """A browser that has given the right password, and nothing else yet."""
    browser = Client()
    response = browser.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def give_code(browser, code):
    return browser.post(reverse("second_factor_verify"), {"code": code, "next": "/admin/"})


def wrong_code_for(device):
    right = code_for(device)
    return WRONG if right != WRONG else "111111"


def admin_addresses(page):
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        reverse("wagtailadmin_account"),
        reverse("wagtailusers_users:index"),
    ]


def test_the_right_password_alone_opens_nothing_in_the_admin(editor, ms_page):
    enrolled(editor)
    browser = signed_in_with_password(editor)
    for address in admin_addresses(ms_page):
        response = browser.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("second_factor_verify")), address


def test_a_wrong_code_keeps_staff_out_and_the_right_code_lets_them_in(editor, ms_page):
    device = enrolled(editor)
    browser = signed_in_with_password(editor)
    response = give_code(browser, wrong_code_for(device))
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert browser.get(reverse("wagtailadmin_home")).status_code == 302

    SecondFactorFailures.objects.all().delete()
    device.throttle_reset()  # django-otp's wait after a wrong code (tested below)
    response = give_code(browser, code_for(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    for address in admin_addresses(ms_page)[:-1]:  # the last, users, is for administrators
        assert browser.get(address).status_code == 200, address


def test_after_a_wrong_code_django_otp_makes_the_next_wait(editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrolled(editor)
    browser = signed_in_with_password(editor)
    give_code(browser, wrong_code_for(device))
    response = give_code(browser, code_for(device))
    assert "wait a few seconds" in response.content.decode()
    assert browser.get(reverse("wagtailadmin_home")).status_code == 302


def test_the_session_goes_back_to_the_page_asked_for(editor, ms_page):
    device = enrolled(editor)
    browser = signed_in_with_password(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[ms_page.pk])
    step = browser.get(edit)["Location"]
    response = browser.post(step, {"code": code_for(device), "next": edit})
    assert response["Location"] == edit
    # Not to another site.
    browser = signed_in_with_password(editor)
    response = browser.post(
        reverse("second_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_a_recovery_code_lets_staff_in_once(editor):
    enrolled(editor)
    recovery = StaticDevice.objects.create(user=editor, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    browser = signed_in_with_password(editor)
    response = give_code(browser, "ABCD 2345")
    dashboard = browser.get("/admin/")
    assert response.status_code == 302 and dashboard.status_code == 200
    assert "You signed in with a recovery code; 0 left" in dashboard.content.decode()

    again = signed_in_with_password(editor)
    assert give_code(again, "abcd2345").status_code == 200
    assert again.get("/admin/").status_code == 302


def test_ten_wrong_codes_in_a_row_pause_the_step(editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait is tested above
    device = enrolled(editor)
    browser = signed_in_with_password(editor)
    for _ in range(9):
        assert give_code(browser, wrong_code_for(device)).status_code == 200
    paused = give_code(browser, wrong_code_for(device))
    assert paused.status_code == 429 and "Signing in is paused" in paused.content.decode()
    assert "too many wrong sign-in codes" in paused.content.decode()
    assert 15 * 60 - 5 <= int(paused["Retry-After"]) <= 15 * 60
    # Even the right code waits, and so does every admin address.
    assert give_code(browser, code_for(device)).status_code == 429
    assert browser.get("/admin/").status_code == 302
    assert browser.get(reverse("second_factor_verify")).status_code == 429

    # Once the pause is over, the right code lets them in.
    SecondFactorFailures.objects.update(paused_until=timezone.now() - timedelta(seconds=1))
    assert give_code(browser, code_for(device)).status_code == 302
    assert browser.get("/admin/").status_code == 200
    assert not SecondFactorFailures.objects.exists()


def test_a_right_code_starts_the_count_again(editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = enrolled(editor)
    browser = signed_in_with_password(editor)
    for _ in range(9):
        give_code(browser, wrong_code_for(device))
    give_code(browser, code_for(device))
    browser = signed_in_with_password(editor)
    assert give_code(browser, wrong_code_for(device)).status_code == 200


def enrolment_page(browser):
    response = browser.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("second_factor_enrol"))
    return response.content.decode()


def test_staff_with_no_second_factor_set_one_up_before_anything_else(editor, ms_page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code at once after a wrong one
    browser = signed_in_with_password(editor)
    for address in admin_addresses(ms_page):
        assert browser.get(address)["Location"].startswith(reverse("second_factor_enrol")), address
    html = enrolment_page(browser)
    assert re.search(r"<svg[^>]*>\s*<title>QR code", html)
    key = re.search(r"<code data-second-factor-key>([A-Z2-7 ]+)</code>", html).group(1)
    # The same key on every visit until it is confirmed, so that a code from the scanned QR works.
    assert key in enrolment_page(browser)

    wrong = browser.post(
        reverse("second_factor_enrol"), {"code": WRONG if code_from_key(key) != WRONG else "1"}
    )
    assert wrong.status_code == 200 and browser.get("/admin/").status_code == 302

    done = browser.post(
        reverse("second_factor_enrol"), {"code": code_from_key(key, drift=1), "next": "/admin/"}
    )
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(set(codes)) == 10
    assert "shown only this once" in done.content.decode()
    assert browser.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert ModelLogEntry.objects.filter(
        action="clinic.second_factor_enrolled", object_id=str(editor.pk)
    ).exists()

    # Set up once: the page leads to the step, and never shows the key again.
    later = signed_in_with_password(editor)
    assert later.get(reverse("second_factor_enrol"))["Location"].startswith(reverse("second_factor_verify"))
    # Each recovery code works once.
    assert give_code(later, codes[0]).status_code == 302
    assert give_code(signed_in_with_password(editor), codes[0]).status_code == 200


def test_staff_make_new_recovery_codes_from_their_account(client, editor, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # a right code at once after a wrong one
    client.force_login(editor)
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("second_factor_recovery_codes") in account
    old = StaticDevice.objects.create(user=editor, name="Recovery codes", confirmed=True)
    old.token_set.create(token="oldcode1")
    assert (
        "You have 1 recovery code left"
        in client.get(reverse("second_factor_recovery_codes")).content.decode()
    )
    response = client.post(reverse("second_factor_recovery_codes"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert give_code(signed_in_with_password(editor), "oldcode1").status_code == 200
    assert give_code(signed_in_with_password(editor), codes[3]).status_code == 302


def test_an_administrator_removes_a_colleagues_factors_and_they_set_up_again(
    admin_client, admin_user, editor
):
    enrolled(editor)
    colleague = signed_in_with_password(editor)
    give_code(colleague, code_for(enrolled(editor)))
    assert colleague.get("/admin/").status_code == 200

    remove = reverse("second_factor_remove", args=[editor.pk])
    assert remove in admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    page = admin_client.get(remove).content.decode()
    assert "editor" in page and "data-second-factor-key" not in page and "QR code" not in page
    response = admin_client.post(remove)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    entry = ModelLogEntry.objects.get(action="clinic.second_factor_removed", object_id=str(editor.pk))
    assert entry.user_id == admin_user.pk
    assert (
        "Second factor removed"
        in admin_client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    )

    # Their session no longer opens the admin, and their next sign-in sets up a new app.
    assert colleague.get("/admin/")["Location"].startswith(reverse("second_factor_enrol"))
    assert (
        signed_in_with_password(editor).get("/admin/")["Location"].startswith(reverse("second_factor_enrol"))
    )


@pytest.mark.parametrize("group", ["Clinical editors", "Patient enquiries", "Marketing"])
def test_only_administrators_remove_factors(client, make_staff, editor, group):
    enrolled(editor)
    client.force_login(make_staff("someone", group))
    assert refused(client.get(reverse("second_factor_remove", args=[editor.pk])))
    assert refused(client.post(reverse("second_factor_remove", args=[editor.pk])))
    assert TOTPDevice.objects.filter(user=editor).exists()


def test_private_pages_wait_for_the_second_step_but_visitors_are_not_asked(
    ms_page, editor, django_user_model
):
    PageViewRestriction.objects.create(page=ms_page, restriction_type=PageViewRestriction.LOGIN)
    enrolled(editor)
    staff = signed_in_with_password(editor)
    response = staff.get(ms_page.url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor_verify"))
    give_code(staff, code_for(enrolled(editor)))
    assert staff.get(ms_page.url).status_code == 200

    django_user_model.objects.create_user("reader", "reader@example.com", PASSWORD)
    visitor = Client()
    visitor.post("/_util/login/", {"username": "reader", "password": PASSWORD})
    assert visitor.get(ms_page.url).status_code == 200
    assert not TOTPDevice.objects.filter(user__username="reader").exists()


def test_pages_for_staff_groups_wait_for_the_second_step(ms_page, editor):
    restriction = PageViewRestriction.objects.create(
        page=ms_page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set(Group.objects.filter(name="Clinical editors"))
    enrolled(editor)
    staff = signed_in_with_password(editor)
    assert staff.get(ms_page.url)["Location"].startswith(reverse("second_factor_verify"))


def test_development_says_the_step_is_off(db, settings, client):
    settings.STAFF_SECOND_FACTOR_REQUIRED = False
    assert (
        "the second step (a code from an authenticator app) is off"
        in client.get("/admin/login/").content.decode()
    )
    settings.STAFF_SECOND_FACTOR_REQUIRED = True
    assert "data-second-factor-off" not in client.get("/admin/login/").content.decode()


# Passkeys (core/passkeys.py): the package's endpoints, as its script calls them.

ADD_PASSKEY = "otp_webauthn:credential-registration-begin"
PASSKEY_STEP = "otp_webauthn:credential-authentication-begin"
PASSKEY_STEP_COMPLETE = "otp_webauthn:credential-authentication-complete"


def passkey_for(user, name="Passkey added 2 March 2026, 09:30"):
    """A passkey on record for `user`, as adding one leaves it (its key is never used here)."""
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=os.urandom(32), public_key=b"not used"
    )


def ask(browser, view_name, body=None):
    """A POST to a passkey endpoint, as the package's script sends it (JSON, the CSRF token)."""
    return browser.post(reverse(view_name), json.dumps(body or {}), content_type="application/json")


def challenge_given(response):
    return response.status_code == 200 and "challenge" in response.json()


@pytest.mark.parametrize("view_name", [ADD_PASSKEY, PASSKEY_STEP])
def test_passkey_ceremonies_are_refused_to_visitors_signed_out_or_not_staff(
    view_name, django_user_model, editor
):
    passkey_for(editor)
    assert not challenge_given(ask(Client(), view_name))
    django_user_model.objects.create_user("reader", "reader@example.com", PASSWORD)
    visitor = Client()
    visitor.post("/_util/login/", {"username": "reader", "password": PASSWORD})
    assert not challenge_given(ask(visitor, view_name))
    assert not WebAuthnCredential.objects.exclude(user=editor).exists()


def test_a_passkey_is_added_only_after_the_authenticator_apps_code(editor):
    enrolled(editor)
    browser = signed_in_with_password(editor)
    # The password alone does not let anyone add a passkey to get past the second step.
    refused = ask(browser, ADD_PASSKEY)
    assert not challenge_given(refused)
    assert browser.get("/admin/").status_code == 302

    give_code(browser, code_for(enrolled(editor)))
    offered = ask(browser, ADD_PASSKEY)
    assert challenge_given(offered)
    assert offered.json()["rp"] == {"id": "localhost", "name": "Clinic"}


def test_staff_without_an_authenticator_app_cannot_add_a_passkey_instead(editor):
    browser = signed_in_with_password(editor)
    assert not challenge_given(ask(browser, ADD_PASSKEY))
    assert not WebAuthnCredential.objects.filter(user=editor).exists()
    assert browser.get("/admin/")["Location"].startswith(reverse("second_factor_enrol"))


def test_the_second_step_offers_a_passkey_to_staff_who_have_one(editor):
    enrolled(editor)
    browser = signed_in_with_password(editor)
    page = browser.get(reverse("second_factor_verify")).content.decode()
    assert "Use a passkey" not in page and "otp_webauthn" not in page
    assert 'name="code"' in page

    passkey = passkey_for(editor)
    page = browser.get(reverse("second_factor_verify")).content.decode()
    # In a template, for the package's script to show where the browser can use a passkey; the code
    # form stays for every browser.
    assert re.search(r"<template[^>]*>.*Use a passkey.*</template>", page, re.S)
    assert 'name="code"' in page
    assert "django_otp_webauthn/otp_webauthn_auth.js" in page
    offered = ask(browser, PASSKEY_STEP)
    assert challenge_given(offered)
    assert [credential["type"] for credential in offered.json()["allowCredentials"]] == ["public-key"]
    # The code still works beside it.
    assert give_code(browser, code_for(enrolled(editor))).status_code == 302
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_failed_passkey_counts_towards_the_pause_and_a_paused_account_gets_no_passkey_step(editor):
    enrolled(editor)
    passkey_for(editor)
    browser = signed_in_with_password(editor)
    SecondFactorFailures.objects.create(user=editor, count=9)
    assert challenge_given(ask(browser, PASSKEY_STEP))
    failed = ask(browser, PASSKEY_STEP_COMPLETE, {"id": "bm90IGEgcGFzc2tleQ", "type": "public-key"})
    assert failed.status_code == 429 and "paused" in failed.json()["detail"]
    assert browser.get("/admin/").status_code == 302

    # Paused: no passkey step begins, and the page says so, as for codes.
    assert ask(browser, PASSKEY_STEP).status_code == 429
    assert ask(browser, PASSKEY_STEP_COMPLETE).status_code == 429
    assert browser.get(reverse("second_factor_verify")).status_code == 429
    assert SecondFactorFailures.objects.get(user=editor).count == 10


def test_staff_see_their_passkeys_by_name_and_remove_one(client, editor):
    client.force_login(editor)
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("second_factor_passkeys") in account
    page = client.get(reverse("second_factor_passkeys")).content.decode()
    assert "You have no passkeys" in page and "Add a passkey" in page
    assert "django_otp_webauthn/otp_webauthn_register.js" in page

    laptop = passkey_for(editor, "Passkey added 2 March 2026, 09:30")
    key = passkey_for(editor, "Passkey added 3 March 2026, 16:05")
    page = client.get(reverse("second_factor_passkeys")).content.decode()
    assert "Passkey added 2 March 2026, 09:30" in page and "Passkey added 3 March 2026, 16:05" in page

    response = client.post(reverse("second_factor_passkey_remove", args=[laptop.pk]), follow=True)
    page = response.content.decode()
    assert "is removed" in page
    assert (
        "Passkey added 2 March 2026, 09:30</td>" not in page and "Passkey added 3 March 2026, 16:05" in page
    )
    assert list(WebAuthnCredential.objects.filter(user=editor)) == [key]
    assert ModelLogEntry.objects.filter(action="clinic.passkey_removed", object_id=str(editor.pk)).exists()


def test_staff_cannot_remove_a_colleagues_passkey(client, make_staff, editor):
    colleagues = passkey_for(make_staff("colleague", "Clinical editors"))
    client.force_login(editor)
    assert client.post(reverse("second_factor_passkey_remove", args=[colleagues.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=colleagues.pk).exists()


def test_removing_a_colleagues_factors_removes_their_passkeys_too(admin_client, editor):
    enrolled(editor)
    passkey_for(editor)
    passkey_for(editor, "Passkey added 3 March 2026, 16:05")
    remove = reverse("second_factor_remove", args=[editor.pk])
    assert "and their 2 passkeys" in admin_client.get(remove).content.decode()
    admin_client.post(remove)
    assert not WebAuthnCredential.objects.filter(user=editor).exists()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    history = admin_client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Second factor removed, and 2 passkeys," in history
