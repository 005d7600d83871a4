import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from clinic.models import TreatmentStatus
from conditions.models import ConditionPage, MedicalReviewer
from tests.admin_forms import condition_page_form


@pytest.fixture
def ms_page(db):
    return ConditionPage.objects.get(slug="multiple-sclerosis")


@pytest.fixture
def editor(make_staff):
    return make_staff("editor", "Clinical editors")


@pytest.fixture
def reviewer(make_staff):
    return make_staff("reviewer", "Medical reviewers")


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def public_text(client, page):
    client.logout()
    return client.get(page.url).content.decode()


def test_conditions_and_home_are_behind_the_medical_review_workflow(ms_page, home):
    workflow = Workflow.objects.get(name="Medical review")
    assert ms_page.get_workflow() == workflow
    assert home.get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Medical reviewers"]


def test_an_editor_cannot_publish_a_condition_page_directly(client, editor, ms_page):
    client.force_login(editor)
    edit_form = client.get(edit_url(ms_page)).content.decode()
    assert 'name="action-publish"' not in edit_form
    assert 'name="action-submit"' in edit_form

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
    assert MedicalReviewer.objects.get().name == "Medical Director"
    assert not ConditionPage.objects.filter(last_reviewed__isnull=False).exists()
    html = client.get("/conditions/rheumatoid-arthritis/").content.decode()
    assert "This page has not yet been medically reviewed." in html
    assert "Page last reviewed" not in html


def record_review(page, last_reviewed, next_due=None, reviewer=None):
    reviewer = reviewer or MedicalReviewer.objects.create(
        name="Dr Amara Okafor", credentials="MBBS, FRCP", role="Consultant Rheumatologist"
    )
    page.reviewed_by = reviewer
    page.last_reviewed = last_reviewed
    page.next_review_due = next_due
    page.full_clean()
    page.save_revision().publish()
    return reviewer


def test_a_reviewed_page_names_its_reviewer_and_dates(client, ms_page):
    record_review(ms_page, datetime.date(2026, 3, 2))
    html = client.get(ms_page.url).content.decode()
    assert "Medically reviewed by Dr Amara Okafor, MBBS, FRCP" in html
    assert "Page last reviewed:" in html and "2 March 2026" in html
    # Next review defaults to twelve months later.
    assert "Next review due:" in html and "2 March 2027" in html
    assert "not yet been medically reviewed" not in html


@pytest.mark.parametrize(
    "last, next_due, field",
    [
        (timezone.localdate() + datetime.timedelta(days=1), None, "last_reviewed"),
        (datetime.date(2026, 1, 10), datetime.date(2026, 1, 1), "next_review_due"),
    ],
)
def test_impossible_review_dates_are_refused(ms_page, last, next_due, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        record_review(ms_page, last, next_due)
    assert field in error.value.message_dict


def test_review_due_report_lists_exactly_overdue_and_never_reviewed_pages(client, admin_user):
    today = timezone.localdate()
    ms, ra, scleroderma = (
        ConditionPage.objects.get(slug=s)
        for s in ("multiple-sclerosis", "rheumatoid-arthritis", "scleroderma")
    )
    reviewer = record_review(ms, today - datetime.timedelta(days=400), today - datetime.timedelta(days=35))
    record_review(ra, today - datetime.timedelta(days=10), reviewer=reviewer)  # current: due in a year
    # Scleroderma: never reviewed.

    client.force_login(admin_user)
    html = client.get(reverse("review_due")).content.decode()
    assert ms.title in html and "Overdue" in html
    assert scleroderma.title in html and "Never reviewed" in html
    assert ra.title not in html
    assert set(ConditionPage.objects.needing_review()) == {ms, scleroderma}


def test_dashboard_shows_pages_due_for_review(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Medical review due (3)" in html


def test_overclaiming_words_are_warned_about_but_saved(client, editor, ms_page):
    client.force_login(editor)
    response = client.post(
        edit_url(ms_page),
        condition_page_form(ms_page, paragraphs=["This miracle treatment is guaranteed to cure MS."]),
        follow=True,
    )
    html = response.content.decode()
    assert "Check the wording" in html and "“miracle”" in html and "“cure”" in html
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


def test_only_reviewers_and_administrators_may_change_the_treatment_status(client, make_staff, admin_user):
    status = TreatmentStatus.objects.get()
    url = reverse("wagtailsettings:edit", args=["clinic", "treatmentstatus", status.site_id])
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
