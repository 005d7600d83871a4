"""Flagged sentences in words (issue #29): the condition page editor lists each sentence that may
promise more than the evidence supports, quoted, with its kind of claim and the advice, and a link
to the field and block that holds it; the preview highlights the whole sentence, with its kind named."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.models import ConditionPage
from core import wording
from tests.html import select, text

CURE = "This treatment will cure your arthritis."
HONEST = "Studies so far are small."
RISK = "The procedure is completely risk-free."


def form_data(page, summary, sections):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": summary,
            "articles_heading": page.articles_heading,
            "body": streamfield(
                [
                    (
                        name,
                        {
                            "heading": "",
                            "content": streamfield(
                                [("paragraph", rich_text(f"<p>{p}</p>")) for p in paragraphs]
                            ),
                        },
                    )
                    for name, paragraphs in sections
                ]
            ),
        }
    )


def save_draft(client, page, summary, sections):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), form_data(page, summary, sections)
    )
    assert response.status_code == 302
    return ConditionPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def test_each_flagged_sentence_is_listed_in_words_with_a_link_to_its_block(admin_client, ms_page):
    draft = save_draft(
        admin_client,
        ms_page,
        "MS is a long-term condition.",
        [("about", [HONEST]), ("stem_cells", [HONEST, CURE]), ("risks", [RISK])],
    )
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[ms_page.pk]))
    items = select(edit, "#panel-child-content-wording_to_check-content li")
    cure, certainty = wording.KINDS_BY_KEY["cure"], wording.KINDS_BY_KEY["certainty"]
    stem_cells, risks = draft.body[1], draft.body[2]
    assert [text(item.select_one("q")) for item in items] == [CURE, RISK]
    assert cure.name in text(items[0]) and cure.advice in text(items[0])
    assert certainty.name in text(items[1]) and certainty.advice in text(items[1])
    # Each link names where the sentence is, and leads to the block in the editor's form.
    links = [item.select_one("a") for item in items]
    assert text(links[0]) == "How stem cell therapy may help › Paragraph"
    assert links[0]["href"] == f"#block-{stem_cells.value['content'][1].id}-section"
    assert links[1]["href"] == f"#block-{risks.value['content'][0].id}-section"
    # No CSS selector is shown to the editor.
    assert "data-health-claim" not in text(select(edit, "#panel-child-content-wording_to_check-content")[0])


def test_a_flagged_summary_leads_to_the_summary_field(admin_client, ms_page):
    save_draft(admin_client, ms_page, CURE, [("about", [HONEST])])
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[ms_page.pk]))
    (item,) = select(edit, "#panel-child-content-wording_to_check-content li")
    link = item.select_one("a")
    assert text(link) == "Summary"
    assert select(edit, link["href"]), link["href"]


def test_a_page_without_overclaims_says_so(admin_client, ms_page):
    save_draft(admin_client, ms_page, "MS is a long-term condition.", [("about", [HONEST])])
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[ms_page.pk]))
    panel = select(edit, "#panel-child-content-wording_to_check-content")[0]
    assert not panel.select("li") and "No sentence" in text(panel)


def test_the_preview_highlights_the_whole_sentence_with_its_kind_named(admin_client, ms_page):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[ms_page.pk])
    form = form_data(ms_page, "MS is a long-term condition.", [("stem_cells", [HONEST, CURE])])
    assert admin_client.post(url, form).json()["is_valid"]
    preview = admin_client.get(url)
    (mark,) = select(preview, "[data-health-claim]")
    assert text(mark) == CURE
    assert mark["data-health-claim-name"] == wording.KINDS_BY_KEY["cure"].name
