"""How many requests one address may send: settings.ENQUIRY_RATE_LIMIT an hour.

Counted in the cache, atomically: each request adds one to its address's counter and learns the new
total in the same step (Redis INCR), so simultaneous requests can never all see room for one more.
While the cache is unreachable, the requests stored in the last hour are counted instead (see
`ConsultationPage.store_within_limit`). Only requests that are kept count, so a patient correcting
mistakes is never held back.
"""

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from core.client_address import client_address

WINDOW_SECONDS = 60 * 60
MESSAGE = (
    "We have already received several requests from your connection in the last hour, so this one "
    "has not been sent yet. Your answers are still below: please try again in an hour, or phone us."
)


def sender(request):
    """A keyed hash of the visitor's address: neither the cache nor the stored request ever holds
    a patient's IP address, yet requests from one address can be counted."""
    return salted_hmac("enquiries.rate_limit", client_address(request)).hexdigest()


def count_in_cache(sender):
    """This request's number among those from `sender` this hour, or None if the cache is unreachable."""
    key = f"enquiries:rate:{sender}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        # The cache is unreachable (or the counter expired just now): count in the database.
        return None
