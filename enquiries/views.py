"""The counts-only enquiries report in the admin."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enquiries.permissions import VIEW_REPORT
from enquiries.reports import bar_chart, enquiries_per_condition_per_month


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
        context["chart"] = bar_chart(
            [condition.name for condition in report.conditions],
            [condition.requests for condition in report.conditions],
        )
        return context
