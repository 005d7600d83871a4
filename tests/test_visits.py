"""Marketing's numbers without tracking anyone (#32): pages stay cached and carry only their id; a
first-party beacon counts views and outside article links followed per day; 404s, referring sites,
phones and consultation requests by the page they came from are counted too, and nothing else. No
address, browser string, cookie or identifier is kept, in Redis or the database; junk is refused;
the roll-up can run twice; without Redis, counts go to the database; reports hide counts under 5."""

import json
import uuid
from datetime import timedelta

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticlePage
from conditions.models import ConditionPage
from enquiries.models import ConsultationRequest
from tests.admin_pages import refused
from tests.enquiry_forms import consultation_form_data
from tests.html import select, select_one, text
from visits import counting, pages
from visits.models import DailyCount, Kind

BEACON = "/visits/beacon"
VISITOR = {"REMOTE_ADDR": "203.0.113.77", "HTTP_USER_AGENT": "Mozilla/5.0 (Test) VisitorBrowser/99.1"}
SHARED_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def fresh_known_pages():
    pages.forget()
    yield
    pages.forget()


def send(client, data, **headers):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(BEACON, body, content_type="text/plain;charset=UTF-8", **(VISITOR | headers))


def view(page, width=1280, referrer=None):
    data = {"kind": "view", "page": page.pk, "width": width}
    if referrer is not None:
        data["referrer"] = referrer
    return data


def counts():
    return {(row.kind, row.key): row.count for row in DailyCount.objects.all()}


def outside_article():
    return next(article for article in ArticlePage.objects.live().order_by("pk") if article.link_url)


@pytest.fixture
def visits_redis(settings):
    """The shared Redis, under a prefix of the test's own, emptied afterwards."""
    client = redis.Redis.from_url(SHARED_REDIS)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not answering at {SHARED_REDIS}")
    settings.VISITS_REDIS_URL = SHARED_REDIS
    settings.VISITS_KEY_PREFIX = f"test-visits-{uuid.uuid4().hex}"
    yield client
    for key in client.scan_iter(match=f"{settings.VISITS_KEY_PREFIX}*"):
        client.delete(key)


def test_pages_carry_their_id_the_same_for_everyone_and_stay_cacheable(client, ms_page):
    response = client.get(ms_page.url, **VISITOR)
    script = select_one(response, "script[src*='visits/count.js']")
    assert select_one(response, "body")["data-page"] == str(ms_page.pk) and script["data-endpoint"] == BEACON
    assert "defer" in script.attrs
    assert not response.cookies and "public" in response["Cache-Control"]
    other = client.get(ms_page.url, REMOTE_ADDR="198.51.100.9", HTTP_USER_AGENT="Other/1.0")
    assert other.content == response.content


def test_the_consultation_form_stays_without_a_script(client, consultation):
    assert not select(client.get(consultation.url), "script[src]")


def test_outside_article_links_name_their_article(client, ms_page):
    article = outside_article()
    links = select(client.get(article.url), f'a[data-article="{article.pk}"]')
    assert [text(link) for link in links][0].startswith("Read the full article")
    on_condition_page = select(client.get(ms_page.url), "a[data-article][rel~=external]")
    assert on_condition_page
    assert all(link["data-article"].isdigit() for link in on_condition_page)


def test_a_view_is_counted_with_the_device_and_the_other_site(client, ms_page):
    response = send(client, view(ms_page, width=375, referrer="www.Example.org"))
    assert response.status_code == 204
    assert counts() == {
        (Kind.VIEW, str(ms_page.pk)): 1,
        (Kind.DEVICE, "phone"): 1,
        (Kind.REFERRER, "www.example.org"): 1,
    }
    assert DailyCount.objects.get(kind=Kind.VIEW).day == timezone.localdate()
    # This site is not "another site".
    send(client, view(ms_page, referrer="127.0.0.1"), HTTP_HOST="127.0.0.1")
    assert counts()[Kind.VIEW, str(ms_page.pk)] == 2 and counts()[Kind.DEVICE, "desktop"] == 1
    assert len(counts()) == 4


def test_the_beacon_is_never_cached_and_sets_no_cookie(client, ms_page):
    response = send(client, view(ms_page))
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_an_outside_link_followed_is_counted_for_its_article(client, db):
    article = outside_article()
    assert send(client, {"kind": "outbound", "page": article.pk}).status_code == 204
    assert counts() == {(Kind.OUTBOUND, str(article.pk)): 1}


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "view", "page": 999_999, "width": 1280},
        {"kind": "view", "page": "PAGE", "width": 1280},
        {"kind": "view", "page": True, "width": 1280},
        {"kind": "view", "page": "MS", "width": "wide"},
        {"kind": "view", "page": "MS"},
        {"kind": "view", "page": "MS", "width": 1280, "referrer": "not a host/with path"},
        {"kind": "view", "page": "MS", "width": 1280, "referrer": 7},
        {"kind": "search", "page": "MS", "q": "stem cells cure"},
        {"kind": "outbound", "page": "MS"},  # a condition page is no outside article
        ["view", "MS"],
        "not json",
        "",
        {"kind": "view", "page": "MS", "width": 1280, "padding": "x" * 3000},
    ],
)
def test_junk_beacons_are_refused_and_add_nothing(client, ms_page, body):
    if isinstance(body, dict):
        body = {k: ms_page.pk if v == "MS" else v for k, v in body.items()}
    elif isinstance(body, list):
        body = [ms_page.pk if v == "MS" else v for v in body]
    assert send(client, body).status_code == 400
    assert not DailyCount.objects.exists()


def test_a_beacon_for_another_host_is_refused_and_adds_nothing(client, ms_page, caplog):
    assert send(client, view(ms_page), HTTP_HOST="clinic.example.attacker").status_code == 400
    assert not DailyCount.objects.exists()
    assert "could not be counted" not in caplog.text


def test_only_posts_are_accepted(client, ms_page):
    for method in (client.get, client.put, client.delete):
        assert method(BEACON, **VISITOR).status_code == 405
    assert not DailyCount.objects.exists()


def test_an_unpublished_page_is_refused_at_once(client, ms_page):
    assert send(client, view(ms_page)).status_code == 204
    ms_page.unpublish()
    assert send(client, view(ms_page)).status_code == 400


@pytest.mark.parametrize("header", [{"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1"}])
def test_visitors_who_ask_not_to_be_tracked_are_not_counted(client, ms_page, consultation, header, settings):
    assert send(client, view(ms_page), **header).status_code == 204
    settings.DEBUG = False
    assert client.get("/no-such-page/", **header).status_code == 404
    url = f"{consultation.url}?condition={ms_page.pk}"
    client.post(url, consultation_form_data(consultation), **header)
    assert ConsultationRequest.objects.count() == 1
    assert not DailyCount.objects.exists()


def test_the_script_itself_sends_nothing_under_gpc_or_dnt():
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "visits/static/visits/count.js").read_text()
    assert 'navigator.globalPrivacyControl === true || navigator.doNotTrack === "1"' in script
    assert "cookie" not in script.replace("no cookie", "") and "localStorage" not in script


@pytest.mark.parametrize("where", ["cache and database", "redis"])
def test_each_address_is_limited_and_not_counted_beyond(client, ms_page, settings, where, request):
    if where == "redis":
        request.getfixturevalue("visits_redis")
    settings.VISITS_RATE_LIMIT = 2
    statuses = [send(client, view(ms_page)).status_code for _ in range(3)]
    statuses.append(send(client, view(ms_page), REMOTE_ADDR="198.51.100.9").status_code)
    assert statuses == [204, 204, 429, 204]
    call_command("roll_up_visits", verbosity=0)
    assert counts()[Kind.VIEW, str(ms_page.pk)] == 3


def test_trouble_counting_answers_204_counts_nothing_and_is_logged(client, ms_page, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database is on fire")

    monkeypatch.setattr("visits.views.count_all", broken)
    assert send(client, view(ms_page)).status_code == 204
    assert "could not be counted" in caplog.text
    assert not DailyCount.objects.exists()


def test_404s_are_counted_by_path_alone_cut_and_bounded(client, db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setitem(counting.MAX_KEYS_PER_DAY, Kind.NOT_FOUND, 3)
    long_path = "/" + "a" * 300 + "/"
    assert client.get(long_path + "?q=my+diagnosis", **VISITOR).status_code == 404
    client.get("/old-page/?email=someone@example.com")
    client.get("/old-page/")
    for path in ("/x1/", "/x2/", "/x3/"):
        client.get(path)
    assert counts() == {
        (Kind.NOT_FOUND, long_path[:200]): 1,
        (Kind.NOT_FOUND, "/old-page/"): 2,
        (Kind.NOT_FOUND, "/x1/"): 1,
        (Kind.NOT_FOUND, counting.OTHER): 2,
    }


def test_other_sites_are_bounded_per_day(client, ms_page, monkeypatch):
    monkeypatch.setitem(counting.MAX_KEYS_PER_DAY, Kind.REFERRER, 2)
    for host in ("a.example", "b.example", "c.example", "d.example", "a.example"):
        send(client, view(ms_page, referrer=host))
    referrers = {key: n for (kind, key), n in counts().items() if kind == Kind.REFERRER}
    assert referrers == {"a.example": 2, "b.example": 1, counting.OTHER: 2}


def test_other_sites_are_bounded_per_day_in_redis_too(client, ms_page, visits_redis, monkeypatch):
    monkeypatch.setitem(counting.MAX_KEYS_PER_DAY, Kind.REFERRER, 2)
    for host in ("a.example", "b.example", "c.example", "d.example", "a.example"):
        send(client, view(ms_page, referrer=host))
    call_command("roll_up_visits", verbosity=0)
    assert counts() == {
        (Kind.VIEW, str(ms_page.pk)): 5,
        (Kind.DEVICE, "desktop"): 5,
        (Kind.REFERRER, "a.example"): 2,
        (Kind.REFERRER, "b.example"): 1,
        (Kind.REFERRER, counting.OTHER): 2,
    }


def test_consultation_requests_are_counted_by_the_page_they_came_from(client, ms_page, consultation):
    form = select_one(client.get(f"{consultation.url}?condition={ms_page.pk}"), "form.enquiry-form")
    assert form["action"] == f"{consultation.url}?condition={ms_page.pk}"
    client.post(form["action"], consultation_form_data(consultation), **VISITOR)
    client.post(consultation.url, consultation_form_data(consultation))
    assert ConsultationRequest.objects.count() == 2
    assert counts() == {(Kind.REQUEST, str(ms_page.pk)): 1, (Kind.REQUEST, ""): 1}


def test_with_redis_counts_wait_there_and_the_roll_up_twice_counts_once(
    client, ms_page, visits_redis, settings
):
    article = outside_article()
    for _ in range(3):
        send(client, view(ms_page, referrer="news.example"))
    send(client, {"kind": "outbound", "page": article.pk})
    assert not DailyCount.objects.exists()
    today = timezone.localdate()
    assert visits_redis.hgetall(f"{settings.VISITS_KEY_PREFIX}:{today}:view") == {
        str(ms_page.pk).encode(): b"3"
    }
    assert 0 < visits_redis.ttl(f"{settings.VISITS_KEY_PREFIX}:{today}:view") <= counting.KEEP_DAYS * 86400

    call_command("roll_up_visits", verbosity=0)
    call_command("roll_up_visits", verbosity=0)
    expected = {
        (Kind.VIEW, str(ms_page.pk)): 3,
        (Kind.DEVICE, "desktop"): 3,
        (Kind.REFERRER, "news.example"): 3,
        (Kind.OUTBOUND, str(article.pk)): 1,
    }
    assert counts() == expected
    # More during the day, rolled up again: set to the new totals, never added twice.
    send(client, view(ms_page))
    call_command("roll_up_visits", verbosity=0)
    assert counts()[Kind.VIEW, str(ms_page.pk)] == 4


def test_nothing_about_the_visitor_is_kept_anywhere(client, ms_page, visits_redis, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forwarded = {"HTTP_X_FORWARDED_FOR": "192.0.2.55", "HTTP_REFERER": "https://news.example/a?q=secret"}
    send(client, view(ms_page, referrer="news.example"), **forwarded)
    send(client, {"kind": "outbound", "page": outside_article().pk}, **forwarded)
    call_command("roll_up_visits", verbosity=0)
    secrets = ["203.0.113.77", "192.0.2.55", "VisitorBrowser", "Mozilla", "secret"]

    stored = []
    for key in visits_redis.scan_iter(match=f"{settings.VISITS_KEY_PREFIX}*"):
        if visits_redis.type(key) == b"hash":
            stored += [key, *(part for pair in visits_redis.hgetall(key).items() for part in pair)]
        else:  # the address's count for its limit
            stored += [key, visits_redis.get(key)]
    assert any(b"-limit:" in value for value in stored)
    assert stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM visits_dailycount")
        stored += [str(cell) for row in cursor.fetchall() for cell in row]
    everything = " ".join(v.decode() if isinstance(v, bytes) else v for v in stored)
    assert "news.example" in everything
    for secret in secrets:
        assert secret not in everything


def test_without_redis_counts_go_straight_to_the_database(client, ms_page, settings, caplog):
    settings.VISITS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert send(client, view(ms_page)).status_code == 204
    assert send(client, view(ms_page)).status_code == 204
    assert counts()[Kind.VIEW, str(ms_page.pk)] == 2
    assert caplog.text.count("counting in the database") == 1


def test_the_beacon_costs_no_query_once_the_pages_are_known(client, ms_page):
    send(client, view(ms_page))
    DailyCount.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        send(client, view(ms_page))
    # Only the counting itself (without Redis, straight to the database): no page look-up.
    assert not [q for q in queries.captured_queries if "wagtailcore_page" in q["sql"]]


# The reports.


def seed(kind, key, numbers_by_days_ago):
    today = timezone.localdate()
    for days_ago, number in numbers_by_days_ago.items():
        DailyCount.objects.create(
            day=today - timedelta(days=days_ago), kind=kind, key=str(key), rolled_up=number
        )


def report_table(response):
    rows = []
    for row in select(response, "table tbody tr"):
        rows.append([text(cell) for cell in row.select("td")][:4])
    return rows


def test_marketing_sees_page_views_with_fewer_than_5_and_a_trend(client, make_staff, ms_page):
    scleroderma = ConditionPage.objects.get(slug="scleroderma")
    seed(Kind.VIEW, ms_page.pk, {0: 10, 3: 2, 30: 5})  # 12 now, 5 the 28 days before
    seed(Kind.VIEW, scleroderma.pk, {1: 3})
    client.force_login(make_staff("marketing", "Marketing"))
    response = client.get(reverse("visits_page_views"))
    assert response.status_code == 200
    assert report_table(response) == [
        [ms_page.title, "12", "5", "+140%"],
        [scleroderma.title, "fewer than 5", "0", "–"],
    ]
    assert select(response, "table tbody svg.visits-chart rect")

    export = client.get(reverse("visits_page_views") + "?export=csv")
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0] == "Page,This period,The period before,Trend"
    assert f"{scleroderma.title},fewer than 5,0,–" in lines


def test_a_chosen_period_is_reported(client, make_staff, ms_page):
    seed(Kind.VIEW, ms_page.pk, {0: 1, 40: 9})
    client.force_login(make_staff("marketing", "Marketing"))
    day = timezone.localdate() - timedelta(days=40)
    response = client.get(
        reverse("visits_page_views"), {"day_from": day.isoformat(), "day_to": day.isoformat()}
    )
    assert report_table(response) == [[ms_page.title, "9", "0", "–"]]
    assert f"{day:%-d %b %Y} to {day:%-d %b %Y}, beside as many days before" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kind", "key", "label"),
    [
        ("visits_outside_links", Kind.OUTBOUND, "article", "article"),
        ("visits_request_sources", Kind.REQUEST, "", "No page named (the header's link)"),
        ("visits_sources", Kind.DEVICE, "phone", "a phone"),
        ("visits_not_found", Kind.NOT_FOUND, "/old/", "/old/"),
    ],
)
def test_the_other_reports(client, make_staff, name, kind, key, label):
    article = outside_article()
    if key == "article":
        key, label = article.pk, article.title
    seed(kind, key, {2: 7})
    client.force_login(make_staff("editor", "Clinical editors"))
    assert report_table(client.get(reverse(name)))[0][:2] == [label, "7"]


def test_the_front_desk_cannot_open_the_reports(client, make_staff):
    client.force_login(make_staff("desk", "Patient enquiries"))
    assert refused(client.get(reverse("visits_page_views")))


def test_the_privacy_notice_says_what_is_counted_and_what_is_not(client, db):
    from tests.html import page_text

    notice = page_text(client.get("/privacy/"))
    assert "What we count when you read this site" in notice
    for words in ("IP address", "unique visitors", "Global Privacy Control", "Do Not Track", "no cookie"):
        assert words in notice, words
