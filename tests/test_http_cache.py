"""What the cache in front of the site is told it may keep (core.http_cache): the pages every
anonymous visitor gets alike, for as long as purges keep them right; nothing of a visitor with a
session, nothing that sets a cookie, no error, nothing of the admin."""

import pytest

from core.http_cache import surrogate_key


def test_a_public_page_is_public_and_revalidated_by_browsers(client, db):
    response = client.get("/conditions/")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=0", "must-revalidate"}
    assert "xkey" not in response
    assert client.get("/conditions/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_behind_a_purged_cache_it_may_keep_pages_for_the_shared_max_age(client, db, cdn, settings):
    settings.SHARED_CACHE_MAX_AGE = 86400
    settings.SHARED_CACHE_SURROGATE_KEYS = True
    response = client.get("/conditions/multiple-sclerosis/?utm_source=newsletter")
    assert "s-maxage=86400" in response["Cache-Control"].split(", ")
    assert response["xkey"] == surrogate_key("/conditions/multiple-sclerosis/")


def test_a_visitor_with_a_session_gets_private_pages(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/conditions/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/contact/", "/no-such-page/", "/admin/login/"])
def test_forms_errors_and_the_admin_are_never_public(client, db, url):
    assert "public" not in client.get(url).get("Cache-Control", "")
