"""Where staff find consultation requests (the inbox, a dashboard panel) and the report.

Wagtail lets anyone who may edit a form page read its submissions. Consultation requests say that a
named person is interested in treatment for a named disease, so they are kept out of Wagtail's form
submissions screens altogether and read in the inbox (enquiries/inbox.py), under the enquiries
permissions: editors of the page's wording do not get them, and enquiry staff need no page rights.
"""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.contrib.forms.views import FormPagesListView
from wagtail.log_actions import LogFormatter
from wagtail.permissions import page_permission_policy

from enquiries.dashboard import NewRequestsPanel
from enquiries.inbox import inbox
from enquiries.initial_content import load_consultation_page
from enquiries.models import ConsultationPage
from enquiries.permissions import VIEW_REPORT, VIEW_REQUESTS
from enquiries.views import EnquiryReportView


@hooks.register("filter_form_submissions_for_user")
def consultation_requests_only_in_the_inbox(user, form_pages):
    # Wagtail's submissions screens neither record who deleted a request nor know its status.
    return form_pages.not_type(ConsultationPage)


@hooks.register("register_admin_viewset")
def register_inbox():
    return inbox


@hooks.register("construct_main_menu")
def hide_forms_index_from_staff_who_cannot_open_it(request, menu_items):
    # Wagtail shows "Forms" to whoever may read some form's submissions, but only lets page editors
    # open it; enquiry staff reach their requests through the inbox instead.
    if not page_permission_policy.user_has_any_permission(
        request.user, FormPagesListView.any_permission_required
    ):
        menu_items[:] = [item for item in menu_items if item.name != "forms"]


@hooks.register("construct_homepage_panels")
def add_new_requests_panel(request, panels):
    if request.user.has_perm(VIEW_REQUESTS):
        panels.insert(0, NewRequestsPanel())


@hooks.register("register_log_actions")
def register_request_handling_actions(actions):
    @actions.register_action("enquiries.status")
    class StatusChanged(LogFormatter):
        label = "Change status"

        def format_message(self, log_entry):
            return f"status changed from {log_entry.data['from']} to {log_entry.data['to']}"

    @actions.register_action("enquiries.assign")
    class Assigned(LogFormatter):
        label = "Assign"

        def format_message(self, log_entry):
            to = log_entry.data["to"]
            return f"assigned to {to}" if to else "no longer assigned to anyone"

    @actions.register_action("enquiries.export")
    class Exported(LogFormatter):
        label = "Export"

        def format_message(self, log_entry):
            notes = "with the notes" if log_entry.data["notes"] else "without the notes"
            return f"exported to {log_entry.data['format']} {notes}"

    # What a note says stays with the request (and is deleted with it); the history keeps that one was added.
    actions.register_action("enquiries.note", "Add a note", "note added")
    actions.register_action(
        "enquiries.retention", "Delete after the retention period", "deleted after the retention period"
    )
    actions.register_action(
        "enquiries.forget", "Delete on the patient's request", "deleted on the patient's request"
    )


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
    """Offer the enquiries permissions in the admin's group editor."""
    return Permission.objects.filter(
        content_type__app_label="enquiries",
        codename__in=[
            "view_consultationrequest",
            "change_consultationrequest",
            "delete_consultationrequest",
            "view_enquiry_report",
        ],
    )


# After the condition pages (its form lists them) and the privacy notice (its consent box links there).
hooks.register("load_initial_content", load_consultation_page, order=30)
