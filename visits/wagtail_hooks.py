from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from visits import reports
from visits.views import count_consultation_request

VIEW_COUNTS = "visits.view_dailycount"

REPORTS = [
    # (address, URL name, view, menu order)
    ("page-views", "visits_page_views", reports.PageViewsReportView, 1500),
    ("outside-links", "visits_outside_links", reports.OutsideLinksReportView, 1510),
    ("request-sources", "visits_request_sources", reports.RequestSourcesReportView, 1520),
    ("visitor-sources", "visits_sources", reports.VisitorSourcesReportView, 1530),
    ("not-found", "visits_not_found", reports.NotFoundReportView, 1540),
]


class VisitsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_COUNTS)


def _menu_item(slug, name, view, order):
    @hooks.register("register_reports_menu_item")
    def register():
        return VisitsReportMenuItem(
            view.page_title, reverse(name), name=f"visits-{slug}", icon_name=view.header_icon, order=order
        )


for _slug, _name, _view, _order in REPORTS:
    _menu_item(_slug, _name, _view, _order)


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = []
    for slug, name, view, _ in REPORTS:
        urls += [
            path(f"reports/visits/{slug}/", view.as_view(), name=name),
            path(f"reports/visits/{slug}/results/", view.as_view(results_only=True), name=f"{name}_results"),
        ]
    return urls


# enquiries calls this hook once a consultation request is stored: the two apps never import each other.
hooks.register("consultation_request_sent", count_consultation_request)
