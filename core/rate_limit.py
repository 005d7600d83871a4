"""How many things one address has sent in the last hour, for the site's limits on what visitors
send (consultation requests, page feedback).

Counted in the cache, atomically: each request adds one to its address's counter and learns the new
total in the same step (Redis INCR), so simultaneous requests can never all see room for one more.
With Redis that is one round trip (ResilientRedisCache.count), since every page view's beacon is
counted here. While the cache is unreachable the caller counts what it stored instead, by the same
sender.
"""

from datetime import timedelta

from django.core.cache import cache, caches
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.cache import ResilientRedisCache
from core.client_address import client_address

WINDOW_SECONDS = 60 * 60


def sender(request, purpose):
    """A keyed hash of the visitor's address, one per purpose: neither the cache nor a stored
    record ever holds a visitor's IP address, yet what one address sends can be counted."""
    return salted_hmac(f"{purpose}.rate_limit", client_address(request)).hexdigest()


def count_in_cache(purpose, sender):
    """This request's number among those from `sender` this hour, or None if the cache is unreachable."""
    key = f"{purpose}:rate:{sender}"
    if isinstance(caches["default"], ResilientRedisCache):
        return cache.count(key, WINDOW_SECONDS)
    # Any other cache (local memory in development and tests): Django's own two steps.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        # The cache is unreachable (or the counter expired just now): the caller counts in the database.
        return None


def window_start():
    """When the hour being counted began: while the cache is unreachable, callers count what they
    stored since then."""
    return timezone.now() - timedelta(seconds=WINDOW_SECONDS)
