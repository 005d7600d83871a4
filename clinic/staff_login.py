"""Staff sign-in that resists password guessing.

Failed sign-ins to the admin are counted in the cache per account and per network address. Past
the limit, sign-in for that account (or from that address) is refused, even with the right
password, until the lockout has passed; the message says so plainly. The address limit is higher
because an office shares one address. If the cache is unreachable, sign-in still works, unthrottled:
locking every member of staff out during a cache outage would be worse.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from clinic.client_address import client_address

ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
LOCKOUT_MINUTES = 15


def _key(kind, value):
    return f"staff-login-failures:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


class ThrottledLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "locked_out": (
            "Too many failed sign-in attempts. For the clinic's security, signing in is paused for "
            f"{LOCKOUT_MINUTES} minutes. Please try again later, or ask an administrator to reset "
            "your password if you have forgotten it."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").casefold()
        limits = {
            _key("account", username): ACCOUNT_FAILURE_LIMIT,
            _key("address", client_address(self.request)): ADDRESS_FAILURE_LIMIT,
        }
        if any((cache.get(key) or 0) >= limit for key, limit in limits.items()):
            raise ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                for key, limit in limits.items():
                    _count_failure(key, limit)
            raise
        cache.delete(_key("account", username))
        return cleaned_data


def _count_failure(key, limit):
    lockout = LOCKOUT_MINUTES * 60
    cache.add(key, 0, lockout)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired in between, or the cache is unreachable
        return
    if failures >= limit:
        # The lockout runs its full length from the failure that reached the limit.
        cache.touch(key, lockout)
