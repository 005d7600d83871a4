"""Looking up a citation in Crossref, PubMed and ClinicalTrials.gov, against stand-ins on this machine."""

import datetime
import threading
import time

import pytest

from articles.citations import LookupFailed, ServiceUnreachable, look_up_doi, look_up_pmid, look_up_trial
from articles.models import NoticeKind
from core.models import ClinicSettings
from tests.evidence_registries import retraction_notice_for, summary, trial, work

MESEMS_DOI = "10.1016/S1474-4422(21)00301-X"
MESEMS_TITLE = (
    "Safety, tolerability, and activity of mesenchymal stem cells versus placebo in multiple sclerosis "
    "(MESEMS): a phase 2, randomised, double-blind crossover trial"
)


def test_a_doi_gives_the_citation_with_the_first_author_et_al(registries, db):
    citation = look_up_doi(MESEMS_DOI)
    assert citation.fields == {
        "title": MESEMS_TITLE,
        "authors": "Antonio Uccelli et al.",
        "source": "The Lancet Neurology",
        "published_on": datetime.date(2021, 11, 1),
        "date_precision": "month",
    }
    assert citation.notices == []


def test_three_authors_or_fewer_are_all_named(registries, db):
    authors = [
        {"given": "Ann", "family": "Lee"},
        {"given": "Bo", "family": "Chan"},
        {"name": "The SCOT group"},
    ]
    registries.works["10.5555/three"] = work(
        "10.5555/three", author=authors, published={"date-parts": [[2018, 1, 4]]}
    )
    citation = look_up_doi("10.5555/three")
    assert citation.fields["authors"] == "Ann Lee, Bo Chan, The SCOT group"
    assert (citation.fields["published_on"], citation.fields["date_precision"]) == (
        datetime.date(2018, 1, 4),
        "day",
    )


def test_a_pubmed_id_gives_the_citation(registries, db):
    citation = look_up_pmid("34687634")
    assert citation.fields == {
        "title": MESEMS_TITLE,
        "authors": "Uccelli A et al.",
        "source": "The Lancet. Neurology",
        "published_on": datetime.date(2021, 11, 1),
        "date_precision": "month",
    }


def test_a_trial_id_gives_phase_enrolment_status_sponsor_and_dates(registries, db):
    citation = look_up_trial("NCT01854957")
    assert citation.fields == {
        "title": "Mesenchymal Stem Cells for Multiple Sclerosis",
        "trial_phase": "2",
        "trial_enrolment": 144,
        "trial_status": "completed",
        "trial_sponsor": "University of Genova",
        "trial_started_on": datetime.date(2012, 1, 1),
        "trial_completed_on": datetime.date(2019, 6, 30),
    }


def test_requests_name_the_clinic_for_crossrefs_polite_pool(registries, home):
    ClinicSettings.objects.update_or_create(
        site=home.get_site(), defaults={"email": "research@clinic.example"}
    )
    look_up_doi(MESEMS_DOI)
    assert {agent for _, _, agent in registries.requests} == {
        "ClinicEvidenceCheck/1.0 (mailto:research@clinic.example)"
    }


@pytest.mark.parametrize(
    "look_up, identifier, message",
    [
        (look_up_doi, "10.5555/nothing", "Crossref has no record of the DOI 10.5555/nothing: check it"),
        (look_up_pmid, "99999999", "PubMed has no record of the PubMed ID 99999999: check it"),
        (look_up_trial, "NCT99999999", "ClinicalTrials.gov has no trial NCT99999999: check the ID"),
    ],
)
def test_an_unknown_identifier_says_so(registries, db, look_up, identifier, message):
    registries.missing.add(identifier)
    with pytest.raises(LookupFailed, match=message) as failure:
        look_up(identifier)
    assert not isinstance(failure.value, ServiceUnreachable)


@pytest.mark.parametrize(
    "service, look_up, identifier, name",
    [
        ("crossref", look_up_doi, MESEMS_DOI, "Crossref"),
        ("eutils", look_up_pmid, "34687634", "PubMed"),
        ("ctgov", look_up_trial, "NCT01854957", "ClinicalTrials.gov"),
    ],
)
@pytest.mark.parametrize("misbehaviour", ["not json", "wrong shape"])
def test_a_malformed_answer_is_reported_not_raised(
    registries, db, service, look_up, identifier, name, misbehaviour
):
    registries.trouble[service] = [misbehaviour]
    with pytest.raises(LookupFailed, match=f"^{name}'s answer could not be read"):
        look_up(identifier)


def test_a_silent_service_is_tried_twice_then_reported(registries, db):
    registries.trouble["eutils"] = ["hang", "hang"]
    outcome = []

    def look_up():
        try:
            look_up_pmid("34687634")
        except LookupFailed as failure:
            outcome.append(failure)

    worker = threading.Thread(target=look_up)
    worker.start()
    worker.join(timeout=10)  # two tries of 0.5 s; the stand-in would wait 30 s
    assert not worker.is_alive(), "the look-up hung on a silent service"
    assert isinstance(outcome[0], ServiceUnreachable)
    assert str(outcome[0]) == "PubMed did not answer"
    assert len(registries.requests) == 2


def test_one_time_out_is_retried_and_the_answer_used(registries, db):
    registries.trouble["ctgov"] = ["hang"]
    assert look_up_trial("NCT01854957").fields["trial_status"] == "completed"


def test_a_busy_service_is_waited_for_as_it_asks_then_retried(registries, db):
    registries.trouble["crossref"] = [429]
    started = time.monotonic()
    assert look_up_doi(MESEMS_DOI).fields["title"] == MESEMS_TITLE
    assert time.monotonic() - started >= 1  # the stand-in's Retry-After: 1


def test_a_service_still_busy_after_the_retry_is_reported(registries, db):
    registries.trouble["ctgov"] = [503, 503]
    with pytest.raises(
        ServiceUnreachable, match=r"^ClinicalTrials.gov is not working at the moment \(it answered 503\)"
    ):
        look_up_trial("NCT01854957")


def test_no_network_is_reported_as_unreachable(no_network, db):
    with pytest.raises(ServiceUnreachable, match="^Crossref could not be reached"):
        look_up_doi(MESEMS_DOI)


def test_pubmed_gets_at_most_three_requests_a_second(registries, db, settings):
    settings.PUBMED_MIN_INTERVAL = 0.34  # as in production
    for _ in range(7):
        look_up_pmid("34687634")
    times = [when for when, service, _ in registries.requests if service == "eutils"]
    assert len(times) == 7
    for index in range(len(times) - 3):
        assert times[index + 3] - times[index] >= 0.95, "four PubMed requests within one second"


def test_crossref_notices_in_both_directions(registries, db):
    doi = "10.5555/retracted-example"
    registries.works[doi] = work(
        doi,
        **{
            "updated-by": [
                {
                    "updated": {"date-parts": [[2026, 1, 14]]},
                    "DOI": "10.5555/notice-of-retraction",
                    "type": "retraction",
                    "source": "retraction-watch",
                    "label": "Retraction",
                }
            ]
        },
    )
    registries.notices[doi] = [retraction_notice_for(doi)]
    citation = look_up_doi(doi)
    assert {(notice.kind, notice.url, notice.published_on) for notice in citation.notices} == {
        (NoticeKind.RETRACTION, "https://doi.org/10.5555/notice-of-retraction", datetime.date(2026, 1, 14)),
        (NoticeKind.CONCERN, "https://doi.org/10.5555/expression-of-concern", datetime.date(2025, 3, 2)),
    }
    assert citation.gravest_notice.kind == NoticeKind.RETRACTION


def test_pubmed_marks_a_retracted_publication(registries, db):
    registries.pubmed["11111111"] = summary(
        "11111111",
        {
            "pubtype": ["Journal Article", "Retracted Publication"],
            "references": [
                {
                    "refsource": "Retraction in: Example J. 2026",
                    "reftype": "Retraction in",
                    "pmid": "22222222",
                    "note": "",
                }
            ],
        },
    )
    notice = look_up_pmid("11111111").gravest_notice
    assert (notice.kind, notice.url) == (NoticeKind.RETRACTION, "https://pubmed.ncbi.nlm.nih.gov/22222222/")


def test_a_trial_of_two_phases_and_a_month_date(registries, db):
    study = trial("NCT00000001", status="SUSPENDED", startDateStruct={"date": "2020-03"})
    study["protocolSection"]["designModule"]["phases"] = ["PHASE1", "PHASE2"]
    registries.trials["NCT00000001"] = study
    fields = look_up_trial("NCT00000001").fields
    assert (fields["trial_phase"], fields["trial_status"], fields["trial_started_on"]) == (
        "1/2",
        "suspended",
        datetime.date(2020, 3, 1),
    )
