import pytest
from django.urls import reverse

from tests.admin_forms import condition_page_form


@pytest.fixture
def admin_client(client, admin_user):
    """Logged in through the real login form, as staff do."""
    response = client.post(
        reverse("wagtailadmin_login"), {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 302
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
