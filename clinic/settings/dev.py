"""Development: runs with nothing but Python installed (SQLite, local-memory cache, console e-mail)."""

import os

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - never used outside development and tests
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Links in e-mails to staff lead to the server `make run` started, on whatever PORT it was given.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)

# Passkeys want a host name, not 127.0.0.1: try them at http://localhost:PORT.
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkeys_for(  # noqa: F405
    f"http://localhost:{os.environ.get('PORT', '8000')}"
)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Serve static files straight from the apps, found afresh on each request, with no collectstatic.
WHITENOISE_AUTOREFRESH = True

# The second step at sign-in (a code from an authenticator app) is off in development, so that
# `make run` needs no phone: the login page and `create_dev_superuser` say so. STAFF_SECOND_FACTOR=on
# turns it on, to try enrolment.
STAFF_SECOND_FACTOR_REQUIRED = os.environ.get("STAFF_SECOND_FACTOR", "off") == "on"
