"""The conditions section: an index of autoimmune conditions and a page per condition."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, Orderable, Page, PageManager
from wagtail.search import index
from wagtail.signals import task_approved

from conditions.blocks import ConditionBodyBlock
from conditions.panels import MissingSectionsPanel
from conditions.review_schedule import twelve_months_after
from core.pages import SitePage, SitePageQuerySet
from core.panels import ReadingAgePanel, WordingPanel


class ConditionIndexPage(SitePage):
    introduction = RichTextField(features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    description_field = "introduction"

    parent_page_types = ["clinic.HomePage"]
    subpage_types = ["conditions.ConditionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["conditions"] = ConditionPage.objects.for_cards().child_of(self)
        return context


class MedicalReviewer(models.Model):
    """A clinician who reviews pages, named (with a public profile) on the pages they have reviewed,
    and who may be shown on the "Our team" page.

    Tied to the staff account that approves the "Medical review" task. Patients can check a reviewer
    only by their qualification, role and professional registration, so an approval records a review
    only once the reviewer's profile gives all of them (REQUIRED_FOR_REVIEW); reviewers complete
    their own profile (conditions.views.OwnReviewerProfileView). A clinician of the team who reviews
    no page has a profile without an account.
    """

    name = models.CharField(max_length=120)
    credentials = models.CharField(
        "qualification",
        max_length=120,
        blank=True,
        help_text="Qualifications after the name, for example 'MB ChB, FRCP'.",
    )
    role = models.CharField(max_length=120, blank=True, help_text="For example 'Consultant neurologist'.")
    registration_body = models.CharField(
        max_length=120,
        blank=True,
        help_text="The regulator whose register lists them, for example 'General Medical Council'.",
    )
    registration_number = models.CharField(
        max_length=120,
        blank=True,
        help_text="Their number on that register, as the register shows it.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="medical_reviewer_profile",
        verbose_name="staff account",
        help_text="The account this clinician approves medical reviews with.",
    )

    # What patients check a reviewer by: an approval records no review until each is filled in.
    REQUIRED_FOR_REVIEW = {
        "credentials": "qualification",
        "role": "role",
        "registration_body": "registration body",
        "registration_number": "registration number",
    }

    profile_panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("registration_body"),
        FieldPanel("registration_number"),
        FieldPanel("photo"),
    ]
    panels = [*profile_panels, FieldPanel("user", read_only=True)]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("medical_reviewer", args=[self.pk])

    @property
    def registration(self):
        """Their professional registration as patients read it, for example 'General Medical Council
        number 1234567'."""
        if self.registration_body and self.registration_number:
            return f"{self.registration_body} number {self.registration_number}"
        return self.registration_body or self.registration_number

    def missing_for_review(self):
        """The names of what the profile still lacks for an approval to record a review."""
        return [
            label for field, label in self.REQUIRED_FOR_REVIEW.items() if not getattr(self, field).strip()
        ]

    @classmethod
    def for_user(cls, user):
        """The account's profile, created from the account's name if it has none yet."""
        profile, _ = cls.objects.get_or_create(
            user=user, defaults={"name": user.get_full_name() or user.get_username()}
        )
        return profile

    def reviewed_pages(self):
        """Live, public pages this clinician has reviewed, in the site's order."""
        return (
            Page.objects.live()
            .public()
            .filter(medical_reviews__reviewer=self)
            .distinct()
            .order_by("path")
            .specific()
        )

    @cached_property
    def team_entry_url(self):
        """Where the "Our team" page presents this clinician, if it does."""
        entry = (
            self.team_entries.filter(page__in=TeamPage.objects.live().public()).select_related("page").first()
        )
        return f"{entry.page.url}#{entry.anchor}" if entry else None

    def cache_dependents(self):
        """The pages that name this reviewer (purged from the cache in front when the profile changes)."""
        return self.reviewed_pages()


class MedicalReview(models.Model):
    """A medical reviewer's approval of one version of a page, recorded by the approval itself
    (MedicalReviewTask), never typed in by an editor."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="medical_reviews")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version of the page the reviewer approved.",
    )
    reviewer = models.ForeignKey(MedicalReviewer, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    next_review_due = models.DateField()
    task_state = models.OneToOneField(
        "wagtailcore.TaskState",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="medical_review",
        help_text="The approval that recorded this review.",
    )

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        get_latest_by = ["reviewed_on", "pk"]

    def __str__(self):
        return f"{self.page} reviewed by {self.reviewer} on {self.reviewed_on}"

    @property
    def is_overdue(self):
        return self.next_review_due < timezone.localdate()


class MedicalReviewTask(GroupApprovalTask):
    """The "Medical review" workflow's task: approving it publishes the change and records the
    review (who, when, until when, which version) on the page."""

    class Meta:
        verbose_name = "Medical review approval"
        verbose_name_plural = "Medical review approvals"

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve changes; each approval records a medical review."

    def get_actions(self, obj, user):
        # Wagtail's answer says who may act at all (administrators and the task's groups).
        if super().get_actions(obj, user):
            request_changes = ("reject", "Request changes", True)
            if self.approval_refused_because(obj, user):
                return [request_changes]  # four eyes: another reviewer approves
            # Approving always opens the dialog: it shows the wording to check and the next review date.
            return [request_changes, ("approve", "Approve", True)]
        return []

    def approval_refused_because(self, page, user):
        """Why `user` may not approve `page` now, or None: no one approves a version with changes of
        their own that no one else has reviewed (four eyes, issue #29).

        The version approving publishes is the page's latest revision, so their revisions count from
        just after the last version a medical review approved (from the first, if none) up to it;
        administrators included, since approving stands for a second reading."""
        if user is None or not user.is_authenticated:
            return None
        changes = page.revisions.filter(user=user)
        last_reviewed = (
            MedicalReview.objects.filter(page_id=page.pk, revision__isnull=False)
            .order_by("-revision_id")
            .values_list("revision_id", flat=True)
            .first()
        )
        if last_reviewed is not None:
            changes = changes.filter(pk__gt=last_reviewed)
        latest_of_theirs = changes.order_by("-pk").values_list("pk", flat=True).first()
        if latest_of_theirs is None:
            return None
        if latest_of_theirs == page.latest_revision_id:
            return "You made changes in this version, so another medical reviewer must approve it."
        return (
            "This version includes changes you made since the page's last medical review, "
            "so another medical reviewer must approve it."
        )

    @classmethod
    def reviewers_include(cls, user):
        """Whether `user` is in the groups of an active "Medical review" task: a medical reviewer."""
        return (
            user is not None
            and user.is_authenticated
            and cls.objects.filter(active=True, groups__in=user.groups.all()).exists()
        )

    def profile_incomplete_because(self, user):
        """What a medical reviewer must add to their profile before an approval of theirs can record
        a review, or None: the review names them to patients, who check them by these."""
        if not self.is_medical_reviewer(user):
            return None  # an administrator's approval records no review
        profile = MedicalReviewer.objects.filter(user=user).first()
        missing = (
            profile.missing_for_review() if profile else list(MedicalReviewer.REQUIRED_FOR_REVIEW.values())
        )
        if not missing:
            return None
        listed = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        return (
            f"Your reviewer profile has no {listed}. Complete your profile before approving: "
            "the page will name you as its medical reviewer, and patients check a reviewer by these."
        )

    def get_form_for_action(self, action):
        if action == "approve":
            from conditions.forms import MedicalApprovalForm

            return MedicalApprovalForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action == "approve":
            return "conditions/admin/approve_medical_review.html"
        return super().get_template_for_action(action)

    def is_medical_reviewer(self, user):
        """Only members of the task's groups review; an administrator approving publishes, and no more."""
        return user is not None and user.groups.filter(pk__in=self.groups.all()).exists()

    @transaction.atomic
    def on_action(self, task_state, user, action_name, next_review_due=None, **kwargs):
        if action_name == "approve":
            # However the approval was sent (get_actions no longer offers it): the page as it is now,
            # with any change the editor's "Approve and publish" has just saved.
            page = Page.objects.get(pk=task_state.workflow_state.object_id)
            if reason := self.approval_refused_because(page, user) or self.profile_incomplete_because(user):
                raise PermissionDenied(reason)
        super().on_action(task_state, user, action_name, **kwargs)
        # The approval recorded the review (record_medical_review); the dialog may set its next date.
        review = MedicalReview.objects.filter(task_state=task_state).first()
        if action_name == "approve" and review is not None and next_review_due:
            review.next_review_due = datetime.date.fromisoformat(str(next_review_due))
            review.save()

    def approval_summary(self, task_state):
        """What the approval recorded, for the reviewer's confirmation (core/workflow_actions.py)."""
        review = MedicalReview.objects.filter(task_state=task_state).first()
        if review is None:
            return ""
        return f"Your medical review is recorded; the next is due {review.next_review_due:%-d %B %Y}."

    def record_review(self, task_state, user):
        """Record the review an approval of this task stands for, however the approval happened."""
        if not self.is_medical_reviewer(user):
            return None
        if reason := self.profile_incomplete_because(user):
            # However the approval was made: it and what it published are undone with it.
            raise PermissionDenied(reason)
        reviewed_on = timezone.localdate()
        review = MedicalReview.objects.create(
            page_id=task_state.workflow_state.object_id,
            revision=task_state.revision,
            reviewer=MedicalReviewer.for_user(user),
            reviewed_on=reviewed_on,
            next_review_due=twelve_months_after(reviewed_on),
            task_state=task_state,
        )
        log(
            instance=review.page.specific,
            action="conditions.medical_review",
            user=user,
            revision=review.revision,
            data={"reviewer": review.reviewer.name, "next_review_due": review.next_review_due.isoformat()},
        )
        return review


@receiver(task_approved)
def record_medical_review(sender, instance, user, **kwargs):
    task = instance.task.specific
    if isinstance(task, MedicalReviewTask):
        task.record_review(instance, user)


def latest_review_of(field):
    """The page's latest medical review's `field`, as a subquery for annotating pages."""
    return models.Subquery(MedicalReview.objects.filter(page=models.OuterRef("pk")).values(field)[:1])


def articles_heading_for(title):
    """The related articles' heading a condition page starts with: it names what the reading is
    about, for every reader (no "click", which assumes a mouse)."""
    return f"Research and reading about {title}"


class ConditionPageQuerySet(SitePageQuerySet):
    def for_cards(self):
        """Live, public conditions in the editors' order, with only what a card shows loaded."""
        return self.live().public().defer_streamfields().select_related("hero_image").order_by("path")

    def with_review_status(self):
        """Each page's latest review: its date, next due date and the version it approved."""
        return self.annotate(
            last_reviewed=latest_review_of("reviewed_on"),
            next_review_due=latest_review_of("next_review_due"),
            reviewed_revision_id=latest_review_of("revision_id"),
            reviewer_name=latest_review_of("reviewer__name"),
        )

    def needing_review(self, within_days=30):
        """Pages never reviewed, changed since their review, overdue, or due within `within_days`."""
        due_by = timezone.localdate() + datetime.timedelta(days=within_days)
        return self.with_review_status().filter(
            models.Q(last_reviewed__isnull=True)
            | models.Q(next_review_due__lte=due_by)
            | ~models.Q(reviewed_revision_id=models.F("live_revision_id"))
            | models.Q(reviewed_revision_id__isnull=True)
        )


class ConditionPage(SitePage):
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
    body = StreamField(
        ConditionBodyBlock(),
        blank=True,
        help_text="The sections only the clinic can write, each once. The page shows them in the order "
        "patients weigh a treatment, between the sections built from data (treatment status, research, "
        "questions to ask, medical review), whatever their order here.",
    )
    articles_heading = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "Heads the list of related articles at the end of the page. "
            "Left empty, it becomes 'Research and reading about' and the page's title."
        ),
    )
    # "Trials you could join": what the daily evidence check asks ClinicalTrials.gov for this
    # condition (articles.recruiting_trials keeps the answer, which changes without a new revision).
    lists_recruiting_trials = models.BooleanField(
        "list trials recruiting now",
        default=True,
        help_text="Lists the trials ClinicalTrials.gov shows as recruiting for the two search terms below.",
    )
    trials_condition_term = models.CharField(
        "condition searched for",
        max_length=200,
        blank=True,
        help_text="As ClinicalTrials.gov's 'Condition/disease' search, e.g. 'Multiple Sclerosis'. "
        "Left empty, no trials are listed.",
    )
    trials_intervention_term = models.CharField(
        "treatment searched for",
        max_length=200,
        blank=True,
        help_text="As ClinicalTrials.gov's 'Intervention/treatment' search, e.g. 'stem cell OR mesenchymal'. "
        "Left empty, no trials are listed.",
    )
    objects = PageManager.from_queryset(ConditionPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body", heading="Sections"),
        MissingSectionsPanel(heading="Recommended sections still to write"),
        WordingPanel(heading="Wording to check"),
        ReadingAgePanel(heading="Reading age"),
        FieldPanel("articles_heading"),
        MultiFieldPanel(
            [
                FieldPanel("lists_recruiting_trials"),
                FieldPanel("trials_condition_term"),
                FieldPanel("trials_intervention_term"),
            ],
            heading="Trials you could join",
            help_text="Registry data, fetched daily from ClinicalTrials.gov with these terms: the list "
            "itself changes without publishing the page, and the medical reviewers are told what joins "
            "or leaves it.",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["conditions.ConditionIndexPage"]
    subpage_types = []

    description_field = "summary"
    listed_in_search = True

    def clean(self):
        super().clean()
        if not self.articles_heading.strip():
            self.articles_heading = articles_heading_for(self.title)

    @property
    def recruiting_trials_search(self):
        """(condition, intervention) to ask ClinicalTrials.gov for, or None: no list on this page."""
        condition = self.trials_condition_term.strip()
        intervention = self.trials_intervention_term.strip()
        if self.lists_recruiting_trials and condition and intervention:
            return condition, intervention
        return None

    @cached_property
    def latest_review(self):
        return self.medical_reviews.select_related("reviewer").first()

    @property
    def current_review(self):
        """The latest review, if the version patients read is the one it approved: only that
        version carries the claim of a review."""
        review = self.latest_review
        if (
            review is not None
            and review.revision_id is not None
            and review.revision_id == self.live_revision_id
        ):
            return review
        return None

    def cache_dependents(self):
        """The home page and the conditions index show this condition's card. (Articles naming it
        add themselves: articles.wagtail_hooks.)"""
        return list(self.get_ancestors().filter(depth__gte=2))

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
        review = self.current_review
        if review is not None:
            reviewer = review.reviewer
            data["lastReviewed"] = review.reviewed_on.isoformat()
            data["reviewedBy"] = {
                "@type": "Person",
                "name": reviewer.name,
                # On the page's own site, as the page's own address is.
                "url": self.get_url_parts(request)[1] + reviewer.get_absolute_url(),
            }
            # schema.org Person: the qualification as honorificSuffix (the letters after a name),
            # the role as jobTitle, the registration as hasCredential.
            if reviewer.credentials:
                data["reviewedBy"]["honorificSuffix"] = reviewer.credentials
            if reviewer.role:
                data["reviewedBy"]["jobTitle"] = reviewer.role
            if reviewer.registration_body and reviewer.registration_number:
                data["reviewedBy"]["hasCredential"] = {
                    "@type": "EducationalOccupationalCredential",
                    "credentialCategory": "Professional registration",
                    "recognizedBy": {"@type": "Organization", "name": reviewer.registration_body},
                    "identifier": reviewer.registration_number,
                }
        return data


class TeamPage(SitePage):
    """ "Our team": the clinicians behind the clinic, each with their credentials, role and
    registration, so that patients can check who treats them and who reviewed what they read."""

    introduction = models.TextField(blank=True, max_length=400)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        InlinePanel("members", heading="Clinicians", label="Clinician"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    description_field = "introduction"

    parent_page_types = ["clinic.HomePage"]
    subpage_types = []
    max_count = 1
    listed_in_search = True

    class Meta:
        verbose_name = "team page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The photos' renditions with them, in the size the template shows: one query for all.
        photos = get_image_model().objects.prefetch_renditions("fill-240x240")
        context["members"] = self.members.select_related("clinician").prefetch_related(
            models.Prefetch("clinician__photo", queryset=photos)
        )
        return context

    def cache_dependents(self):
        """The condition pages link their reviewer to this page when the reviewer is on the team."""
        return ConditionPage.objects.live()


class TeamMember(Orderable):
    """A clinician's place on the "Our team" page; who they are is their profile, kept once."""

    page = ParentalKey(TeamPage, on_delete=models.CASCADE, related_name="members")
    clinician = models.ForeignKey(
        MedicalReviewer,
        on_delete=models.CASCADE,
        related_name="team_entries",
        help_text="Their name, credentials, role, registration and photo come from their profile "
        "(Snippets › Medical reviewers), where a clinician who reviews no page may be added too.",
    )

    panels = [FieldPanel("clinician")]

    @property
    def anchor(self):
        return f"clinician-{self.clinician_id}"
