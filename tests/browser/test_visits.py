"""Marketing's numbers (#32), in a real browser: a patient's page view and the outside article they
follow are counted by the site's own beacon, with no cookie and no request to another site, and
Marketing reads them in the admin's reports; a browser sending Global Privacy Control sends nothing."""

import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conditions.models import ConditionPage
from visits import pages
from visits.models import DailyCount, Kind

pytestmark = pytest.mark.browser


def counted(kind, key):
    row = DailyCount.objects.filter(kind=kind, key=str(key)).first()
    return row.count if row else 0


def wait_for(condition, what, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}")
        time.sleep(0.1)


def test_a_view_and_an_outside_article_are_counted_without_a_cookie_and_marketing_reads_them(
    new_context, site_url, log_in, make_staff
):
    pages.forget()
    ms = ConditionPage.objects.get(slug="multiple-sclerosis")
    context = new_context()
    patient = context.new_page()
    hosts = set()
    patient.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    beacons = []
    patient.on(
        "request", lambda request: beacons.append(request) if "/visits/beacon" in request.url else None
    )

    patient.goto(ms.url)
    wait_for(lambda: counted(Kind.VIEW, ms.pk) == 1, "the page view to be counted")
    link = patient.locator("a[data-article]").first
    article_id = link.get_attribute("data-article")
    article_title = link.inner_text().replace(" (opens external site in a new tab)", "").strip()
    with context.expect_page():
        link.click()
    wait_for(lambda: counted(Kind.OUTBOUND, article_id) == 1, "the outside link to be counted")

    assert context.cookies() == []
    assert hosts == {urlsplit(site_url).netloc}, hosts
    assert [beacon.method for beacon in beacons] == ["POST", "POST"]
    assert counted(Kind.DEVICE, "desktop") == 1

    marketing = new_context().new_page()
    log_in(marketing, make_staff("marketing", "Marketing"))
    marketing.get_by_role("button", name="Reports").click()
    marketing.get_by_role("link", name="Page views").click()
    row = marketing.get_by_role("row").filter(has_text=ms.title)
    expect(row.get_by_role("cell").nth(1)).to_have_text("fewer than 5")
    expect(row.locator("svg.visits-chart")).to_be_visible()

    marketing.goto("/admin/reports/visits/outside-links/")
    expect(marketing.get_by_role("heading", name="Outside links followed")).to_be_visible()
    row = marketing.get_by_role("row").filter(has_text=re.compile(re.escape(article_title[:40])))
    expect(row.get_by_role("cell").nth(1)).to_have_text("fewer than 5")


@pytest.mark.parametrize(
    "asking",
    [
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
        "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })",
    ],
    ids=["Global Privacy Control", "Do Not Track"],
)
def test_a_browser_asking_not_to_be_tracked_sends_nothing(new_context, asking):
    pages.forget()
    context = new_context()
    context.add_init_script(asking)
    patient = context.new_page()
    beacons = []
    patient.on(
        "request", lambda request: beacons.append(request) if "/visits/beacon" in request.url else None
    )
    patient.goto("/conditions/scleroderma/")
    patient.locator("a[data-article]").first.click()
    patient.wait_for_timeout(500)
    assert beacons == []
    assert not DailyCount.objects.exists()
