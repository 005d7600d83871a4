"""Adding one to a day's count, in Redis when there is one, else in the database.

Redis holds one hash per day and kind (`<prefix>:<day>:<kind>`, a field per key) kept a few days;
`manage.py roll_up_visits` copies each day's totals into DailyCount. The kinds whose keys come from
outside (addresses not found, other sites' host names) take at most MAX_KEYS_PER_DAY keys a day:
past that, their counts go to the key OTHER, so that nothing a visitor sends can make storage grow
without bound. When Redis is unreachable or failing, counting goes straight to the database and
Redis is left alone for a few seconds, logged once per outage (core.cache.Outage, as the cache's).
"""

import threading

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from redis.exceptions import RedisError

from core.cache import Outage, without_credentials
from visits.models import DailyCount, Kind

# How long Redis keeps a day's counts: the daily roll-up has several chances to copy them.
KEEP_DAYS = 4
MAX_KEYS_PER_DAY = {Kind.NOT_FOUND: 500, Kind.REFERRER: 500}
OTHER = "(other)"
RETRY_SECONDS = 5

# One step, so that two servers counting at once cannot both take the last free key. Every count of
# a beacon in one script call: a single round trip (EVALSHA, the script itself sent only when Redis
# has not seen it), where a pipeline of scripts would first ask Redis whether it knows the script.
# KEYS: one hash per count; ARGV: seconds to keep them, the field for keys past the cap, then a
# field and its cap (0: none) per count.
COUNT_SCRIPT = """
local keep = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local field = ARGV[2 * i + 1]
  local most = tonumber(ARGV[2 * i + 2])
  if most > 0 and redis.call('HEXISTS', key, field) == 0 and redis.call('HLEN', key) >= most then
    field = ARGV[2]
  end
  redis.call('HINCRBY', key, field, 1)
  redis.call('EXPIRE', key, keep)
end
return 1
"""

_clients = {}
_scripts = {}
_outages = {}
_clients_lock = threading.Lock()


def outage(url):
    """Whether the Redis server at `url` is down (core.cache's record of it, kept per address)."""
    with _clients_lock:
        return _outages.setdefault(
            url, Outage(RETRY_SECONDS, name="Visits' Redis", meanwhile="counting in the database")
        )


def redis_client():
    """The Redis client for counting, or None without VISITS_REDIS_URL or while it is down."""
    url = settings.VISITS_REDIS_URL
    if not url or outage(url).should_skip():
        return None
    with _clients_lock:
        if url not in _clients:
            _clients[url] = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
            _scripts[url] = _clients[url].register_script(COUNT_SCRIPT)
        return _clients[url]


def day_key(day, kind):
    return f"{settings.VISITS_KEY_PREFIX}:{day.isoformat()}:{kind}"


def count(kind, key, day=None):
    """Add one to `kind`'s count of `key` today."""
    count_all([(kind, key)], day)


def count_all(counts, day=None):
    """Add one to each (kind, key)'s count today: in Redis in one round trip, else in the database
    in one transaction."""
    day = day or timezone.localdate()
    counts = [(kind, str(key)[:255]) for kind, key in counts]
    client = redis_client()
    if client is not None:
        try:
            args = [KEEP_DAYS * 24 * 60 * 60, OTHER]
            for kind, key in counts:
                args += [key, MAX_KEYS_PER_DAY.get(kind, 0)]
            _scripts[settings.VISITS_REDIS_URL](keys=[day_key(day, kind) for kind, _ in counts], args=args)
        except RedisError as error:
            outage(settings.VISITS_REDIS_URL).failed(without_credentials(settings.VISITS_REDIS_URL), error)
        else:
            outage(settings.VISITS_REDIS_URL).succeeded(without_credentials(settings.VISITS_REDIS_URL))
            return
    with transaction.atomic():
        for kind, key in counts:
            count_in_database(kind, key, day)


def count_in_database(kind, key, day):
    counts = DailyCount.objects.filter(day=day, kind=kind)
    most = MAX_KEYS_PER_DAY.get(kind)
    if most and not counts.filter(key=key).exists() and counts.count() >= most:
        key = OTHER
    # Most counts are of a row already there: one UPDATE. The first of the day adds it, unless
    # another server just did (the constraint keeps one), and then it is counted in that row.
    if counts.filter(key=key).update(counted_directly=F("counted_directly") + 1):
        return
    try:
        with transaction.atomic():
            DailyCount.objects.create(day=day, kind=kind, key=key, counted_directly=1)
    except IntegrityError:
        counts.filter(key=key).update(counted_directly=F("counted_directly") + 1)
