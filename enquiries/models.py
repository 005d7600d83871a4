"""The "Book a consultation" page and the requests patients send through it."""

from django.conf import settings
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, AbstractFormSubmission
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from core.models import ClinicSettings
from core.pages import SitePage
from enquiries import rate_limit
from enquiries.forms import FIELD_TYPES, ConsultationFormBuilder
from enquiries.notifications import notify_clinic


class ConsultationFormField(AbstractFormField):
    page = ParentalKey("ConsultationPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(verbose_name="field type", max_length=16, choices=FIELD_TYPES)
    field_type.required_on_save = True  # as Wagtail's own: previews build the field from its type
    short_label = models.CharField(
        max_length=40,
        blank=True,
        help_text="For staff: this answer's heading in the inbox and exports, e.g. “Phone”. "
        "The question itself when empty.",
    )

    panels = [*AbstractFormField.panels[:1], FieldPanel("short_label"), *AbstractFormField.panels[1:]]

    @property
    def heading(self):
        return self.short_label or self.label


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    BOOKED = "booked", "Consultation booked"
    CLOSED = "closed", "Closed"


class ConsultationRequest(AbstractFormSubmission):
    """What a patient sent (form_data), plus what reports may count without reading it."""

    consented_at = models.DateTimeField(
        help_text="When the patient ticked the consent box and sent the form."
    )
    condition = models.CharField(
        max_length=255, blank=True, help_text="The condition of interest as the patient chose it."
    )
    # A keyed hash of the network address the request came from (never the address itself), so
    # that the hourly limit holds while the cache is down. Deleted with the request.
    sender = models.CharField(max_length=64, blank=True, editable=False)
    # Copied from the answers when the request arrives, for the inbox to list and search.
    patient_name = models.CharField("name", max_length=200, blank=True)
    email = models.CharField("e-mail", max_length=254, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    contact_by = models.CharField("contact by", max_length=20, blank=True)

    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.NEW)
    closing_reason = models.CharField(
        "reason for closing", max_length=255, blank=True, help_text="Why the request was closed."
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    @property
    def number(self):
        """How staff tell requests apart (the e-mail, the inbox, the request's page, the exports)."""
        return f"#{self.pk}"

    def __str__(self):
        # What the history and messages call it: never the patient's name.
        return f"Consultation request {self.number}"

    def get_data(self):
        return {**super().get_data(), "consented_at": self.consented_at}

    class Meta:
        verbose_name = "consultation request"
        permissions = [("view_enquiry_report", "Can view the enquiries report (counts only)")]
        indexes = [
            models.Index(fields=["submit_time"]),
            models.Index(fields=["sender", "submit_time"]),
            models.Index(fields=["status", "submit_time"]),
        ]


class RequestNote(models.Model):
    """A note staff keep on a request (who was called, what was agreed); deleted with the request."""

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on consultation request #{self.request_id}"


class ConsultationPage(RoutablePageMixin, SitePage, AbstractForm):
    introduction = RichTextField(
        features=["bold", "italic", "link"],
        help_text="Above the form: what it is for and what the clinic does with it.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The consent box links to this page.",
    )
    thank_you_text = RichTextField(
        features=["bold", "italic", "link", "ul"],
        help_text="Shown once the request is sent: what happens next. It never repeats what was sent.",
    )

    form_builder = ConsultationFormBuilder
    landing_page_template = "enquiries/consultation_page_landing.html"

    content_panels = AbstractForm.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("form_fields", label="Form fields"),
        FieldPanel("privacy_page"),
        FieldPanel("thank_you_text"),
    ]
    search_fields = AbstractForm.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = []
    max_count = 1

    description_field = "introduction"
    # Condition pages link here with ?condition=<page id> (see serve()).
    cache_query_parameters = ("condition",)
    # Every page's header links here.
    shown_on_every_page = True

    def get_submission_class(self):
        return ConsultationRequest

    def get_data_fields(self):
        submit_time, *fields = super().get_data_fields()
        return [submit_time, ("consented_at", "Consent given"), *fields]

    def process_form_submission(self, form, sender=""):
        return ConsultationRequest.objects.create(
            page=self,
            form_data=form.cleaned_data,
            consented_at=timezone.now(),
            condition=form.chosen_condition(),
            sender=sender,
            **form.contact_details(),
        )

    def store_within_limit(self, request, form):
        """The stored request, or None if its address has sent ENQUIRY_RATE_LIMIT this hour."""
        sender = rate_limit.sender(request)
        sent = rate_limit.count_in_cache(sender)
        if sent is not None:
            return self.process_form_submission(form, sender) if sent <= settings.ENQUIRY_RATE_LIMIT else None
        with transaction.atomic():
            # Without the cache, simultaneous requests take turns (this page's row is the lock), so
            # each counts the ones stored before it.
            ConsultationPage.objects.select_for_update(of=("self",)).values_list("pk").get(pk=self.pk)
            stored = ConsultationRequest.objects.filter(
                sender=sender, submit_time__gt=rate_limit.window_start()
            ).count()
            if stored >= settings.ENQUIRY_RATE_LIMIT:
                return None
            return self.process_form_submission(form, sender)

    def serve(self, request, view=None, args=None, kwargs=None):
        # A sub-route's view, else the page's own address: the form.
        response = super().serve(request, view or self.form_view, args, kwargs)
        # The form carries this visitor's CSRF token, and the thank-you page follows their request:
        # neither may be kept by a shared cache.
        add_never_cache_headers(response)
        return response

    @path("")
    def form_view(self, request):
        if request.method == "POST":
            return self.accept_request(request)
        form = self.get_form(page=self, user=request.user)
        # Condition pages link here with ?condition=<page id> to tick their condition already.
        form.preselect_condition(request.GET.get("condition"))
        return self.render_form(request, form)

    @path("sent/", name="sent")
    def thank_you_view(self, request):
        return self.render_landing_page(request)

    def serve_preview(self, request, mode_name):
        # Wagtail's two preview modes for form pages, not RoutablePageMixin's single one.
        return self.render_landing_page(request) if mode_name == "landing" else self.form_view(request)

    def thank_you_redirect(self):
        # 303: the browser fetches the thank-you page with GET, so Back and reload never resend.
        response = HttpResponseRedirect(self.url + self.reverse_subpage("sent"))
        response.status_code = 303
        return response

    def accept_request(self, request):
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if form.is_from_a_bot():
            # The bot sees the usual thank-you page and learns nothing; nothing is kept or sent.
            return self.thank_you_redirect()
        if form.is_valid():
            submission = self.store_within_limit(request, form)
            if submission is not None:
                # Told once the request is stored, outside its transaction: a slow mail server
                # must not hold up other patients' requests.
                notify_clinic(submission)
                # Counted by the page the patient came from, never tied to the request (visits/).
                for hook in hooks.get_hooks("consultation_request_sent"):
                    hook(request, self.came_from(request))
                return self.thank_you_redirect()
            form.add_error(None, rate_limit.message(ClinicSettings.for_request(request)))
        return self.render_form(request, form)

    def came_from(self, request):
        """The page id a condition page's link passed (?condition=<id>), kept in the form's action."""
        page_id = request.GET.get("condition", "")
        return int(page_id) if page_id.isdigit() and len(page_id) < 10 else None

    def render_form(self, request, form):
        context = self.get_context(request)
        context["form"] = form
        context["came_from"] = self.came_from(request)
        return TemplateResponse(request, self.get_template(request), context)

    class Meta:
        verbose_name = "consultation request page"
