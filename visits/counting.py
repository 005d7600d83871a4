"""Adding one to a day's count, in Redis when there is one, else in the database.

Redis holds one hash per day and kind (`<prefix>:<day>:<kind>`, a field per key) kept a few days;
`manage.py roll_up_visits` copies each day's totals into DailyCount. The kinds whose keys come from
outside (addresses not found, other sites' host names) take at most MAX_KEYS_PER_DAY keys a day:
past that, their counts go to the key OTHER, so that nothing a visitor sends can make storage grow
without bound. When Redis is unreachable or failing, counting goes straight to the database and
Redis is left alone for a few seconds, logged once per outage (core.cache.Outage, as the cache's).

A beacon's limit per address is counted with its counts: in Redis, in the same round trip
(`<prefix>-limit:<sender>`, outside the days the roll-up reads); else in the cache
(core.rate_limit).
"""

import threading

import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from redis.exceptions import RedisError

from core import rate_limit
from core.cache import Outage, without_credentials
from visits.models import DailyCount, Kind

# How long Redis keeps a day's counts: the daily roll-up has several chances to copy them.
KEEP_DAYS = 4
MAX_KEYS_PER_DAY = {Kind.NOT_FOUND: 500, Kind.REFERRER: 500}
OTHER = "(other)"
RETRY_SECONDS = 5

# One step, so that two servers counting at once cannot both take the last free key, nor two
# beacons from one address both take its last allowed one. Everything in one round trip (EVALSHA, the
# script itself sent only when Redis has not seen it), where a pipeline would first ask Redis
# whether it knows the script.
# ARGV: the limit per sender (0: none), its window in seconds, seconds to keep counts, the field for
# keys past a cap, then a field and its cap (0: none) per count. KEYS: the sender's counter when
# there is a limit, then one hash per count. Returns 0 when the sender is over the limit (nothing
# counted), else 1.
COUNT_SCRIPT = """
local limit = tonumber(ARGV[1])
local first = 1
if limit > 0 then
  local sent = redis.call('INCR', KEYS[1])
  if sent == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
  if sent > limit then return 0 end
  first = 2
end
local keep = tonumber(ARGV[3])
for i = first, #KEYS do
  local key = KEYS[i]
  local field = ARGV[2 * (i - first) + 5]
  local most = tonumber(ARGV[2 * (i - first) + 6])
  if most > 0 and redis.call('HEXISTS', key, field) == 0 and redis.call('HLEN', key) >= most then
    field = ARGV[4]
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


def count_all(counts, day=None, sender=None):
    """Add one to each (kind, key)'s count today: in Redis in one round trip, else in the database
    in one transaction. With a `sender` (core.rate_limit.sender), nothing is counted once it has
    sent more than VISITS_RATE_LIMIT this hour: False then, else True."""
    day = day or timezone.localdate()
    counts = [(kind, str(key)[:255]) for kind, key in counts]
    client = redis_client()
    if client is not None:
        try:
            limit = settings.VISITS_RATE_LIMIT if sender else 0
            keys = [f"{settings.VISITS_KEY_PREFIX}-limit:{sender}"] if sender else []
            args = [limit, rate_limit.WINDOW_SECONDS, KEEP_DAYS * 24 * 60 * 60, OTHER]
            for kind, key in counts:
                keys.append(day_key(day, kind))
                args += [key, MAX_KEYS_PER_DAY.get(kind, 0)]
            counted = _scripts[settings.VISITS_REDIS_URL](keys=keys, args=args)
        except RedisError as error:
            outage(settings.VISITS_REDIS_URL).failed(without_credentials(settings.VISITS_REDIS_URL), error)
        else:
            outage(settings.VISITS_REDIS_URL).succeeded(without_credentials(settings.VISITS_REDIS_URL))
            return bool(counted)
    if sender:
        sent = rate_limit.count_in_cache("visits", sender)
        if sent is not None and sent > settings.VISITS_RATE_LIMIT:
            return False
    with transaction.atomic():
        for kind, key in counts:
            count_in_database(kind, key, day)
    return True


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
