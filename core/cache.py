"""A Redis cache that the site survives losing.

The cache keeps no pages (only an HTTP cache in front does): it counts what each address sends
(core.rate_limit) for every server at once, and holds what Wagtail keeps between requests (every
site's address). When Redis is unreachable or fails (out of memory, a read-only replica, a protocol
error, a time-out) every read is a miss and every write is skipped, so the limits are counted from
the database, Wagtail works its answers out afresh and nothing a patient sends is lost. The outage is logged
once when it starts and once when it ends, not on every request, and after a failure Redis is
left alone for a few seconds so that requests don't each wait for a dead server.
"""

import logging
import re
import threading
import time
from urllib.parse import urlsplit

import redis
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class Outage:
    """Whether one Redis server is down, shared by every thread of the process: logged once when
    it starts (with what is done `meanwhile`) and once when it ends, and the server left alone for
    `retry_interval` seconds after each failure. Also used by the visit counts (visits.counting)."""

    def __init__(self, retry_interval, *, name="Cache", meanwhile="serving without it until it is back"):
        self.retry_interval = retry_interval
        self.name = name
        self.meanwhile = meanwhile
        self.down_since = None
        self.next_try = 0.0
        self.lock = threading.Lock()

    def should_skip(self):
        return self.down_since is not None and time.monotonic() < self.next_try

    def failed(self, location, error):
        with self.lock:
            now = time.monotonic()
            self.next_try = now + self.retry_interval
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "%s %s unreachable or failing, %s: %s", self.name, location, self.meanwhile, error
                )

    def succeeded(self, location):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                logger.warning(
                    "%s %s is back after %.0f s.", self.name, location, time.monotonic() - self.down_since
                )
                self.down_since = None


def _resilient(original, *, when_down):
    """Wrap a cache method: a failing server answers `when_down(<the call's arguments>)`."""

    def method(self, *args, **kwargs):
        if self._outage.should_skip():
            return when_down(*args, **kwargs)
        try:
            result = original(self, *args, **kwargs)
        except RedisError as error:
            self._outage.failed(self._location_for_logs, error)
            return when_down(*args, **kwargs)
        self._outage.succeeded(self._location_for_logs)
        return result

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    return method


def _miss(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _key_not_found(*args, **kwargs):
    # Django's contract for incr()/decr() on a missing key; an unreachable cache holds no keys.
    raise ValueError("Key not found in cache (the cache is unreachable).")


# Django's options that say how it stores values, not how to reach the server.
_STORAGE_OPTIONS = ("serializer", "pool_class", "parser_class")

# A counter made with its expiry, then one added: in one step, so that simultaneous calls each get
# their own number and no counter is ever left without an expiry.
_COUNT_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
return redis.call('INCR', KEYS[1])
"""


def _count(self, key, timeout, version=None):
    """This call's number among those counting `key`, which is kept `timeout` seconds from the first.

    One round trip (EVALSHA), where Django's add() then incr() take three. Django's own client
    (`get_client`) is made afresh on every call, which costs more than a round trip: the counter
    keeps its own.
    """
    return self._count_script(keys=[self.make_and_validate_key(key, version=version)], args=[timeout])


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, treating an unreachable or failing server as an empty cache, with a
    counter (`count`) for the limits per address.

    OPTIONS takes RETRY_INTERVAL (seconds to leave a failed server alone, default 5) besides
    Django's own options; connect and read timeouts default to half a second.
    """

    _outages = {}
    _outages_lock = threading.Lock()

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        retry_interval = float(options.pop("RETRY_INTERVAL", 5))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        # One or more addresses, as Django's RedisCache takes them.
        servers = tuple(re.split("[;,]", server) if isinstance(server, str) else server)
        self._location_for_logs = ", ".join(without_credentials(url) for url in servers)
        with self._outages_lock:
            self._outage = self._outages.setdefault(servers, Outage(retry_interval))
        # On the first server, which Django writes to; connected on first use.
        counter = redis.Redis.from_url(
            servers[0], **{name: value for name, value in options.items() if name not in _STORAGE_OPTIONS}
        )
        self._count_script = counter.register_script(_COUNT_SCRIPT)

    get = _resilient(RedisCache.get, when_down=_miss)
    get_many = _resilient(RedisCache.get_many, when_down=lambda *args, **kwargs: {})
    has_key = _resilient(RedisCache.has_key, when_down=_false)
    add = _resilient(RedisCache.add, when_down=_false)
    set = _resilient(RedisCache.set, when_down=_nothing)
    # Every key "failed", as Django's contract for set_many() has it.
    set_many = _resilient(RedisCache.set_many, when_down=lambda data, *args, **kwargs: list(data))
    touch = _resilient(RedisCache.touch, when_down=_false)
    delete = _resilient(RedisCache.delete, when_down=_false)
    delete_many = _resilient(RedisCache.delete_many, when_down=_nothing)
    incr = _resilient(RedisCache.incr, when_down=_key_not_found)
    clear = _resilient(RedisCache.clear, when_down=_false)
    # None: no number, so the caller counts in the database.
    count = _resilient(_count, when_down=_nothing)


def without_credentials(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}{parts.path}"
