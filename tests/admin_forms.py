"""Build the POST data that the Wagtail page editor sends for a condition page."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def condition_page_form(page, *, paragraphs, action=None, **overrides):
    """Form data for `page` with its body replaced by `paragraphs`.

    action: the editor button pressed, e.g. "action-publish" or "action-submit"; None saves a draft.
    """
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "articles_heading": page.articles_heading,
        "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>")) for text in paragraphs]),
    }
    data.update(overrides)
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form
