"""Marketing's reports (#32): a count per key over a date range (the last 28 days unless chosen),
beside the same length of time before it, with a bar per day. Counts under 5 are shown as "fewer
than 5", on screen and in the spreadsheets, and their bars are drawn alike."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import django_filters
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from visits.models import DailyCount, Kind

DEFAULT_DAYS = 28
FEWEST_SHOWN = 5
FEWER_THAN_5 = "fewer than 5"


def shown(number):
    return FEWER_THAN_5 if 0 < number < FEWEST_SHOWN else str(number)


@dataclass
class Row:
    key: str
    label: str
    days: list = field(default_factory=list)  # (day, count), oldest first
    previous: int = 0

    @property
    def total(self):
        return sum(number for _, number in self.days)

    @property
    def count_shown(self):
        return shown(self.total)

    @property
    def previous_shown(self):
        return shown(self.previous)

    @property
    def trend(self):
        if self.total < FEWEST_SHOWN or self.previous < FEWEST_SHOWN:
            return "–"
        change = round(100 * (self.total - self.previous) / self.previous)
        return f"{change:+d}%"

    @property
    def chart(self):
        """A bar per day, drawn in inline SVG (no script); days under 5 are all drawn alike, low."""
        most = max([number for _, number in self.days] + [FEWEST_SHOWN])
        bar, height = 4, 24
        bars = []
        for index, (day, number) in enumerate(self.days):
            tall = height * 0.15 if 0 < number < FEWEST_SHOWN else height * number / most
            bars.append(
                (index * bar, f"{height - tall:.1f}", bar - 1, f"{tall:.1f}", f"{day:%d %b}: {shown(number)}")
            )
        return format_html(
            '<svg class="visits-chart" width="{}" height="{}" role="img" aria-label="{}">{}</svg>',
            len(self.days) * bar,
            height,
            "A bar per day",
            format_html_join(
                "",
                '<rect x="{}" y="{}" width="{}" height="{}" fill="currentColor"><title>{}</title></rect>',
                bars,
            ),
        )


class PeriodFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(label="Days", widget=DateRangePickerWidget, method="keep_all")

    class Meta:
        model = DailyCount
        fields = []

    def keep_all(self, queryset, name, value):
        # The report reads the period itself: it compares it with the one before.
        return queryset


class DailyCountReportView(ReportView):
    """The counts of one kind (or several) per key over the period chosen."""

    kinds = ()
    header_icon = "view"
    key_label = "Page"
    model = DailyCount
    permission_policy = ModelPermissionPolicy(DailyCount)
    any_permission_required = ["view"]
    filterset_class = PeriodFilterSet
    paginate_by = 100

    @property
    def columns(self):
        return [
            Column("label", label=self.key_label),
            Column("count_shown", label="This period"),
            Column("previous_shown", label="The period before"),
            Column("trend", label="Trend"),
            Column("chart", label="Per day"),
        ]

    @property
    def list_export(self):
        return ["label", "count_shown", "previous_shown", "trend"]

    @property
    def export_headings(self):
        return {
            "label": self.key_label,
            "count_shown": "This period",
            "previous_shown": "The period before",
            "trend": "Trend",
        }

    def period(self):
        today = timezone.localdate()
        start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
        if self.filters and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("day")
            if chosen:
                start = chosen.start.date() if chosen.start else start
                end = chosen.stop.date() if chosen.stop else end
        if end < start or (end - start).days > 366:
            start, end = end - timedelta(days=DEFAULT_DAYS - 1), end
        return start, end

    def filter_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        start, end = self.period()
        length = (end - start).days + 1
        before = start - timedelta(days=length)
        per_day = (
            DailyCount.objects.filter(kind__in=self.kinds, day__range=(before, end))
            .values("kind", "key", "day")
            .annotate(number=Sum(F("rolled_up") + F("counted_directly")))
        )
        days = [start + timedelta(days=n) for n in range(length)]
        counts = defaultdict(dict)
        previous = defaultdict(int)
        for row in per_day:
            key = (row["kind"], row["key"])
            if row["day"] < start:
                previous[key] += row["number"]
            else:
                counts[key][row["day"]] = row["number"]
        labels = self.labels({key for key in counts})
        rows = [
            Row(key[1], labels.get(key, key[1]), [(day, numbers.get(day, 0)) for day in days], previous[key])
            for key, numbers in counts.items()
        ]
        return sorted(rows, key=lambda row: (-row.total, row.label))

    def labels(self, keys):
        return {key: key[1] for key in keys}

    def get_page_subtitle(self):
        start, end = self.period()
        return f"{start:%-d %b %Y} to {end:%-d %b %Y}, beside as many days before"


class PageKeyedReportView(DailyCountReportView):
    def labels(self, keys):
        ids = [int(key) for _, key in keys if key.isdigit()]
        titles = dict(Page.objects.filter(pk__in=ids).values_list("pk", "title"))
        return {
            (kind, key): titles.get(int(key), f"Page {key} (deleted)") if key.isdigit() else self.no_page
            for kind, key in keys
        }

    no_page = "No page named"


class PageViewsReportView(PageKeyedReportView):
    page_title = "Page views"
    kinds = [Kind.VIEW]
    index_url_name = "visits_page_views"
    index_results_url_name = "visits_page_views_results"
    export_filename = "page-views"
    no_results_message = "No page views counted in this period."


class OutsideLinksReportView(PageKeyedReportView):
    page_title = "Outside links followed"
    header_icon = "link-external"
    key_label = "Article"
    kinds = [Kind.OUTBOUND]
    index_url_name = "visits_outside_links"
    index_results_url_name = "visits_outside_links_results"
    export_filename = "outside-links-followed"
    no_results_message = "No outside article links followed in this period."


class RequestSourcesReportView(PageKeyedReportView):
    page_title = "Where requests come from"
    header_icon = "mail"
    key_label = "Page the patient came from"
    kinds = [Kind.REQUEST]
    no_page = "No page named (the header's link)"
    index_url_name = "visits_request_sources"
    index_results_url_name = "visits_request_sources_results"
    export_filename = "where-requests-come-from"
    no_results_message = "No consultation requests counted in this period."


class VisitorSourcesReportView(DailyCountReportView):
    page_title = "Other sites and devices"
    header_icon = "site"
    key_label = "Visits from"
    kinds = [Kind.REFERRER, Kind.DEVICE]
    index_url_name = "visits_sources"
    index_results_url_name = "visits_sources_results"
    export_filename = "other-sites-and-devices"
    no_results_message = "No visits counted in this period."

    def labels(self, keys):
        return {(kind, key): (f"a {key}" if kind == Kind.DEVICE else f"the site {key}") for kind, key in keys}


class NotFoundReportView(DailyCountReportView):
    page_title = "Addresses not found"
    header_icon = "warning"
    key_label = "Address"
    kinds = [Kind.NOT_FOUND]
    index_url_name = "visits_not_found"
    index_results_url_name = "visits_not_found_results"
    export_filename = "addresses-not-found"
    no_results_message = "No addresses not found in this period."
