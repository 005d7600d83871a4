"""Staff in the tests pass the second step at sign-in (core/two_factor.py), as in production.

`enrolled(user)` gives a user an authenticator app (a TOTP device, confirmed), `code_for(device)`
the code it shows now, and `StaffClient` is Django's test client whose `force_login` also marks the
session verified for staff, as passing the second step does: tests/conftest.py makes it the
`client` and `admin_client` fixtures. Tests of the second step itself sign in through the forms.
"""

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor


def enrolled(user):
    """The user's authenticator app, set up for them if they have none."""
    device = two_factor.authenticator(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=two_factor.AUTHENTICATOR_NAME, confirmed=True)
    return device


def code_for(device, drift=0):
    """The code the app shows now (drift: steps of 30 s later). An app's code is taken once only, so
    the device forgets the last it took: a test may sign the same person in twice within 30 s."""
    device.last_t = -1
    device.save(update_fields=["last_t"])
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def code_from_key(written_key, drift=0):
    """The code an authenticator app shows for the key the enrolment page writes out."""
    from base64 import b32decode

    return f"{totp(b32decode(written_key.replace(' ', '')), drift=drift):06d}"


class StaffClient(Client):
    """Django's test client; `force_login` passes staff's second step too."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if two_factor.applies_to(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = enrolled(user).persistent_id
            session.save()


def pass_second_step(client, user):
    """After signing in with the password through the form: the code, through the second step's form."""
    return client.post(reverse("second_factor_verify"), {"code": code_for(enrolled(user))})
