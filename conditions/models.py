"""The conditions section: an index of autoimmune conditions and a page per condition."""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from clinic.blocks import BodyBlock


class ConditionIndexPage(Page):
    introduction = RichTextField(features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    meta_description_field = "introduction"

    parent_page_types = ["clinic.HomePage"]
    subpage_types = ["conditions.ConditionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = ConditionPage.objects.for_cards().child_of(self)
        return context


class MedicalReviewer(models.Model):
    """A clinician who reviews condition pages, named on the pages they have reviewed."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=120, blank=True, help_text="For example 'MBBS, FRCP'.")
    role = models.CharField(max_length=120, help_text="For example 'Consultant Neurologist'.")
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("credentials"), FieldPanel("role"), FieldPanel("photo")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


def twelve_months_after(date):
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date + datetime.timedelta(days=365)


class ConditionPageQuerySet(PageQuerySet):
    def for_cards(self):
        """Live conditions in the editors' order, with only what a card shows loaded."""
        return self.live().defer_streamfields().select_related("hero_image").order_by("path")

    def needing_review(self, within_days=30):
        """Pages never reviewed, overdue, or due for review within `within_days`."""
        due_by = timezone.localdate() + datetime.timedelta(days=within_days)
        return self.filter(models.Q(last_reviewed__isnull=True) | models.Q(next_review_due__lte=due_by))


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
    reviewed_by = models.ForeignKey(
        MedicalReviewer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_pages",
        help_text="The clinician who checked this version of the page.",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Leave blank for twelve months after the last review."
    )

    objects = PageManager.from_queryset(ConditionPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("articles_heading"),
        MultiFieldPanel(
            [FieldPanel("reviewed_by"), FieldPanel("last_reviewed"), FieldPanel("next_review_due")],
            heading="Medical review",
            help_text="Record a review only once it has happened. Pages without one say so to patients.",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["conditions.ConditionIndexPage"]
    subpage_types = []

    def clean(self):
        super().clean()
        if bool(self.reviewed_by_id) != bool(self.last_reviewed):
            field = "last_reviewed" if self.reviewed_by_id else "reviewed_by"
            raise ValidationError({field: "A review needs both who reviewed the page and when."})
        if self.last_reviewed:
            if self.last_reviewed > timezone.localdate():
                raise ValidationError({"last_reviewed": "A review date cannot be in the future."})
            if self.next_review_due is None:
                self.next_review_due = twelve_months_after(self.last_reviewed)
            elif self.next_review_due <= self.last_reviewed:
                raise ValidationError({"next_review_due": "The next review must come after the last one."})
        elif self.next_review_due:
            raise ValidationError({"next_review_due": "Set a next review date only for a reviewed page."})

    @property
    def is_review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    meta_description_field = "summary"

    def cache_dependents(self):
        """Pages that show this condition: the home page and conditions index list it, articles name it."""
        article_index = apps.get_model("articles", "ArticleIndexPage")
        return [
            *self.get_ancestors().filter(depth__gte=2),
            *self.articles.live(),
            *article_index.objects.live(),
        ]

    @property
    def social_image(self):
        return self.hero_image

    def structured_data(self, request):
        """schema.org MedicalWebPage saying only what the page itself shows."""
        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": self.seo_title or self.title,
            "url": self.get_full_url(request),
            "description": self.search_description or self.summary,
            "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
            "about": {"@type": "MedicalCondition", "name": self.title},
            "dateModified": (self.last_published_at or self.latest_revision_created_at).isoformat(),
        }
        if self.last_reviewed:
            data["lastReviewed"] = self.last_reviewed.isoformat()
            data["reviewedBy"] = {"@type": "Person", "name": self.reviewed_by.name}
            if self.reviewed_by.credentials:
                data["reviewedBy"]["honorificSuffix"] = self.reviewed_by.credentials
            if self.reviewed_by.role:
                data["reviewedBy"]["jobTitle"] = self.reviewed_by.role
        return data
