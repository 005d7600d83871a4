"""Trials you could join (#30): each condition page lists the trials ClinicalTrials.gov shows as
recruiting for the page's search terms, found by the daily evidence check (`manage.py
refresh_evidence`) against a stand-in for the registry; the list is registry data, changed without
a new revision of the page; the medical reviewers are told what joins or leaves it."""

import datetime
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import dateformat, timezone

from conditions.models import ConditionPage
from tests.evidence_registries import closed_port_url, recruiting_study
from tests.html import page_text, select, select_one, text

MS, RA = "Multiple Sclerosis", "Rheumatoid Arthritis"
AUTOLOGOUS = recruiting_study(
    "NCT05000001",
    "Autologous Haematopoietic Stem Cell Transplantation in Relapsing MS",
    phases=("PHASE3",),
    sponsor="Karolinska Institutet",
    countries=("Sweden", "Norway", "Sweden"),
)
MESENCHYMAL = recruiting_study(
    "NCT05000002", "Mesenchymal Stromal Cells in Progressive MS", phases=("PHASE1", "PHASE2")
)
UMBILICAL = recruiting_study(
    "NCT05000003", "Umbilical Cord Cells in Progressive MS", phases=(), sponsor="", countries=()
)


def refresh():
    out = StringIO()
    call_command("refresh_evidence", stdout=out)
    return out.getvalue()


def today():
    return dateformat.format(timezone.localtime(), "j F Y")


def trials_on(client, page):
    """The trials a condition page lists: each one's title, its link and its facts."""
    return [
        (text(item.h3), item.h3.a["href"], text(item.select_one(".trial-item__facts")))
        for item in select(client.get(page.url), "#trials .trial-item")
    ]


def unreachable(settings, *url_settings):
    """The registries named by their address's setting refuse the connection, as when they are down."""
    url = closed_port_url()
    settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES = [
        *settings.OUTBOUND_ALLOWED_LOCAL_ADDRESSES,
        urlsplit(url).netloc,
    ]
    for name in url_settings:
        setattr(settings, name, url)


@pytest.fixture
def reviewer(make_staff):
    return make_staff("reviewer", "Medical reviewers")


@pytest.fixture
def ra_page(db):
    return ConditionPage.objects.get(slug="rheumatoid-arthritis")


def test_each_condition_page_lists_the_trials_recruiting_for_it(client, registries, ms_page, ra_page):
    registries.recruiting[MS] = [AUTOLOGOUS, MESENCHYMAL]
    registries.recruiting[RA] = [UMBILICAL]
    revisions = ms_page.revisions.count()

    refresh()

    assert trials_on(client, ms_page) == [
        (
            "Autologous Haematopoietic Stem Cell Transplantation in Relapsing MS (opens external site in a new tab)",
            "https://clinicaltrials.gov/study/NCT05000001",
            "Phase 3 · Sponsor: Karolinska Institutet · Where: Sweden, Norway · NCT05000001",
        ),
        (
            "Mesenchymal Stromal Cells in Progressive MS (opens external site in a new tab)",
            "https://clinicaltrials.gov/study/NCT05000002",
            "Phase 1/2 · Sponsor: University of Genova · Where: Italy · NCT05000002",
        ),
    ]
    assert trials_on(client, ra_page) == [
        (
            "Umbilical Cord Cells in Progressive MS (opens external site in a new tab)",
            "https://clinicaltrials.gov/study/NCT05000003",
            "Phase not given · Sponsor: not given · Places not given · NCT05000003",
        )
    ]
    response = client.get(ms_page.url)
    section = page_text(response, "#trials")
    assert section.startswith("Trials you could join A registered trial is not an approved treatment.")
    assert "FDA" in section and "ISSCR" in section
    assert (
        f"Trials recruiting as of {today()}, as ClinicalTrials.gov lists them for “Multiple Sclerosis” "
        "and “stem cell OR mesenchymal”." in section
    )
    assert "Trials you could join" in [text(link) for link in select(response, ".on-this-page a")]
    scleroderma = client.get(ConditionPage.objects.get(slug="scleroderma").url)
    assert (
        "ClinicalTrials.gov lists them for “Scleroderma OR Systemic Sclerosis” and “stem cell OR mesenchymal”: none."
        in (page_text(scleroderma, "#trials"))
    )
    # Registry data: the page gets no new revision, and needs no new medical review.
    assert ms_page.revisions.count() == revisions
    # ClinicalTrials.gov was asked, per page, only for recruiting trials, with the fields shown.
    [asked] = [query for query in registries.searches if query["query.cond"] == [MS]]
    assert asked["query.intr"] == ["stem cell OR mesenchymal"]
    assert asked["filter.overallStatus"] == ["RECRUITING"]
    assert set(asked["fields"][0].split(",")) == {
        "NCTId",
        "BriefTitle",
        "Phase",
        "LeadSponsorName",
        "LocationCountry",
    }


def test_before_the_first_answer_the_page_links_to_the_registrys_search(client, ms_page):
    section = select_one(client.get(ms_page.url), "#trials")
    assert "has not been fetched yet" in text(section)
    assert not section.select(".trial-item")
    [search] = [link for link in section.select("a") if "This search on ClinicalTrials.gov" in text(link)]
    assert search["href"] == (
        "https://clinicaltrials.gov/search?cond=Multiple+Sclerosis&intr=stem+cell+OR+mesenchymal&aggFilters=status%3Arec"
    )


def test_more_trials_than_listed_say_how_many_the_registry_has(client, registries, ms_page):
    registries.recruiting[MS] = [
        recruiting_study(f"NCT0600{number:04d}", f"Trial {number}") for number in range(23)
    ]
    refresh()
    assert len(trials_on(client, ms_page)) == 20
    assert "“stem cell OR mesenchymal”: 20 of the 23 it lists." in page_text(
        client.get(ms_page.url), "#trials"
    )


def test_a_study_that_cannot_all_be_read_is_reported_and_one_without_an_id_left_out(
    client, registries, ms_page
):
    odd_phase = recruiting_study("NCT05000004", "Cells With An Odd Phase")
    odd_phase["protocolSection"]["designModule"]["phases"] = "PHASE2"  # not a list
    no_id = recruiting_study("NCT05000005", "A Study Without Its ID")
    del no_id["protocolSection"]["identificationModule"]["nctId"]
    registries.recruiting[MS] = [odd_phase, no_id, AUTOLOGOUS]

    output = refresh()

    assert (
        "Left empty: Multiple Sclerosis (MS): NCT05000004: ClinicalTrials.gov's phase “PHASE2” could not be read"
        in output
    )
    assert (
        "Left empty: Multiple Sclerosis (MS): ClinicalTrials.gov listed a trial without its ID, so the trial "
        "was left out of the list" in output
    )
    assert [facts for _, _, facts in trials_on(client, ms_page)] == [
        "Phase not given · Sponsor: University of Genova · Where: Italy · NCT05000004",
        "Phase 3 · Sponsor: Karolinska Institutet · Where: Sweden, Norway · NCT05000001",
    ]


def test_with_the_registry_unreachable_the_last_list_stays_with_its_date(
    client, registries, settings, ms_page
):
    from articles.models import RecruitingTrials

    registries.recruiting[MS] = [AUTOLOGOUS]
    refresh()
    last_week = timezone.now() - datetime.timedelta(days=7)
    RecruitingTrials.objects.filter(condition=ms_page).update(searched_at=last_week)
    registries.recruiting[MS] = []

    unreachable(settings, "CLINICALTRIALS_API_URL")  # Crossref and PubMed still answer
    output = refresh()

    assert (
        "ClinicalTrials.gov could not be reached: its articles and the lists of recruiting trials were "
        "left as they were." in output
    )
    assert [title for title, _, _ in trials_on(client, ms_page)] == [
        "Autologous Haematopoietic Stem Cell Transplantation in Relapsing MS (opens external site in a new tab)"
    ]
    when = dateformat.format(timezone.localtime(last_week), "j F Y")
    assert f"Trials recruiting as of {when}," in page_text(client.get(ms_page.url), "#trials")


def test_with_no_registry_reachable_nothing_changes(client, registries, settings, ms_page):
    registries.recruiting[MS] = [AUTOLOGOUS]
    refresh()
    unreachable(settings, "CROSSREF_API_URL", "NCBI_EUTILS_URL", "CLINICALTRIALS_API_URL")
    with pytest.raises(CommandError, match="No registry could be reached"):
        refresh()
    assert len(trials_on(client, ms_page)) == 1


def test_switching_the_list_off_hides_it(client, registries, ms_page):
    registries.recruiting[MS] = [AUTOLOGOUS]
    refresh()
    ms_page.lists_recruiting_trials = False
    ms_page.save_revision().publish()
    registries.searches.clear()

    response = client.get(ms_page.url)

    assert not select(response, "#trials")
    assert "Trials you could join" not in [text(link) for link in select(response, ".on-this-page a")]
    assert "Autologous Haematopoietic" not in response.content.decode()
    refresh()
    assert [query["query.cond"] for query in registries.searches] == [
        ["Rheumatoid Arthritis"],
        ["Scleroderma OR Systemic Sclerosis"],
    ]


def test_the_medical_reviewers_are_told_which_trials_join_or_leave(registries, ms_page, reviewer):
    registries.recruiting[MS] = [AUTOLOGOUS, MESENCHYMAL]
    first = refresh()
    assert (
        "Trial joined: Multiple Sclerosis (MS): Mesenchymal Stromal Cells in Progressive MS (NCT05000002)"
        in first
    )
    assert "Evidence changed: trials recruiting on 1 condition page" in [
        message.subject for message in mail.outbox
    ]
    mail.outbox.clear()

    registries.recruiting[MS] = [MESENCHYMAL, UMBILICAL]
    output = refresh()

    assert (
        "Trial joined: Multiple Sclerosis (MS): Umbilical Cord Cells in Progressive MS (NCT05000003)"
        in output
    )
    assert (
        "Trial left: Multiple Sclerosis (MS): Autologous Haematopoietic Stem Cell Transplantation in Relapsing MS "
        "(NCT05000001)" in output
    )
    assert "Trial joined: Multiple Sclerosis (MS): Mesenchymal" not in output
    [message] = mail.outbox
    assert message.to == [reviewer.email]
    assert message.subject == "Evidence changed: trials recruiting on 1 condition page"
    assert (
        "- Multiple Sclerosis (MS): joined: Umbilical Cord Cells in Progressive MS (NCT05000003)"
        in message.body
    )
    assert (
        "- Multiple Sclerosis (MS): left: Autologous Haematopoietic Stem Cell Transplantation in Relapsing MS "
        "(NCT05000001)" in message.body
    )
    mail.outbox.clear()

    assert "0 with trials joining or leaving" in refresh()
    assert mail.outbox == []


def test_the_condition_page_is_purged_after_a_refresh(
    cdn, registries, ms_page, django_capture_on_commit_callbacks
):
    refresh()  # the articles' evidence as the stand-in gives it, which purges the pages listing them
    cdn.clear()
    registries.recruiting[MS] = [AUTOLOGOUS]
    with django_capture_on_commit_callbacks(execute=True):
        refresh()
    # Every page listing trials shows the date of its list; none else shows the list.
    assert set(cdn) == {
        "/conditions/multiple-sclerosis/",
        "/conditions/rheumatoid-arthritis/",
        "/conditions/scleroderma/",
    }


def test_editors_set_the_search_terms_in_their_own_panel(client, ms_page, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[ms_page.pk]))
    panel = text(select_one(edit, 'section[aria-labelledby$="trials_you_could_join-heading"]'))
    for label in ("List trials recruiting now", "Condition searched for", "Treatment searched for"):
        assert label in panel
