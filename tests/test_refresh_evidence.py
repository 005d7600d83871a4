"""The daily evidence check (`manage.py refresh_evidence`) against stand-in registries: what it
finds is what patients and the medical reviewers see, and without a network it changes nothing."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import ArticlePage, EvidenceChange
from tests.article_pages import add_article
from tests.evidence_registries import retraction_notice_for, summary, trial, work
from tests.html import page_text, select, select_one, text

RETRACTED_DOI = "10.5555/retracted-example"
TRIAL_ID = "NCT09999999"


@pytest.fixture
def publish_article(article_index, ms_page):
    """A live trial report about multiple sclerosis, "Study <name>", with the given identifiers and fields."""

    def publish(name, **fields):
        return add_article(article_index, [ms_page], title=f"Study {name}", kind="randomised-trial", **fields)

    return publish


@pytest.fixture
def reviewer(make_staff):
    return make_staff("reviewer", "Medical reviewers")


def refresh():
    out = StringIO()
    call_command("refresh_evidence", stdout=out)
    return out.getvalue()


def items_on(client, page):
    """The reading list's titles on a page, in order, each with its text."""
    return [
        (item.select_one(".article-item__title a").contents[0].strip(), text(item))
        for item in select(client.get(page.url), ".article-item")
    ]


def test_a_retraction_in_crossref_is_shown_to_patients_and_sorted_last(
    client, registries, publish_article, ms_page, reviewer
):
    article = publish_article("retracted", doi=RETRACTED_DOI, featured=True)
    trials = [title for title, _ in items_on(client, ms_page) if "Study" in title or "MESEMS" in title]
    assert trials[0] == "Study retracted"  # featured, first of the trials, and now cached
    registries.works[RETRACTED_DOI] = work(
        RETRACTED_DOI,
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

    output = refresh()

    assert "Changed: Study retracted: Retracted (14 January 2026)" in output
    items = items_on(client, ms_page)
    assert items[-1][0] == "Study retracted", "a retracted paper sorts last, featured or not"
    assert "Retracted in January 2026: do not rely on this study." in items[-1][1]
    notice = select_one(client.get(article.url), ".evidence-notice")
    assert "Retracted in January 2026: do not rely on this study." in text(notice)
    assert notice.a["href"] == "https://doi.org/10.5555/notice-of-retraction"


def test_the_articles_listing_filters_retracted_papers(client, admin_user, registries, publish_article):
    publish_article("retracted", doi=RETRACTED_DOI)
    registries.pubmed["11111111"] = summary("11111111", {"pubtype": ["Retracted Publication"]})
    ArticlePage.objects.filter(title="Study retracted").update(pmid="11111111")
    refresh()
    client.force_login(admin_user)
    listing = client.get(reverse("articles:index"), {"evidence_notice": "retraction"})
    assert [page.title for page in listing.context["object_list"]] == ["Study retracted"]


def test_an_expression_of_concern_pointing_at_the_paper_is_found(
    client, registries, publish_article, ms_page
):
    publish_article("doubted", doi=RETRACTED_DOI)
    registries.notices[RETRACTED_DOI] = [retraction_notice_for(RETRACTED_DOI)]
    assert "Changed: Study doubted: Expression of concern (2 March 2025)" in refresh()
    text = dict(items_on(client, ms_page))["Study doubted"]
    assert "Expression of concern in March 2025: the journal has doubts about this study." in text


def test_a_retraction_in_pubmed_is_found(client, registries, publish_article, ms_page):
    publish_article("pubmed-retracted", pmid="11111111")
    registries.pubmed["11111111"] = summary(
        "11111111", {"pubtype": ["Journal Article", "Retracted Publication"]}
    )
    assert "Changed: Study pubmed-retracted: Retracted" in refresh()
    assert (
        "Retracted: do not rely on this study." in dict(items_on(client, ms_page))["Study pubmed-retracted"]
    )


def test_a_suspended_trial_shows_its_status_and_alerts_the_reviewers(
    client, registries, publish_article, ms_page, reviewer
):
    article = publish_article(
        "trial", nct_id=TRIAL_ID, trial_phase="2", trial_status="recruiting", trial_enrolment=144
    )
    registries.trials[TRIAL_ID] = trial(TRIAL_ID, status="SUSPENDED")

    output = refresh()

    assert "Changed: Study trial: Trial status changed from recruiting to suspended" in output
    text = dict(items_on(client, ms_page))["Study trial"]
    assert "Phase 2 trial · suspended · 144 participants" in text
    assert "A registered trial is not an approved treatment." in text
    [message] = mail.outbox
    assert message.to == [reviewer.email]
    assert (
        f"Study trial: Trial status changed from recruiting to suspended. Listed on: {ms_page.title}."
        in message.body
    )
    # A draft started before the change does not bring the old status back when published.
    article.refresh_from_db()
    article.get_latest_revision_as_object().save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).trial_status == "suspended"


def test_a_completed_trial_shows_when_it_ended(client, registries, publish_article, ms_page):
    publish_article("done", nct_id=TRIAL_ID, trial_phase="2")
    registries.trials[TRIAL_ID] = trial(
        TRIAL_ID, completionDateStruct={"date": "2019-06-30", "type": "ACTUAL"}
    )
    refresh()
    assert (
        "Phase 2 trial · completed 2019 · 144 participants" in dict(items_on(client, ms_page))["Study done"]
    )


def test_the_reviewers_see_the_change_on_their_dashboard_and_report(
    client, registries, publish_article, reviewer, ms_page
):
    publish_article("trial", nct_id=TRIAL_ID, trial_status="recruiting")
    registries.trials[TRIAL_ID] = trial(TRIAL_ID, status="TERMINATED")
    refresh()
    client.force_login(reviewer)
    dashboard = client.get(reverse("wagtailadmin_home"))
    [change] = select(dashboard, 'section[aria-labelledby="evidence-changes-panel-heading"] li')
    assert text(change.a) == "Study trial"
    assert text(change).startswith("Study trial: Trial status changed from recruiting to terminated.")
    row = page_text(client.get(reverse("article_evidence_changes")), "tbody tr")
    assert (
        "Study trial" in row
        and "Trial status changed from recruiting to terminated" in row
        and ms_page.title in row
    )


def test_marketing_see_the_change_with_the_condition_pages_named_not_linked(
    client, registries, publish_article, make_staff, ms_page
):
    """Issue #29: Marketing were linked to the editor of condition pages they may not edit; the
    articles they look after stay links."""
    article = publish_article("trial", nct_id=TRIAL_ID, trial_status="recruiting")
    registries.trials[TRIAL_ID] = trial(TRIAL_ID, status="TERMINATED")
    refresh()
    client.force_login(make_staff("marketer", "Marketing"))
    [change] = select(
        client.get(reverse("wagtailadmin_home")),
        'section[aria-labelledby="evidence-changes-panel-heading"] li',
    )
    assert f"Review: {ms_page.title}" in text(change)
    assert [link["href"] for link in change.select("a")] == [
        reverse("wagtailadmin_pages:edit", args=[article.pk])
    ]


def test_an_unchanged_registry_changes_nothing_and_alerts_no_one(registries, publish_article, reviewer):
    publish_article("trial", nct_id=TRIAL_ID, trial_status="completed", trial_enrolment=144)
    refresh()  # records what the stand-in says of every article
    output = refresh()
    assert "0 changes for the medical reviewers" in output
    assert not EvidenceChange.objects.exists()
    assert mail.outbox == []


def test_with_no_network_it_says_so_and_changes_nothing(no_network, publish_article, reviewer):
    article = publish_article("trial", nct_id=TRIAL_ID, trial_status="recruiting")
    with pytest.raises(
        CommandError, match=r"No registry could be reached \(.*could not be reached.*\)\. Nothing was changed"
    ):
        refresh()
    article.refresh_from_db()
    assert (article.trial_status, article.evidence_checked_at) == ("recruiting", None)
    assert mail.outbox == []


def test_a_registry_that_does_not_answer_leaves_its_articles_alone(registries, publish_article):
    doubted = publish_article("doubted", doi=RETRACTED_DOI)
    stopped = publish_article("trial", nct_id=TRIAL_ID, trial_status="recruiting")
    registries.notices[RETRACTED_DOI] = [retraction_notice_for(RETRACTED_DOI)]
    registries.trials[TRIAL_ID] = trial(TRIAL_ID, status="SUSPENDED")
    registries.trouble["crossref"] = [503, 503]
    output = refresh()
    assert (
        "Crossref is not working at the moment (it answered 503): its articles were left as they were."
        in output
    )
    assert ArticlePage.objects.get(pk=doubted.pk).evidence_notice == ""
    assert ArticlePage.objects.get(pk=stopped.pk).trial_status == "suspended"


def test_a_record_that_cannot_all_be_read_is_reported_and_the_run_goes_on(registries, publish_article):
    publish_article("odd-date", pmid="22222222")
    retracted = publish_article("retracted", pmid="11111111")
    registries.pubmed["22222222"] = summary("22222222", {"pubdate": "2021 Nov 31"})
    registries.pubmed["11111111"] = summary("11111111", {"pubtype": ["Retracted Publication"]})

    output = refresh()

    assert "Left empty: Study odd-date: PubMed's publication date “2021 Nov 31” could not be read" in output
    assert "Changed: Study retracted: Retracted" in output
    assert ArticlePage.objects.get(pk=retracted.pk).evidence_notice == "retraction"


def test_a_trial_first_found_stopped_is_reported_with_the_registrys_reason(
    client, registries, publish_article, ms_page, reviewer
):
    article = publish_article("stopped", nct_id=TRIAL_ID)
    registries.trials[TRIAL_ID] = trial(
        TRIAL_ID,
        status="TERMINATED",
        whyStopped="The sponsor ended the funding.",
        completionDateStruct={"date": "2019-05-01", "type": "ACTUAL"},
    )

    output = refresh()

    reported = "Study stopped: Trial found terminated. Reason given: The sponsor ended the funding"
    assert f"Changed: {reported}" in output
    [message] = mail.outbox
    assert f"{reported}. Listed on: {ms_page.title}." in message.body
    client.force_login(reviewer)
    [change] = select(
        client.get(reverse("wagtailadmin_home")),
        'section[aria-labelledby="evidence-changes-panel-heading"] li',
    )
    assert text(change).startswith(f"{reported}.")
    client.logout()
    told = "Phase 2 trial · terminated 2019 · 144 participants. Why it was terminated, as ClinicalTrials.gov gives it: “The sponsor ended the funding.”"
    assert told in dict(items_on(client, ms_page))["Study stopped"]
    assert told in page_text(client.get(article.url), ".trial-status")


def test_a_suspended_trial_shows_why_and_no_expected_end(client, registries, publish_article, ms_page):
    article = publish_article("paused", nct_id=TRIAL_ID, trial_phase="2", trial_status="recruiting")
    registries.trials[TRIAL_ID] = trial(
        TRIAL_ID,
        status="SUSPENDED",
        whyStopped="Waiting for the regulator",
        completionDateStruct={"date": "2019-12", "type": "ESTIMATED"},
    )
    refresh()
    page = client.get(article.url)
    assert page_text(page, ".trial-status") == (
        "Phase 2 trial · suspended · 144 participants. "
        "Why it was suspended, as ClinicalTrials.gov gives it: “Waiting for the regulator”"
    )
    reference = page_text(page, ".reference")
    assert "expected to end" not in reference and "Dec 2019" not in reference

    # Resumed: the reason for stopping is gone with the stop.
    registries.trials[TRIAL_ID] = trial(TRIAL_ID, status="RECRUITING")
    assert "Trial status changed from suspended to recruiting" in refresh()
    assert (
        page_text(client.get(article.url), ".trial-status") == "Phase 2 trial · recruiting · 144 participants"
    )


def test_the_daily_check_fills_the_trials_phase(client, registries, publish_article, ms_page):
    publish_article("unphased", nct_id=TRIAL_ID, trial_status="completed")
    registries.trials[TRIAL_ID] = trial(TRIAL_ID)
    refresh()
    assert (
        "Phase 2 trial · completed 2019 · 144 participants"
        in dict(items_on(client, ms_page))["Study unphased"]
    )


def test_a_reason_the_registry_gives_later_for_a_stopped_trial_is_reported(
    client, registries, publish_article, ms_page, reviewer
):
    article = publish_article("paused", nct_id=TRIAL_ID, trial_status="suspended")
    registries.trials[TRIAL_ID] = trial(TRIAL_ID, status="SUSPENDED", whyStopped="Safety review")
    assert "Changed: Study paused: Trial still suspended. Reason given: Safety review" in refresh()
    assert "Safety review" in page_text(client.get(article.url), ".trial-status")
    assert "0 changes for the medical reviewers" in refresh()
