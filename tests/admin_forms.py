"""Build the POST data that the Wagtail page editor sends for a condition page or an article."""

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
        "body": streamfield(
            [
                (
                    "stem_cells",
                    {
                        "heading": "",
                        "content": streamfield(
                            [("paragraph", rich_text(f"<p>{text}</p>")) for text in paragraphs]
                        ),
                    },
                )
            ]
        ),
    }
    data.update(overrides)
    form = nested_form_data(data)
    if action:
        form[action] = "1"
    return form


def article_page_form(*, title, conditions, slug, action=None, paragraphs=(), **fields):
    """Form data for an article about `conditions` (pages); `fields` override the defaults below.

    paragraphs: an in-house body; action as for condition_page_form.
    """
    data = {
        "title": title,
        "slug": slug,
        "summary": "What the study found, in plain language.",
        "kind": "randomised-trial",
        "date_precision": "day",
        "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>")) for text in paragraphs]),
    }
    data.update(fields)
    form = nested_form_data(data)
    # A many-to-many field posts one value per chosen page, as the editor's checkboxes do.
    form["conditions"] = [page.pk for page in conditions]
    if action:
        form[action] = "1"
    return form
