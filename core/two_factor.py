"""Staff sign in in two steps: the password (through django-axes, core/staff_login.py), then a code.

The code comes from an authenticator app (a TOTP device of django-otp's, set up at the first sign-in
from a QR code) or is one of ten recovery codes (a static device), each good once; staff who have
added a passkey may use it instead (core/passkeys.py, django-otp-webauthn's device). Until the second
step is passed, the session is not verified (django-otp's OTPMiddleware: `user.is_verified()`), and:

- every admin address, page previews included, leads to the second step (SecondFactorMiddleware),
  or to setting up an authenticator app for staff who have none;
- private pages and documents (login-only or for some groups) lead there too
  (core/wagtail_hooks.py's `before_serve_page` and `before_serve_document`).

Whom it applies to: staff (anyone who may use the admin, and superusers). Visitors who sign in only to
read a login-only page are never asked. STAFF_SECOND_FACTOR_REQUIRED turns it off (development).

Wrong codes: django-otp makes each device wait 1, 2, 4... seconds after a wrong code
(OTP_TOTP_THROTTLE_FACTOR, OTP_STATIC_THROTTLE_FACTOR), and SECOND_FACTOR_FAILURE_LIMIT wrong codes
in a row for an account pause its second step for SECOND_FACTOR_COOLOFF_TIME, answered like a
password lockout (core/staff_login.py).
"""

from base64 import b32encode
from datetime import datetime

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core.models import SecondFactorFailures

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"

# Admin views open to staff who have given their password but not yet a code: the steps themselves
# (a passkey's too), and what their pages load (the admin's icons and translations for its scripts).
OPEN_BEFORE_SECOND_STEP = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "second_factor_verify",
    "second_factor_enrol",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


def applies_to(user):
    """Whether `user` must give a second factor: staff, with the requirement on."""
    return (
        settings.STAFF_SECOND_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))
    )


def is_verified(user):
    """Whether this session passed the second step (OTPMiddleware installs `is_verified`)."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def still_to_pass(user):
    """Staff signed in with their password who have not yet given a code in this session."""
    return applies_to(user) and not is_verified(user)


def authenticator(user):
    """The user's authenticator app, once set up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def passkeys(user):
    """The passkeys the user has added, oldest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def recovery_codes_device(user):
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def remaining_recovery_codes(user):
    device = recovery_codes_device(user)
    return device.token_set.count() if device else 0


def second_step_url(request, next_url=None):
    """The step staff still have to take: setting up an app if they have none, else giving a code;
    back to `next_url` (the address they asked for) afterwards."""
    name = "second_factor_verify" if authenticator(request.user) else "second_factor_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url or request.get_full_path()})}"


def redirect_to_second_step(request):
    return redirect(second_step_url(request))


class SecondFactorMiddleware:
    """After OTPMiddleware: an admin address asked for by staff who have not passed the second step
    leads there (page previews and drafts are admin addresses too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith(reverse("wagtailadmin_home"))
            and not self.open_before_second_step(request.path_info)
            and still_to_pass(request.user)
        ):
            return redirect_to_second_step(request)
        return self.get_response(request)

    @staticmethod
    def open_before_second_step(path):
        try:
            return resolve(path).view_name in OPEN_BEFORE_SECOND_STEP
        except Resolver404:
            return False


# Setting up


def new_authenticator(user):
    """The authenticator app being set up: the same key until it is confirmed with a code, so that
    reloading the page does not change the QR code already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def written_key(device):
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device):
    """The key's otpauth:// address as a QR code, an inline SVG drawn here (nothing leaves the site)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title="QR code of your sign-in key"
    )


def new_recovery_codes(user):
    """Ten new recovery codes for `user`, replacing any left: returned once, to be shown once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_authenticator(request, device, code):
    """The first code from a new authenticator app: right, and the app is set up, the session
    verified and ten recovery codes made (returned); wrong, None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalised(code)):
            return None
        device.confirmed = True
        device.save()
    django_otp.login(request, device)
    clear_failures(request.user)
    return new_recovery_codes(request.user)


def remove_factors(user):
    """Removes the user's authenticator app, recovery codes and passkeys (every django-otp device):
    they set up a new app at their next sign-in, and any session of theirs verified with the old ones
    is verified no longer. Returns how many passkeys went."""
    with transaction.atomic():
        removed_passkeys = passkeys(user).count()
        for device in django_otp.devices_for_user(user, confirmed=None):
            device.delete()
        clear_failures(user)
    return removed_passkeys


# The second step


def normalised(code):
    """What staff type, without the spaces and dashes they may copy with it."""
    return "".join(character for character in code if character not in " -\t").lower()


def check_code(user, code):
    """(device that took the code, None) or (None, when the device may be tried again if it is
    waiting after wrong codes). Six digits are the app's code; anything else a recovery code."""
    code = normalised(code)
    device = authenticator(user) if code.isdigit() and len(code) == 6 else recovery_codes_device(user)
    if device is None:
        return None, None
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return None, (details or {}).get("locked_until")
    return django_otp.verify_token(user, device.persistent_id, code), None


def pass_second_step(request, device):
    django_otp.login(request, device)
    clear_failures(request.user)


# Wrong codes in a row, per account


def paused_until(user) -> datetime | None:
    record = SecondFactorFailures.objects.filter(user=user, paused_until__gt=timezone.now()).first()
    return record.paused_until if record else None


def record_failure(user) -> datetime | None:
    """Counts a wrong code; returns until when the step is paused if that one reached the limit."""
    now = timezone.now()
    with transaction.atomic():
        record, _ = SecondFactorFailures.objects.select_for_update().get_or_create(user=user)
        if record.paused_until and record.paused_until <= now:
            record.count, record.paused_until = 0, None  # a pause over starts the count again
        record.count += 1
        if record.count >= settings.SECOND_FACTOR_FAILURE_LIMIT:
            record.paused_until = now + settings.SECOND_FACTOR_COOLOFF_TIME
        record.save()
    return record.paused_until


def clear_failures(user):
    SecondFactorFailures.objects.filter(user=user).delete()


def second_step_paused(request, until):
    """The answer while an account's second step is paused: the password lockout's page."""
    seconds = max(int((until - timezone.now()).total_seconds()), 1)
    response = render(
        request,
        "clinic/sign_in_paused.html",
        {
            "minutes": int(settings.SECOND_FACTOR_COOLOFF_TIME.total_seconds() // 60),
            "sign_in_url": reverse("wagtailadmin_login"),
            "second_step": True,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
