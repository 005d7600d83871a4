"""docs/roles.md, walked through real requests: each role tries each protected action and gets
exactly what the table says."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site, Workflow, WorkflowPage
from wagtail.test.utils.form_data import nested_form_data, rich_text

from articles.models import ArticleIndexPage, ArticlePage
from clinic.models import HomePage
from conditions.models import ConditionPage
from core.models import ClinicSettings, TreatmentStatus
from enquiries.models import ConsultationPage, ConsultationRequest
from feedback.models import PageFeedback
from tests.admin_forms import article_page_form, condition_page_form
from tests.enquiry_forms import stored_request
from tests.second_factor import pass_second_step

ROLES = ["Administrators", "Clinical editors", "Medical reviewers", "Marketing", "Patient enquiries"]
PASSWORD = "a-long-test-password"

# action: the roles that may do it (docs/roles.md). Everyone else must be refused.
TABLE = {
    "sign in to the admin": set(ROLES),
    "edit a condition page": {"Administrators", "Clinical editors", "Medical reviewers"},
    "publish a condition page without review": {"Administrators", "Medical reviewers"},
    "add an article": {"Administrators", "Clinical editors", "Medical reviewers", "Marketing"},
    "edit an article": {"Administrators", "Clinical editors", "Medical reviewers", "Marketing"},
    "upload an image": {"Administrators", "Clinical editors", "Medical reviewers"},
    "read consultation requests": {"Administrators", "Patient enquiries"},
    "handle consultation requests": {"Administrators", "Patient enquiries"},
    "delete consultation requests": {"Administrators", "Patient enquiries"},
    "see the enquiries report": {"Administrators", "Marketing", "Patient enquiries"},
    "see the visit counts": {"Administrators", "Clinical editors", "Marketing"},
    "read patients' page feedback": {"Administrators", "Clinical editors", "Medical reviewers"},
    "delete patients' page feedback": {"Administrators", "Clinical editors", "Medical reviewers"},
    "change the treatment status notice": {"Administrators", "Medical reviewers"},
    "change the clinic's details": {"Administrators"},
    "manage staff accounts": {"Administrators"},
}


def succeeds(response):
    """Wagtail answers a refusal with a redirect (to the login or the dashboard) or a 403."""
    return response.status_code == 200


def settings_url(model):
    return reverse("wagtailsettings:edit", args=["core", model, Site.objects.get(is_default_site=True).pk])


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (16, 16), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("clinic-entrance.png", buffer.getvalue(), content_type="image/png")


def try_action(client, action):
    """Does it as staff do, through the admin's own forms (POSTs), and says whether it happened."""
    condition = ConditionPage.objects.get(slug="multiple-sclerosis")
    article = ArticlePage.objects.live().first()
    if action == "sign in to the admin":
        return succeeds(client.get(reverse("wagtailadmin_home")))
    if action == "edit a condition page":
        client.post(
            reverse("wagtailadmin_pages:edit", args=[condition.pk]),
            condition_page_form(condition, paragraphs=["A draft for review."]),
        )
        draft = ConditionPage.objects.get(pk=condition.pk).get_latest_revision_as_object()
        return "A draft for review." in str(draft.body)
    if action == "publish a condition page without review":
        client.post(
            reverse("wagtailadmin_pages:edit", args=[condition.pk]),
            condition_page_form(condition, paragraphs=["Published straight away."], action="action-publish"),
        )
        return "Published straight away." in str(ConditionPage.objects.get(pk=condition.pk).body)
    if action == "add an article":
        index = ArticleIndexPage.objects.get()
        client.post(
            reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk]),
            article_page_form(
                title="A new trial",
                conditions=[condition],
                slug="a-new-trial",
                external_url="https://example.org/",
            ),
        )
        return ArticlePage.objects.filter(slug="a-new-trial").exists()
    if action == "edit an article":
        client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            article_page_form(
                title="Retitled by staff",
                conditions=list(article.conditions.all()),
                slug=article.slug,
                external_url=article.external_url,
                doi=article.doi,
            ),
        )
        return (
            ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title
            == "Retitled by staff"
        )
    if action == "upload an image":
        client.post(reverse("wagtailimages:add"), {"title": "Clinic entrance", "file": png()})
        return get_image_model().objects.filter(title="Clinic entrance").exists()
    if action == "read consultation requests":
        listing = client.get(reverse("consultation_requests:index"))
        return succeeds(listing) and "Grace Hopper" in listing.content.decode()
    if action == "handle consultation requests":
        request = ConsultationRequest.objects.get()
        client.post(
            reverse("consultation_requests:edit", args=[request.pk]),
            {"status": "contacted", "closing_reason": "", "assigned_to": "", "note": ""},
        )
        return ConsultationRequest.objects.get(pk=request.pk).status == "contacted"
    if action == "delete consultation requests":
        request = ConsultationRequest.objects.get()
        client.post(reverse("consultation_requests:delete", args=[request.pk]))
        return not ConsultationRequest.objects.filter(pk=request.pk).exists()
    if action == "see the enquiries report":
        return succeeds(client.get(reverse("enquiries_report")))
    if action == "see the visit counts":
        return succeeds(client.get(reverse("visits_page_views")))
    if action == "read patients' page feedback":
        return succeeds(client.get(reverse("feedback_report")))
    if action == "delete patients' page feedback":
        feedback = PageFeedback.objects.create(page=condition, helpful=False, comment="Abusive words.")
        client.post(reverse("delete_feedback", args=[feedback.pk]))
        return not PageFeedback.objects.filter(pk=feedback.pk).exists()
    if action == "change the treatment status notice":
        client.post(
            settings_url("treatmentstatus"),
            nested_form_data({"notice": rich_text("<p>Changed by staff.</p>")}),
        )
        return "Changed by staff." in TreatmentStatus.objects.get().notice
    if action == "change the clinic's details":
        details = ClinicSettings.objects.get()
        form = {
            field: getattr(details, field) or ""
            for field in ("name", "phone", "email", "address", "opening_hours")
        }
        for page_field in ("questions_page", "editorial_policy_page", "privacy_page"):
            form[page_field] = getattr(details, f"{page_field}_id") or ""
        client.post(settings_url("clinicsettings"), form | {"phone": "020 7946 0999"})
        return ClinicSettings.objects.get().phone == "020 7946 0999"
    if action == "manage staff accounts":
        client.post(
            reverse("wagtailusers_users:add"),
            {
                "username": "newcolleague",
                "email": "new@clinic.example",
                "first_name": "New",
                "last_name": "Colleague",
                "password1": "a-new-colleague-password",
                "password2": "a-new-colleague-password",
            },
        )
        return get_user_model().objects.filter(username="newcolleague").exists()
    raise AssertionError(f"no way to try {action!r}")


@pytest.fixture
def staff_client(client, make_staff, django_user_model):
    def sign_in_as(role):
        if role == "Administrators":
            user = django_user_model.objects.create_superuser("administrator", "a@example.com", PASSWORD)
        else:
            user = make_staff(role.lower().replace(" ", "-"), role)
        # Signed in as staff are, through the sign-in form and the second step.
        client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
        pass_second_step(client, user)
        return client

    return sign_in_as


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_do_exactly_what_the_table_says(staff_client, role):
    name = ConsultationPage.objects.get().form_fields.get(field_type="name").clean_name
    stored_request(timezone.now(), **{name: "Grace Hopper"})
    client = staff_client(role)
    outcome = {action: try_action(client, action) for action in TABLE}
    expected = {action: role in allowed for action, allowed in TABLE.items()}
    assert outcome == expected


def test_the_table_in_the_docs_is_the_one_tested():
    for action, allowed in TABLE.items():
        assert docs_row(action) == allowed, action


# Publishing rights, read from the group page permissions themselves (docs/roles.md rows).
PUBLISH_ROWS = {
    "publish the home page without review": lambda: HomePage.objects.get(),
    "publish a condition page without review": lambda: ConditionPage.objects.get(slug="multiple-sclerosis"),
    "publish an article": lambda: ArticlePage.objects.live().first(),
}


def docs_row(action):
    table = (Path(__file__).resolve().parent.parent / "docs" / "roles.md").read_text()
    row = next(line for line in table.splitlines() if line.startswith(f"| {action} |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    return {role for role, cell in zip(ROLES, cells, strict=True) if cell == "yes"}


def test_every_group_publishes_exactly_what_the_docs_say(make_staff):
    """Problem 3: Wagtail's own "Moderators" could publish condition pages without medical review."""
    groups = set(Group.objects.values_list("name", flat=True))
    assert groups == set(ROLES) - {"Administrators"}, "a group docs/roles.md does not describe"
    for action, page in PUBLISH_ROWS.items():
        allowed = docs_row(action)
        assert "Administrators" in allowed, action
        for group in groups:
            user = make_staff(f"member-of-{group}-{len(action)}".replace(" ", "-"), group)
            assert page().permissions_for_user(user).can_publish() == (group in allowed), (action, group)


def test_no_workflow_lets_anyone_but_medical_reviewers_approve_clinical_pages(db):
    ms = ConditionPage.objects.get(slug="multiple-sclerosis")
    assert set(Workflow.objects.values_list("name", flat=True)) == {"Medical review"}
    for page in (HomePage.objects.get(), ms):
        task = page.get_workflow().tasks.get().specific
        assert list(task.groups.values_list("name", flat=True)) == ["Medical reviewers"]


def test_the_articles_section_has_no_medical_review_unless_the_clinic_turns_one_on(client, make_staff):
    """Problem 4: the home page's workflow covered articles, so marketing were offered "Submit to
    Medical review" for every article."""
    article = ArticlePage.objects.live().first()
    index = ArticleIndexPage.objects.get()
    assert article.get_workflow() is None and not article.has_workflow and index.get_workflow() is None
    client.force_login(make_staff("marketer", "Marketing"))
    for url in (
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Submit to Medical review" not in html and 'name="action-publish"' in html, url

    # The clinic may still put articles through a review of their own.
    review = Workflow.objects.get(name="Medical review")
    WorkflowPage.objects.create(page=index, workflow=review)
    assert ArticlePage.objects.get(pk=article.pk).get_workflow() == review


def test_anonymous_visitors_reach_no_admin_page(client, db):
    page = Page.objects.get(slug="multiple-sclerosis")
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[page.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
