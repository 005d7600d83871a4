import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conditions.models import (
    ConditionPage,
    MedicalReview,
    MedicalReviewer,
    twelve_months_after,
)
from core.models import TreatmentStatus
from tests.admin_forms import condition_page_form
from tests.html import page_text, select, select_one, text
from tests.medical_reviews import approve, complete_profile


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "Clinical editors")


@pytest.fixture
def reviewer(make_staff):
    """A medical reviewer who has completed their reviewer profile."""
    user = make_staff("reviewer", "Medical reviewers")
    complete_profile(user)
    return user


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def public_text(client, page):
    client.logout()
    return client.get(page.url).content.decode()


def publishing_buttons(client, page):
    """The names of the editor's buttons that would put the page live or send it for review."""
    buttons = select(client.get(edit_url(page)), 'button[name^="action-"], input[name^="action-"]')
    return {button["name"] for button in buttons} & {"action-publish", "action-submit"}


def test_an_editor_cannot_publish_a_condition_page_directly(client, editor, ms_page, home):
    client.force_login(editor)
    # The home page, which speaks of the treatments too, goes through the same review.
    assert publishing_buttons(client, ms_page) == publishing_buttons(client, home) == {"action-submit"}

    client.post(
        edit_url(ms_page), condition_page_form(ms_page, paragraphs=["Sneaked in."], action="action-publish")
    )
    assert "Sneaked in." not in public_text(client, ms_page)


def submit_change(client, editor, page, text):
    client.force_login(editor)
    response = client.post(
        edit_url(page), condition_page_form(page, paragraphs=[text], action="action-submit")
    )
    assert response.status_code == 302
    page.refresh_from_db()
    state = page.current_workflow_state
    assert state is not None and state.status == "in_progress"
    return state.current_task_state


def act_on_task(client, reviewer, page, task_state, action, comment=""):
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment} if comment else {})


def test_a_submitted_change_goes_live_only_when_a_reviewer_approves(client, editor, reviewer, ms_page):
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    assert "Reviewed wording." not in public_text(client, ms_page)

    act_on_task(client, reviewer, ms_page, task_state, "approve")
    assert "Reviewed wording." in public_text(client, ms_page)


def test_a_change_the_reviewer_rejects_stays_unpublished(client, editor, reviewer, ms_page):
    task_state = submit_change(client, editor, ms_page, "Overstated wording.")
    act_on_task(client, reviewer, ms_page, task_state, "reject", comment="Cite the trial, please.")

    task_state.refresh_from_db()
    assert task_state.status == "rejected" and task_state.comment == "Cite the trial, please."
    assert "Overstated wording." not in public_text(client, ms_page)
    assert "myelin sheath" in public_text(client, ms_page)


def test_no_page_claims_a_review_that_did_not_happen(client, db):
    html = client.get("/conditions/rheumatoid-arthritis/").content.decode()
    assert "This page has not yet been medically reviewed." in html
    assert "Page last reviewed" not in html


def test_an_editor_cannot_name_a_reviewer_or_a_review_date(client, editor, reviewer, ms_page):
    """Problem 1: the editor filled in "Reviewed by" and "Last reviewed" themselves."""
    placeholder = MedicalReviewer.objects.create(name="Medical Director", role="Medical Director")
    client.force_login(editor)
    assert "last_reviewed" not in client.get(edit_url(ms_page)).content.decode()
    forged = condition_page_form(
        ms_page,
        paragraphs=["Edited."],
        action="action-submit",
        reviewed_by=placeholder.pk,
        last_reviewed="2026-01-01",
        next_review_due="2030-01-01",
    )
    client.post(edit_url(ms_page), forged)
    ms_page.refresh_from_db()
    act_on_task(client, reviewer, ms_page, ms_page.current_workflow_task_state, "approve")

    html = public_text(client, ms_page)
    assert "Medically reviewed by" in html and "Medical Director" not in html
    assert "1 January 2026" not in html and "2030" not in html
    assert MedicalReview.objects.get().reviewer.user == reviewer


def test_approving_records_who_when_until_when_and_which_version(client, editor, reviewer, ms_page):
    """Problem 2: approving published the change but recorded no review."""
    complete_profile(reviewer, name="Amara Okafor")
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    act_on_task(client, reviewer, ms_page, task_state, "approve")

    ms_page.refresh_from_db()
    review = MedicalReview.objects.get(page=ms_page)
    today = timezone.localdate()
    assert (review.reviewer.name, review.reviewer.user) == ("Amara Okafor", reviewer)
    assert review.reviewed_on == today and review.next_review_due == twelve_months_after(today)
    assert review.revision == task_state.revision == ms_page.live_revision
    html = public_text(client, ms_page)
    assert "Reviewed wording." in html
    byline = select_one(client.get(ms_page.url), "p.review-byline")
    assert text(byline) == (
        "Medically reviewed by Amara Okafor, MB ChB, FRCP, Consultant neurologist "
        f"(General Medical Council number 7654321) on {today:%-d %B %Y}"
    )
    assert (byline.a["href"], text(byline.a)) == (f"/reviewers/{review.reviewer.pk}/", "Amara Okafor")
    assert f"{today:%-d %B %Y}" in html and f"{twelve_months_after(today):%-d %B %Y}" in html
    assert "not yet been medically reviewed" not in html
    assert ms_page not in ConditionPage.objects.needing_review()

    client.force_login(reviewer)
    history = client.get(reverse("wagtailadmin_pages:history", args=[ms_page.pk])).content.decode()
    assert (
        f"Medically reviewed by Amara Okafor; next review due {twelve_months_after(today):%-d %B %Y}"
        in history
    )


def test_the_workflow_api_records_the_same_review_as_the_admin(reviewer, ms_page):
    review = approve(ms_page, reviewer)
    assert review.reviewer == MedicalReviewer.objects.get(user=reviewer)
    assert review.reviewer.name == reviewer.username  # no full name: the username, for them to change
    assert review.revision == ms_page.live_revision
    assert review.reviewed_on == timezone.localdate()


def test_the_reviewer_chooses_the_next_review_date_in_the_approval_dialog(client, editor, reviewer, ms_page):
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    due = timezone.localdate() + datetime.timedelta(days=180)
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[ms_page.pk, "approve", task_state.pk])
    client.post(url, {"comment": "Fine.", "next_review_due": due.isoformat()})
    assert MedicalReview.objects.get().next_review_due == due


def test_an_impossible_next_review_date_is_refused_and_nothing_is_approved(client, editor, reviewer, ms_page):
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[ms_page.pk, "approve", task_state.pk])
    response = client.post(
        url,
        {"next_review_due": timezone.localdate().isoformat()},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert "The next review must be after today." in response.json()["html"]
    task_state.refresh_from_db()
    assert task_state.status == "in_progress" and not MedicalReview.objects.exists()


def test_the_approval_dialog_shows_the_wording_to_check_in_the_version_under_review(
    client, editor, reviewer, ms_page
):
    task_state = submit_change(client, editor, ms_page, "This treatment is guaranteed to cure MS.")
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[ms_page.pk, "approve", task_state.pk])
    html = client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"]
    assert "Wording to check before approving" in html
    assert "“This treatment is guaranteed to cure MS.”" in html
    assert html.count("guaranteed to cure") == 1
    assert 'name="next_review_due"' in html


def approval_dialog(client, reviewer, page, task_state):
    """The approve dialog as the dashboard's "Approve" button loads it."""
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return BeautifulSoup(
        client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"], "html.parser"
    )


def test_the_next_review_date_is_chosen_with_a_date_picker(client, editor, reviewer, ms_page):
    """It was a plain text box expecting YYYY-MM-DD: Wagtail's date widget needs a script the
    dashboard does not load."""
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    date = approval_dialog(client, reviewer, ms_page, task_state).select_one('input[name="next_review_due"]')
    today = timezone.localdate()
    assert date["type"] == "date"
    assert date["value"] == twelve_months_after(today).isoformat()
    # It offers only the dates the approval accepts: after today, within three years.
    assert date["min"] == (today + datetime.timedelta(days=1)).isoformat()
    assert date["max"] == (today + datetime.timedelta(days=3 * 365)).isoformat()


def act_from_the_dashboard(client, user, page, task_state, action, data=None):
    """The dashboard's "Approve" or "Request changes" dialog sent, then the page it leads back to."""
    client.force_login(user)
    dashboard = reverse("wagtailadmin_home")
    client.get(dashboard)  # where the reviewer is when they open the dialog
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    sent = client.post(f"{url}?next={dashboard}", data or {}, headers={"x-requested-with": "XMLHttpRequest"})
    assert sent.json()["step"] == "success" and sent.json()["redirect"] == dashboard
    return page_text(client.get(dashboard), ".messages")


def test_approving_from_the_dashboard_says_which_page_went_live_and_what_was_recorded(
    client, editor, reviewer, ms_page
):
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    due = timezone.localdate() + datetime.timedelta(days=180)
    said = act_from_the_dashboard(
        client, reviewer, ms_page, task_state, "approve", {"next_review_due": due.isoformat()}
    )
    assert said == (
        f"'Multiple Sclerosis (MS)' approved and published. Your medical review is recorded; "
        f"the next is due {due:%-d %B %Y}."
    )


def test_requesting_changes_from_the_dashboard_says_nothing_was_published(client, editor, reviewer, ms_page):
    task_state = submit_change(client, editor, ms_page, "Overstated wording.")
    said = act_from_the_dashboard(client, reviewer, ms_page, task_state, "reject", {"comment": "Cite it."})
    assert said == "'Multiple Sclerosis (MS)' sent back for changes: nothing was published."


def test_an_administrator_approving_publishes_but_records_no_review(client, editor, admin_user, ms_page):
    task_state = submit_change(client, editor, ms_page, "Approved by the site administrator.")
    act_on_task(client, admin_user, ms_page, task_state, "approve")
    html = public_text(client, ms_page)
    assert "Approved by the site administrator." in html
    assert "not yet been medically reviewed" in html and not MedicalReview.objects.exists()


def test_a_version_published_without_review_says_it_changed_since_the_review(client, reviewer, ms_page):
    review = approve(ms_page, reviewer)
    ms_page.summary = "Changed by an administrator, published directly."
    ms_page.save_revision().publish()

    client.logout()
    response = client.get(ms_page.url)
    assert f"This page has changed since its last medical review on {review.reviewed_on:%-d %B %Y}." in (
        page_text(response)
    )
    assert "Medically reviewed by" not in response.content.decode()
    assert ms_page in ConditionPage.objects.needing_review()


def test_a_reviewer_has_a_public_profile_once_they_have_reviewed_a_page(client, reviewer, ms_page):
    profile = complete_profile(
        reviewer, name="Dr Amara Okafor", credentials="MBBS, FRCP", role="Consultant Neurologist"
    )
    assert client.get(profile.get_absolute_url()).status_code == 404  # no review yet: no public claim
    approve(ms_page, reviewer)
    response = client.get(profile.get_absolute_url())
    assert page_text(response, "h1") == "Dr Amara Okafor, MBBS, FRCP"
    assert "Consultant Neurologist" in page_text(response, "main")
    assert "Registration: General Medical Council number 7654321" in page_text(response, "main")
    assert select(response, f'main a[href="{ms_page.url}"]')


def test_a_role_the_same_as_the_name_is_printed_once(client, reviewer, ms_page):
    complete_profile(reviewer, name="Medical Director", role="Medical Director")
    review = approve(ms_page, reviewer)
    byline = select_one(client.get(ms_page.url), "p.review-byline")
    assert text(byline) == (
        "Medically reviewed by Medical Director, MB ChB, FRCP (General Medical Council number 7654321) "
        f"on {review.reviewed_on:%-d %B %Y}"
    )


def test_review_due_report_lists_exactly_overdue_changed_and_never_reviewed_pages(
    client, admin_user, reviewer
):
    today = timezone.localdate()
    ms, ra, scleroderma = (
        ConditionPage.objects.get(slug=s)
        for s in ("multiple-sclerosis", "rheumatoid-arthritis", "scleroderma")
    )
    overdue = approve(ms, reviewer)
    MedicalReview.objects.filter(pk=overdue.pk).update(
        reviewed_on=today - datetime.timedelta(days=400), next_review_due=today - datetime.timedelta(days=35)
    )
    approve(ra, reviewer)  # current: due in a year
    # Scleroderma: never reviewed.

    client.force_login(admin_user)
    html = client.get(reverse("review_due")).content.decode()
    assert ms.title in html and "Overdue" in html
    assert scleroderma.title in html and "Never reviewed" in html
    assert ra.title not in html
    assert set(ConditionPage.objects.needing_review()) == {ms, scleroderma}

    ra.save_revision().publish()  # published without a review
    assert "Changed since its review" in client.get(reverse("review_due")).content.decode()


def test_the_review_due_report_shows_the_wording_to_check_on_pages_never_reviewed(client, admin_user):
    """The client's own text reaches a clinician's eyes first."""
    client.force_login(admin_user)
    html = client.get(reverse("review_due")).content.decode()
    assert "Wording to check first" in html
    assert "demyelination was improved after the transplantation" in html
    assert "potential to repair" in html


def test_dashboard_lists_each_page_due_for_review_until_a_reviewer_approves_it(
    client, admin_user, reviewer, ms_page
):
    def panel():
        return page_text(
            client.get(reverse("wagtailadmin_home")), 'section[aria-labelledby="review-due-panel-heading"]'
        )

    client.force_login(admin_user)
    conditions = ConditionPage.objects.live()
    for page in conditions:
        assert f"{page.title}: Never reviewed" in panel()
    approve(ms_page, reviewer)
    assert ms_page.title not in panel()
    assert f"Medical review due ({conditions.count() - 1})" in panel()


def test_saving_shows_no_wording_warning_any_more(client, editor, ms_page):
    """The checker lives in the Checks panel now; the save-time warning repeated itself on each save."""
    client.force_login(editor)
    response = client.post(
        edit_url(ms_page),
        condition_page_form(ms_page, paragraphs=["This miracle treatment is guaranteed to cure MS."]),
        follow=True,
    )
    assert "Check the wording" not in response.content.decode()
    ms_page.refresh_from_db()
    assert "miracle" in str(ms_page.get_latest_revision_as_object().body)


def test_the_treatment_status_notice_is_on_every_condition_page(client, db):
    for page in ConditionPage.objects.live():
        html = client.get(page.url).content.decode()
        assert "Treatment status" in html
        assert (
            "is experimental" in html
            and "No mesenchymal stem cell treatment is approved by regulators" in html
        )
        # The one approval there is, and what it is for.
        assert "remestemcel-L (December 2024), is for children with steroid-refractory acute" in html


def test_only_reviewers_and_administrators_may_change_the_treatment_status(client, make_staff, admin_user):
    status = TreatmentStatus.objects.get()
    url = reverse("wagtailsettings:edit", args=["core", "treatmentstatus", status.site_id])
    data = {
        "notice": '{"blocks":[{"key":"a","type":"unstyled","text":"Approved for everything!","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
    }
    client.force_login(make_staff("editor", "Clinical editors"))
    denied = client.get(url)
    assert denied.status_code == 302 and denied["Location"] == reverse("wagtailadmin_home")
    client.post(url, data)
    status.refresh_from_db()
    assert "Approved for everything!" not in status.notice

    client.force_login(make_staff("reviewer", "Medical reviewers"))
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"notice": data["notice"].replace("Approved for everything!", "Still experimental.")}
    )
    assert response.status_code == 302
    status.refresh_from_db()
    assert "Still experimental." in status.notice


# Four eyes (issue #29): a medical reviewer wrote "Stem cells cure MS completely" on the MS page,
# submitted it and approved it themselves; the page went live as medically reviewed by them.
OWN_VERSION = "You made changes in this version, so another medical reviewer must approve it."
OWN_CHANGES_INCLUDED = (
    "This version includes changes you made since the page's last medical review, "
    "so another medical reviewer must approve it."
)


def offered_actions(client, user, page):
    """The workflow actions `user` is offered on `page`: in the dashboard's "Awaiting your review"
    panel and in the edit view's action menu."""
    client.force_login(user)
    prefix = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "-", 0]).rsplit("-", 1)[0]
    dashboard = {
        button["data-workflow-action-url"].removeprefix(prefix).split("/")[0]
        for button in select(client.get(reverse("wagtailadmin_home")), "[data-workflow-action-url]")
        if button["data-workflow-action-url"].startswith(prefix)
    }
    editor = {
        button["data-workflow-action-name"]
        for button in select(client.get(edit_url(page)), "[data-workflow-action-name]")
    }
    return dashboard, editor


def forge_approval(client, reviewer, page, task_state):
    """The approve action POSTed as the approval dialog would, whether or not it was offered."""
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "Looks right to me."}, follow=True)


def forge_approval_in_the_editor(client, reviewer, page, paragraphs):
    """The edit view's "Approve and Publish" POSTed, whether or not the menu offered it."""
    client.force_login(reviewer)
    form = condition_page_form(page, paragraphs=paragraphs, action="action-workflow-action")
    form["workflow-action-name"] = "approve"
    return client.post(edit_url(page), form, follow=True)


def assert_nothing_approved(client, page, task_state, claim):
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"
    assert not MedicalReview.objects.filter(page=page).exists()
    assert claim not in public_text(client, page)


@pytest.fixture
def second_reviewer(make_staff):
    user = make_staff("second-reviewer", "Medical reviewers")
    user.first_name, user.last_name = "Bea", "Second"
    user.save()
    complete_profile(user)
    return user


def test_a_reviewer_cannot_approve_a_version_they_wrote(client, reviewer, ms_page):
    claim = "Stem cells cure MS completely."
    task_state = submit_change(client, reviewer, ms_page, claim)

    dashboard, editor = offered_actions(client, reviewer, ms_page)
    assert dashboard == editor == {"reject"}  # requesting changes stays theirs to do
    client.force_login(reviewer)
    assert OWN_VERSION in page_text(client.get(reverse("wagtailadmin_home")))
    assert OWN_VERSION in page_text(client.get(edit_url(ms_page)))

    response = forge_approval(client, reviewer, ms_page, task_state)
    assert OWN_VERSION in page_text(response)
    assert_nothing_approved(client, ms_page, task_state, claim)

    response = forge_approval_in_the_editor(client, reviewer, ms_page, [claim])
    assert OWN_VERSION in page_text(response)
    assert_nothing_approved(client, ms_page, task_state, claim)


def test_a_reviewer_cannot_approve_a_later_version_that_includes_their_changes(
    client, editor, reviewer, ms_page
):
    claim = "Stem cells cure MS completely."
    client.force_login(reviewer)
    client.post(edit_url(ms_page), condition_page_form(ms_page, paragraphs=[claim]))  # a draft
    ms_page.refresh_from_db()
    task_state = submit_change(client, editor, ms_page, claim)  # the editor builds on it and submits
    assert task_state.revision.user == editor

    assert offered_actions(client, reviewer, ms_page) == ({"reject"}, {"reject"})
    response = forge_approval(client, reviewer, ms_page, task_state)
    assert OWN_CHANGES_INCLUDED in page_text(response)
    assert_nothing_approved(client, ms_page, task_state, claim)

    act_on_task(client, reviewer, ms_page, task_state, "reject", comment="Another reviewer, please.")
    task_state.refresh_from_db()
    assert task_state.status == "rejected"


def test_a_second_reviewer_approves_and_the_page_names_them(client, reviewer, second_reviewer, ms_page):
    task_state = submit_change(client, reviewer, ms_page, "Wording the second reviewer checked.")
    assert offered_actions(client, reviewer, ms_page) == ({"reject"}, {"reject"})
    assert offered_actions(client, second_reviewer, ms_page) == ({"reject", "approve"}, {"reject", "approve"})

    act_on_task(client, second_reviewer, ms_page, task_state, "approve")
    ms_page.refresh_from_db()
    assert MedicalReview.objects.get(page=ms_page).reviewer.user == second_reviewer
    client.logout()
    byline = select_one(client.get(ms_page.url), "p.review-byline")
    assert text(byline).startswith("Medically reviewed by Bea Second, MB ChB, FRCP, ")
    assert "Wording the second reviewer checked." in public_text(client, ms_page)

    # Reviewed by another, the first reviewer's change no longer stops them approving the next one.
    task_state = submit_change(client, second_reviewer, ms_page, "The second reviewer's own change.")
    assert offered_actions(client, reviewer, ms_page) == ({"reject", "approve"}, {"reject", "approve"})


def test_a_reviewer_changing_the_page_as_they_approve_it_is_refused(client, editor, reviewer, ms_page):
    """The edit view's "Approve and Publish" saves the reviewer's changes first: they would go live
    read by no one else."""
    task_state = submit_change(client, editor, ms_page, "The editor's wording.")
    claim = "Stem cells cure MS completely."
    response = forge_approval_in_the_editor(client, reviewer, ms_page, ["The editor's wording.", claim])
    assert OWN_VERSION in page_text(response)  # their change kept as a draft, for another to approve
    assert_nothing_approved(client, ms_page, task_state, claim)


def test_an_administrator_cannot_approve_their_own_change_either(client, admin_user, ms_page):
    task_state = submit_change(client, admin_user, ms_page, "Written by the administrator.")
    assert offered_actions(client, admin_user, ms_page) == ({"reject"}, {"reject"})
    forge_approval(client, admin_user, ms_page, task_state)
    assert_nothing_approved(client, ms_page, task_state, "Written by the administrator.")


# Reviewers the public can check (issue #29): the review line named a reviewer and nothing else, the
# profile was made from the account's name, and nothing asked the reviewer to complete it.
NOTHING_GIVEN = (
    "Your reviewer profile has no qualification, role, registration body and registration number. "
    "Complete your profile before approving: the page will name you as its medical reviewer, "
    "and patients check a reviewer by these."
)


@pytest.fixture
def new_reviewer(make_staff):
    """A medical reviewer who has not filled in their reviewer profile."""
    user = make_staff("new-reviewer", "Medical reviewers")
    user.first_name, user.last_name = "Amara", "Okafor"
    user.save()
    return user


def test_the_approve_dialog_tells_a_reviewer_what_their_profile_lacks_and_where_to_add_it(
    client, editor, new_reviewer, ms_page
):
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    dialog = approval_dialog(client, new_reviewer, ms_page, task_state)
    assert NOTHING_GIVEN in text(dialog)
    link = dialog.find("a", string="Complete your reviewer profile")
    assert link["href"] == f"{reverse('own_reviewer_profile')}?next=%2Fadmin%2F"
    assert dialog.select_one('[name="next_review_due"]') is None  # nothing to approve with yet

    # Half done, it says what is still missing.
    complete_profile(new_reviewer, registration_body="", registration_number="")
    dialog = approval_dialog(client, new_reviewer, ms_page, task_state)
    assert "Your reviewer profile has no registration body and registration number." in text(dialog)


def test_an_approval_by_a_reviewer_with_an_incomplete_profile_is_refused_however_it_is_sent(
    client, editor, new_reviewer, ms_page
):
    claim = "Wording no one can check the reviewer of."
    task_state = submit_change(client, editor, ms_page, claim)
    complete_profile(new_reviewer, registration_number="")  # the number is still to come
    missing = "Your reviewer profile has no registration number."

    # The dashboard's dialog, sent all the same: it stays open with the reason.
    client.force_login(new_reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[ms_page.pk, "approve", task_state.pk])
    sent = client.post(url, {"comment": "Fine."}, headers={"x-requested-with": "XMLHttpRequest"})
    assert missing in text(BeautifulSoup(sent.json()["html"], "html.parser"))
    assert_nothing_approved(client, ms_page, task_state, claim)

    # The same, without the dialog's script.
    assert missing in page_text(forge_approval(client, new_reviewer, ms_page, task_state))
    assert_nothing_approved(client, ms_page, task_state, claim)

    # The edit view's "Approve and publish".
    response = forge_approval_in_the_editor(client, new_reviewer, ms_page, [claim])
    assert missing in page_text(response)
    assert select(response, f'a[href^="{reverse("own_reviewer_profile")}?next="]')
    assert_nothing_approved(client, ms_page, task_state, claim)

    # Wagtail's workflow API.
    with pytest.raises(PermissionDenied, match=missing):
        task_state.approve(user=new_reviewer)
    assert_nothing_approved(client, ms_page, task_state, claim)


def test_a_reviewer_completes_their_profile_and_the_page_then_shows_who_reviewed_it(
    client, editor, new_reviewer, ms_page
):
    task_state = submit_change(client, editor, ms_page, "Reviewed wording.")
    link = approval_dialog(client, new_reviewer, ms_page, task_state).find(
        "a", string="Complete your reviewer profile"
    )
    form = select_one(client.get(link["href"]), "form[method=post]")
    assert form.select_one('input[name="name"]')["value"] == "Amara Okafor"  # from their account
    profile = {
        "name": "Dr Amara Okafor",
        "credentials": "MB ChB, FRCP",
        "role": "Consultant neurologist",
        "registration_body": "General Medical Council",
        "registration_number": "",
    }
    # Each of them is asked for.
    refused = client.post(form["action"], profile)
    assert refused.status_code == 200 and "This field is required." in page_text(refused)
    assert MedicalReviewer.objects.get(user=new_reviewer).registration_number == ""

    saved = client.post(form["action"], {**profile, "registration_number": "7654321"}, follow=True)
    assert saved.redirect_chain[-1][0] == reverse("wagtailadmin_home")  # back to the approval
    assert "Your reviewer profile is saved." in page_text(saved, ".messages")

    act_on_task(client, new_reviewer, ms_page, task_state, "approve")
    review = MedicalReview.objects.get(page=ms_page)
    client.logout()
    page = client.get(ms_page.url)
    assert text(select_one(page, "p.review-byline")) == (
        "Medically reviewed by Dr Amara Okafor, MB ChB, FRCP, Consultant neurologist "
        f"(General Medical Council number 7654321) on {review.reviewed_on:%-d %B %Y}"
    )
    about = page_text(client.get(review.reviewer.get_absolute_url()), "main")
    assert about.startswith("Dr Amara Okafor, MB ChB, FRCP Consultant neurologist ")
    assert "Registration: General Medical Council number 7654321" in about


def admin_menu(client):
    """The admin's menu, as the page hands it to the script that draws it."""
    return select_one(client.get(reverse("wagtailadmin_home")), "#wagtail-sidebar-props").string


def test_a_reviewer_keeps_their_own_profile_and_cannot_change_another_s(
    client, editor, new_reviewer, second_reviewer
):
    others = MedicalReviewer.objects.get(user=second_reviewer)
    team_nurse = MedicalReviewer.objects.create(name="Ben Hale", role="Clinical nurse specialist")
    client.force_login(new_reviewer)
    assert "Your reviewer profile" in admin_menu(client)
    own = select_one(client.get(reverse("own_reviewer_profile")), 'input[name="name"]')
    assert own["value"] == "Amara Okafor"

    for profile in (others, team_nurse):
        url = reverse("wagtailsnippets_conditions_medicalreviewer:edit", args=[profile.pk])
        client.post(url, {"name": "Changed by another reviewer", "registration_number": "0000000"})
        profile.refresh_from_db()
        assert profile.name != "Changed by another reviewer" and profile.registration_number != "0000000"
        assert client.get(url, follow=True).redirect_chain  # sent away, not shown the form
    # They still see the others' profiles.
    listing = client.get(reverse("wagtailsnippets_conditions_medicalreviewer:list"))
    assert listing.status_code == 200 and "Bea Second" in page_text(listing)

    # An editor has no reviewer profile to keep.
    client.force_login(editor)
    assert "Your reviewer profile" not in admin_menu(client)
    assert client.get(reverse("own_reviewer_profile")).status_code != 200
