"""Production: every setting that differs per deployment comes from the environment.

`.env.example` lists the variables and docs/operations.md explains them. The site runs
behind a proxy that terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For.
"""

import os
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def env(name, default=None):
    return os.environ.get(name) or default


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_bool(name, default):
    value = env(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def required(name):
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"Set {name} in the environment (see .env.example).")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS in the environment (see .env.example).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")
# Staff's passkeys belong to the admin's address (changing it later orphans them).
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkeys_for(WAGTAILADMIN_BASE_URL)  # noqa: F405

# Every member of staff signs in with a second factor (core/two_factor.py). Turning it off takes two
# settings, the second saying that whoever deploys knows what it means.
STAFF_SECOND_FACTOR_REQUIRED = env_bool("STAFF_SECOND_FACTOR_REQUIRED", True)
if not STAFF_SECOND_FACTOR_REQUIRED and not env_bool("STAFF_SECOND_FACTOR_OFF_ACCEPTED", False):
    raise ImproperlyConfigured(
        "STAFF_SECOND_FACTOR_REQUIRED is off: staff would sign in with a password alone. Set "
        "STAFF_SECOND_FACTOR_OFF_ACCEPTED=true as well if that is really meant (see .env.example)."
    )

# Database: DATABASE_URL is read in base.py. Connections are kept for a minute and checked
# before reuse, so a database restart costs one failed query per worker, not an outage.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5  # noqa: F405

# Cache (the limits per address on what visitors send, and what Wagtail keeps between requests;
# never pages): Redis when REDIS_URL is set, shared by every worker and server. Without it (local
# trials) each worker keeps its own memory cache.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "clinic"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Visit counts (the visits app) are kept in the same Redis until the nightly roll-up.
VISITS_REDIS_URL = env("REDIS_URL", "")
VISITS_KEY_PREFIX = f"{env('CACHE_KEY_PREFIX', 'clinic')}:visits"
# E-mail: through SMTP when EMAIL_HOST is set; otherwise written to the log (local trials).
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"website@{ALLOWED_HOSTS[0]}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Uploaded images and documents: the local MEDIA_ROOT and DOCUMENTS_ROOT folders by default, or
# S3-compatible buckets when AWS_STORAGE_BUCKET_NAME is set (credentials come from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, read by boto3 itself).
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN"),
            "location": env("AWS_LOCATION", "media"),
            # Public, cacheable URLs for images; uploads never overwrite each other.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }
    # Documents in a bucket of their own, which nobody may read without a signature: a bucket
    # policy that lets anyone read the images' bucket would cover a folder inside it too. The site
    # streams them (WAGTAILDOCS_SERVE_METHOD); the signed addresses it uses expire within a minute.
    STORAGES["documents"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": required("AWS_DOCUMENTS_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "location": env("AWS_DOCUMENTS_LOCATION", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
    media_origin = env("AWS_S3_CUSTOM_DOMAIN") or urlsplit(env("AWS_S3_ENDPOINT_URL", "")).netloc
    media_origin = f"https://{media_origin}" if media_origin else "https://*.amazonaws.com"
    for policy in (PUBLIC_PAGES_CSP, ADMIN_CSP):  # noqa: F405
        policy["img-src"] = [*policy["img-src"], media_origin]
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STATIC_ROOT = env("STATIC_ROOT", STATIC_ROOT)  # noqa: F405
MEDIA_ROOT = env("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405

# Static files: content-hashed, compressed, and cached by browsers and CDNs for a year.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# HTTPS, as the TLS proxy in front tells us with X-Forwarded-Proto. HTTPS_ONLY=false is for trials
# on http://127.0.0.1 (`make serve`) only.
HTTPS_ONLY = env_bool("HTTPS_ONLY", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe the app directly over HTTP
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_HTTPONLY = True
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "1"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", "INFO")},
}

# The one page cache is the HTTP cache in front: Varnish with deploy/varnish/clinic.vcl (`make
# serve`), or a CDN through Wagtail's frontend-cache contrib. Either is purged of exactly the pages
# a change shows on, so it may keep them long (CDN_MAX_AGE seconds); without one, nothing is kept.
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": required("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN"),
    }
if env("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"):
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"),
    }
# Varnish servers with deploy/varnish/clinic.vcl, comma-separated: every one is purged.
VARNISH_LOCATIONS = env_list("FRONTEND_CACHE_VARNISH_LOCATION")
if VARNISH_LOCATIONS:
    # The secret Varnish takes purges with (its purge_token.vcl): the same value on both sides.
    VARNISH_PURGE_TOKEN = required("VARNISH_PURGE_TOKEN")
    if not re.fullmatch(r"[A-Za-z0-9_-]{32,}", VARNISH_PURGE_TOKEN):
        # Written into a VCL string as it is, and guessable if short.
        raise ImproperlyConfigured(
            "VARNISH_PURGE_TOKEN must be at least 32 letters, digits, - or _ "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
for number, location in enumerate(VARNISH_LOCATIONS, start=1):
    WAGTAILFRONTENDCACHE[f"varnish-{number}"] = {
        "BACKEND": "core.varnish.VarnishBackend",
        "LOCATION": location,
        "PURGE_TOKEN": VARNISH_PURGE_TOKEN,
    }
# How often each gunicorn worker sends again the purges a Varnish server missed (core.varnish).
PURGE_RETRY_SECONDS = 5
SHARED_CACHE_SURROGATE_KEYS = bool(VARNISH_LOCATIONS)
if env("FRONTEND_CACHE_HTTP_LOCATION"):  # another cache (Squid, nginx) answering a PURGE per URL
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_HTTP_LOCATION"),
    }
SHARED_CACHE_MAX_AGE = int(env("CDN_MAX_AGE", "86400")) if WAGTAILFRONTENDCACHE else 0
