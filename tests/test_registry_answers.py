"""Registry records are read field by field: whatever shape an answer of Crossref, PubMed (esummary
JSON) or ClinicalTrials.gov (API v2) takes, reading it gives readable values or leaves them out,
and never raises."""

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.citations import Notice, crossref_citation, pubmed_citation, trial_citation
from articles.models import DatePrecision, NoticeKind, TrialPhase, TrialStatus
from tests.evidence_registries import recorded

# Values real records carry that do not fit: dates that do not exist, numbers as text.
ODD_VALUES = ["2021 Nov 31", "2021 Feb 29", "0000 Jan", "2019-13", "2019-02-30", "144 participants", ""]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(ODD_VALUES),
    lambda parts: st.lists(parts, max_size=3) | st.dictionaries(st.text(max_size=8), parts, max_size=3),
    max_leaves=8,
)


def mangled(value):
    """`value` with any of its parts, or itself, swapped for other JSON."""
    if isinstance(value, dict):
        kept = st.fixed_dictionaries({key: mangled(part) for key, part in value.items()})
    elif isinstance(value, list):
        kept = st.tuples(*(mangled(part) for part in value)).map(list)
    else:
        kept = st.just(value)
    return kept | JSON


def crossref_work():
    work = recorded("crossref_work.json")
    work["message"]["updated-by"] = recorded("crossref_updated_by.json")
    return work


def pubmed_summary():
    answer = recorded("pubmed_esummary.json")
    answer["result"]["34687634"].update(
        pubtype=["Journal Article", "Retracted Publication"],
        references=[{"refsource": "Example J. 2026", "reftype": "Retraction in", "pmid": "2", "note": ""}],
    )
    return answer


FIELD_VALUES = {
    "title": lambda value: isinstance(value, str),
    "authors": lambda value: isinstance(value, str),
    "source": lambda value: isinstance(value, str),
    "published_on": lambda value: isinstance(value, datetime.date),
    "date_precision": lambda value: value in DatePrecision.values,
    "trial_status": lambda value: value in TrialStatus.values,
    "trial_phase": lambda value: value in TrialPhase.values,
    "trial_enrolment": lambda value: type(value) is int and value >= 0,
    "trial_why_stopped": lambda value: isinstance(value, str) and len(value) <= 300,
    "trial_sponsor": lambda value: isinstance(value, str),
    "trial_started_on": lambda value: isinstance(value, datetime.date),
    "trial_completed_on": lambda value: isinstance(value, datetime.date),
}


def assert_readable(citation):
    for name, value in citation.fields.items():
        assert value not in ("", None) and FIELD_VALUES[name](value), (name, value)
    for notice in citation.notices:
        assert isinstance(notice, Notice) and notice.kind in NoticeKind
        # A notice PubMed names without its own ID still counts: it is shown without a link.
        assert notice.url == "" or notice.url.startswith("https://")
        assert notice.published_on is None or isinstance(notice.published_on, datetime.date)
    assert all(isinstance(message, str) for message in citation.unreadable)


# Hypothesis's usual 100 answers a test: each run draws new ones, and an answer that once failed is
# kept in its example database and tried first. 300 cost the suite about 30 s of its 2 cores.
RELAXED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(answer=mangled(crossref_work()), pointing=mangled(recorded("crossref_notices.json")))
def test_any_crossref_answer_reads_without_raising(answer, pointing):
    assert_readable(crossref_citation(answer, pointing, "10.1016/S1474-4422(21)00301-X"))


@RELAXED
@given(answer=mangled(pubmed_summary()))
def test_any_pubmed_answer_reads_without_raising(answer):
    assert_readable(pubmed_citation(answer, "34687634"))


def stopped_trial():
    study = recorded("clinicaltrials_study.json")
    study["protocolSection"]["statusModule"].update(overallStatus="TERMINATED", whyStopped="Funding ended")
    return study


@RELAXED
@given(answer=mangled(stopped_trial()))
def test_any_clinicaltrials_answer_reads_without_raising(answer):
    assert_readable(trial_citation(answer))


def test_a_date_that_does_not_exist_is_left_out_and_named_and_the_rest_kept():
    answer = pubmed_summary()
    answer["result"]["34687634"]["pubdate"] = "2021 Nov 31"
    citation = pubmed_citation(answer, "34687634")
    assert "published_on" not in citation.fields
    assert citation.fields["source"] == "The Lancet. Neurology"
    assert citation.gravest_notice.kind == NoticeKind.RETRACTION
    assert citation.unreadable == ["PubMed's publication date “2021 Nov 31” could not be read"]
