"""Admin views: the clinic's list of consultation requests and the counts-only report."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.contrib.forms.views import SubmissionsListView

from enquiries.models import VIEW_REPORT
from enquiries.reports import bar_chart, enquiries_per_condition_per_month

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A patient's answer stays text when a CSV export is opened in a spreadsheet program."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class ConsultationRequestsView(SubmissionsListView):
    """Wagtail's submissions listing and export; who may open it is decided in wagtail_hooks."""

    page_title = "Consultation requests"

    def get_breadcrumbs_items(self):
        # Enquiry staff may have no access to the list of every form, so it is not offered.
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_preprocess_function(self, field, value, export_format):
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return neutralise_formula
        return super().get_preprocess_function(field, value, export_format)


class EnquiryReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Enquiries per condition"
    header_icon = "form"
    template_name = "enquiries/enquiry_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REPORT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = enquiries_per_condition_per_month()
        context["report"] = report
        context["chart"] = bar_chart(report.conditions, report.condition_totals)
        return context
