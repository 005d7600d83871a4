"""The clinic's own details and notices (site settings), the purges a Varnish server has still to take,
and documents, whose files are kept private."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.fields import RichTextField


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """The clinic's name, logo, contact details and registration, shown on every page."""

    # Loaded with the details, as every page shows it (Wagtail's for_request and for_site); the pages
    # named below come with the rest of the chrome's links (clinic/site_chrome.py).
    select_related = ["logo"]

    name = models.CharField(max_length=120, default="Clinic")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown beside the clinic's name at the top of every page.",
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, help_text="One line per line of the postal address.")
    opening_hours = models.TextField(blank=True, help_text="One line per line, e.g. 'Mon–Fri 9:00–17:00'.")
    registration = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "Who regulates the clinic and its registration, exactly as the regulator gives it, "
            "e.g. 'Registered with the Care Quality Commission, provider ID …'. "
            "Shown in the footer and on the consultation pages."
        ),
    )
    how_the_clinic_is_paid = models.TextField(
        "How the clinic is paid",
        max_length=500,
        blank=True,
        help_text=(
            "In a sentence or two, who pays the clinic and its clinicians, and for what, e.g. 'Patients pay "
            "the clinic for each consultation and treatment.' It is the first conflict of interest a "
            "patient weighing a paid treatment should know (the Patient Information Forum's PIF TICK "
            "criteria and the IPDAS standards ask for it), so it is shown beside every 'Book a "
            "consultation' on condition pages and on the consultation form. Until it is filled in, "
            "nothing is shown there."
        ),
    )
    questions_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="'Questions to ask before stem cell treatment', linked from every condition page and the footer.",
    )
    editorial_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="How content is reviewed, linked from every condition page and the footer.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address"), FieldPanel("opening_hours")],
            heading="Contact details",
        ),
        FieldPanel("registration"),
        FieldPanel("how_the_clinic_is_paid"),
        MultiFieldPanel(
            [FieldPanel("questions_page"), FieldPanel("editorial_policy_page"), FieldPanel("privacy_page")],
            heading="Pages linked from every page",
        ),
    ]

    class Meta:
        verbose_name = "Clinic details"

    @classmethod
    def email_for(cls, site, default):
        """The clinic's e-mail for `site` (None: no site), else `default` (a setting, by what it is for)."""
        return (cls.for_site(site).email if site else "") or default


@register_setting(icon="warning")
class TreatmentStatus(BaseSiteSetting):
    """What patients must know about the therapy's regulatory status, on every condition page.

    Only medical reviewers and administrators may change it (its own model permission).
    """

    notice = RichTextField(
        features=["bold", "italic", "link"],
        help_text="Say plainly whether the treatment is approved, for what, and where it is offered.",
    )

    panels = [FieldPanel("notice")]

    class Meta:
        verbose_name = "Treatment status notice"


class PendingPurge(models.Model):
    """A surrogate key a Varnish server did not purge when content changed (down, refusing,
    too slow), kept until it does (core.varnish), so that it never goes on serving the old page."""

    location = models.CharField(max_length=200)
    surrogate_key = models.CharField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.surrogate_key} at {self.location}"


def documents_storage():
    return storages["documents"]


class ClinicDocument(AbstractDocument):
    """Wagtail's document, its file kept in the "documents" storage, which no web server or bucket
    serves: only Wagtail's document view sends it, after checking its collection's privacy
    (WAGTAILDOCS_SERVE_METHOD). Wagtail's own model keeps its files with the public images."""

    file = models.FileField(upload_to="documents", verbose_name="file", storage=documents_storage)

    admin_form_fields = WagtailDocument.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"


class SecondFactorFailures(models.Model):
    """Wrong codes in a row at one account's second step (core/two_factor.py), and until when that
    step is paused once they reach settings.SECOND_FACTOR_FAILURE_LIMIT. Kept in the database, like
    axes' password failures, so that every server counts them and a cache outage forgets none."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor_failures"
    )
    count = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "second-factor failures"
        verbose_name_plural = "second-factor failures"

    def __str__(self):
        return f"{self.count} wrong codes in a row"
