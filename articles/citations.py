"""What the research registries say about an article: Crossref for DOIs, PubMed (NCBI E-utilities)
for PubMed IDs, ClinicalTrials.gov (API v2) for trials.

Each look-up returns a Citation: the article's fields as the service gives them, and the notices
(retraction, expression of concern, correction) published about the work. Anything that goes wrong
raises LookupFailed with a message for the person at the keyboard; ServiceUnreachable, a kind of
it, says the service could not be reached at all, which the daily re-check must tell apart from
"the service has nothing on this".
"""

import datetime
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import requests
from django.conf import settings
from pyrate_limiter import Duration, Limiter, Rate
from requests_ratelimiter import LimiterSession
from wagtail.models import Site

from articles.models import DatePrecision, NoticeKind, TrialPhase, TrialStatus
from core.models import ClinicSettings

# Crossref's update types (its `updated-by` and `update-to` records, Retraction Watch's included).
CROSSREF_NOTICE_KINDS = {
    "retraction": NoticeKind.RETRACTION,
    "withdrawal": NoticeKind.RETRACTION,
    "removal": NoticeKind.RETRACTION,
    "expression_of_concern": NoticeKind.CONCERN,
    "correction": NoticeKind.CORRECTION,
    "partial_retraction": NoticeKind.CORRECTION,
    "erratum": NoticeKind.CORRECTION,
    "corrigendum": NoticeKind.CORRECTION,
}
# PubMed's links from a paper to the notices about it (esummary's `references`).
PUBMED_NOTICE_KINDS = {
    "Retraction in": NoticeKind.RETRACTION,
    "Expression of concern in": NoticeKind.CONCERN,
    "Erratum in": NoticeKind.CORRECTION,
}


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    url: str
    published_on: datetime.date | None = None


@dataclass
class Citation:
    """What a service says about one work. `fields` holds ArticlePage field values by name, only
    those the service gave."""

    fields: dict
    notices: list = field(default_factory=list)

    @property
    def gravest_notice(self):
        return gravest_notice(self.notices)


def gravest_notice(notices):
    """The most serious notice (the latest of its kind), or None."""
    for kind in NoticeKind:  # declared from the most serious down
        of_kind = [notice for notice in notices if notice.kind == kind]
        if of_kind:
            return max(of_kind, key=lambda notice: notice.published_on or datetime.date.min)
    return None


class LookupFailed(Exception):
    """The look-up gave nothing usable; str() is the message for staff."""


class ServiceUnreachable(LookupFailed):
    """No answer at all: no network, a refused connection, or only time-outs and busy replies."""


class Service:
    """One registry: its name for messages, its base address's setting, its politeness rules."""

    # Answers that say "not now" rather than "no": worth the one retry.
    RETRY_STATUSES = {429, 500, 502, 503, 504}

    def __init__(self, name, url_setting, *, limiter=None):
        self.name = name
        self.url_setting = url_setting
        self.limiter = limiter
        self._local = threading.local()

    def session(self):
        # A session per thread (requests does not promise sessions are thread-safe); the rate
        # limiter is shared by all of them.
        if not hasattr(self._local, "session"):
            self._local.session = (
                LimiterSession(limiter=self.limiter, per_host=False) if self.limiter else requests.Session()
            )
        return self._local.session

    def get_json(self, path, params=None):
        """The service's JSON answer for `path`, or None when it says it has no such record (404).

        One retry, after a pause (urllib3's own back-off makes no pause before a first retry), for
        time-outs, refused connections and busy answers; a Retry-After header is obeyed up to a
        minute."""
        url = getattr(settings, self.url_setting).rstrip("/") + path
        headers = {"User-Agent": user_agent(), "Accept": "application/json"}
        for attempt in (1, 2):
            try:
                response = self.session().get(
                    url, params=params, headers=headers, timeout=settings.EVIDENCE_SERVICE_TIMEOUT
                )
            except requests.Timeout:
                problem, pause = ServiceUnreachable(f"{self.name} did not answer"), None
            except requests.ConnectionError:
                problem, pause = ServiceUnreachable(f"{self.name} could not be reached"), None
            else:
                if response.status_code == 404:
                    return None
                if response.status_code not in self.RETRY_STATUSES:
                    return self.read(response)
                problem = ServiceUnreachable(
                    f"{self.name} is busy (it answered {response.status_code}) and asked us to wait"
                    if response.status_code == 429
                    else f"{self.name} is not working at the moment (it answered {response.status_code})"
                )
                pause = retry_after(response)
            if attempt == 1:
                time.sleep(settings.EVIDENCE_SERVICE_RETRY_DELAY if pause is None else min(pause, 60))
        raise problem

    def read(self, response):
        if response.status_code != 200:
            raise LookupFailed(f"{self.name} refused the request (it answered {response.status_code})")
        try:
            return response.json()
        except ValueError:
            raise LookupFailed(f"{self.name}'s answer could not be read") from None


CROSSREF = Service("Crossref", "CROSSREF_API_URL")
# NCBI allows 3 requests a second without an API key: counted across the whole process.
PUBMED = Service("PubMed", "NCBI_EUTILS_URL", limiter=Limiter(Rate(3, Duration.SECOND)))
CLINICALTRIALS = Service("ClinicalTrials.gov", "CLINICALTRIALS_API_URL")


def contact_email():
    """The clinic's e-mail address, which Crossref and NCBI ask for so that they can write before blocking."""
    return ClinicSettings.email_for(
        Site.objects.filter(is_default_site=True).first(), settings.DEFAULT_FROM_EMAIL
    )


def user_agent():
    # Crossref's "polite pool" is for requests naming a contact address this way.
    return f"ClinicEvidenceCheck/1.0 (mailto:{contact_email()})"


def retry_after(response):
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def short_author_list(names):
    """Up to three names in full; beyond three, the first author "et al." (Vancouver style)."""
    names = [name for name in names if name]
    if len(names) > 3:
        return f"{names[0]} et al."
    return ", ".join(names)


def date_from_parts(parts):
    """(date, precision) from Crossref's [year, month, day] date-parts, any of them missing."""
    if not parts or not parts[0] or parts[0][0] is None:
        return None, None
    year, month, day = (list(parts[0]) + [None, None])[:3]
    if day:
        return datetime.date(year, month, day), DatePrecision.DAY
    if month:
        return datetime.date(year, month, 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR


MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}
# PubMed's "2021", "2021 Nov", "2021 Nov 12", "2021 Oct-Dec", "2021 Spring".
PUBMED_DATE = re.compile(r"(?P<year>\d{4})(?: (?P<month>[A-Z][a-z]{2})(?: (?P<day>\d{1,2})\b)?)?")


def date_from_pubmed(text):
    match = PUBMED_DATE.match(text or "")
    if not match:
        return None, None
    year, month, day = int(match["year"]), MONTHS.get(match["month"]), match["day"]
    if month and day:
        return datetime.date(year, month, int(day)), DatePrecision.DAY
    if month:
        return datetime.date(year, month, 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR


def date_from_registry(text):
    """ClinicalTrials.gov's "2019-06" or "2019-06-30" as a date (a month's first day)."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text if len(text) == 10 else f"{text[:7]}-01")
    except ValueError:
        return None


def publication_fields(title, authors, source, published):
    date, precision = published
    fields = {"title": title, "authors": short_author_list(authors), "source": source}
    if date:
        fields.update(published_on=date, date_precision=precision)
    return {name: value for name, value in fields.items() if value}


def look_up_doi(doi):
    """The work Crossref holds for `doi`, and the notices about it, from both directions: the work's
    own `updated-by` list, and notices whose `update-to` names it."""
    answer = CROSSREF.get_json(f"/works/{quote(doi, safe='')}")
    if answer is None:
        raise LookupFailed(f"Crossref has no record of the DOI {doi}: check it")
    try:
        work = answer["message"]
        authors = [
            " ".join(filter(None, (person.get("given"), person.get("family")))) or person.get("name", "")
            for person in work.get("author", [])
        ]
        published = date_from_parts((work.get("published") or work.get("issued") or {}).get("date-parts"))
        fields = publication_fields(
            first(work["title"]), authors, first(work.get("container-title")), published
        )
        notices = [crossref_notice(update["type"], update) for update in work.get("updated-by", [])]
        notices += [
            crossref_notice(update["type"], update, notice_doi=item["DOI"])
            for item in crossref_notices_pointing_at(doi)
            for update in item.get("update-to", [])
            if update.get("DOI", "").lower() == doi.lower()
        ]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise LookupFailed(f"Crossref's answer could not be read ({type(error).__name__})") from None
    return Citation(fields, [notice for notice in notices if notice])


def crossref_notices_pointing_at(doi):
    answer = CROSSREF.get_json("/works", params={"filter": f"updates:{doi}", "rows": 20})
    return (answer or {}).get("message", {}).get("items", [])


def crossref_notice(update_type, update, notice_doi=None):
    kind = CROSSREF_NOTICE_KINDS.get(update_type)
    if kind is None:  # e.g. a new version: nothing patients need to know
        return None
    published_on, _ = date_from_parts((update.get("updated") or {}).get("date-parts"))
    return Notice(kind, f"https://doi.org/{notice_doi or update['DOI']}", published_on)


def first(values):
    return values[0].strip() if values else ""


def look_up_pmid(pmid):
    """PubMed's summary of `pmid`: the citation, and whether PubMed lists it as retracted."""
    answer = PUBMED.get_json(
        "/esummary.fcgi",
        params={
            "db": "pubmed",
            "id": pmid,
            "retmode": "json",
            "tool": "clinic-evidence",
            "email": contact_email(),
        },
    )
    try:
        summary = answer["result"][pmid]
        if "error" in summary:
            raise LookupFailed(f"PubMed has no record of the PubMed ID {pmid}: check it")
        authors = [
            person["name"] for person in summary.get("authors", []) if person.get("authtype") == "Author"
        ]
        fields = publication_fields(
            summary.get("title", "").rstrip("."),
            authors,
            summary.get("fulljournalname") or summary.get("source", ""),
            date_from_pubmed(summary.get("pubdate")),
        )
        notices = [
            Notice(PUBMED_NOTICE_KINDS[reference["reftype"]], pubmed_url(reference.get("pmid")))
            for reference in summary.get("references", [])
            if reference.get("reftype") in PUBMED_NOTICE_KINDS
        ]
        if "Retracted Publication" in summary.get("pubtype", []) and not any(
            notice.kind == NoticeKind.RETRACTION for notice in notices
        ):
            notices.append(Notice(NoticeKind.RETRACTION, pubmed_url(pmid)))
    except (KeyError, TypeError, AttributeError) as error:
        raise LookupFailed(f"PubMed's answer could not be read ({type(error).__name__})") from None
    return Citation(fields, notices)


def pubmed_url(pmid):
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else ""


CLINICALTRIALS_PHASES = {
    ("EARLY_PHASE1",): TrialPhase.EARLY_PHASE_1,
    ("PHASE1",): TrialPhase.PHASE_1,
    ("PHASE1", "PHASE2"): TrialPhase.PHASE_1_2,
    ("PHASE2",): TrialPhase.PHASE_2,
    ("PHASE2", "PHASE3"): TrialPhase.PHASE_2_3,
    ("PHASE3",): TrialPhase.PHASE_3,
    ("PHASE4",): TrialPhase.PHASE_4,
    ("NA",): TrialPhase.NOT_APPLICABLE,
}


def look_up_trial(nct_id):
    """The trial's registration on ClinicalTrials.gov: title, phase, enrolment, status, sponsor, dates."""
    answer = CLINICALTRIALS.get_json(f"/studies/{nct_id}")
    if answer is None:
        raise LookupFailed(f"ClinicalTrials.gov has no trial {nct_id}: check the ID")
    try:
        protocol = answer["protocolSection"]
        status = protocol["statusModule"]
        design = protocol.get("designModule", {})
        overall_status = status["overallStatus"].lower().replace("_", "-")
        fields = {
            "title": protocol["identificationModule"]["briefTitle"],
            "trial_status": overall_status if overall_status in TrialStatus.values else TrialStatus.UNKNOWN,
            "trial_phase": CLINICALTRIALS_PHASES.get(tuple(sorted(design.get("phases", []))), ""),
            "trial_enrolment": design.get("enrollmentInfo", {}).get("count"),
            "trial_sponsor": protocol.get("sponsorCollaboratorsModule", {})
            .get("leadSponsor", {})
            .get("name", ""),
            "trial_started_on": date_from_registry(status.get("startDateStruct", {}).get("date")),
            "trial_completed_on": date_from_registry(status.get("completionDateStruct", {}).get("date")),
        }
    except (KeyError, TypeError, AttributeError) as error:
        raise LookupFailed(
            f"ClinicalTrials.gov's answer could not be read ({type(error).__name__})"
        ) from None
    return Citation({name: value for name, value in fields.items() if value not in ("", None)})


LOOK_UPS = {"doi": look_up_doi, "pmid": look_up_pmid, "nct_id": look_up_trial}
