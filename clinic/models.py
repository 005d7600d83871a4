"""Site-wide pages (home, standard pages) and the clinic's contact details."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from clinic.blocks import BodyBlock
from conditions.models import ConditionPage


class HomePage(Page):
    introduction = RichTextField(
        features=["bold", "italic", "link"],
        help_text="Welcomes patients and says what the site covers.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    meta_description_field = "introduction"

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "conditions.ConditionIndexPage",
        "articles.ArticleIndexPage",
        "enquiries.ConsultationPage",
        "clinic.StandardPage",
    ]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = ConditionPage.objects.for_cards().descendant_of(self)
        return context

    def route(self, request, path_components):
        """Find the page at the address in two queries for the whole path, not two per level.
        Addresses below a page rather than of one (the articles feed) take Wagtail's walk down
        the tree, which lets that page route them."""
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = Page.objects.filter(url_path=url_path, live=True).specific().first()
            if page is not None:
                return RouteResult(page)
        return super().route(request, path_components)

    def structured_data(self, request):
        """The clinic itself, from its contact details, for search engines' knowledge panels."""
        details = ClinicSettings.for_request(request)
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalClinic",
            "name": details.name,
            "url": self.get_full_url(request),
        }
        if details.phone:
            data["telephone"] = details.phone
        if details.email:
            data["email"] = details.email
        if details.address:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(details.address.splitlines()),
            }
        return data


class StandardPage(Page):
    """About, privacy, editorial policy and other pages of plain content."""

    introduction = models.TextField(blank=True, max_length=400)
    body = StreamField(BodyBlock())

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    meta_description_field = "introduction"
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = []


@register_setting(icon="site")
class ClinicSettings(BaseSiteSetting):
    """The clinic's name and contact details, shown in the footer of every page."""

    name = models.CharField(max_length=120, default="Clinic")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, help_text="One line per line of the postal address.")
    opening_hours = models.TextField(blank=True, help_text="One line per line, e.g. 'Mon–Fri 9:00–17:00'.")
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
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("address"), FieldPanel("opening_hours")],
            heading="Contact details",
        ),
        MultiFieldPanel(
            [FieldPanel("questions_page"), FieldPanel("editorial_policy_page"), FieldPanel("privacy_page")],
            heading="Pages linked from every page",
        ),
    ]

    class Meta:
        verbose_name = "Clinic details"


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


class PendingCacheInvalidation(models.Model):
    """A new generation the page cache could not take when content changed (Redis down, hung or
    full), kept here until it can (clinic.page_cache), so that no server serves the old page after."""

    generation_key = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.generation_key
