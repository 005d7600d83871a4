"""Enquiries per condition per month: counts only, for the clinic and marketing.

Counts come from the columns kept beside each request (when, which condition, its status), never
from what the patient wrote. Every live condition page is listed, at zero if nobody asked about it,
so that no demand shows as plainly as some.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from conditions.models import ConditionPage
from enquiries.models import ConsultationRequest, RequestStatus

MONTHS_SHOWN = 12


def percent(part, whole):
    """`part` as a whole percentage of `whole`, or None when there is nothing to take a share of."""
    return round(100 * part / whole) if whole else None


@dataclass
class ConditionTotal:
    name: str
    requests: int
    booked: int  # of those requests, how many are now at "Consultation booked"

    @property
    def booked_percent(self):
        return percent(self.booked, self.requests)


@dataclass
class MonthRow:
    month: datetime.date
    counts: list
    total: int


@dataclass
class EnquiryReport:
    conditions: list  # a ConditionTotal per column, the most asked-about first
    rows: list  # a MonthRow per month, oldest first
    total: int
    booked: int

    @property
    def booked_percent(self):
        return percent(self.booked, self.total)

    @property
    def first_month(self):
        return self.rows[0].month

    @property
    def last_month(self):
        return self.rows[-1].month


def months_back(today, count):
    """The first day of each of the `count` months up to and including today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def enquiries_per_condition_per_month(today=None):
    """Two queries: the live condition pages, and the requests counted per month and condition."""
    months = months_back(today or timezone.localdate(), MONTHS_SHOWN)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    counted = (
        ConsultationRequest.objects.filter(submit_time__gte=since)
        .annotate(month=TruncMonth("submit_time"))
        .values("month", "condition")
        .annotate(count=Count("pk"), booked=Count("pk", filter=Q(status=RequestStatus.BOOKED)))
        .order_by()
    )
    counts, totals = {}, {}
    for row in counted:
        condition = row["condition"]
        counts[row["month"].date(), condition] = row["count"]
        requests, booked = totals.get(condition, (0, 0))
        totals[condition] = (requests + row["count"], booked + row["booked"])
    # The requests store the condition's title as the patient chose it: the live pages' titles, then
    # any other answer ("Other / not sure", a page since retitled or unpublished).
    live = list(ConditionPage.objects.live().order_by("path").values_list("title", flat=True))
    names = live + sorted(totals.keys() - set(live))
    conditions = [ConditionTotal(name, *totals.get(name, (0, 0))) for name in names]
    # Most asked-about first; a tie keeps the order above, the form's own.
    conditions.sort(key=lambda condition: -condition.requests)
    rows = []
    for month in months:
        row = [counts.get((month, condition.name), 0) for condition in conditions]
        rows.append(MonthRow(month, row, sum(row)))
    return EnquiryReport(
        conditions=conditions,
        rows=rows,
        total=sum(condition.requests for condition in conditions),
        booked=sum(condition.booked for condition in conditions),
    )


@dataclass
class Bar:
    label: str
    count: int
    label_y: int
    bar_y: int
    width: int
    value_x: int
    value_y: int


@dataclass
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list


# Geometry of the chart, in SVG user units: the label sits above its bar, the count after it.
CHART_WIDTH = 640
LABEL_HEIGHT = 22
BAR_HEIGHT = 24
ROW_GAP = 16
VALUE_ROOM = 56


def bar_chart(labels, counts):
    """A horizontal bar per label, drawn by the template as SVG; bars are to scale with the largest."""
    largest = max(counts, default=0) or 1
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    bars = []
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        top = i * row_height
        width = round(count / largest * (CHART_WIDTH - VALUE_ROOM))
        bars.append(
            Bar(
                label=label,
                count=count,
                label_y=top + LABEL_HEIGHT - 6,
                bar_y=top + LABEL_HEIGHT,
                width=width,
                value_x=width + 8,
                value_y=top + LABEL_HEIGHT + BAR_HEIGHT - 6,
            )
        )
    return BarChart(
        width=CHART_WIDTH, height=max(len(bars) * row_height - ROW_GAP, 0), bar_height=BAR_HEIGHT, bars=bars
    )
