"""The production cache backend against a real Redis server that the tests kill and restart."""

import logging

import pytest

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
