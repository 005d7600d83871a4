import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conditions.models import ConditionPage
from enquiries.models import RequestStatus
from enquiries.reports import CHART_WIDTH, VALUE_ROOM, bar_chart, enquiries_per_condition_per_month
from tests.enquiry_forms import report_rows, stored_request

UTC = datetime.UTC
MS, RA, SCLERODERMA = "Multiple Sclerosis (MS)", "Rheumatoid Arthritis (RA)", "Scleroderma"


def sent_at(moment, condition=SCLERODERMA, status=RequestStatus.NEW):
    request = stored_request(moment, condition)
    request.status = status
    request.save(update_fields=["status"])


def totals(report):
    return {condition.name: condition.requests for condition in report.conditions}


@pytest.mark.django_db
def test_months_follow_the_clinics_clock_not_utc():
    # 23:30 UTC on 31 May is already 1 June in London (summer time).
    sent_at(datetime.datetime(2025, 5, 31, 23, 30, tzinfo=UTC))
    sent_at(datetime.datetime(2025, 5, 31, 22, 30, tzinfo=UTC))
    report = enquiries_per_condition_per_month(today=datetime.date(2025, 6, 15))
    by_month = {row.month: row.total for row in report.rows}
    assert by_month[datetime.date(2025, 6, 1)] == 1
    assert by_month[datetime.date(2025, 5, 1)] == 1


@pytest.mark.django_db
def test_the_report_covers_twelve_months_up_to_today_and_nothing_older():
    sent_at(datetime.datetime(2024, 7, 20, 12, tzinfo=UTC))  # thirteen months back: left out
    sent_at(datetime.datetime(2024, 8, 1, 12, tzinfo=UTC), "Other / not sure")
    report = enquiries_per_condition_per_month(today=datetime.date(2025, 7, 1))
    assert [row.month for row in report.rows][0] == datetime.date(2024, 8, 1)
    assert report.rows[-1].month == datetime.date(2025, 7, 1)
    assert len(report.rows) == 12
    assert report.total == 1 and totals(report)["Other / not sure"] == 1


@pytest.mark.django_db
def test_the_most_asked_about_condition_comes_first():
    now = timezone.now().astimezone(ZoneInfo("Europe/London"))
    for condition, count in [(SCLERODERMA, 1), (MS, 3), ("Other / not sure", 2)]:
        for _ in range(count):
            sent_at(now, condition)
    report = enquiries_per_condition_per_month()
    assert list(totals(report).items()) == [(MS, 3), ("Other / not sure", 2), (SCLERODERMA, 1), (RA, 0)]


@pytest.mark.django_db
def test_a_live_condition_nobody_asked_about_is_listed_at_nought():
    sent_at(timezone.now(), MS)
    report = enquiries_per_condition_per_month()
    assert totals(report) == {MS: 1, RA: 0, SCLERODERMA: 0}
    assert [row.counts for row in report.rows][-1] == [1, 0, 0]


@pytest.mark.django_db
def test_an_unpublished_condition_is_listed_only_while_its_requests_are_counted():
    ConditionPage.objects.get(title=RA).unpublish()
    assert RA not in totals(enquiries_per_condition_per_month())
    sent_at(timezone.now(), RA)
    assert totals(enquiries_per_condition_per_month())[RA] == 1


@pytest.mark.django_db
def test_the_report_shows_the_share_of_each_conditions_requests_now_booked(client, make_staff):
    now = timezone.now()
    for status in RequestStatus:  # one of four booked
        sent_at(now, MS, status)
    sent_at(now, SCLERODERMA, RequestStatus.BOOKED)
    sent_at(now, SCLERODERMA, RequestStatus.CONTACTED)

    client.force_login(make_staff("reception", "Patient enquiries"))
    booked = report_rows(client.get(reverse("enquiries_report")))["Consultation booked"]
    # Columns: multiple sclerosis (4 requests), scleroderma (2), rheumatoid arthritis (none), all.
    assert booked == ["25% (1 of 4)", "50% (1 of 2)", "no requests", "33% (2 of 6)"]


@pytest.mark.django_db
def test_the_report_takes_the_same_queries_however_many_conditions_and_requests(
    django_assert_num_queries,
):
    now = timezone.now()
    for condition in (MS, RA, SCLERODERMA, "Other / not sure"):
        for status in RequestStatus:
            sent_at(now - datetime.timedelta(days=40), condition, status)
            sent_at(now, condition, status)
    with django_assert_num_queries(2):
        report = enquiries_per_condition_per_month()
    assert report.total == 32 and report.booked == 8


def test_bars_are_to_scale_and_do_not_overlap():
    chart = bar_chart(["A", "B", "C"], [10, 5, 0])
    widths = [bar.width for bar in chart.bars]
    assert widths == [CHART_WIDTH - VALUE_ROOM, (CHART_WIDTH - VALUE_ROOM) // 2, 0]
    tops = [bar.bar_y for bar in chart.bars]
    assert all(later - earlier > chart.bar_height for earlier, later in itertools.pairwise(tops))
    assert chart.bars[-1].bar_y + chart.bar_height <= chart.height


def test_an_empty_report_draws_no_bars():
    assert bar_chart([], []).bars == []
