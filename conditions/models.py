"""The conditions section: an index of autoimmune conditions and a page per condition."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from clinic.blocks import BodyBlock


class ConditionIndexPage(Page):
    introduction = RichTextField(features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = ["conditions.ConditionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = ConditionPage.objects.for_cards().child_of(self)
        return context


class ConditionPageQuerySet(PageQuerySet):
    def for_cards(self):
        """Live conditions in the editors' order, with only what a card shows loaded."""
        return self.live().defer_streamfields().select_related("hero_image").order_by("path")


class ConditionPage(Page):
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences for the condition's card and for search results.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown at the top of the page and on its card. Its description is used as the alt text.",
    )
    body = StreamField(BodyBlock())
    articles_heading = models.CharField(
        max_length=120,
        default="Click any of the articles below for more information",
        help_text="Heads the list of related articles at the end of the page.",
    )

    objects = PageManager.from_queryset(ConditionPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("articles_heading"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["conditions.ConditionIndexPage"]
    subpage_types = []

    def get_meta_description(self):
        return self.search_description or self.summary
