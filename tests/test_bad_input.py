"""Whatever a visitor types or sends, the public site answers without a server error, and anything
it echoes back is escaped. The URLs and forms are found from the live page tree (a page of each
type) and the known routes, so new kinds of pages and forms are covered as they are added."""

from urllib.parse import parse_qs, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page

from tests.admin_forms import condition_page_form
from tests.csp import inline_scripts
from tests.html import page_text, select

# Routes outside the page tree that take visitors' input.
KNOWN_ROUTES = ["/search/", "/sitemap.xml", "/robots.txt"]

# Small and repeatable: a 2-core machine runs this on every commit.
fuzz = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MARKER = "zq9x"  # lets a test find its own payload in a page
INJECTIONS = [
    f"<script>alert('{MARKER}')</script>",
    f'"><img src=x onerror=alert("{MARKER}")>',
    f"<a href=\"javascript:alert('{MARKER}')\">{MARKER}</a>",
    f"</title><svg onload=alert('{MARKER}')>",
]
NASTY_VALUES = [
    "\x00",
    "a\x00b",
    "\ud7ff\ufffd\U0001f600",
    "x" * 100_000,
    "-1",
    "99999999999999999999999",
    "1e308",
    "../../etc/passwd",
    "' OR 1=1 --",
    "%",
    *INJECTIONS,
]
# Percent-encoded bytes that are not UTF-8, and other malformed query strings.
RAW_QUERIES = [
    "q=%FF%FE",
    "page=%C3%28",
    "q=%00",
    "%FF=%FF",
    "q",
    "=&&=",
    "q=%",
    "q=%zz",
    "page=1&page=2&page=x",
]
PARAMETER_NAMES = ["q", "page", "condition", "kind", "topic", "sort", "year", "tag", "p", "utm_source"]

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY_VALUES),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10).map(lambda s: s * 2_000),
)
raw_bytes = st.binary(max_size=30).map(lambda b: quote_from_bytes(b, safe=""))
query_strings = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(PARAMETER_NAMES), raw_bytes),
        st.one_of(
            texts.map(lambda s: quote_from_bytes(s.encode("utf-8", "surrogatepass"), safe="")), raw_bytes
        ),
    ),
    max_size=6,
).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))


def public_urls(client):
    """A live, public page of each type, whose code is what reads a query string alike for all its
    pages, and the known routes."""
    pages = {}
    for page in Page.objects.live().public().specific().order_by("path"):
        if page.url:
            pages.setdefault(type(page), page.url)
    routes = [route for route in KNOWN_ROUTES if client.get(route).status_code == 200]
    return sorted(set(pages.values()) | set(routes))


@pytest.fixture
def urls(client, db):
    found = public_urls(client)
    assert "/" in found and "/conditions/multiple-sclerosis/" in found
    return found


def assert_answered_safely(response, url):
    assert response.status_code < 500, f"{response.status_code} for {url}"
    body = response.content.decode("utf-8", "replace")
    for payload in INJECTIONS:
        assert payload not in body, f"{url} echoed {payload!r} unescaped"


def test_every_kind_of_public_page_survives_malformed_and_hostile_query_strings(client, urls):
    hostile = RAW_QUERIES + [
        f"q={quote_from_bytes(v.encode('utf-8', 'surrogatepass'))}" for v in NASTY_VALUES
    ]
    for url in urls:
        for query in hostile:
            assert_answered_safely(client.get(f"{url}?{query}"), f"{url}?{query[:60]}")


@fuzz
@given(data=st.data(), query=query_strings)
def test_no_query_string_breaks_a_public_url(client, urls, data, query):
    url = data.draw(st.sampled_from(urls))
    assert_answered_safely(client.get(f"{url}?{query}"), f"{url}?{query[:60]}")


@pytest.fixture
def forms(client, urls):
    """The forms on the public pages: their action, method and the names of their fields."""
    found = []
    for url in urls:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue  # the sitemap and the feed: XML, without forms
        for form in select(response, "form"):
            fields = form.select("input, textarea, select")
            found.append(
                {
                    "action": form.get("action") or url,
                    "method": (form.get("method") or "get").lower(),
                    "fields": {
                        field["name"]: field.get("type", field.name) for field in fields if field.get("name")
                    },
                }
            )
    return found


@fuzz
@given(data=st.data())
def test_no_input_in_any_public_form_breaks_it(client, forms, data):
    assert any(form["action"] == "/search/" for form in forms)
    form = data.draw(st.sampled_from(forms))
    values = {name: data.draw(texts, label=name) for name in form["fields"] if name != "csrfmiddlewaretoken"}
    # Fields sent twice, as a tampering client might.
    repeated = {name: [value, value[::-1]] for name, value in values.items()}
    chosen = data.draw(st.sampled_from([values, repeated]))
    send = client.post if form["method"] == "post" else client.get
    response = send(form["action"], chosen, REMOTE_ADDR=f"192.0.2.{data.draw(st.integers(1, 254))}")
    assert_answered_safely(response, form["action"])


def test_search_terms_are_echoed_back_escaped(client, db):
    for payload in INJECTIONS:
        # Followed to the search as it is written once normalised: that is the page that echoes it.
        response = client.get("/search/", {"q": payload}, follow=True)
        assert response.status_code == 200
        assert payload not in response.content.decode()
        searched = parse_qs(response.request["QUERY_STRING"])["q"][0]
        assert MARKER in searched
        # Markup in the words would have become elements, and left the heading's text. (Whether
        # anything is found depends on the content: PostgreSQL's trigrams liken "script" to the
        # privacy notice's words.)
        assert page_text(response, "#results-heading").endswith(f"“{searched}”")


def test_titles_and_summaries_written_by_staff_are_escaped(client, db, django_capture_on_commit_callbacks):
    page = Page.objects.get(slug="multiple-sclerosis").specific
    page.title = f"<script>alert('{MARKER}')</script>"
    page.summary = f'"><img src=x onerror=alert("{MARKER}")>'
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    for url in ("/conditions/multiple-sclerosis/", "/conditions/", "/"):
        html = client.get(url).content.decode()
        assert page.title not in html and page.summary not in html, url
        assert MARKER in html, url


def test_scripts_pasted_into_rich_text_never_reach_patients(
    admin_client, client, db, django_capture_on_commit_callbacks
):
    page = Page.objects.get(slug="multiple-sclerosis").specific
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/pages/{page.pk}/edit/",
            condition_page_form(
                page,
                paragraphs=[
                    f'Safe words<script>alert(\'{MARKER}\')</script><img src="x" onerror="alert(1)"/>'
                ],
                action="action-publish",
            ),
        )
    assert response.status_code == 302
    html = client.get("/conditions/multiple-sclerosis/").content.decode()
    assert "Safe words" in html
    # The script's text may survive as harmless words; no script or handler does.
    assert inline_scripts(html) == [] and "onerror" not in html
