"""What the research registries say about an article: Crossref for DOIs, PubMed (NCBI E-utilities)
for PubMed IDs, ClinicalTrials.gov (API v2) for trials.

Each look-up returns a Citation: the article's fields as the service gives them, and the notices
(retraction, expression of concern, correction) published about the work. A record is read field by
field: a value that cannot be read (a date such as "2021 Nov 31", which real records carry) is left
out and named in the Citation's `unreadable`, and the rest is used. When nothing usable comes back,
LookupFailed says so with a message for the person at the keyboard; ServiceUnreachable, a kind of
it, says the service could not be reached at all, which the daily re-check must tell apart from
"the service has nothing on this".
"""

import datetime
import functools
import re
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.text import Truncator
from wagtail.models import Site

from articles.models import TRIAL_WHY_STOPPED_LENGTH, DatePrecision, NoticeKind, TrialPhase, TrialStatus
from core import outbound
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
    those the service gave and that could be read; `unreadable` says, for staff, what could not."""

    fields: dict
    notices: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)

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


class Throttle:
    """At most one request every `interval_setting` seconds, across the threads of this process."""

    def __init__(self, interval_setting):
        self.interval_setting = interval_setting
        self.lock = threading.Lock()
        self.next_request_at = 0.0

    def wait(self):
        with self.lock:
            time.sleep(max(0.0, self.next_request_at - time.monotonic()))
            self.next_request_at = time.monotonic() + getattr(settings, self.interval_setting)


class Service:
    """One registry: its name for messages, its base address's setting, its politeness rules."""

    # Answers that say "not now" rather than "no": worth the one retry.
    RETRY_STATUSES = {429, 500, 502, 503, 504}

    def __init__(self, name, url_setting, *, throttle=None):
        self.name = name
        self.url_setting = url_setting
        self.throttle = throttle

    def get_json(self, path, params=None):
        """The service's JSON answer for `path`, or None when it says it has no such record (404).

        One retry, after a pause, for time-outs, refused connections and busy answers; a
        Retry-After header is obeyed up to a minute."""
        url = getattr(settings, self.url_setting).rstrip("/") + path
        headers = {"User-Agent": user_agent(), "Accept": "application/json"}
        for attempt in (1, 2):
            if self.throttle:
                self.throttle.wait()
            try:
                response = outbound.get(
                    url, params=params, headers=headers, timeout=settings.EVIDENCE_SERVICE_TIMEOUT
                )
            except requests.Timeout:
                problem, pause = ServiceUnreachable(f"{self.name} did not answer"), None
            except outbound.TookTooLong as failure:
                problem, pause = ServiceUnreachable(f"{self.name} {failure}"), None
            except outbound.Refused as refusal:
                raise LookupFailed(f"{self.name} was not used: {refusal}") from None
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
            raise self.nothing_usable() from None

    def nothing_usable(self):
        return LookupFailed(f"{self.name}'s answer could not be read")


CROSSREF = Service("Crossref", "CROSSREF_API_URL")
PUBMED = Service("PubMed", "NCBI_EUTILS_URL", throttle=Throttle("PUBMED_MIN_INTERVAL"))
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


# What reading a value of the wrong shape raises (OverflowError for a year past 9999).
UNREADABLE = (LookupError, TypeError, ValueError, AttributeError, ArithmeticError)


def dig(value, *path):
    """The value at `path` (keys and list positions), None where the path ends early; TypeError
    where something other than an object or a list stands in the way."""
    for step in path:
        if value is None:
            return None
        if isinstance(step, int) and not isinstance(value, list):
            raise TypeError("not a list")
        if isinstance(step, str) and not isinstance(value, dict):
            raise TypeError("not an object")
        value = value.get(step) if isinstance(value, dict) else (value[step] if step < len(value) else None)
    return value


class Reading:
    """One registry record, read field by field: what cannot be read is left out and noted."""

    def __init__(self, service, record):
        self.service = service
        self.record = record
        self.unreadable = []

    def value(self, label, read, *path):
        """read(the value at `path`), or None, noted, when it cannot be read."""
        raw = None
        try:
            raw = dig(self.record, *path)
            return read(raw)
        except UNREADABLE:
            shown = f" “{raw}”" if isinstance(raw, str | int) and len(str(raw)) <= 40 else ""
            self.unreadable.append(f"{self.service.name}'s {label}{shown} could not be read")
            return None

    def items(self, label, *path):
        """The positions in the list at `path`: none when it is missing, or not a list (noted)."""
        return range(self.value(label, list_length, *path) or 0)


def list_length(value):
    if value is None:
        return 0
    if not isinstance(value, list):
        raise TypeError("not a list")
    return len(value)


def text(value):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("not text")
    return value.strip()


def first_text(values):
    """The first of a list of texts (Crossref's titles)."""
    if values is None:
        return ""
    if not isinstance(values, list):
        raise TypeError("not a list")
    return text(values[0]) if values else ""


def texts(values):
    if values is None:
        return []
    if not isinstance(values, list):
        raise TypeError("not a list")
    return [text(value) for value in values]


def short_author_list(names):
    """Up to three names in full; beyond three, the first author "et al." (Vancouver style)."""
    names = [name for name in names if name]
    if len(names) > 3:
        return f"{names[0]} et al."
    return ", ".join(names)


def whole_number(value):
    # JSON's true and false are numbers to Python.
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not a whole number")
    return value


def date_from_parts(parts):
    """(date, precision) from Crossref's [[year, month, day]] date-parts, month and day optional;
    (None, None) when there are none."""
    if not parts or not parts[0] or parts[0][0] is None:
        return None, None
    year, month, day = (list(parts[0]) + [None, None])[:3]
    year = whole_number(year)
    if day is not None:
        return datetime.date(year, whole_number(month), whole_number(day)), DatePrecision.DAY
    if month is not None:
        return datetime.date(year, whole_number(month), 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR


MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}
# PubMed's "2021", "2021 Nov", "2021 Nov 12", "2021 Oct-Dec", "2021 Spring".
PUBMED_DATE = re.compile(r"(?P<year>[0-9]{4})(?: (?P<month>[A-Z][a-z]{2})(?: (?P<day>[0-9]{1,2})\b)?)?")


def date_from_pubmed(value):
    """(date, precision) from PubMed's date; (None, None) when there is none. ValueError for a
    date that does not exist, such as "2021 Nov 31"."""
    match = PUBMED_DATE.match(text(value))
    if not match:
        if value:
            raise ValueError("not a PubMed date")
        return None, None
    year, month, day = int(match["year"]), MONTHS.get(match["month"]), match["day"]
    if month and day:
        return datetime.date(year, month, int(day)), DatePrecision.DAY
    if month:
        return datetime.date(year, month, 1), DatePrecision.MONTH
    return datetime.date(year, 1, 1), DatePrecision.YEAR


REGISTRY_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")


def date_from_registry(value):
    """ClinicalTrials.gov's "2019-06" or "2019-06-30" as a date (a month's first day), or None."""
    if value is None:
        return None
    if not REGISTRY_DATE.fullmatch(text(value)):
        raise ValueError("not a registry date")
    return datetime.date.fromisoformat(value if len(value) == 10 else f"{value}-01")


def publication_fields(title, authors, source, published):
    date, precision = published or (None, None)
    fields = {"title": title, "authors": short_author_list(authors or []), "source": source}
    if date:
        fields.update(published_on=date, date_precision=precision)
    return {name: value for name, value in fields.items() if value}


def look_up_doi(doi):
    """The work Crossref holds for `doi`, and the notices about it, from both directions: the work's
    own `updated-by` list, and notices whose `update-to` names it."""
    answer = CROSSREF.get_json(f"/works/{quote(doi, safe='')}")
    if answer is None:
        raise LookupFailed(f"Crossref has no record of the DOI {doi}: check it")
    pointing = CROSSREF.get_json("/works", params={"filter": f"updates:{doi}", "rows": 20})
    citation = crossref_citation(answer, pointing, doi)
    if "title" not in citation.fields:
        raise CROSSREF.nothing_usable()
    return citation


def crossref_citation(answer, pointing, doi):
    """The Citation in Crossref's work record `answer` and its list of notices `pointing` at `doi`."""
    reading = Reading(CROSSREF, answer)
    fields = publication_fields(
        reading.value("title", first_text, "message", "title"),
        reading.value("authors", crossref_authors, "message", "author"),
        reading.value("journal", first_text, "message", "container-title"),
        reading.value("publication date", published_parts, "message"),
    )
    notices = [
        reading.value("notice", crossref_notice, "message", "updated-by", position)
        for position in reading.items("notices", "message", "updated-by")
    ]
    listing = Reading(CROSSREF, pointing)
    for position in listing.items("notices", "message", "items"):
        item = ("message", "items", position)
        notice_doi = listing.value("notice", text, *item, "DOI")
        for update in listing.items("notices", *item, "update-to"):
            notices.append(
                listing.value(
                    "notice",
                    functools.partial(crossref_notice, notice_doi=notice_doi, about=doi),
                    *item,
                    "update-to",
                    update,
                )
            )
    return Citation(fields, [notice for notice in notices if notice], reading.unreadable + listing.unreadable)


def crossref_authors(people):
    return [
        " ".join(filter(None, (text(person.get("given")), text(person.get("family")))))
        or text(person.get("name"))
        for person in people or []
    ]


def published_parts(work):
    return date_from_parts(
        dig(work or {}, "published", "date-parts") or dig(work or {}, "issued", "date-parts")
    )


def crossref_notice(update, notice_doi=None, about=None):
    """The Notice an `updated-by` or `update-to` record gives, or None: not one patients need to
    know of (e.g. a new version), or an `update-to` about another work."""
    kind = CROSSREF_NOTICE_KINDS.get(text(update["type"]))
    if kind is None or (about is not None and text(update.get("DOI")).lower() != about.lower()):
        return None
    published_on, _ = date_from_parts(dig(update, "updated", "date-parts"))
    notice_doi = notice_doi or text(update["DOI"])
    if not notice_doi:
        raise ValueError("a notice without a DOI")
    return Notice(kind, f"https://doi.org/{notice_doi}", published_on)


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
        summary = dig(answer, "result", pmid)
    except TypeError:
        summary = None
    if isinstance(summary, dict) and "error" in summary:
        raise LookupFailed(f"PubMed has no record of the PubMed ID {pmid}: check it")
    citation = pubmed_citation(answer, pmid)
    if not (citation.fields or citation.notices):
        raise PUBMED.nothing_usable()
    return citation


def pubmed_citation(answer, pmid):
    """The Citation in PubMed's esummary JSON `answer` for `pmid`."""
    reading = Reading(PUBMED, answer)
    record = ("result", pmid)
    fields = publication_fields(
        reading.value("title", lambda value: text(value).rstrip("."), *record, "title"),
        reading.value("authors", pubmed_authors, *record, "authors"),
        reading.value("journal", pubmed_journal, *record),
        reading.value("publication date", date_from_pubmed, *record, "pubdate"),
    )
    notices = [
        reading.value("notice", pubmed_notice, *record, "references", position)
        for position in reading.items("notices", *record, "references")
    ]
    notices = [notice for notice in notices if notice]
    retracted = reading.value(
        "publication types", lambda types: "Retracted Publication" in texts(types), *record, "pubtype"
    )
    if retracted and not any(notice.kind == NoticeKind.RETRACTION for notice in notices):
        notices.append(Notice(NoticeKind.RETRACTION, pubmed_url(pmid)))
    return Citation(fields, notices, reading.unreadable)


def pubmed_journal(summary):
    return text(dig(summary, "fulljournalname")) or text(dig(summary, "source"))


def pubmed_authors(people):
    return [text(person["name"]) for person in people or [] if person.get("authtype") == "Author"]


def pubmed_notice(reference):
    kind = PUBMED_NOTICE_KINDS.get(text(reference.get("reftype")))
    if kind is None:
        return None
    return Notice(kind, pubmed_url(text(reference.get("pmid"))))


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
    """The trial's registration on ClinicalTrials.gov: title, phase, enrolment, status (and why it
    stopped), sponsor, dates."""
    answer = CLINICALTRIALS.get_json(f"/studies/{nct_id}")
    if answer is None:
        raise LookupFailed(f"ClinicalTrials.gov has no trial {nct_id}: check the ID")
    citation = trial_citation(answer)
    if not citation.fields:
        raise CLINICALTRIALS.nothing_usable()
    return citation


def trial_citation(answer):
    """The Citation in ClinicalTrials.gov's (API v2) study record `answer`."""
    reading = Reading(CLINICALTRIALS, answer)
    protocol = ("protocolSection",)
    fields = {
        "title": reading.value("title", text, *protocol, "identificationModule", "briefTitle"),
        "trial_status": reading.value("status", trial_status, *protocol, "statusModule", "overallStatus"),
        "trial_why_stopped": reading.value(
            "reason for stopping", why_stopped, *protocol, "statusModule", "whyStopped"
        ),
        "trial_phase": reading.value("phase", trial_phase, *protocol, "designModule", "phases"),
        "trial_enrolment": reading.value(
            "enrolment", enrolment, *protocol, "designModule", "enrollmentInfo", "count"
        ),
        "trial_sponsor": reading.value(
            "sponsor", text, *protocol, "sponsorCollaboratorsModule", "leadSponsor", "name"
        ),
        "trial_started_on": reading.value(
            "start date", date_from_registry, *protocol, "statusModule", "startDateStruct", "date"
        ),
        "trial_completed_on": reading.value(
            "completion date", date_from_registry, *protocol, "statusModule", "completionDateStruct", "date"
        ),
    }
    return Citation(
        {name: value for name, value in fields.items() if value not in ("", None)}, [], reading.unreadable
    )


def trial_status(value):
    if value is None:
        return None
    status = text(value).lower().replace("_", "-")
    return status if status in TrialStatus.values else TrialStatus.UNKNOWN


def why_stopped(value):
    """The registry's reason, cut to what the article keeps (the registry allows 250 characters)."""
    return Truncator(text(value)).chars(TRIAL_WHY_STOPPED_LENGTH)


def trial_phase(phases):
    return CLINICALTRIALS_PHASES.get(tuple(sorted(texts(phases))), "")


def enrolment(count):
    if count is None:
        return None
    if whole_number(count) < 0:
        raise ValueError("fewer than no participants")
    return count


LOOK_UPS = {"doi": look_up_doi, "pmid": look_up_pmid, "nct_id": look_up_trial}
LOOK_UP_SERVICES = {"doi": CROSSREF, "pmid": PUBMED, "nct_id": CLINICALTRIALS}
