"""The site's own pages: the home page and standard pages (about, privacy, editorial policy)."""

from urllib.parse import urljoin

from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from clinic.site_chrome import site_chrome
from conditions.models import ConditionPage
from core.blocks import BodyBlock
from core.pages import SitePage


class HomePage(SitePage):
    introduction = RichTextField(
        features=["bold", "italic", "link"],
        help_text="Welcomes patients and says what the site covers.",
    )

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    description_field = "introduction"

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "conditions.ConditionIndexPage",
        "articles.ArticleIndexPage",
        "enquiries.ConsultationPage",
        "clinic.StandardPage",
        "conditions.TeamPage",
    ]
    max_count = 1

    def route(self, request, path_components):
        """The page at the address in two small queries. Wagtail's default walks down the tree, two
        queries a level (four for a condition page); Wagtail documents `route()` as the place to
        change how pages are found. The answer is the walk's: `url_path` is the chain of slugs the
        walk follows, and a page found this way routes itself as the walk's last step would
        (404 unless live; a routable page's own view). Addresses no page has (a routable page's
        sub-route such as /articles/feed/, or nothing at all) take the walk.
        tests/test_routing.py holds the two to the same answer for every address of the site."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            content_type = (
                Page.objects.filter(url_path=url_path).values_list("content_type", flat=True).first()
            )
            if content_type is not None:
                page_type = ContentType.objects.get_for_id(content_type).model_class()
                return page_type.objects.get(url_path=url_path).route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = ConditionPage.objects.for_cards().descendant_of(self)
        return context

    def structured_data(self, request):
        """The clinic itself, from its details in the site chrome, for search engines' knowledge panels."""
        details = site_chrome(request)
        url = self.get_full_url(request)
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalClinic",
            "name": details["name"],
            "url": url,
        }
        if details["logo"]:
            data["logo"] = urljoin(url, details["logo"]["url"])
        if details["phone"]:
            data["telephone"] = details["phone"]
        if details["email"]:
            data["email"] = details["email"]
        if details["address"]:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(details["address"].splitlines()),
            }
        return data


class StandardPage(SitePage):
    """About, privacy, editorial policy and other pages of plain content."""

    introduction = models.TextField(blank=True, max_length=400)
    body = StreamField(BodyBlock())

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    description_field = "introduction"
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = []

    listed_in_search = True
