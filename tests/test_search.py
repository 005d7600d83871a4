import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import ArticlePage, EvidenceKind, NoticeKind
from conditions.models import ConditionPage
from tests.html import page_text, select, select_one, text

# Small and repeatable, as the other property tests.
fuzz = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


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
    html = client.get("/search/", {"q": "xyloquartz"}).content.decode()
    assert "No results for “xyloquartz”" in html


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
    response = client.get("/search/", {"q": query}, follow=True)
    assert response.status_code == 200
    assert page_text(response, "h1") == "Search"


def test_non_utf8_query_string_answers_normally(client, db):
    response = client.get("/search/?q=%FF%FE%00myelin", follow=True)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "typed, address",
    [
        ("  Myelin \t SHEATH ", "/search/?q=myelin+sheath"),
        ("myelin\u200bsheath", "/search/?q=myelin+sheath"),
        ("\u202emyelin", "/search/?q=myelin"),
        ('"myelin"', "/search/?q=myelin"),
        ("x" * 300, "/search/?q=" + "x" * 200),
        ("x" * 199 + " y", "/search/?q=" + "x" * 199),
        ("!!! ???", "/search/"),
    ],
)
def test_a_search_typed_another_way_leads_to_its_one_address(client, db, typed, address):
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == address
    # Kept by no cache in front (only "public" is kept).
    assert "public" not in response.get("Cache-Control", "")
    assert client.get(address).status_code == 200


def test_the_page_asked_for_goes_along_to_the_one_address(client, db):
    response = client.get("/search/", {"q": "MYELIN", "page": "1"})
    assert response["Location"] == "/search/?q=myelin&page=1"


@fuzz
@given(typed=st.text(max_size=300))
def test_every_search_reaches_its_results_in_one_step(client, db, typed):
    first = client.get("/search/", {"q": typed})
    if first.status_code == 302:
        first = client.get(first["Location"])
    assert first.status_code == 200


@pytest.mark.parametrize("number", ["99999", "2", "abc", "0", "02", ["1", "1"]])
def test_a_page_of_results_that_does_not_exist_is_not_found(client, db, number):
    response = client.get("/search/", {"q": "myelin", "page": number})
    assert response.status_code == 404
    assert page_text(response, "h1") == "Page not found"


def test_search_terms_are_echoed_escaped(client, db):
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def found(response):
    """Each result as a patient reads it: its address and what the result says it is."""
    return [
        (item.select_one("h3 a")["href"], text(item.select_one(".search-result__label")))
        for item in select(response, "ol.search-results > li")
    ]


@pytest.mark.parametrize(
    "typed, corrected, address",
    [
        ("sclerodema", "scleroderma", "/conditions/scleroderma/"),
        ("rheumatiod arthritis", "rheumatoid arthritis", "/conditions/rheumatoid-arthritis/"),
        # Trigrams alone would put the Scleroderma page ("systemic sclerosis") first for this one.
        ("multipel sclerosis", "multiple sclerosis", "/conditions/multiple-sclerosis/"),
    ],
)
def test_a_misspelt_condition_finds_its_page_first(client, db, typed, corrected, address):
    response = client.get("/search/", {"q": typed})
    assert text(select_one(response, ".search-suggestion")) == (
        f"No results for “{typed}”. Showing results for {corrected}."
    )
    assert text(select_one(response, "#results-heading")).endswith(f"for “{corrected}”")
    assert found(response)[0] == (address, "Clinic page")


@pytest.mark.parametrize("typed", ["myelin", "ms", "stem cell", "stem cells", "scleroderma", "zzzzqqq"])
def test_no_suggestion_for_words_spelt_right(client, db, typed):
    assert not select(client.get("/search/", {"q": typed}), ".search-suggestion")


@pytest.mark.parametrize(
    "typed, address",
    [
        ("ms", "/conditions/multiple-sclerosis/"),
        ("multiple sclerosis", "/conditions/multiple-sclerosis/"),
        ("rheumatoid arthritis", "/conditions/rheumatoid-arthritis/"),
        ("scleroderma", "/conditions/scleroderma/"),
        ("stem cell", None),
    ],
)
def test_the_clinics_own_pages_come_before_outside_articles(client, db, typed, address):
    results = found(client.get("/search/", {"q": typed}))
    labels = [label for _, label in results]
    assert "Clinic page" in labels and any(label.startswith("Outside article") for label in labels)
    clinic_pages = labels.count("Clinic page")
    assert labels[:clinic_pages] == ["Clinic page"] * clinic_pages, results
    if address:
        assert results[0][0] == address


def test_each_result_says_what_it_is(client, db):
    retracted = ArticlePage.objects.get(slug="human-umbilical-cord-mesenchymal-stem-cell-therapy")
    ArticlePage.objects.filter(pk=retracted.pk).update(evidence_notice=NoticeKind.RETRACTION)
    results = dict(found(client.get("/search/", {"q": "rheumatoid arthritis"})))
    assert results["/conditions/rheumatoid-arthritis/"] == "Clinic page"
    review = ArticlePage.objects.get(slug="safety-and-efficacy-of-mesenchymal-stem-cells-therapy")
    assert review.kind == EvidenceKind.SYSTEMATIC_REVIEW
    assert results[review.url] == "Outside article Kind of evidence: Systematic review"
    # A retracted study is no longer evidence of its kind, as everywhere else on the site.
    assert results[retracted.url] == "Outside article Retracted"
