"""How many requests one address may send: settings.ENQUIRY_RATE_LIMIT an hour, counted in the cache.

Only requests that are kept count, so a patient correcting mistakes is never held back.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

# The site's one way of telling visitors apart, proxies included (TRUSTED_PROXY_COUNT).
from clinic.staff_login import client_address

WINDOW_SECONDS = 60 * 60
MESSAGE = (
    "We have already received several requests from your connection in the last hour, so this one "
    "has not been sent yet. Your answers are still below: please try again in an hour, or phone us."
)


def _key(request):
    # Keyed by a keyed hash, so the cache never holds patients' IP addresses.
    return "enquiries:rate:" + salted_hmac("enquiries.rate_limit", client_address(request)).hexdigest()


def is_exceeded(request):
    return cache.get(_key(request), 0) >= settings.ENQUIRY_RATE_LIMIT


def count(request):
    key = _key(request)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
