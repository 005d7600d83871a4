"""docs/roles.md, walked through real requests: each role tries each protected action and gets
exactly what the table says."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from articles.models import ArticleIndexPage, ArticlePage
from conditions.models import ConditionPage
from enquiries.models import ConsultationPage
from tests.admin_forms import condition_page_form

ROLES = ["Administrators", "Clinical editors", "Medical reviewers", "Marketing", "Patient enquiries"]

# action: the roles that may do it (docs/roles.md). Everyone else must be refused.
TABLE = {
    "sign in to the admin": set(ROLES),
    "edit a condition page": {"Administrators", "Clinical editors", "Medical reviewers"},
    "publish a condition page without review": {"Administrators", "Medical reviewers"},
    "add an article": {"Administrators", "Clinical editors", "Medical reviewers", "Marketing"},
    "edit an article": {"Administrators", "Clinical editors", "Medical reviewers", "Marketing"},
    "upload an image": {"Administrators", "Clinical editors", "Medical reviewers"},
    "read consultation requests": {"Administrators", "Patient enquiries"},
    "see the enquiries report": {"Administrators", "Marketing", "Patient enquiries"},
    "change the treatment status notice": {"Administrators", "Medical reviewers"},
    "change the clinic's details": {"Administrators"},
    "manage staff accounts": {"Administrators"},
}


def succeeds(response):
    """Wagtail answers a refusal with a redirect (to the login or the dashboard) or a 403."""
    return response.status_code == 200


def settings_url(model):
    return reverse("wagtailsettings:edit", args=["clinic", model, Site.objects.get(is_default_site=True).pk])


def try_action(client, action):
    condition = ConditionPage.objects.get(slug="multiple-sclerosis")
    article = ArticlePage.objects.live().first()
    if action == "sign in to the admin":
        return succeeds(client.get(reverse("wagtailadmin_home")))
    if action == "edit a condition page":
        return succeeds(client.get(reverse("wagtailadmin_pages:edit", args=[condition.pk])))
    if action == "publish a condition page without review":
        client.post(
            reverse("wagtailadmin_pages:edit", args=[condition.pk]),
            condition_page_form(condition, paragraphs=["Published straight away."], action="action-publish"),
        )
        return "Published straight away." in str(ConditionPage.objects.get(pk=condition.pk).body)
    if action == "add an article":
        index = ArticleIndexPage.objects.get()
        return succeeds(
            client.get(reverse("wagtailadmin_pages:add", args=["articles", "articlepage", index.pk]))
        )
    if action == "edit an article":
        return succeeds(client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])))
    if action == "upload an image":
        return succeeds(client.get(reverse("wagtailimages:add")))
    if action == "read consultation requests":
        page = ConsultationPage.objects.get()
        return succeeds(client.get(reverse("wagtailforms:list_submissions", args=[page.pk])))
    if action == "see the enquiries report":
        return succeeds(client.get(reverse("enquiries_report")))
    if action == "change the treatment status notice":
        return succeeds(client.get(settings_url("treatmentstatus")))
    if action == "change the clinic's details":
        return succeeds(client.get(settings_url("clinicsettings")))
    if action == "manage staff accounts":
        return succeeds(client.get(reverse("wagtailusers_users:index")))
    raise AssertionError(f"no way to try {action!r}")


@pytest.fixture
def staff_client(client, make_staff, django_user_model):
    def sign_in_as(role):
        if role == "Administrators":
            user = django_user_model.objects.create_superuser("administrator", "a@example.com", "x" * 20)
        else:
            user = make_staff(role.lower().replace(" ", "-"), role)
        client.force_login(user)
        return client

    return sign_in_as


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_do_exactly_what_the_table_says(staff_client, role):
    client = staff_client(role)
    outcome = {action: try_action(client, action) for action in TABLE}
    expected = {action: role in allowed for action, allowed in TABLE.items()}
    assert outcome == expected


def test_the_table_in_the_docs_is_the_one_tested():
    from pathlib import Path

    table = (Path(__file__).resolve().parent.parent / "docs" / "roles.md").read_text()
    for action, allowed in TABLE.items():
        row = next(line for line in table.splitlines() if line.startswith(f"| {action} |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
        assert [cell == "yes" for cell in cells] == [role in allowed for role in ROLES], action


def test_anonymous_visitors_reach_no_admin_page(client, db):
    page = Page.objects.get(slug="multiple-sclerosis")
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[page.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("wagtailadmin_login"))
