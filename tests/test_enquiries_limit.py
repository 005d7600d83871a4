"""The hourly limit on consultation requests, tried as a bot would: many requests from one address
at the same moment, against the site under gunicorn on PostgreSQL, with Redis and without it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from tests.servers import Site, ThrowawayRedis, csrf_token

pytestmark = pytest.mark.servers

SIMULTANEOUS = 12
LIMIT = 5


@pytest.fixture
def stored_requests(throwaway_site_environment):
    """How many consultation requests the database holds; each test starts with none."""

    def count():
        with psycopg.connect(throwaway_site_environment["DATABASE_URL"]) as connection:
            return connection.execute("SELECT count(*) FROM enquiries_consultationrequest").fetchone()[0]

    with psycopg.connect(throwaway_site_environment["DATABASE_URL"]) as connection:
        connection.execute("DELETE FROM enquiries_consultationrequest")
    return count


# A complete request: an answer for each type of field the initial content's form has.
ANSWERS = {
    "name": "Ada Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "020 7946 0123",
    "contact": "Phone",
    "condition": "other",
    "multiline": "Mornings are best for a call.",
    "consent": "on",
}


@pytest.fixture
def form_answers(throwaway_site_environment):
    with psycopg.connect(throwaway_site_environment["DATABASE_URL"]) as connection:
        fields = connection.execute("SELECT clean_name, field_type FROM enquiries_consultationformfield")
        return {name: ANSWERS[kind] for name, kind in fields if kind in ANSWERS}


def send_simultaneously(site, answers):
    """SIMULTANEOUS patients' requests from one address, released at the same instant."""
    url = f"http://127.0.0.1:{site.port}/contact/"
    start = threading.Barrier(SIMULTANEOUS)

    def send(_):
        with requests.Session() as browser:
            html = browser.get(url, timeout=30).text
            token = csrf_token(html)
            data = answers | {"csrfmiddlewaretoken": token}
            start.wait()
            return browser.post(url, data=data, timeout=60)

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        return list(pool.map(send, range(SIMULTANEOUS)))


def outcome(responses):
    assert [response.status_code for response in responses] == [200] * SIMULTANEOUS
    thanked = sum("Thank you: your request has been sent" in response.text for response in responses)
    held_back = sum("several requests from your connection" in response.text for response in responses)
    return thanked, held_back


def test_simultaneous_requests_from_one_address_store_exactly_the_limit(
    throwaway_site_environment, stored_requests, form_answers, tmp_path
):
    redis = ThrowawayRedis()
    site = Site({**throwaway_site_environment, "REDIS_URL": redis.url}, tmp_path / "gunicorn.log", workers=4)
    try:
        assert outcome(send_simultaneously(site, form_answers)) == (LIMIT, SIMULTANEOUS - LIMIT)
    finally:
        site.stop()
        redis.kill()
    assert stored_requests() == LIMIT


def test_the_limit_holds_while_redis_is_down(
    throwaway_site_environment, stored_requests, form_answers, tmp_path
):
    redis = ThrowawayRedis()
    site = Site({**throwaway_site_environment, "REDIS_URL": redis.url}, tmp_path / "gunicorn.log", workers=4)
    redis.kill()
    try:
        assert outcome(send_simultaneously(site, form_answers)) == (LIMIT, SIMULTANEOUS - LIMIT)
    finally:
        site.stop()
    assert stored_requests() == LIMIT
