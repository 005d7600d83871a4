"""A member of staff signs in for the first time: sets up an authenticator app from the key written
beside the QR code, keeps the recovery codes; then signs in with the app's code, with a recovery
code, and finds the step paused after ten wrong codes (core/two_factor.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import STAFF_PASSWORD
from tests.second_factor import code_from_key

pytestmark = pytest.mark.browser


def give_password(page, username):
    page.context.clear_cookies()  # signed out
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def give_code(page, code):
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()


def test_staff_set_up_a_second_factor_then_sign_in_with_it(page, make_staff):
    editor = make_staff("editor", "Clinical editors")

    give_password(page, editor.username)
    page.wait_for_url(re.compile(r"/admin/second-factor/set-up/"))
    expect(page.get_by_role("heading", name="Set up your sign-in codes")).to_be_visible()
    expect(page.get_by_role("img", name="QR code of your sign-in key")).to_be_visible()
    key = page.locator("[data-second-factor-key]").inner_text()
    # Nothing in the admin opens before the app is set up.
    page.goto("/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/second-factor/set-up/"))
    assert page.locator("[data-second-factor-key]").inner_text() == key

    page.get_by_label("Code").fill(code_from_key(key))
    page.get_by_role("button", name="Set up").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(set(codes)) == 10
    # On to the page asked for.
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(re.compile(r"/admin/pages/$"))

    # The password, then the app's code (the next one: each is taken once).
    give_password(page, editor.username)
    page.wait_for_url(re.compile(r"/admin/second-factor/\?"))
    page.goto("/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/second-factor/\?"))
    give_code(page, code_from_key(key, drift=1))
    page.wait_for_url(re.compile(r"/admin/pages/$"))

    # The password, then a recovery code.
    give_password(page, editor.username)
    give_code(page, codes[0])
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_text("You signed in with a recovery code; 9 left.")).to_be_visible()

    # Ten wrong codes in a row pause the step.
    give_password(page, editor.username)
    for attempt in range(9):
        give_code(page, codes[0])  # used already
        expect(page.get_by_label("Code")).to_be_visible()
        assert "/admin/second-factor/" in page.url, attempt
    give_code(page, codes[0])
    expect(page.get_by_role("heading", name="Signing in is paused")).to_be_visible()
    expect(page.get_by_text("too many wrong sign-in codes")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Signing in is paused")).to_be_visible()


@pytest.fixture
def passkey_device(page, site_url, settings):
    """Chromium's virtual authenticator (through the DevTools protocol), standing for the device's
    fingerprint reader or a security key, always consenting; and the live server's address allowed
    to use passkeys (their host name, localhost, is the test settings' relying party)."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [site_url]
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return devtools, authenticator["authenticatorId"]


def test_staff_add_a_passkey_then_sign_in_with_it(page, log_in, make_staff, passkey_device, console_errors):
    devtools, authenticator_id = passkey_device
    editor = make_staff("editor", "Clinical editors")
    log_in(page, editor)

    page.goto("/admin/account/")
    page.get_by_role("tab", name="More actions").click()
    page.get_by_role("link", name="Passkeys").click()
    expect(page.get_by_text("You have no passkeys.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("cell", name=re.compile(r"^Passkey added "))).to_be_visible()
    assert (
        len(devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"])
        == 1
    )

    # The password, then the passkey instead of a code, on to the page asked for.
    give_password(page, editor.username)
    page.goto("/admin/pages/")
    page.wait_for_url(re.compile(r"/admin/second-factor/\?"))
    expect(page.get_by_label("Code")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(re.compile(r"/admin/pages/$"))
    page.goto("/admin/second-factor/passkeys/")
    expect(page.get_by_role("cell", name="Not yet")).to_have_count(0)
    # The passkey pages' scripts ran within the admin's Content-Security-Policy, without an error.
    # (The account page logs one of Wagtail's own, about the time zone, in this Chromium.)
    assert not [error for error in console_errors if "/second-factor/" in error]
