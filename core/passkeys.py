"""Passkeys: staff's other way through the second step (core/two_factor.py), through
django-otp-webauthn's views and scripts.

A passkey is added only by staff whose session has passed the second step with their authenticator
app, so the app stays the factor everyone has (and with it the recovery codes). At the second step a
passkey then counts as a code would: django-otp's login, the failures cleared, on to `next`. Here,
on top of the package's views:

- only staff, with the password given (Wagtail's admin access, and the checks below);
- nothing while the account's second step is paused after wrong codes, and a failed passkey counts
  as a wrong code towards that pause;
- passkeys named for their owners to tell apart, and each one added written in the account's history.
"""

from django.urls import path
from django.utils import dateformat, timezone
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.helpers import WebAuthnHelper
from wagtail.log_actions import log

from core import two_factor, two_factor_views


class PasskeyHelper(WebAuthnHelper):
    """The package's WebAuthn ceremonies (OTP_WEBAUTHN_HELPER_CLASS), naming each new passkey."""

    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        credential.name = f"Passkey added {dateformat.format(timezone.localtime(), 'j F Y, H:i')}"
        return credential


class Refused(exceptions.OTPWebAuthnApiError):
    """A ceremony this site does not start: not a failed passkey, so not counted as one."""


class NotStaff(Refused):
    status_code = 403
    default_code = "not_staff"
    default_detail = "Passkeys are for staff."


class SecondStepPaused(Refused):
    status_code = 429
    default_code = "second_step_paused"
    default_detail = (
        "Signing in is paused after too many wrong sign-in codes in a row. Try again in a few minutes."
    )


class AuthenticatorFirst(Refused):
    status_code = 403
    default_code = "authenticator_first"
    default_detail = "Give a code from your authenticator app before adding a passkey."


class StaffOnly:
    """Before the package's own checks: staff only, and none while their second step is paused."""

    def initial(self, request, *args, **kwargs):
        if not two_factor.applies_to(request.user):
            raise NotStaff()
        if two_factor.paused_until(request.user):
            raise SecondStepPaused()
        super().initial(request, *args, **kwargs)


class AddingAPasskey(StaffOnly):
    def check_can_register(self):
        """The package asks for a verified session only of accounts that have a device already; here
        it is always asked, and of a session verified with the authenticator app or a passkey."""
        user = self.request.user
        if not two_factor.authenticator(user) or not two_factor.is_verified(user):
            raise AuthenticatorFirst()


class BeginAddingAPasskey(AddingAPasskey, views.BeginCredentialRegistrationView):
    pass


class CompleteAddingAPasskey(AddingAPasskey, views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        account = two_factor_views.account(self.request.user)
        log(instance=account, action=two_factor_views.PASSKEY_ADDED_ACTION, user=account)
        return response


class BeginPasskeyStep(StaffOnly, views.BeginCredentialAuthenticationView):
    pass


class CompletePasskeyStep(StaffOnly, views.CompleteCredentialAuthenticationView):
    """The second step passed with a passkey: as with a code, the session verified and the failures
    cleared, then on to the address asked for (a local one only, as the code form does)."""

    def complete_auth(self, device):
        two_factor.pass_second_step(self.request, device)

    def get_success_url(self):
        return two_factor_views.next_url(self.request)

    def handle_exception(self, exc):
        failed_passkey = isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(exc, Refused)
        if failed_passkey and two_factor.record_failure(self.request.user):
            exc = SecondStepPaused()
        return super().handle_exception(exc)


# The package's own names (its template tags reverse them), with the views above.
urlpatterns = [
    path("add/begin/", BeginAddingAPasskey.as_view(), name="credential-registration-begin"),
    path("add/complete/", CompleteAddingAPasskey.as_view(), name="credential-registration-complete"),
    path("sign-in/begin/", BeginPasskeyStep.as_view(), name="credential-authentication-begin"),
    path("sign-in/complete/", CompletePasskeyStep.as_view(), name="credential-authentication-complete"),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
