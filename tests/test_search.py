import pytest

from conditions.models import ConditionPage


def test_myelin_finds_the_multiple_sclerosis_page(client, db):
    html = client.get("/search/", {"q": "myelin"}).content.decode()
    assert 'href="/conditions/multiple-sclerosis/"' in html
    # Each result shows its summary.
    assert ConditionPage.objects.get(slug="multiple-sclerosis").summary in html
    assert 'href="/conditions/rheumatoid-arthritis/"' not in html


def test_standard_pages_are_searched(client, db):
    html = client.get("/search/", {"q": "conflicts of interest"}).content.decode()
    assert 'href="/editorial-policy/"' in html


def test_drafts_are_not_found(client, db):
    index = ConditionPage.objects.get(slug="scleroderma").get_parent()
    index.add_child(
        instance=ConditionPage(title="Lupus", slug="lupus", summary="Xyloquartz draft.", live=False)
    )
    html = client.get("/search/", {"q": "Xyloquartz"}).content.decode()
    assert "No results for “Xyloquartz”" in html


def test_no_results_page_helps_the_patient_on(client, db):
    html = client.get("/search/", {"q": "zzzzqqq"}).content.decode()
    assert "No results for “zzzzqqq”" in html
    assert 'href="/conditions/"' in html


def test_results_are_paginated_keeping_the_query(client, db):
    index = ConditionPage.objects.get(slug="scleroderma").get_parent()
    for number in range(12):
        page = ConditionPage(title=f"Condition {number}", slug=f"condition-{number}", summary="Wombatish.")
        index.add_child(instance=page)
        page.save_revision().publish()
    first = client.get("/search/", {"q": "wombatish"}).content.decode()
    assert "12 results" in first and "Page 1 of 2" in first
    assert 'href="?q=wombatish&amp;page=2"' in first
    second = client.get("/search/", {"q": "wombatish", "page": "2"}).content.decode()
    assert second.count("Wombatish.") == 2


@pytest.mark.parametrize(
    "query",
    ["", "x" * 10_000, "myelin\x00sheath", "%%%", "!!! ??? ***", "' OR 1=1 --", "\ufffd\ufffd", "a" * 201],
)
def test_awkward_queries_answer_with_a_normal_page(client, db, query):
    response = client.get("/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert "<h1>Search</h1>" in response.content.decode()


def test_non_utf8_query_string_answers_normally(client, db):
    response = client.get("/search/?q=%FF%FE%00myelin&page=-1")
    assert response.status_code == 200


def test_search_terms_are_echoed_escaped(client, db):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
