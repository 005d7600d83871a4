"""Rules of the apps' own for Wagtail's content checker (the page editor's Checks panel and the
userbar): each marks what it finds in the page's HTML with an attribute that a rule selects."""

from wagtail.admin.userbar import ContentCheckerItem


def add_content_checks(items, *, rules, checks, messages):
    """Add axe-core `rules`, their `checks` and the editor's `messages` to the userbar's checker."""
    for item in items:
        if isinstance(item, ContentCheckerItem):
            item.axe_custom_rules = [*item.axe_custom_rules, *rules]
            item.axe_custom_checks = [*item.axe_custom_checks, *checks]
            item.axe_run_only = [*item.axe_run_only, *(rule["id"] for rule in rules)]
            item.axe_messages = {**item.axe_messages, **messages}


def marked_content_check(check_id, attribute):
    """An axe-core check true for every element carrying `attribute` with some text in it, so
    that a rule listing it under "none" reports each one. (Wagtail maps only its own checks to
    functions; this one is axe-core's own evaluation.)"""
    return {
        "id": check_id,
        "evaluate": "attr-non-space-content-evaluate",
        "options": {"attribute": attribute},
    }
