"""The clinic's list of consultation requests: Wagtail's submissions listing and export, made safe
for spreadsheets. It imports only Wagtail, so the page model can name it as its listing view."""

from wagtail.contrib.forms.views import SubmissionsListView

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A patient's answer stays text when a CSV export is opened in a spreadsheet program."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class ConsultationRequestsView(SubmissionsListView):
    """Who may open it is decided in wagtail_hooks."""

    page_title = "Consultation requests"

    def get_breadcrumbs_items(self):
        # Enquiry staff may have no access to the list of every form, so it is not offered.
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_preprocess_function(self, field, value, export_format):
        if export_format == self.FORMAT_CSV and isinstance(value, str):
            return neutralise_formula
        return super().get_preprocess_function(field, value, export_format)
