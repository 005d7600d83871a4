"""Who sees patients' requests in the admin, and where staff find them and the report.

Wagtail lets anyone who may edit a form page read its submissions. Consultation requests say that a
named person is interested in treatment for a named disease, so here they need the enquiries
permission instead: editors of the page's wording do not get it, and enquiry staff need no page rights.
"""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.contrib.forms.views import FormPagesListView
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from enquiries.initial_content import load_consultation_page
from enquiries.models import ConsultationPage
from enquiries.permissions import VIEW_REPORT, VIEW_REQUESTS
from enquiries.views import EnquiryReportView


@hooks.register("filter_form_submissions_for_user")
def consultation_requests_only_for_enquiry_staff(user, form_pages):
    other_forms = form_pages.not_type(ConsultationPage)
    if user.has_perm(VIEW_REQUESTS):
        return other_forms | Page.objects.type(ConsultationPage)
    return other_forms


class ConsultationRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_REQUESTS) and ConsultationPage.objects.exists()

    def render_component(self, request):
        # Looked up on each request: menu items live as long as the process, pages may not.
        page = ConsultationPage.objects.only("pk").first()
        url = reverse("wagtailforms:list_submissions", args=[page.pk])
        return LinkMenuItemComponent(self.name, self.label, url, icon_name=self.icon_name)


@hooks.register("register_admin_menu_item")
def register_consultation_requests_menu_item():
    return ConsultationRequestsMenuItem(
        "Consultation requests", "", name="consultation-requests", icon_name="mail", order=650
    )


@hooks.register("construct_main_menu")
def hide_forms_index_from_staff_who_cannot_open_it(request, menu_items):
    # Wagtail shows "Forms" to whoever may read some form's submissions, but only lets page editors
    # open it; enquiry staff reach their requests through the item above instead.
    if not page_permission_policy.user_has_any_permission(
        request.user, FormPagesListView.any_permission_required
    ):
        menu_items[:] = [item for item in menu_items if item.name != "forms"]


class EnquiryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_REPORT)


@hooks.register("register_reports_menu_item")
def register_enquiry_report_menu_item():
    return EnquiryReportMenuItem(
        "Enquiries per condition",
        reverse("enquiries_report"),
        name="enquiries-per-condition",
        icon_name="form",
        order=1300,
    )


@hooks.register("register_admin_urls")
def register_enquiry_report_url():
    return [path("reports/enquiries/", EnquiryReportView.as_view(), name="enquiries_report")]


@hooks.register("register_permissions")
def register_enquiry_permissions():
    """Offer both permissions in the admin's group editor."""
    return Permission.objects.filter(
        content_type__app_label="enquiries", codename__in=["view_consultationrequest", "view_enquiry_report"]
    )


# After the condition pages (its form lists them) and the privacy notice (its consent box links there).
hooks.register("load_initial_content", load_consultation_page, order=30)
