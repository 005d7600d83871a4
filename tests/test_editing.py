from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from conditions.models import ConditionIndexPage, ConditionPage
from tests.admin_forms import condition_page_form
from tests.second_factor import pass_second_step


@pytest.fixture
def admin_client(client, admin_user):
    """Logged in through the real login form and the second step, as staff do."""
    response = client.post(
        reverse("wagtailadmin_login"), {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 302
    assert pass_second_step(client, admin_user).status_code == 302
    return client


def test_published_edit_goes_live(admin_client, client, ms_page):
    url = reverse("wagtailadmin_pages:edit", args=[ms_page.pk])
    response = admin_client.post(
        url, condition_page_form(ms_page, paragraphs=["Fresh wording from staff."], action="action-publish")
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    admin_client.logout()
    html = client.get("/conditions/multiple-sclerosis/").content.decode()
    assert "Fresh wording from staff." in html
    assert "myelin sheath" not in html


def test_a_saved_draft_is_not_shown_to_patients(admin_client, client, ms_page):
    url = reverse("wagtailadmin_pages:edit", args=[ms_page.pk])
    response = admin_client.post(url, condition_page_form(ms_page, paragraphs=["Unreviewed draft text."]))
    assert response.status_code == 302
    ms_page.refresh_from_db()
    assert ms_page.has_unpublished_changes

    admin_client.logout()
    html = client.get("/conditions/multiple-sclerosis/").content.decode()
    assert "Unreviewed draft text." not in html
    assert "myelin sheath" in html


def test_preview_shows_unsaved_changes(admin_client, ms_page):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[ms_page.pk])
    response = admin_client.post(url, condition_page_form(ms_page, paragraphs=["Previewed wording."]))
    assert response.json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Previewed wording." in html
    ms_page.refresh_from_db()
    assert not ms_page.has_unpublished_changes


def test_a_clinical_editor_can_edit_a_condition_page(client, make_staff, ms_page):
    editor = make_staff("editor", "Clinical editors")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[ms_page.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, condition_page_form(ms_page, paragraphs=["An editor's draft."]))
    assert response.status_code == 302
    ms_page.refresh_from_db()
    assert "An editor's draft." in str(ms_page.get_latest_revision_as_object().body)


def test_the_admin_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_new_condition_page_heads_its_reading_list_with_the_condition(admin_client, db):
    index = ConditionIndexPage.objects.get()
    new = ConditionPage(title="Lupus", slug="lupus", summary="About lupus.", articles_heading="")
    response = admin_client.post(
        reverse("wagtailadmin_pages:add", args=["conditions", "conditionpage", index.pk]),
        condition_page_form(new, paragraphs=["Lupus is a long-term condition."]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ConditionPage.objects.get(slug="lupus")
    editor = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    # The editor sees the wording patients will read, and may change it.
    assert 'value="Research and reading about Lupus"' in editor


def test_pages_still_carrying_the_old_mouse_only_heading_take_the_new_one(client, ms_page):
    old = "Click any of the articles below for more information"
    ConditionPage.objects.filter(pk=ms_page.pk).update(articles_heading=old)
    scleroderma = ConditionPage.objects.get(slug="scleroderma")
    scleroderma.articles_heading = "What the studies say"
    scleroderma.save_revision().publish()
    draft = ms_page.save_revision()
    draft.content["articles_heading"] = old
    draft.save()

    import_module("conditions.migrations.0005_articles_heading_for_every_reader").replace_old_default(
        apps, None
    )

    assert "Research and reading about Multiple Sclerosis (MS)" in client.get(ms_page.url).content.decode()
    assert "What the studies say" in client.get(scleroderma.url).content.decode()
    # Publishing the draft does not bring the old wording back.
    ms_page.refresh_from_db()
    ms_page.get_latest_revision().publish()
    assert "Click any of the articles" not in client.get(ms_page.url).content.decode()
