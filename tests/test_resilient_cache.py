"""The production cache backend against a real Redis server that the tests kill and restart."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import caches

from core import rate_limit
from core.cache import ResilientRedisCache

pytestmark = pytest.mark.servers


@pytest.fixture
def cache(redis_server):
    ResilientRedisCache._outages.clear()
    return ResilientRedisCache(redis_server.url, {"KEY_PREFIX": "test", "OPTIONS": {"RETRY_INTERVAL": 0}})


def outage_messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "core.cache"]


def test_it_is_an_ordinary_redis_cache_while_redis_answers(cache):
    cache.set("page", "<html>", 60)
    assert cache.get("page") == "<html>"
    assert cache.add("counter", 1) and cache.incr("counter") == 2
    assert cache.get_many(["page", "counter"]) == {"page": "<html>", "counter": 2}
    assert cache.delete("page") and cache.get("page", "missing") == "missing"


def test_an_unreachable_redis_is_an_empty_cache_that_accepts_nothing(cache, redis_server):
    cache.set("page", "<html>", 60)
    redis_server.kill()

    assert cache.get("page") is None
    assert cache.get("page", "default") == "default"
    assert cache.get_or_set("page", "fresh") == "fresh"
    assert cache.get_many(["page"]) == {}
    assert cache.has_key("page") is False
    assert cache.add("new", 1) is False
    assert cache.set("page", "<html>") is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("page") is False
    assert cache.delete("page") is False
    cache.delete_many(["a", "b"])
    cache.clear()
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_an_outage_is_logged_once_at_its_start_and_once_at_its_end(cache, redis_server, caplog):
    caplog.set_level(logging.INFO, logger="core.cache")
    redis_server.kill()
    for _ in range(20):
        cache.get("page")
        cache.set("page", "<html>")
    assert len(outage_messages(caplog)) == 1
    assert "unreachable" in outage_messages(caplog)[0]
    assert f"127.0.0.1:{redis_server.port}" in outage_messages(caplog)[0]

    redis_server.start()
    cache.set("page", "<html>")
    assert cache.get("page") == "<html>"
    assert len(outage_messages(caplog)) == 2
    assert "is back" in outage_messages(caplog)[1]


def test_after_a_failure_redis_is_left_alone_for_the_retry_interval(redis_server):
    ResilientRedisCache._outages.clear()
    patient = ResilientRedisCache(redis_server.url, {"OPTIONS": {"RETRY_INTERVAL": 3600}})
    redis_server.kill()
    assert patient.get("page") is None
    redis_server.start()
    # Still within the interval: the answer comes from the outage record, not from Redis.
    patient_writes = patient.set("page", "<html>")
    assert patient_writes is None and patient.get("page") is None


def test_passwords_in_the_redis_url_stay_out_of_the_logs(redis_server, caplog):
    ResilientRedisCache._outages.clear()
    url = f"redis://:s3cret@127.0.0.1:{redis_server.port}/0"
    secretive = ResilientRedisCache(url, {"OPTIONS": {"RETRY_INTERVAL": 0}})
    redis_server.kill()
    secretive.get("page")
    assert outage_messages(caplog) and "s3cret" not in " ".join(outage_messages(caplog))


def test_a_count_is_kept_for_its_window_from_the_first_and_read_as_django_keeps_it(cache, redis_server):
    assert [cache.count("sender", 60) for _ in range(3)] == [1, 2, 3]
    # Django's own key (prefix and version) and value: the cache reads what the counter wrote.
    assert cache.get("sender") == 3 and cache.incr("sender") == 4
    assert 0 < redis.Redis.from_url(redis_server.url).ttl(cache.make_key("sender")) <= 60


def test_simultaneous_counts_each_get_their_own_number(cache):
    def count_ten(_):
        return [cache.count("sender", 60) for _ in range(10)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = [number for numbers in pool.map(count_ten, range(8)) for number in numbers]
    assert sorted(numbers) == list(range(1, 81))


def test_an_unreachable_redis_gives_no_count(cache, redis_server):
    redis_server.kill()
    assert cache.count("sender", 60) is None


def test_the_limits_per_address_count_in_redis(redis_server, settings):
    ResilientRedisCache._outages.clear()
    settings.CACHES = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": redis_server.url}}
    assert [rate_limit.count_in_cache("feedback", "a-sender") for _ in range(2)] == [1, 2]
    assert caches["default"].get("feedback:rate:a-sender") == 2
