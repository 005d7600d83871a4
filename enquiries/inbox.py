"""The front desk's inbox in the admin: consultation requests listed, filtered, searched and exported,
and a page per request to handle it (status, who deals with it, notes). Each change is a Wagtail log
entry, shown as the request's history; so is each export, in the history of every request it holds;
deleting a request is logged too (Wagtail's DeleteView). A request's number (#12) is the same in the
e-mail that announces it, the inbox, its page and the exports.

Who may do what is Django's model permissions on ConsultationRequest (enquiries/permissions.py):
view to read and export, change to handle, delete to delete. Nobody adds a request in the admin.
"""

import datetime

import django_filters
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn, UserColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button, ButtonWithDropdown
from wagtail.log_actions import LogContext, log
from wagtail.models import ModelLogEntry
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from enquiries.models import ConsultationFormField, ConsultationRequest, RequestNote, RequestStatus

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_TIME_FORMAT = "%Y-%m-%d %H:%M"
CLOSING_REASON_NEEDED = (
    "Say why the request is closed, for example “Booked elsewhere” or “No answer after three calls”."
)


def neutralise_formula(value):
    """A patient's answer stays text when a CSV export is opened in a spreadsheet program."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def plain(value):
    """An answer as staff read it: Yes/No for ticked boxes, lists joined, times in the clinic's clock."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime(EXPORT_TIME_FORMAT)
    return "" if value is None else str(value)


def staff_name(user):
    return (user.get_full_name().strip() or user.get_username()) if user else ""


class InboxPermissionPolicy(ModelPermissionPolicy):
    """Requests come from patients through the form only: nobody adds one in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(ConsultationRequest, InboxPermissionPolicy(ConsultationRequest))


def team():
    """Who a request may be assigned to: the active staff who may handle requests."""
    policy = InboxPermissionPolicy(ConsultationRequest)
    return policy.users_with_permission("change").filter(is_active=True).order_by("first_name", "username")


def answers(request, fields):
    """(heading, answer) for each question on the form, then any answer to a question since removed."""
    data = dict(request.form_data)
    listed = [(field.heading, plain(data.pop(field.clean_name, None))) for field in fields]
    return listed + [(name.replace("_", " ").capitalize(), plain(value)) for name, value in data.items()]


class RequestFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=RequestStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    condition = django_filters.MultipleChoiceFilter(
        choices=lambda: [
            (condition, condition)
            for condition in ConsultationRequest.objects.order_by("condition")
            .values_list("condition", flat=True)
            .distinct()
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    submit_time = django_filters.DateFromToRangeFilter(label="Received", widget=DateRangePickerWidget)
    assigned_to = django_filters.ModelChoiceFilter(label="Assigned to", queryset=lambda request: team())

    class Meta:
        model = ConsultationRequest
        fields = []


class RequestStatusColumn(StatusTagColumn):
    def get_primary(self, instance):
        return instance.status == RequestStatus.NEW


class InboxView(ModelViewSet.index_view_class):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("assigned_to")

    @cached_property
    def form_fields(self):
        return list(ConsultationFormField.objects.order_by("page_id", "sort_order", "pk"))

    @cached_property
    def with_notes(self):
        # Notes are staff's words about a patient: exported only when asked for.
        return self.request.GET.get("notes") == "yes"

    @cached_property
    def list_export(self):
        columns = ["number", "received", *(f"answer:{field.clean_name}" for field in self.form_fields)]
        columns += ["consented_at", "status", "closing_reason", "assigned_to"]
        return columns + ["notes"] if self.with_notes else columns

    @cached_property
    def export_headings(self):
        headings = {
            "number": "Number",
            "received": "Received",
            "consented_at": "Consent given at",
            "status": "Status",
            "closing_reason": "Reason for closing",
            "assigned_to": "Assigned to",
            "notes": "Notes",
        }
        return headings | {f"answer:{field.clean_name}": field.heading for field in self.form_fields}

    def get_filename(self):
        return f"consultation-requests-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.is_export and self.with_notes:
            queryset = queryset.prefetch_related("notes__author")
        return queryset

    def to_row_dict(self, item):
        row = {
            # The number without its "#" (the e-mail's #12 is 12 here), so that a spreadsheet sorts by it.
            "number": item.pk,
            "received": item.submit_time,
            **{
                f"answer:{field.clean_name}": item.form_data.get(field.clean_name)
                for field in self.form_fields
            },
            "consented_at": item.consented_at,
            "status": item.get_status_display(),
            "closing_reason": item.closing_reason,
            "assigned_to": staff_name(item.assigned_to),
        }
        if self.with_notes:
            row["notes"] = "\n".join(
                f"{plain(note.created_at)} {staff_name(note.author)}: {note.text}"
                for note in item.notes.all()
            )
        return row

    def preprocess_field_value(self, field, value, export_format):
        if field == "number" and export_format == self.FORMAT_XLSX:
            return value  # a number cell
        if isinstance(value, datetime.datetime) and export_format == self.FORMAT_XLSX:
            # A date cell in the clinic's clock, not UTC.
            return timezone.localtime(value).replace(tzinfo=None)
        value = plain(value)
        return neutralise_formula(value) if export_format == self.FORMAT_CSV else value

    # The downloads sit behind a labelled Export button of their own (header_buttons), not among the
    # header's unlabelled "…" actions, where Wagtail puts them.
    show_export_buttons = False

    @cached_property
    def export_buttons(self):
        """The four downloads of what the inbox lists (its filters and search): with the notes or without."""
        downloads = [
            ("Download XLSX", self.FORMAT_XLSX, False),
            ("Download CSV", self.FORMAT_CSV, False),
            ("Download XLSX with notes", self.FORMAT_XLSX, True),
            ("Download CSV with notes", self.FORMAT_CSV, True),
        ]
        buttons = []
        for priority, (label, export_format, with_notes) in enumerate(downloads):
            params = self.request.GET.copy()
            params["export"] = export_format
            params.pop("notes", None)
            if with_notes:
                params["notes"] = "yes"
            url = f"{self.request.path}?{params.urlencode()}"
            buttons.append(Button(label, url=url, icon_name="download", priority=priority))
        return buttons

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons.copy()
        if self.list_export:
            buttons.append(
                ButtonWithDropdown(
                    "Export",
                    buttons=self.export_buttons,
                    icon_name="arrow-down",
                    classname="button button-secondary",
                )
            )
        return buttons

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Each exported request's history says who took a copy of it, when, and whether with the notes.
        data = {"format": spreadsheet_format.upper(), "notes": self.with_notes}
        with transaction.atomic(), LogContext(user=self.request.user):
            for item in queryset:
                log(item, "enquiries.export", data=data)
        return super().as_spreadsheet(queryset, spreadsheet_format)


class RequestHandlingForm(WagtailAdminModelForm):
    note = forms.CharField(
        label="Add a note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the team: who called whom, what was agreed. Kept with the request and deleted with it.",
    )

    class Meta:
        model = ConsultationRequest
        fields = ["status", "closing_reason", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assignee = self.fields["assigned_to"]
        assignee.queryset = team()
        assignee.label_from_instance = staff_name
        assignee.empty_label = "Nobody yet"

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") == RequestStatus.CLOSED and not cleaned_data.get("closing_reason"):
            self.add_error("closing_reason", CLOSING_REASON_NEEDED)
        return cleaned_data


class RequestPageView(ModelViewSet.edit_view_class):
    """A request's page: the patient's answers, consent, notes and history, and the actions."""

    template_name = "enquiries/inbox/request.html"
    success_message = "%(object)s updated."
    # Wagtail's one banner when the form is refused, in the team's words (not a second one beside it).
    error_message = "Nothing was saved: correct the highlighted answer."

    def get_page_subtitle(self):
        return str(self.object)

    def save_instance(self):
        form, user = self.form, self.request.user
        request = form.save()
        if "status" in form.changed_data:
            change = {"from": RequestStatus(form.initial["status"]).label, "to": request.get_status_display()}
            log(request, "enquiries.status", user=user, data=change)
        if "assigned_to" in form.changed_data:
            log(request, "enquiries.assign", user=user, data={"to": staff_name(request.assigned_to)})
        if form.cleaned_data["note"]:
            RequestNote.objects.create(request=request, author=user, text=form.cleaned_data["note"])
            log(request, "enquiries.note", user=user)
        return request

    def get_success_url(self):
        # Staff stay on the request they are handling.
        return self.get_edit_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.object
        fields = ConsultationFormField.objects.filter(page_id=request.page_id).order_by("sort_order", "pk")
        context["answers"] = answers(request, fields)
        context["notes"] = request.notes.select_related("author")
        context["history"] = (
            ModelLogEntry.objects.for_instance(request).select_related("user").order_by("timestamp", "id")
        )
        return context


class ConsultationRequestViewSet(ModelViewSet):
    model = ConsultationRequest
    icon = "mail"
    menu_label = "Consultation requests"
    menu_order = 650
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = InboxView
    edit_view_class = RequestPageView
    filterset_class = RequestFilterSet
    search_fields = ["patient_name", "email", "phone"]
    search_backend_name = None  # the database's own matching: no search index of patients
    ordering = "-submit_time"
    list_per_page = 50
    list_display = [
        Column("number", label="Number", sort_key="pk"),
        DateColumn("submit_time", label="Received", sort_key="submit_time"),
        TitleColumn(
            "patient_name",
            label="Name",
            sort_key="patient_name",
            get_url=lambda request: reverse("consultation_requests:edit", args=[request.pk]),
        ),
        Column("condition", label="Condition", sort_key="condition"),
        Column("contact_by", label="Contact by"),
        RequestStatusColumn("status", label="Status", accessor="get_status_display", sort_key="status"),
        UserColumn("assigned_to", label="Assigned to", blank_display_name="Nobody yet"),
    ]

    def get_form_class(self, for_update=False):
        return RequestHandlingForm


inbox = ConsultationRequestViewSet("consultation_requests")
