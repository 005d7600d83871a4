import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from enquiries.reports import CHART_WIDTH, VALUE_ROOM, bar_chart, enquiries_per_condition_per_month
from tests.enquiry_forms import stored_request

UTC = datetime.UTC


def sent_at(moment, condition="Scleroderma"):
    stored_request(moment, condition)


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
    assert report.conditions == ["Other / not sure"] and report.total == 1


@pytest.mark.django_db
def test_the_most_asked_about_condition_comes_first():
    now = timezone.now().astimezone(ZoneInfo("Europe/London"))
    for condition, count in [
        ("Scleroderma", 1),
        ("Multiple Sclerosis (MS)", 3),
        ("Rheumatoid Arthritis (RA)", 2),
    ]:
        for _ in range(count):
            sent_at(now, condition)
    report = enquiries_per_condition_per_month()
    assert report.conditions == ["Multiple Sclerosis (MS)", "Rheumatoid Arthritis (RA)", "Scleroderma"]
    assert report.condition_totals == [3, 2, 1]


def test_bars_are_to_scale_and_do_not_overlap():
    chart = bar_chart(["A", "B", "C"], [10, 5, 0])
    widths = [bar.width for bar in chart.bars]
    assert widths == [CHART_WIDTH - VALUE_ROOM, (CHART_WIDTH - VALUE_ROOM) // 2, 0]
    tops = [bar.bar_y for bar in chart.bars]
    assert all(later - earlier > chart.bar_height for earlier, later in itertools.pairwise(tops))
    assert chart.bars[-1].bar_y + chart.bar_height <= chart.height


def test_an_empty_report_draws_no_bars():
    assert bar_chart([], []).bars == []
