"""Settings shared by every environment. `dev` and `production` build on these."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    # The site on top, the feature apps, and the core they all build on (docs/architecture.md).
    "clinic",
    "conditions",
    "articles",
    "enquiries",
    "feedback",
    "visits",
    "core",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: the visit beacon needs none of the rest (visits/middleware.py).
    "visits.middleware.BeaconMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions and CSRF: it sees the cookies they set, which make a page one visitor's.
    "core.http_cache.SharedCacheHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second step (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff signed in with their password alone reach only the second step (core/two_factor.py).
    "core.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as axes asks: it turns a sign-in refused for too many failures into its own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "clinic.site_chrome.context",
            ],
        },
    },
]

# SQLite needs nothing installed; production sets DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sessions last a working day at most; without "remember me" they end with the browser.
SESSION_COOKIE_AGE = 8 * 60 * 60
# How many proxies in front of the site append to X-Forwarded-For (production sets it).
TRUSTED_PROXY_COUNT = 0

# Sign-in throttling for every login form (django-axes; core/staff_login.py explains the rules).
# Axes checks first, so a locked-out visitor's password is never even tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "core.staff_login.StaffSignInHandler"
# In this order (StaffSignInHandler relies on it): an account from one address, and one address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = 5
SIGN_IN_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
# The lockout runs its full length from the failure that reached the limit, however often the
# visitor tries meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"
AXES_USERNAME_CALLABLE = "core.staff_login.username_for_counting"
AXES_LOCKOUT_CALLABLE = "core.staff_login.sign_in_paused"
# Every failure is kept (axes' failure log) for administrators to read in the Wagtail admin;
# successful sign-ins are not recorded.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True
# Django's own admin is not served; the Wagtail admin shows axes' records instead.
AXES_ENABLE_ADMIN = False

# Staff's second factor (core/two_factor.py; docs/security.md): after the password, a code from an
# authenticator app or one of ten recovery codes, before any admin page, preview or private page
# opens. Production refuses to start with it off unless told (clinic/settings/production.py).
STAFF_SECOND_FACTOR_REQUIRED = True
# Wrong codes in a row for one account that pause its second step, and for how long.
SECOND_FACTOR_FAILURE_LIMIT = 10
SECOND_FACTOR_COOLOFF_TIME = timedelta(minutes=15)
# django-otp: after each wrong code the next is refused for 1, 2, 4, 8... seconds (per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Clinic website"

# Headers for every response, in every environment so that development shows what production
# will block. Inline <script>/<style> and style="" attributes are refused on public pages;
# JSON-LD data blocks are not scripts and are unaffected. (Named so as not to be read by django-csp,
# which owns CONTENT_SECURITY_POLICY.)
PUBLIC_PAGES_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The Wagtail admin (and the previews it frames) uses inline scripts, inline styles and blob:
# image previews of its own.
ADMIN_CSP = {
    **PUBLIC_PAGES_CSP,
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Read by django-permissions-policy's middleware.
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "microphone", "payment", "usb")
}
# Sites linked to never learn which condition page a patient was reading.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files browsers ask for at the site's root whatever the page links (/favicon.ico), drawn by
# scripts/draw_site_icons.py: WhiteNoise serves this folder there, before any page is looked for.
WHITENOISE_ROOT = BASE_DIR / "clinic" / "root"
# Their names never change, unlike those of the hashed static files (kept for a year): a week.
ROOT_FILES_MAX_AGE = 7 * 24 * 60 * 60


def keep_root_files(headers, path, url):
    """WhiteNoise's headers for a file it serves: for the root's files, kept by browsers and caches
    for ROOT_FILES_MAX_AGE instead of WhiteNoise's minute."""
    if not url.startswith(STATIC_URL):
        headers["Cache-Control"] = f"public, max-age={ROOT_FILES_MAX_AGE}"


WHITENOISE_ADD_HEADERS_FUNCTION = keep_root_files
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Documents' files, outside MEDIA_ROOT: nothing that serves uploads reaches them, and only
# Wagtail's document view (/documents/<id>/<name>) sends them, after checking the collection's
# privacy. Never put it inside MEDIA_ROOT (`manage.py check` refuses it).
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", BASE_DIR / "private-documents"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page forms in the Wagtail editor can exceed Django's default of 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Clinic"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")


def passkeys_for(admin_base_url):
    """A passkey belongs to one host name (the relying party ID) and is accepted only from the
    addresses given here: the admin's own (WAGTAILADMIN_BASE_URL). Browsers refuse an IP address as
    the host name, so passkeys work only where the admin is reached by name."""
    address = urlsplit(admin_base_url)
    return address.hostname, [f"{address.scheme}://{address.netloc}"]


# Passkeys, the other second factor staff may add (django-otp-webauthn; core/passkeys.py).
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkeys_for(WAGTAILADMIN_BASE_URL)
# The name browsers show when a passkey is made or asked for.
OTP_WEBAUTHN_RP_NAME = WAGTAIL_SITE_NAME
# Only ever after the password: a passkey is a second factor here, never a way to sign in alone.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The staff-only views, and passkeys named for the staff who keep them (core/passkeys.py).
OTP_WEBAUTHN_HELPER_CLASS = "core.passkeys.PasskeyHelper"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
WAGTAILDOCS_DOCUMENT_MODEL = "core.ClinicDocument"
# Every document through Django, never a redirect to its file: a redirect's address would work for
# anyone it is passed to.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# 50 megapixels: any camera photo, but not a decompression bomb.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
# Says on the upload forms that images are public, and refuses a file Pillow cannot decode.
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.images.ImageForm"
# Staff e-mail addresses stay with the clinic, and the admin makes no calls to outside servers.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Uploaded files are served by Django itself only in development and local trials.
SERVE_MEDIA = False

# Consultation requests (the enquiries app; README "Consultation requests").
# Requests older than this are deleted by `manage.py purge_enquiries`.
ENQUIRY_RETENTION_DAYS = int(os.environ.get("ENQUIRY_RETENTION_DAYS", "365"))
# Requests one network address may send in an hour.
ENQUIRY_RATE_LIMIT = int(os.environ.get("ENQUIRY_RATE_LIMIT", "5"))
# "Was this page helpful?" answers one address may send an hour.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "20"))
# Where the new-request e-mail goes when the clinic's details (site settings) have no e-mail address.
ENQUIRIES_NOTIFY_EMAIL = os.environ.get("ENQUIRIES_NOTIFY_EMAIL", "")

# Marketing's numbers (the visits app, #32): the Redis that holds each day's counts until
# `manage.py roll_up_visits` copies them into the database (none: counted in the database), its
# keys' prefix, and the beacons one address may send an hour.
VISITS_REDIS_URL = ""
VISITS_KEY_PREFIX = "clinic:visits"
VISITS_RATE_LIMIT = int(os.environ.get("VISITS_RATE_LIMIT", "600"))

# Backups (`manage.py backup_site` / `restore_site`, core.backups).
# age public keys (age1…) that backups are encrypted to; none: backups are not encrypted.
BACKUP_AGE_RECIPIENTS = [
    key.strip() for key in os.environ.get("BACKUP_AGE_RECIPIENTS", "").split(",") if key.strip()
]
# The private key file that opens an encrypted backup, unless `--identity` names one.
BACKUP_AGE_IDENTITY_FILE = os.environ.get("BACKUP_AGE_IDENTITY_FILE") or None
# An S3-compatible bucket every backup is copied to (none: backups stay on this machine), under
# BACKUP_S3_PREFIX, at the same endpoint and region as uploads; boto3 reads the AWS_* credentials.
BACKUP_S3_BUCKET = os.environ.get("BACKUP_S3_BUCKET", "")
BACKUP_S3_PREFIX = os.environ.get("BACKUP_S3_PREFIX", "backups")
BACKUP_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
BACKUP_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None

# The services that fill in and re-check articles' citations (articles.citations; README
# "Related articles"). Base addresses, so that tests can point them at a stand-in server.
CROSSREF_API_URL = os.environ.get("CROSSREF_API_URL", "https://api.crossref.org")
NCBI_EUTILS_URL = os.environ.get("NCBI_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils")
CLINICALTRIALS_API_URL = os.environ.get("CLINICALTRIALS_API_URL", "https://clinicaltrials.gov/api/v2")
# Seconds to wait for each answer, and before the one retry of a request that failed.
EVIDENCE_SERVICE_TIMEOUT = float(os.environ.get("EVIDENCE_SERVICE_TIMEOUT", "10"))
EVIDENCE_SERVICE_RETRY_DELAY = float(os.environ.get("EVIDENCE_SERVICE_RETRY_DELAY", "2"))
# NCBI allows 3 requests a second without an API key: the least time between two PubMed requests.
PUBMED_MIN_INTERVAL = float(os.environ.get("PUBMED_MIN_INTERVAL", "0.34"))

# Every request the site makes to another server (core.outbound; docs/security.md): the longest
# it may take in all, redirects and answer included, and the largest answer it reads.
OUTBOUND_TOTAL_SECONDS = float(os.environ.get("OUTBOUND_TOTAL_SECONDS", "10"))
OUTBOUND_MAX_ANSWER_BYTES = int(os.environ.get("OUTBOUND_MAX_ANSWER_BYTES", str(5_000_000)))
# "127.0.0.1:port" addresses on this machine that may be asked all the same: the test suite's
# stand-in servers. Empty, and not read from the environment, so that no deployment can open it.
OUTBOUND_ALLOWED_LOCAL_ADDRESSES = []

# Pages are kept only by an HTTP cache in front (Varnish, a CDN; core.http_cache), purged through
# Wagtail's frontend cache (core.cache_invalidation). How long it may keep a page: only worth
# setting when WAGTAILFRONTENDCACHE lets the site purge it.
SHARED_CACHE_MAX_AGE = 0
# Whether pages carry their surrogate key (an xkey header) for Varnish in front to purge them by.
SHARED_CACHE_SURROGATE_KEYS = False
WAGTAILFRONTENDCACHE = {}
