"""Related articles: papers, trial reports and patient information that marketing attaches to conditions."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Prefetch, When
from django.http import Http404
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager, Workflow
from wagtail.search import index

from articles.feeds import LatestArticlesFeed
from articles.forms import ArticleFilterForm, ArticlePageForm
from articles.identifiers import (
    WEB_ADDRESS_MESSAGE,
    normalise_doi,
    normalise_nct_id,
    normalise_pmid,
    web_address_validator,
)
from conditions.models import ConditionPage
from core import outbound, query_string
from core.blocks import BodyBlock
from core.pages import SitePage, SitePageQuerySet


def clinical_trial_url(nct_id):
    """The trial's entry on ClinicalTrials.gov."""
    return f"https://clinicaltrials.gov/study/{nct_id}"


class EvidenceKind(models.TextChoices):
    """What kind of evidence an article is, from the strongest research design down to news."""

    SYSTEMATIC_REVIEW = "systematic-review", "Systematic review"
    RANDOMISED_TRIAL = "randomised-trial", "Randomised controlled trial"
    EARLY_PHASE_TRIAL = "early-phase-trial", "Early-phase trial (not randomised)"
    OBSERVATIONAL_STUDY = "observational-study", "Observational study"
    PRECLINICAL_STUDY = "preclinical-study", "Laboratory or animal study"
    PATIENT_INFORMATION = "patient-information", "Patient information"
    NEWS = "news", "News"
    CLINIC_NEWS = "clinic-news", "Clinic news"


@dataclass(frozen=True)
class StudyDesign:
    """A kind of study as a count of them names it, and what such a study can and cannot show."""

    one: str
    many: str
    shows: str

    def count(self, number):
        return f"{number} {self.one if number == 1 else self.many}" if number else f"no {self.one}"


# The kinds of evidence that are studies, in EvidenceKind's order, with the one sentence patients read
# on what each can and cannot show: general statements of research method, as the NHS and Cochrane
# make them, never a claim about the treatment. Patient information and news are not studies.
STUDY_DESIGNS = {
    EvidenceKind.SYSTEMATIC_REVIEW: StudyDesign(
        "systematic review",
        "systematic reviews",
        "A systematic review brings together the studies that asked one question and weighs what they found: "
        "it can show what the research as a whole says, but it is only as strong as the studies it gathers.",
    ),
    EvidenceKind.RANDOMISED_TRIAL: StudyDesign(
        "randomised controlled trial",
        "randomised controlled trials",
        "A randomised controlled trial compares people given a treatment with people who, chosen by chance, "
        "were not: it is the fairest test of whether a treatment works, though a single small or short "
        "trial can still mislead.",
    ),
    EvidenceKind.EARLY_PHASE_TRIAL: StudyDesign(
        "early-phase trial",
        "early-phase trials",
        "An early-phase trial gives a treatment to a small group, mainly to see whether it is safe enough to "
        "study further: with no comparison group chosen by chance, it cannot show that the treatment works.",
    ),
    EvidenceKind.OBSERVATIONAL_STUDY: StudyDesign(
        "observational study",
        "observational studies",
        "An observational study follows what happens to people who had a treatment: it can show a link "
        "between the treatment and how they fared, but cannot show that the treatment caused it.",
    ),
    EvidenceKind.PRECLINICAL_STUDY: StudyDesign(
        "laboratory or animal study",
        "laboratory or animal studies",
        "A laboratory or animal study tests an idea in cells or in animals: it cannot show that a treatment "
        "is safe or works in people.",
    ),
}


class DatePrecision(models.TextChoices):
    YEAR = "year", "Year only"
    MONTH = "month", "Month and year"
    DAY = "day", "Full date"


class TrialPhase(models.TextChoices):
    EARLY_PHASE_1 = "early-1", "Early phase 1"
    PHASE_1 = "1", "Phase 1"
    PHASE_1_2 = "1/2", "Phase 1/2"
    PHASE_2 = "2", "Phase 2"
    PHASE_2_3 = "2/3", "Phase 2/3"
    PHASE_3 = "3", "Phase 3"
    PHASE_4 = "4", "Phase 4"
    NOT_APPLICABLE = "n/a", "No phase (not a drug trial)"


class TrialStatus(models.TextChoices):
    """ClinicalTrials.gov's overall recruitment status, in its own words."""

    NOT_YET_RECRUITING = "not-yet-recruiting", "not yet recruiting"
    RECRUITING = "recruiting", "recruiting"
    ENROLLING_BY_INVITATION = "enrolling-by-invitation", "enrolling by invitation"
    ACTIVE_NOT_RECRUITING = "active-not-recruiting", "active, not recruiting"
    COMPLETED = "completed", "completed"
    SUSPENDED = "suspended", "suspended"
    TERMINATED = "terminated", "terminated"
    WITHDRAWN = "withdrawn", "withdrawn"
    UNKNOWN = "unknown", "status unknown"


# Statuses that mean the trial stopped before its end: patients must not read it as ongoing evidence.
STOPPED_TRIAL_STATUSES = {TrialStatus.SUSPENDED, TrialStatus.TERMINATED, TrialStatus.WITHDRAWN}
# ClinicalTrials.gov takes up to 250 characters for why a trial stopped.
TRIAL_WHY_STOPPED_LENGTH = 300
# Statuses after which the completion date is when the trial ended, not a plan.
ENDED_TRIAL_STATUSES = {TrialStatus.COMPLETED, TrialStatus.TERMINATED}


class NoticeKind(models.TextChoices):
    """What a journal published about a paper after it appeared, from the most serious down."""

    RETRACTION = "retraction", "Retracted"
    CONCERN = "concern", "Expression of concern"
    CORRECTION = "correction", "Corrected"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    BLOCKED = "blocked", "Refuses link checkers"
    BROKEN = "broken", "Broken"


# The link checker's findings: they describe the live page's link, not a revision of the article.
LINK_CHECK_FIELDS = (
    "link_status",
    "link_status_code",
    "link_problem",
    "link_checked_url",
    "link_final_url",
    "link_checked_at",
)


TRIAL_FIELDS = (
    "trial_phase",
    "trial_enrolment",
    "trial_status",
    "trial_why_stopped",
    "trial_sponsor",
    "trial_started_on",
    "trial_completed_on",
)
NOTICE_FIELDS = ("evidence_notice", "evidence_notice_on", "evidence_notice_url", "evidence_checked_at")


class OwnWorkflowOnly:
    """The articles section follows only a workflow assigned within it (to the section or to an
    article), never the home page's "Medical review": marketing publish articles themselves.
    A clinic that wants articles reviewed assigns a workflow to the articles index."""

    # How many levels of the tree, from this page up, belong to the articles section.
    section_levels = 1

    def get_workflow(self):
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return None
        section = self.get_ancestors(inclusive=True).filter(depth__gt=self.depth - self.section_levels)
        return (
            Workflow.objects.active()
            .filter(workflow_pages__page__in=section)
            .order_by("-workflow_pages__page__depth")
            .first()
        )

    @property
    def has_workflow(self):
        return self.get_workflow() is not None


# An identifier names one piece of evidence: two articles with it would list it twice. DOIs are
# case-insensitive; the other identifiers are stored in one canonical form.
DUPLICATE_CHECKED_FIELDS = {"doi": "iexact", "pmid": "exact", "nct_id": "exact", "external_url": "exact"}


class ArticleIndexPage(OwnWorkflowOnly, RoutablePageMixin, SitePage):
    introduction = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["clinic.HomePage"]
    subpage_types = ["articles.ArticlePage"]
    max_count = 1

    description_field = "introduction"
    articles_per_page = 10
    # The filters and the page of the list.
    cache_query_parameters = ("condition", "kind", "page")
    # Sub-page routes below: an article with one of these slugs could never be reached.
    reserved_slugs = {"feed"}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        conditions = ConditionPage.objects.live().public().order_by("path").only("title", "slug")
        asked = query_string.single_values(request, self.cache_query_parameters)
        filters = ArticleFilterForm(asked, conditions=conditions, kinds=EvidenceKind.choices)
        if not filters.is_valid():
            raise Http404("No such condition or kind of evidence")
        articles = filters.filter(self.articles().for_listing().with_conditions())
        context["filters"] = filters
        context["articles"] = query_string.page_or_404(articles, self.articles_per_page, asked.get("page"))
        return context

    def articles(self):
        return ArticlePage.objects.live().public().child_of(self)

    @path("feed/", name="feed")
    def feed(self, request):
        return LatestArticlesFeed()(request, index=self)

    def get_cached_paths(self):
        return ["/", "/feed/"]


class ArticlePageQuerySet(SitePageQuerySet):
    # What an entry in a list shows (articles/includes/article_item.html) and its link needs. An
    # article has some sixty columns; loading all of them cost a condition page's list 0.8 ms.
    LISTED_FIELDS = (
        "title",
        "url_path",
        "kind",
        "source",
        "summary",
        "published_on",
        "date_precision",
        "external_url",
        "doi",
        "evidence_notice",
        "evidence_notice_on",
        "evidence_notice_url",
        "nct_id",
        "trial_phase",
        "trial_status",
        "trial_why_stopped",
        "trial_completed_on",
        "trial_enrolment",
    )

    def for_listing(self):
        """Featured first, then newest by publication date (undated last), with what the list
        shows of each; a retracted paper last of all, featured or not."""
        return self.only(*self.LISTED_FIELDS).order_by(
            Case(When(evidence_notice=NoticeKind.RETRACTION, then=1), default=0),
            "-featured",
            F("published_on").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "pk",
        )

    def with_conditions(self):
        """Each article's live, public conditions, fetched for the whole list in one query."""
        return self.prefetch_related(
            Prefetch(
                "conditions",
                queryset=ConditionPage.objects.live()
                .public()
                .order_by("path")
                .only("title", "url_path", "path"),
                to_attr="live_conditions",
            )
        )

    def for_condition(self, condition):
        """The articles a condition page lists, in the order patients see them."""
        return self.filter(conditions=condition).for_listing()


class ArticlePage(OwnWorkflowOnly, SitePage):
    external_url = models.URLField(
        "web address",
        max_length=500,
        blank=True,
        validators=[web_address_validator],
        error_messages={"invalid": WEB_ADDRESS_MESSAGE},
        help_text="Where the article can be read. Leave blank for an article written here, or to link to its DOI.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="The journal, publisher or website, e.g. 'The Lancet Neurology'.",
    )
    authors = models.CharField(max_length=255, blank=True, help_text="e.g. 'Peter Connick et al.'")
    published_on = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="For a year or a month, pick any day in it and choose the precision below.",
    )
    date_precision = models.CharField(
        "show the date as",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="Papers are often cited by year or by month: show only what the source gives.",
    )
    kind = models.CharField(
        "kind of evidence",
        max_length=30,
        choices=EvidenceKind.choices,
        help_text="Shown to patients as a label on the article, so that a trial is never mistaken for news.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="e.g. 10.1056/NEJMoa1703327. A https://doi.org/ link works too.",
    )
    # Room for a pasted link: what is stored is the bare ID.
    pmid = models.CharField(
        "PubMed ID", max_length=80, blank=True, help_text="e.g. 22236384. A PubMed link works too."
    )
    nct_id = models.CharField(
        "ClinicalTrials.gov ID",
        max_length=80,
        blank=True,
        help_text="NCT and 8 digits, e.g. NCT00114530. A ClinicalTrials.gov link works too.",
    )
    summary = models.TextField(
        max_length=600, help_text="In plain language: what the article found or says, and how far it goes."
    )
    conditions = ParentalManyToManyField(
        ConditionPage,
        related_name="articles",
        help_text="The article is listed at the end of each of these condition pages once published.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional, shown on the article's page. Its description is used as the alt text.",
    )
    featured = models.BooleanField(
        "feature this article", default=False, help_text="Featured articles are listed first."
    )
    body = StreamField(
        BodyBlock(), blank=True, help_text="For an article written here. Leave empty when linking elsewhere."
    )

    trial_phase = models.CharField("phase", max_length=10, choices=TrialPhase.choices, blank=True)
    trial_enrolment = models.PositiveIntegerField("participants", null=True, blank=True)
    trial_status = models.CharField("overall status", max_length=30, choices=TrialStatus.choices, blank=True)
    trial_why_stopped = models.CharField(
        "why it stopped",
        max_length=TRIAL_WHY_STOPPED_LENGTH,
        blank=True,
        help_text="For a suspended, terminated or withdrawn trial: the reason the registry gives, shown to patients.",
    )
    trial_sponsor = models.CharField("sponsor", max_length=200, blank=True)
    trial_started_on = models.DateField("start date", null=True, blank=True)
    trial_completed_on = models.DateField("completion date", null=True, blank=True)

    # What journals published about the paper since (the gravest notice), found by refresh_evidence.
    evidence_notice = models.CharField("notice", max_length=12, choices=NoticeKind.choices, blank=True)
    evidence_notice_on = models.DateField("notice published", null=True, blank=True)
    evidence_notice_url = models.CharField("notice address", max_length=500, blank=True)
    evidence_checked_at = models.DateTimeField("registries checked at", null=True, blank=True)

    link_status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED)
    link_status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    link_checked_url = models.CharField("address checked", max_length=500, blank=True)
    link_final_url = models.CharField("address after redirects", max_length=2000, blank=True)
    link_checked_at = models.DateTimeField("checked at", null=True, blank=True)
    link_problem = models.CharField("problem", max_length=200, blank=True)

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("kind"),
        FieldPanel("conditions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("featured"),
        MultiFieldPanel(
            [
                FieldPanel("authors"),
                FieldPanel("source"),
                FieldPanel("published_on"),
                FieldPanel("date_precision"),
            ],
            heading="Citation",
        ),
        MultiFieldPanel(
            [FieldPanel("external_url"), FieldPanel("doi"), FieldPanel("pmid"), FieldPanel("nct_id")],
            heading="Link and identifiers",
            help_text=(
                "Patients follow the web address, or the DOI when there is none. "
                "“Look up” beside an identifier fills in the citation from Crossref, PubMed or "
                "ClinicalTrials.gov, for you to check before saving."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in TRIAL_FIELDS],
            heading="Trial registration",
            help_text="For a registered trial: as ClinicalTrials.gov gives it. The daily evidence check keeps it current.",
            classname="collapsed",
        ),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel(name, read_only=True) for name in NOTICE_FIELDS],
            heading="Retractions and corrections",
            help_text="Found by the daily evidence check (manage.py refresh_evidence) in Crossref and PubMed.",
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel(name, read_only=True) for name in LINK_CHECK_FIELDS],
            heading="Last link check",
            help_text="Filled in by the link check (manage.py check_article_links).",
            classname="collapsed",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("source"),
        index.SearchField("authors"),
        index.SearchField("body"),
        index.AutocompleteField("source"),
        index.FilterField("kind"),
        index.FilterField("link_status"),
        index.FilterField("featured"),
        index.FilterField("published_on"),
    ]

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []
    section_levels = 2  # the article and its index
    base_form_class = ArticlePageForm
    description_field = "summary"
    listed_in_search = True
    written_by_the_clinic = False  # found by search after the clinic's pages, with its kind of evidence

    class Meta:
        verbose_name = "article"

    def clean(self):
        super().clean()
        errors = {}
        for field, normalise in (
            ("doi", normalise_doi),
            ("pmid", normalise_pmid),
            ("nct_id", normalise_nct_id),
        ):
            value = getattr(self, field)
            if value:
                try:
                    setattr(self, field, normalise(value))
                except ValidationError as error:
                    errors[field] = error
        for field, lookup in DUPLICATE_CHECKED_FIELDS.items():
            if field not in errors and getattr(self, field):
                duplicate = self.article_with_same(field, lookup)
                if duplicate is not None:
                    errors[field] = ValidationError(
                        format_html(
                            'The article <a href="{}">{}</a> already has this {}: patients would see '
                            "the same evidence listed twice. Edit that article instead.",
                            reverse("wagtailadmin_pages:edit", args=[duplicate.pk]),
                            duplicate.title,
                            self._meta.get_field(field).verbose_name,
                        ),
                        code="duplicate",
                    )
        refused = outbound.why_refused_as_written(self.external_url) if self.external_url else None
        if refused:
            # Told now, not first in the link check's report: the host as written, without DNS.
            errors["external_url"] = ValidationError(
                f"The site does not follow links here: {refused}. Enter the article's public web address.",
                code="refused_address",
            )
        if not (self.external_url or self.doi or self.body):
            errors["external_url"] = (
                "Give the article's web address or its DOI, or write the article here in the body."
            )
        if self.published_on:
            self.published_on = self.start_of_publication_period()
            if self.published_on > timezone.localdate():
                errors["published_on"] = "The publication date cannot be in the future."
        if self.slug in ArticleIndexPage.reserved_slugs:
            errors["slug"] = f"'{self.slug}' is the address of the articles feed: choose another slug."
        if errors:
            raise ValidationError(errors)

    def article_with_same(self, field, lookup):
        """Another article (live or draft) citing the same identifier, if there is one."""
        others = ArticlePage.objects.exclude(pk=self.pk) if self.pk else ArticlePage.objects.all()
        return others.filter(**{f"{field}__{lookup}": getattr(self, field)}).only("title").first()

    def start_of_publication_period(self):
        """The date stored for a year or a month is its first day, so that articles sort honestly."""
        if self.date_precision == DatePrecision.YEAR:
            return self.published_on.replace(month=1, day=1)
        if self.date_precision == DatePrecision.MONTH:
            return self.published_on.replace(day=1)
        return self.published_on

    @property
    def published_display(self):
        """'2013', 'Feb 2012' or '4 Jan 2018': only as much as the source gives."""
        formats = {DatePrecision.YEAR: "Y", DatePrecision.MONTH: "M Y", DatePrecision.DAY: "j M Y"}
        return dateformat.format(self.published_on, formats[self.date_precision])

    @property
    def published_iso(self):
        """The same precision in the form HTML's <time datetime> takes: '2013', '2012-02', '2018-01-04'."""
        formats = {DatePrecision.YEAR: "Y", DatePrecision.MONTH: "Y-m", DatePrecision.DAY: "Y-m-d"}
        return dateformat.format(self.published_on, formats[self.date_precision])

    @property
    def link_url(self):
        """Where the article's link takes patients: the web address, else the DOI; None for in-house articles."""
        return self.external_url or self.doi_url

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None

    @property
    def clinical_trial_url(self):
        return clinical_trial_url(self.nct_id) if self.nct_id else None

    @property
    def has_broken_link(self):
        return self.link_status == LinkStatus.BROKEN

    @property
    def is_retracted(self):
        return self.evidence_notice == NoticeKind.RETRACTION

    @property
    def notice_label(self):
        """What patients are told about a notice, e.g. 'Retracted in January 2026: do not rely on this study'."""
        if not self.evidence_notice:
            return ""
        when = f" in {dateformat.format(self.evidence_notice_on, 'F Y')}" if self.evidence_notice_on else ""
        return {
            NoticeKind.RETRACTION: f"Retracted{when}: do not rely on this study",
            NoticeKind.CONCERN: f"Expression of concern{when}: the journal has doubts about this study",
            NoticeKind.CORRECTION: f"Corrected{when}: the journal published a correction",
        }[self.evidence_notice]

    @property
    def trial_line(self):
        """'Phase 2 trial · completed 2019 · 144 participants': as much as the registration gives."""
        if not self.nct_id:
            return ""
        parts = [f"{self.get_trial_phase_display()} trial" if self.trial_phase else "Registered trial"]
        if self.trial_status:
            parts.append(
                f"{self.get_trial_status_display()} {self.trial_completed_on.year}"
                if self.trial_has_ended and self.trial_completed_on
                else self.get_trial_status_display()
            )
        if self.trial_enrolment:
            parts.append(f"{self.trial_enrolment} participants")
        return " · ".join(parts)

    @property
    def trial_has_ended(self):
        """Its completion date is when it ended, not a plan."""
        return self.trial_status in ENDED_TRIAL_STATUSES

    @property
    def trial_has_stopped(self):
        return self.trial_status in STOPPED_TRIAL_STATUSES

    @property
    def trial_stopped_because(self):
        """The registry's reason the trial stopped, while it is stopped; '' otherwise."""
        return self.trial_why_stopped if self.trial_has_stopped else ""

    @property
    def trial_end_shown(self):
        """The completion date patients are shown: when it ended, or when it plans to end; none for
        a trial stopped before its end (suspended or withdrawn), whose planned end means nothing."""
        if self.trial_has_stopped and not self.trial_has_ended:
            return None
        return self.trial_completed_on

    def with_content_json(self, content):
        """A revision carries the link check's and the registries' findings of its day: keep the
        latest ones instead."""
        page = super().with_content_json(content)
        for name in (*LINK_CHECK_FIELDS, *NOTICE_FIELDS):
            setattr(page, name, getattr(self, name))
        return page

    def record_trial_registration(self, changes):
        """Write the registry's changed trial fields to the article and to its latest revision,
        without a new revision: a draft started before then must not bring the old status back
        when it is published."""
        ArticlePage.objects.filter(pk=self.pk).update(**changes)
        for name, value in changes.items():
            setattr(self, name, value)
        revision = self.latest_revision
        if revision is not None:
            revision.content.update(
                {
                    name: value.isoformat() if hasattr(value, "isoformat") else value
                    for name, value in changes.items()
                }
            )
            revision.save(update_fields=["content"])

    def save(self, *args, **kwargs):
        if self.link_checked_url != (self.link_url or ""):
            # The findings are about an address the article no longer links to.
            for name in LINK_CHECK_FIELDS:
                setattr(self, name, self._meta.get_field(name).get_default())
        super().save(*args, **kwargs)

    @cached_property
    def live_conditions(self):
        """The live, public conditions the article is about, in the tree's order: fetched once for
        its page (list and structured data), or for a whole list by `with_conditions()`."""
        # Looked up by id: a preview's conditions are an in-memory list, whose pages may be private.
        about = self.conditions.values_list("id", flat=True)
        return list(ConditionPage.objects.live().public().filter(pk__in=about).order_by("path"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = self.live_conditions
        return context

    @property
    def social_image(self):
        return self.image

    @property
    def schema_type(self):
        """schema.org's type for it: research is a ScholarlyArticle, the rest an Article."""
        research = self.kind not in (
            EvidenceKind.PATIENT_INFORMATION,
            EvidenceKind.NEWS,
            EvidenceKind.CLINIC_NEWS,
        )
        return "ScholarlyArticle" if research else "Article"

    @property
    def doi_identifier(self):
        """The DOI as a schema.org identifier."""
        return {"@type": "PropertyValue", "propertyID": "DOI", "value": self.doi}

    def citation_data(self, request):
        """schema.org data for the article where a page cites it: what it is and where to read it."""
        data = {
            "@type": self.schema_type,
            "name": self.title,
            "url": self.link_url or self.get_full_url(request),
        }
        if self.doi:
            data["identifier"] = self.doi_identifier
        if self.is_retracted:
            data["creativeWorkStatus"] = "Retracted"
        return data

    def structured_data(self, request):
        """schema.org data for the article as cited on its page: a ScholarlyArticle for research."""
        research = self.schema_type == "ScholarlyArticle"
        data = {
            "@context": "https://schema.org",
            "@type": self.schema_type,
            "headline": self.title,
            "description": self.summary,
            "url": self.link_url or self.get_full_url(request),
            "mainEntityOfPage": self.get_full_url(request),
            "genre": self.get_kind_display(),
            "about": [
                {"@type": "MedicalCondition", "name": condition.title} for condition in self.live_conditions
            ],
        }
        if self.authors:
            data["author"] = self.authors
        if self.source:
            data["isPartOf"] = {"@type": "Periodical" if research else "WebSite", "name": self.source}
        if self.published_on:
            data["datePublished"] = self.published_iso
        if self.doi:
            data["identifier"] = self.doi_identifier
            data["sameAs"] = self.doi_url
        return data

    def cache_dependents(self):
        """Pages that show this article: the index and its feed, and the condition pages it is
        listed on (pages it has just been taken off are forgotten as the list changes)."""
        return [self.get_parent(), *self.conditions.filter(live=True)]


class EvidenceChange(models.Model):
    """Something the registries reported about an article since it was listed: a retraction, an
    expression of concern, a correction, or a trial's new status. Medical reviewers are told, and
    the condition pages listing the article need another look."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="evidence_changes")
    noticed_at = models.DateTimeField(default=timezone.now)
    description = models.CharField(max_length=300)
    notice_url = models.URLField("notice", max_length=500, blank=True)

    class Meta:
        ordering = ["-noticed_at", "-pk"]

    def __str__(self):
        return f"{self.article.title}: {self.description}"

    @property
    def conditions(self):
        """The condition pages listing the article: the pages to review again."""
        return self.article.conditions


class RecruitingTrials(models.Model):
    """The trials ClinicalTrials.gov last listed as recruiting for a condition page's search terms
    (ConditionPage.recruiting_trials_search), as `manage.py refresh_evidence` found them: registry
    data like an article's trial status, so it changes without a new revision of the page. When the
    registry does not answer, the last list stays, with the date it was found."""

    condition = models.OneToOneField(
        ConditionPage, on_delete=models.CASCADE, primary_key=True, related_name="recruiting_trials"
    )
    searched_at = models.DateTimeField(help_text="When ClinicalTrials.gov last answered the search.")
    condition_term = models.CharField(max_length=200)
    intervention_term = models.CharField(max_length=200)
    # Each trial as shown: {"nct_id", "title", "phase" (a TrialPhase value or ""), "sponsor",
    # "countries": [...]}, in the registry's order.
    trials = models.JSONField(default=list, blank=True)
    # How many trials the registry counted, when more than it sent (the page links to the rest).
    total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "trials recruiting for a condition"
        verbose_name_plural = "trials recruiting for conditions"

    def __str__(self):
        return f"Trials recruiting for {self.condition.title}"

    @property
    def shown_trials(self):
        """The trials with what a patient reads of each: the registry's address and the phase's words."""
        return [
            {
                **trial,
                "url": clinical_trial_url(trial["nct_id"]),
                "phase_label": TrialPhase(trial["phase"]).label if trial.get("phase") else "",
            }
            for trial in self.trials
        ]

    @property
    def more_than_listed(self):
        return self.total is not None and self.total > len(self.trials)
