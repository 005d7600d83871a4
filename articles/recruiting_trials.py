"""Trials you could join: the trials ClinicalTrials.gov lists as recruiting for each condition page's
search terms (ConditionPage.recruiting_trials_search), asked for by the daily evidence check
(articles.evidence), kept in RecruitingTrials, and what joined or left each list since the last
answer, for the medical reviewers.

The list is the registry's, not the clinic's: a registered trial is not an approved treatment, and
the page says so beside it (templates/articles/includes/recruiting_trials.html)."""

from dataclasses import dataclass, field

from articles.citations import CLINICALTRIALS, Reading, text, trial_phase
from articles.identifiers import NCT_ID
from articles.models import RecruitingTrials
from conditions.models import ConditionPage

# The most trials a list shows; the page links to the registry's search for the rest.
LISTED = 20
# Each study's fields the list shows, by ClinicalTrials.gov's (API v2) names for them.
FIELDS = ("NCTId", "BriefTitle", "Phase", "LeadSponsorName", "LocationCountry")
PROTOCOL = ("protocolSection",)


@dataclass
class Search:
    """One condition page's search: its terms and, once the registry answered, what it listed."""

    condition: ConditionPage
    condition_term: str
    intervention_term: str
    trials: list | None = None  # None until ClinicalTrials.gov answers
    total: int | None = None
    unreadable: list = field(default_factory=list)


@dataclass
class TrialMoves:
    """What changed in one condition page's list: the trials that joined it and those that left."""

    condition: ConditionPage
    joined: list
    left: list

    def __bool__(self):
        return bool(self.joined or self.left)


def conditions_listing_trials():
    """The live condition pages that list recruiting trials (the rule is the page's own,
    `ConditionPage.recruiting_trials_search`), in the editors' order."""
    pages = ConditionPage.objects.live().defer_streamfields().order_by("path")
    return [page for page in pages if page.recruiting_trials_search is not None]


def search_for(condition):
    condition_term, intervention_term = condition.recruiting_trials_search
    return Search(condition, condition_term, intervention_term)


def ask_registry(search):
    """Fill in `search` from ClinicalTrials.gov: the trials recruiting now, in the registry's order.
    Raises LookupFailed (ServiceUnreachable when there was no answer at all)."""
    answer = CLINICALTRIALS.get_json(
        "/studies",
        params={
            "query.cond": search.condition_term,
            "query.intr": search.intervention_term,
            "filter.overallStatus": "RECRUITING",
            "pageSize": LISTED,
            "countTotal": "true",
            "fields": ",".join(FIELDS),
            "format": "json",
        },
    )
    if not isinstance(answer, dict) or not isinstance(answer.get("studies"), list):
        raise CLINICALTRIALS.nothing_usable()
    trials = {}
    for study in answer["studies"]:
        trial = read_study(Reading(CLINICALTRIALS, study), search.unreadable)
        if trial is not None:
            trials.setdefault(trial["nct_id"], trial)
    search.trials = list(trials.values())
    total = answer.get("totalCount")
    search.total = total if isinstance(total, int) and not isinstance(total, bool) else None


def read_study(reading, unreadable):
    """One study of the answer as the list keeps it, or None without a trial ID to link to."""
    identification = (*PROTOCOL, "identificationModule")
    nct_id = reading.value("trial ID", text, *identification, "nctId")
    if not nct_id or not NCT_ID.fullmatch(nct_id):
        unreadable += reading.unreadable or [
            f"ClinicalTrials.gov's trial ID “{nct_id}” could not be read"
            if nct_id
            else "ClinicalTrials.gov listed a trial without its ID"
        ]
        unreadable[-1] += ", so the trial was left out of the list"
        return None
    locations = (*PROTOCOL, "contactsLocationsModule", "locations")
    countries = []
    for position in reading.items("locations", *locations):
        country = reading.value("country", text, *locations, position, "country")
        if country and country not in countries:
            countries.append(country)
    trial = {
        "nct_id": nct_id,
        "title": reading.value("title", text, *identification, "briefTitle") or nct_id,
        "phase": reading.value("phase", trial_phase, *PROTOCOL, "designModule", "phases") or "",
        "sponsor": reading.value(
            "sponsor", text, *PROTOCOL, "sponsorCollaboratorsModule", "leadSponsor", "name"
        )
        or "",
        "countries": countries,
    }
    unreadable += [f"{nct_id}: {message}" for message in reading.unreadable]
    return trial


def record(search, searched_at):
    """Keep the registry's answer as the page's list; the TrialMoves since the last answer."""
    previous = RecruitingTrials.objects.filter(condition=search.condition).first()
    before = {trial["nct_id"]: trial for trial in previous.trials} if previous else {}
    now = {trial["nct_id"]: trial for trial in search.trials}
    RecruitingTrials.objects.update_or_create(
        condition=search.condition,
        defaults={
            "searched_at": searched_at,
            "condition_term": search.condition_term,
            "intervention_term": search.intervention_term,
            "trials": search.trials,
            "total": search.total,
        },
    )
    return TrialMoves(
        search.condition,
        joined=[trial for nct_id, trial in now.items() if nct_id not in before],
        left=[trial for nct_id, trial in before.items() if nct_id not in now],
    )


def described(trial):
    """A trial as the reviewers' report names it."""
    return f"{trial['title']} ({trial['nct_id']})"
