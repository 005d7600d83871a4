""" "Compare your options" on condition pages (#30): the options the clinic compares, one row each, with
the strength of the evidence worked out from the kinds of the articles each cites; a retracted
article marked Retracted to patients, not counted, and flagged to editors and medical reviewers."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from articles.models import ArticlePage, NoticeKind
from conditions.blocks import CompareOptionsBlock
from core.wording import flagged_places_of
from tests.admin_forms import condition_page_form
from tests.article_pages import add_article
from tests.condition_text import comparing, option
from tests.html import json_script, page_text, select, select_one, text
from tests.medical_reviews import complete_profile, submit

COLUMNS = ["Option", "What it involves", "The evidence", "Main risks", "Cost", "Regulatory status"]


@pytest.fixture
def studies(article_index, ms_page):
    """A live article of each kind the tests cite, by kind; and a systematic review since retracted."""
    kinds = ["systematic-review", "randomised-trial", "observational-study", "news"]
    found = {kind: add_article(article_index, [ms_page], title=f"A {kind}", kind=kind) for kind in kinds}
    found["retracted"] = add_article(
        article_index, [ms_page], title="A retracted review", kind="systematic-review"
    )
    ArticlePage.objects.filter(pk=found["retracted"].pk).update(evidence_notice=NoticeKind.RETRACTION)
    found["retracted"].refresh_from_db()
    return found


def publish(page, body):
    page.body = body
    page.save_revision().publish()


def rows(response):
    return select(response, ".compare-options tbody tr")


def cell(row, label):
    return row.select_one(f'td[data-label="{label}"]')


def test_the_options_are_a_table_with_a_header_for_each_row_and_column(client, ms_page, studies):
    publish(
        ms_page,
        comparing(
            option("Option one", involves="Step one, then step two.", cost="Nothing to pay."),
            option("Option two", regulatory_status="Listed in a trial registry."),
            caption="Your choices",
        ),
    )
    response = client.get(ms_page.url)
    table = select_one(response, "#standard-treatments table")
    assert text(table.caption) == "Your choices"
    assert [(text(th), th["scope"]) for th in table.select("thead th")] == [(name, "col") for name in COLUMNS]
    one, two = rows(response)
    assert [(text(row.th), row.th["scope"]) for row in (one, two)] == [
        ("Option one", "row"),
        ("Option two", "row"),
    ]
    # Every cell names its column for the phone's cards, as the column's header does.
    assert [td["data-label"] for td in one.select("td")] == COLUMNS[1:]
    assert text(cell(one, "What it involves")) == "Step one, then step two."
    assert text(cell(one, "Main risks")) == "The risks of Option one."
    assert text(cell(one, "Cost")) == "Nothing to pay."
    assert text(cell(two, "Regulatory status")) == "Listed in a trial registry."
    assert text(cell(two, "The evidence")) == "No study cited"


def test_the_evidence_is_the_strongest_kind_cited_and_a_retracted_study_is_not_counted(
    client, ms_page, studies
):
    publish(
        ms_page,
        comparing(
            option("Option one", evidence=[studies["observational-study"], studies["randomised-trial"]]),
            # The retracted review would be the strongest kind: it is no longer evidence of it.
            option("Option two", evidence=[studies["retracted"], studies["observational-study"]]),
            option("Option three", evidence=[studies["news"]]),
            option("Option four", evidence=[studies["retracted"]]),
            option("Option five", evidence=[studies["systematic-review"], studies["randomised-trial"]]),
        ),
    )
    response = client.get(ms_page.url)
    evidence = [cell(row, "The evidence") for row in rows(response)]
    strengths = [text(td.select_one(".compare-options__strength")) for td in evidence]
    assert strengths == [
        "Strongest evidence cited: randomised controlled trial",
        "Strongest evidence cited: observational study",
        "No study cited",  # news is not a study
        "No study cited",
        "Strongest evidence cited: systematic review",
    ]
    # Each citation is listed with its kind, a retracted one marked Retracted instead, and said apart.
    two = evidence[1]
    assert [text(badge) for badge in two.select(".evidence-badge")] == [
        "Retracted",
        "Kind of evidence: Observational study",
    ]
    assert "A retracted review" in text(two)
    assert "1 retracted study is not counted." in text(two)
    assert "not counted" not in text(evidence[0])
    # The citations are numbered as the text's are, and listed in the references.
    assert [text(mark) for mark in evidence[0].select("sup.citation a")] == ["1", "2"]
    assert "A randomised-trial" in page_text(response, "#ref-2")
    assert "Retracted" in page_text(response, "#ref-3")


def test_an_unpublished_article_is_not_shown_in_the_table(client, ms_page, studies, article_index):
    draft = add_article(
        article_index, [ms_page], title="Not out yet", kind="systematic-review", publish=False
    )
    publish(ms_page, comparing(option("Option one", evidence=[draft, studies["news"]]), option("Option two")))
    evidence = cell(rows(client.get(ms_page.url))[0], "The evidence")
    assert "Not out yet" not in text(evidence)
    assert text(evidence.select_one(".compare-options__strength")) == "No study cited"


def list_block(values):
    """A ListBlock's values as the page editor posts them."""
    items = {
        str(index): {"value": value, "deleted": "", "order": str(index), "id": ""}
        for index, value in enumerate(values)
    }
    return {"count": str(len(values)), **items}


def comparing_form(page, *options):
    """The editor's form data for `page` with "Compare your options" holding `options`."""
    posted = [
        {**cells, "evidence": list_block([article.pk for article in cells["evidence"]])} for cells in options
    ]
    compare = {"caption": "Compare your options", "options": list_block(posted)}
    body = streamfield(
        [("standard_treatments", {"heading": "", "content": streamfield([("compare_options", compare)])})]
    )
    return condition_page_form(page, paragraphs=[]) | nested_form_data({"body": body})


def test_a_retracted_citation_is_flagged_to_editors_in_the_checks_panel(client, ms_page, studies, make_staff):
    client.force_login(make_staff("editor", "Clinical editors"))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[ms_page.pk])
    form = comparing_form(
        ms_page,
        option("Option one", evidence=[studies["randomised-trial"], studies["retracted"]]),
        option("Option two"),
    )
    assert client.post(url, form).json()["is_valid"]
    flagged = select(client.get(url), ".compare-options [data-retracted-citation]")
    assert len(flagged) == 1
    assert flagged[0]["data-retracted-citation"] == "Retracted: do not rely on this study"
    # The editor's Checks panel has the rule that reports it as "Cites a retracted study".
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[ms_page.pk]))
    config = json_script(edit, "checker-axe-configuration")
    assert "retracted-citation" in config["options"]["runOnly"]


def test_the_reviewer_approving_is_told_of_a_retracted_citation(client, ms_page, studies, make_staff):
    editor = make_staff("editor", "Clinical editors")
    reviewer = make_staff("reviewer", "Medical reviewers")
    ms_page.body = comparing(
        option("Option one", evidence=[studies["retracted"], studies["news"]]), option("Option two")
    )
    task_state = submit(ms_page, editor)
    complete_profile(reviewer)
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:workflow_action", args=[ms_page.pk, "approve", task_state.pk])
    dialog = client.get(url).json()["html"]
    assert "Cites a retracted study" in dialog
    assert "“A retracted review” (Retracted: do not rely on this study)" in dialog


def test_the_editor_previews_the_block_with_placeholders_not_invented_options(db):
    block = CompareOptionsBlock()
    html = block.render(block.get_preview_value())
    assert "(an option, such as the standard treatments)" in html
    assert "(another option, such as no change)" in html
    assert "No study cited" in html


def test_a_claim_in_a_cell_is_among_the_wording_to_check(ms_page):
    ms_page.body = comparing(option("Option one", involves="This treatment cures MS."), option("Option two"))
    placed = flagged_places_of(ms_page)
    assert [(item.flag.sentence, item.place) for item in placed] == [
        ("This treatment cures MS.", "Standard treatments › Compare your options")
    ]
