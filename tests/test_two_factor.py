"""Staff sign in in two steps: the password, then a code from their authenticator app or a recovery
code (core/two_factor.py). Signed in here through the forms, with Django's plain test client."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry, PageViewRestriction

from core.models import SecondFactorFailures
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
    assert client.get(reverse("second_factor_remove", args=[editor.pk])).status_code in (302, 403)
    assert client.post(reverse("second_factor_remove", args=[editor.pk])).status_code in (302, 403)
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
