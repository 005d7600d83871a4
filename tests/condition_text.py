"""A condition page's text as the clinic writes it: paragraphs in one of its sections."""

from wagtail.rich_text import RichText


def in_section(*paragraphs, section="stem_cells"):
    """A condition page body holding `paragraphs` (HTML) in `section` (a block name of
    conditions.blocks.ConditionBodyBlock)."""
    return [(section, {"heading": "", "content": [("paragraph", RichText(html)) for html in paragraphs]})]
