"""The site under gunicorn with production settings, on a PostgreSQL server and a Redis server of
its own that the tests stop and start again."""

import pytest
from django.db import DatabaseError, connection, transaction

from core.views import server_error
from tests.html import select_one
from tests.servers import (
    Site,
    ThrowawayRedis,
    wait_until,
)

pytestmark = pytest.mark.servers

PUBLIC_PAGES = [
    "/",
    "/conditions/",
    "/conditions/multiple-sclerosis/",
    "/about/",
    "/articles/",
    "/search/?q=outage",
]


@pytest.fixture
def site(throwaway_site_environment, redis_server, tmp_path):
    running = Site(
        {**throwaway_site_environment, "REDIS_URL": redis_server.url}, tmp_path / "gunicorn.log", workers=2
    )
    yield running
    running.stop()


def stylesheet_url(response):
    return select_one(response, 'link[rel="stylesheet"][href^="/static/clinic/site."]')["href"]


def test_healthy_site_says_so(site):
    response = site.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_without_its_database_the_site_says_back_shortly_and_recovers_by_itself(site, throwaway_postgres):
    for path in PUBLIC_PAGES:
        assert site.get(path).status_code == 200
    stylesheet = stylesheet_url(site.get("/"))

    throwaway_postgres.stop()
    try:
        for path in PUBLIC_PAGES:
            # The site keeps no page of its own (the cache in front serves what it kept, in grace):
            # every page says plainly that the site is back shortly.
            response = site.get(path)
            assert response.status_code == 503, path
            assert response.headers["Retry-After"] == "30"
            assert "We'll be back shortly" in response.text
            assert "Traceback" not in response.text and "OperationalError" not in response.text
            # In the site's design: its stylesheet, which needs no database, still loads.
            assert stylesheet_url(response) == stylesheet
        assert site.get(stylesheet).status_code == 200

        health = site.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"database": "failing", "cache": "ok"}
    finally:
        throwaway_postgres.start()

    # Enough requests to reach both workers, each of which held a connection to the old server.
    for attempt in range(9):
        assert site.get(f"/search/?q=after-outage-{attempt}").status_code == 200, attempt
    assert site.get("/healthz").status_code == 200


def test_without_redis_pages_are_served_and_the_outage_is_logged_once(throwaway_site_environment, tmp_path):
    redis = ThrowawayRedis()
    site = Site({**throwaway_site_environment, "REDIS_URL": redis.url}, tmp_path / "gunicorn.log", workers=1)
    try:
        assert site.get("/").status_code == 200
        redis.kill()
        for _ in range(5):
            for path in PUBLIC_PAGES:
                response = site.get(path)
                assert response.status_code == 200, path
        # Still worth sending patients to: the load balancer must keep this server.
        health = site.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {"database": "ok", "cache": "degraded"}
        assert site.logged().count("unreachable") == 1

        redis.start()
        wait_until(lambda: site.get("/healthz").json()["cache"] == "ok", "the site to use Redis again")
        assert site.logged().count("is back after") == 1
    finally:
        site.stop()
        redis.kill()


def test_a_broken_query_on_a_working_database_is_not_called_an_outage(rf, db):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    except DatabaseError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Retry-After" not in response
