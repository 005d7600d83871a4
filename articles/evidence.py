"""Keeping the articles' evidence current: what the registries now say about each article, compared
with what patients are shown, recorded where it changed, and told to the medical reviewers.

Nothing is written until every article has been asked about, so that a run which reaches no
registry at all changes nothing."""

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import Truncator
from wagtail.admin.utils import get_admin_base_url

from articles import recruiting_trials
from articles.citations import (
    CLINICALTRIALS,
    CROSSREF,
    PUBMED,
    LookupFailed,
    ServiceUnreachable,
    gravest_notice,
    look_up_doi,
    look_up_pmid,
    look_up_trial,
)
from articles.models import (
    STOPPED_TRIAL_STATUSES,
    ArticlePage,
    EvidenceChange,
    NoticeKind,
    RecruitingTrials,
    TrialStatus,
)
from articles.signals import evidence_recorded, recruiting_trials_recorded

logger = logging.getLogger(__name__)

REVIEWERS_GROUP = "Medical reviewers"
# The trial fields a registration's later versions change; the sponsor is the editor's.
CHANGING_TRIAL_FIELDS = (
    "trial_phase",
    "trial_status",
    "trial_why_stopped",
    "trial_completed_on",
    "trial_enrolment",
)
# How much of the registry's reason a change's description quotes (the description holds 300).
QUOTED_REASON_LENGTH = 150
NOTICE_ORDER = list(NoticeKind)  # the most serious first


class NoRegistryReached(Exception):
    """Not one registry answered: most likely this machine has no network."""


@dataclass
class Findings:
    article: ArticlePage
    notices: list = field(default_factory=list)
    trial: dict | None = None
    answered_by: set = field(default_factory=set)  # the registries that answered about it
    complete: bool = True  # every registry this article names answered


@dataclass
class Outcome:
    changes: list = field(default_factory=list)  # EvidenceChange, unsaved until recorded
    recorded: int = 0  # articles whose findings were written
    shown_differently: list = field(default_factory=list)  # articles patients now see otherwise
    problems: list = field(default_factory=list)  # (article, message) for staff to look at
    # (article, message): a registry's value that could not be read, left out; the rest was used
    unreadable: list = field(default_factory=list)
    unreachable: dict = field(default_factory=dict)  # service name: what went wrong
    # recruiting_trials.TrialMoves of each condition page whose list of recruiting trials was renewed
    trial_lists: list = field(default_factory=list)

    @property
    def trial_moves(self):
        """The lists of recruiting trials that some trial joined or left."""
        return [moves for moves in self.trial_lists if moves]


def refresh_evidence(articles, conditions=()):
    """Ask the registries about each article, and ClinicalTrials.gov for the trials recruiting for
    each condition page, then record what changed. Raises NoRegistryReached, having changed nothing,
    when no registry answered at all."""
    outcome = Outcome()
    findings = [ask_registries(article, outcome) for article in articles]
    searches = [search_trials(condition, outcome) for condition in conditions]
    answered = any(found.answered_by for found in findings) or any(
        search.trials is not None for search in searches
    )
    if outcome.unreachable and not answered:
        raise NoRegistryReached("; ".join(outcome.unreachable.values()))
    checked_at = timezone.now()
    with transaction.atomic():
        for found in findings:
            if found.complete:
                record(found, checked_at, outcome)
        for search in searches:
            if search.trials is not None:
                outcome.trial_lists.append(recruiting_trials.record(search, checked_at))
    # Only once committed: a page cached in between would show the old evidence for a day.
    for article in outcome.shown_differently:
        evidence_recorded.send(sender=ArticlePage, article=article)
    for moves in outcome.trial_lists:
        # Even with the same trials: the page says the date the list was found.
        recruiting_trials_recorded.send(sender=RecruitingTrials, condition=moves.condition)
    if outcome.changes or outcome.trial_moves:
        tell_reviewers(outcome.changes, outcome.trial_moves)
    return outcome


def search_trials(condition, outcome):
    """The condition page's search for recruiting trials, answered unless ClinicalTrials.gov was not."""
    search = recruiting_trials.search_for(condition)
    if CLINICALTRIALS.name in outcome.unreachable:
        return search  # the last list stays
    try:
        recruiting_trials.ask_registry(search)
    except ServiceUnreachable as failure:
        outcome.unreachable[CLINICALTRIALS.name] = str(failure)
    except LookupFailed as failure:
        outcome.problems.append((condition, f"its recruiting trials: {failure}"))
    outcome.unreadable += [(condition, message) for message in search.unreadable]
    return search


def ask_registries(article, outcome):
    found = Findings(article)
    questions = [
        (CROSSREF, look_up_doi, article.doi),
        (PUBMED, look_up_pmid, article.pmid),
        (CLINICALTRIALS, look_up_trial, article.nct_id),
    ]
    for service, look_up, identifier in questions:
        if not identifier:
            continue
        if service.name in outcome.unreachable:
            # Once a registry has not answered, the rest of this run does not wait for it again.
            found.complete = False
            continue
        try:
            citation = look_up(identifier)
        except ServiceUnreachable as failure:
            outcome.unreachable[service.name] = str(failure)
            found.complete = False
            continue
        except LookupFailed as failure:
            outcome.problems.append((article, str(failure)))
            found.complete = False
            continue
        found.answered_by.add(service.name)
        outcome.unreadable += [(article, message) for message in citation.unreadable]
        found.notices += citation.notices
        if look_up is look_up_trial:
            found.trial = trial_findings(citation.fields)
    return found


def trial_findings(fields):
    """The trial fields to record from the registry's: None where it gave nothing readable."""
    trial = {name: fields.get(name) for name in CHANGING_TRIAL_FIELDS}
    status = trial["trial_status"]
    if status is not None and status not in STOPPED_TRIAL_STATUSES:
        # A trial going again has no reason for stopping, though its record may still carry one.
        trial["trial_why_stopped"] = ""
    return trial


def record(found, checked_at, outcome):
    """Write one article's findings; what patients would notice becomes an EvidenceChange."""
    article = found.article
    notice_changes, notice_shown = record_notice(article, gravest_notice(found.notices))
    trial_changes, trial_shown = record_trial(article, found.trial)
    changes = notice_changes + trial_changes
    if notice_shown or trial_shown:
        outcome.shown_differently.append(article)
    ArticlePage.objects.filter(pk=article.pk).update(evidence_checked_at=checked_at)
    EvidenceChange.objects.bulk_create(changes)
    outcome.changes += changes
    outcome.recorded += 1


def record_notice(article, notice):
    """(EvidenceChanges, whether patients see the article differently)."""
    # Notices only ever escalate: a registry that forgets one does not make a paper sound again.
    if notice is None or (
        article.evidence_notice
        and NOTICE_ORDER.index(notice.kind) >= NOTICE_ORDER.index(article.evidence_notice)
    ):
        return [], False
    ArticlePage.objects.filter(pk=article.pk).update(
        evidence_notice=notice.kind, evidence_notice_on=notice.published_on, evidence_notice_url=notice.url
    )
    when = f" ({dateformat.format(notice.published_on, 'j F Y')})" if notice.published_on else ""
    return [
        EvidenceChange(article=article, description=f"{notice.kind.label}{when}", notice_url=notice.url)
    ], True


def record_trial(article, trial):
    """(EvidenceChanges, whether patients see the article differently)."""
    changed = {
        name: value
        for name, value in (trial or {}).items()
        if value is not None and value != getattr(article, name)
    }
    if not changed:
        return [], False
    before = article.trial_status
    article.record_trial_registration(changed)
    description = trial_change(before, article, changed)
    if description is None:
        return [], True
    return [
        EvidenceChange(article=article, description=description, notice_url=article.clinical_trial_url)
    ], True


def trial_change(before, article, changed):
    """What the reviewers are told of the trial's recorded change, or None: nothing for them to
    judge (a first status of a trial going on, or only its phase, dates and numbers)."""
    status = TrialStatus(article.trial_status).label if article.trial_status else ""
    if "trial_status" in changed and before:
        description = f"Trial status changed from {TrialStatus(before).label} to {status}"
    elif "trial_status" in changed and article.trial_has_stopped:
        # A trial already stopped when first seen is as much news as one stopping later.
        description = f"Trial found {status}"
    elif "trial_why_stopped" in changed and article.trial_stopped_because:
        # Still stopped, and the registry now gives a reason, or another one.
        description = f"Trial still {status}"
    else:
        return None
    if article.trial_stopped_because:
        reason = Truncator(article.trial_stopped_because.rstrip(".")).chars(QUOTED_REASON_LENGTH)
        description += f". Reason given: {reason}"
    return description


def tell_reviewers(changes, trial_moves=()):
    """One e-mail to the medical reviewers listing each change and the condition pages it affects,
    and the trials that joined or left each condition page's list of recruiting trials."""
    reviewers = (
        get_user_model().objects.filter(groups__name=REVIEWERS_GROUP, is_active=True).exclude(email="")
    )
    addresses = sorted(set(reviewers.values_list("email", flat=True)))
    if not addresses:
        return
    base = get_admin_base_url()
    parts, subject = [], []
    if changes:
        lines = []
        for change in changes:
            conditions = ", ".join(
                condition.title for condition in change.article.conditions.order_by("path")
            )
            lines.append(
                f"- {change.article.title}: {change.description}. "
                f"Listed on: {conditions or 'no condition page'}."
            )
        parts.append(
            "The daily evidence check found changes to articles listed on condition pages. Please look at "
            "the condition pages that cite them.\n\n"
            + "\n".join(lines)
            + f"\n\nAll changes: {base}{reverse('article_evidence_changes')}\n"
        )
        subject.append(f"{len(changes)} article{'s' if len(changes) != 1 else ''}")
    if trial_moves:
        parts.append(
            "ClinicalTrials.gov now lists other trials as recruiting for these condition pages, "
            "which show them under 'Trials you could join':\n\n"
            + "\n".join(trial_moves_lines(trial_moves))
            + "\n"
        )
        subject.append(
            f"trials recruiting on {len(trial_moves)} condition page{'s' if len(trial_moves) != 1 else ''}"
        )
    try:
        send_mail(f"Evidence changed: {', '.join(subject)}", "\n".join(parts), None, addresses)
    except OSError:
        # The changes are recorded and listed in the admin; the mail server being down loses nothing.
        logger.exception(
            "Could not e-mail the medical reviewers about %s evidence changes and %s lists of trials",
            len(changes),
            len(trial_moves),
        )


def trial_moves_lines(trial_moves):
    """Each trial that joined or left a condition page's list, a line each, for the reviewers."""
    lines = []
    for moves in trial_moves:
        lines += [
            f"- {moves.condition.title}: joined: {recruiting_trials.described(trial)}"
            for trial in moves.joined
        ]
        lines += [
            f"- {moves.condition.title}: left: {recruiting_trials.described(trial)}" for trial in moves.left
        ]
    return lines
