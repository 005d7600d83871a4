"""Numbered citations in a condition page's text: the superscript numbers, the reference list they
link to and back from, the page's JSON-LD, and the editor's check for a retracted study."""

import datetime

import pytest
from django.urls import reverse

from articles.models import ArticlePage, NoticeKind
from tests.admin_forms import condition_page_form
from tests.article_pages import add_article
from tests.condition_text import in_section
from tests.html import json_ld, json_script, page_text, select, select_one, soup, text


def cite(article, words):
    """A link from a condition page's text to an article, as the editor's page chooser stores it."""
    return f'<a linktype="page" id="{article.pk}">{words}</a>'


def publish_body(page, *paragraphs):
    page.body = in_section(*(f"<p>{text}</p>" for text in paragraphs))
    page.save_revision().publish()


@pytest.fixture
def studies(article_index, ms_page):
    """Three live articles: a trial (with a DOI), a review and a news story."""
    trial = add_article(
        article_index,
        [ms_page],
        title="A phase 2 trial of stem cells",
        kind="randomised-trial",
        authors="Ann Example et al.",
        source="The Lancet Neurology",
        published_on=datetime.date(2021, 9, 1),
        doi="10.1000/trial.2021",
        external_url="",
    )
    review = add_article(
        article_index,
        [ms_page],
        title="A systematic review of stem cells",
        kind="systematic-review",
        source="Cochrane Library",
    )
    news = add_article(article_index, [ms_page], title="Clinic opens a new ward", kind="news")
    return trial, review, news


def test_citations_are_numbered_in_order_of_first_citation_and_link_to_the_references(
    client, ms_page, studies
):
    trial, review, news = studies
    assert select(client.get(ms_page.url), "#references-heading") == []  # the page as written
    publish_body(
        ms_page,
        f"One study {cite(review, 'found little')} and another {cite(trial, 'found more')}.",
        f"The trial {cite(trial, 'was small')}; the ward {cite(news, 'opened')}.",
    )
    page = soup(client.get(ms_page.url))

    marks = page.select("main sup.citation a")
    assert [(text(mark), mark["href"], mark["id"]) for mark in marks] == [
        ("1", "#ref-1", "cite-1-1"),
        ("2", "#ref-2", "cite-2-1"),
        ("2", "#ref-2", "cite-2-2"),
        ("3", "#ref-3", "cite-3-1"),
    ]
    assert {mark["aria-describedby"] for mark in marks} == {"references-heading"}
    # The cited words stay as written; the number is the link.
    assert "One study found little1 and another found more2." in text(page.main)

    references = page.select_one('section[aria-labelledby="references-heading"]')
    assert text(references.select_one("h2#references-heading")) == "References"
    entries = references.select("ol > li")
    assert [entry["id"] for entry in entries] == ["ref-1", "ref-2", "ref-3"]
    assert [entry.select_one(".reference-list__citation a").contents[0] for entry in entries] == [
        review.title,
        trial.title,
        news.title,
    ]
    # Each entry links back to every place it is cited, and every place has its entry.
    backlinks = [[link["href"] for link in entry.select("a[href^='#cite-']")] for entry in entries]
    assert backlinks == [["#cite-1-1"], ["#cite-2-1", "#cite-2-2"], ["#cite-3-1"]]
    for mark in marks:
        assert page.find(id=mark["href"][1:]) is not None


def test_a_reference_is_the_articles_citation_with_its_evidence_label(client, ms_page, studies):
    trial, _review, _news = studies
    publish_body(ms_page, f"A trial {cite(trial, 'was run')}.")
    entry = select_one(client.get(ms_page.url), "#ref-1")
    for part in ("Ann Example et al.", trial.title, "The Lancet Neurology", "1 Sep 2021"):
        assert part in text(entry)
    assert entry.select_one(".reference-list__citation a")["href"] == "https://doi.org/10.1000/trial.2021"
    assert "Kind of evidence: Randomised controlled trial" in text(entry)
    assert entry.find("time")["datetime"] == "2021-09-01"


def test_a_retracted_study_is_marked_in_the_references(client, ms_page, studies):
    trial, review, _news = studies
    ArticlePage.objects.filter(pk=trial.pk).update(
        evidence_notice=NoticeKind.RETRACTION, evidence_notice_on=datetime.date(2026, 1, 12)
    )
    publish_body(ms_page, f"A trial {cite(trial, 'was run')} and a review {cite(review, 'written')}.")
    response = client.get(ms_page.url)
    assert "Retracted in January 2026: do not rely on this study" in page_text(response, "#ref-1")
    assert "Retracted" not in page_text(response, "#ref-2")
    # Its badge says so instead of its kind of evidence.
    assert text(select_one(response, "#ref-1 .evidence-badge")) == "Retracted"
    assert "Randomised controlled trial" not in page_text(response, "#ref-1")


def test_an_unpublished_article_is_not_numbered(client, ms_page, studies, article_index):
    draft = add_article(article_index, [ms_page], title="Not out yet", publish=False)
    trial, _review, _news = studies
    publish_body(ms_page, f"A draft {cite(draft, 'says')} and a trial {cite(trial, 'was run')}.")
    response = client.get(ms_page.url)
    assert [text(mark) for mark in select(response, "sup.citation a")] == ["1"]
    assert select_one(response, "#ref-1 .reference-list__citation a").contents[0] == trial.title
    assert select(response, "#ref-2") == []


def test_the_json_ld_lists_the_references_as_citations(client, ms_page, studies):
    trial, review, _news = studies
    assert "citation" not in json_ld(client.get(ms_page.url))["MedicalWebPage"]
    publish_body(ms_page, f"A trial {cite(trial, 'was run')}, a review {cite(review, 'written')}.")
    data = json_ld(client.get(ms_page.url))["MedicalWebPage"]
    assert data["citation"] == [
        {
            "@type": "ScholarlyArticle",
            "name": trial.title,
            "url": "https://doi.org/10.1000/trial.2021",
            "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1000/trial.2021"},
        },
        {"@type": "ScholarlyArticle", "name": review.title, "url": review.external_url},
    ]


def test_a_citation_of_a_retracted_study_is_marked_for_the_checks_panel(client, ms_page, studies, make_staff):
    trial, review, _news = studies
    ArticlePage.objects.filter(pk=trial.pk).update(evidence_notice=NoticeKind.RETRACTION)
    client.force_login(make_staff("editor", "Clinical editors"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[ms_page.pk])
    form = condition_page_form(
        ms_page, paragraphs=[f"A trial {cite(trial, 'was run')} and a review {cite(review, 'written')}."]
    )
    assert client.post(url, form).json()["is_valid"]
    flagged = select(client.get(url), "[data-retracted-citation]")
    assert [text(mark) for mark in flagged] == ["1"]
    assert flagged[0]["data-retracted-citation"] == "Retracted: do not rely on this study"


def test_the_checks_panel_has_a_rule_for_citing_a_retracted_study(client, ms_page, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[ms_page.pk]))
    config = json_script(edit, "checker-axe-configuration")
    rule = next(rule for rule in config["spec"]["rules"] if rule["id"] == "retracted-citation")
    assert rule["selector"] == "[data-retracted-citation]" and rule["id"] in config["options"]["runOnly"]
    check = next(check for check in config["spec"]["checks"] if check["id"] in rule["none"])
    assert check["options"] == {"attribute": "data-retracted-citation"}
    assert config["messages"]["retracted-citation"]["error_name"] == "Cites a retracted study"
