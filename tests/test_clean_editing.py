"""Clean editing of condition pages (issue #29): sections added and left empty are not kept in the
page's versions and never make the form invalid (nothing the editor typed is lost); the editor shows
one measure of plain words, the clinic's reading age."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from conditions.models import ConditionPage
from tests.html import page_text, select, text

ABOUT = "MS is a long-term condition."
EMPTY_SECTION = {"heading": "", "content": streamfield([])}


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def save_sections(client, page, sections, action=None):
    """Save a draft of `page` with `sections` (block name, heading, paragraphs) as its body."""
    body = [
        (
            name,
            {
                "heading": heading,
                # An empty rich text box posts nothing, as Draftail sends it.
                "content": streamfield(
                    [("paragraph", rich_text(f"<p>{p}</p>") if p else "null") for p in paragraphs]
                ),
            },
        )
        for name, heading, paragraphs in sections
    ]
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "articles_heading": page.articles_heading,
            "body": streamfield(body),
        }
    )
    if action:
        data[action] = "1"
    return client.post(edit_url(page), data)


def latest_draft(page):
    return ConditionPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def sections_still_to_write(client, page):
    edit = client.get(edit_url(page))
    return [
        text(item)
        for item in select(
            edit, 'p:-soup-contains("Patients weighing this treatment look for these sections") + ul li'
        )
    ]


def test_sections_added_and_left_empty_are_not_kept(admin_client, ms_page):
    response = save_sections(
        admin_client,
        ms_page,
        [("about", "", [ABOUT]), ("risks", "", []), ("urgent_help", "", [""])],
    )
    # Saved, not sent back with "This field is required".
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = latest_draft(ms_page)
    assert [block.block_type for block in draft.body] == ["about"]
    # Opened again, the empty sections are still to write, not there empty.
    assert "Risks and side effects" in sections_still_to_write(admin_client, ms_page)
    assert "When to get urgent help" in sections_still_to_write(admin_client, ms_page)


def test_what_the_editor_typed_is_kept_and_only_empty_paragraphs_go(admin_client, ms_page):
    response = save_sections(
        admin_client,
        ms_page,
        [("about", "", [ABOUT, ""]), ("risks", "Risks we know of", [])],
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = latest_draft(ms_page)
    about, risks = draft.body
    assert [ABOUT in paragraph.value.source for paragraph in about.value["content"]] == [True]
    assert (risks.block_type, risks.value["heading"]) == ("risks", "Risks we know of")


def test_an_empty_section_does_not_stop_publishing(admin_client, client, ms_page):
    response = save_sections(
        admin_client, ms_page, [("about", "", [ABOUT]), ("risks", "", [""])], action="action-publish"
    )
    assert response.status_code == 302, [text(e) for e in select(response, ".error-message")]
    page = client.get(ms_page.url)
    assert ABOUT in page_text(page)
    assert not select(page, "#risks")


def test_the_editor_shows_one_measure_of_plain_words(admin_client, ms_page):
    edit = admin_client.get(edit_url(ms_page))
    checks = select(edit, '[data-side-panel="checks"]')[0]
    # Wagtail's "Readability: Good/Fair/Complex" is gone; its word count and reading time stay.
    assert "Readability" not in text(checks)
    assert not checks.select("[data-content-readability-score]")
    assert checks.select("[data-content-word-count]") and checks.select("[data-content-reading-time]")
    assert text(select(edit, "#panel-child-content-reading_age-content strong")[0]).startswith("Reading age ")
