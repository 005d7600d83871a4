"""A condition page's text as the clinic writes it: paragraphs in one of its sections."""

from wagtail.rich_text import RichText


def in_section(*paragraphs, section="stem_cells"):
    """A condition page body holding `paragraphs` (HTML) in `section` (a block name of
    conditions.blocks.ConditionBodyBlock)."""
    return [(section, {"heading": "", "content": [("paragraph", RichText(html)) for html in paragraphs]})]


def option(name, *, evidence=(), **cells):
    """One option of "Compare your options": `cells` as the editor fills them in, `evidence` the
    articles it cites."""
    return {
        "name": name,
        "involves": cells.get("involves", f"What {name} involves."),
        "evidence": list(evidence),
        "risks": cells.get("risks", f"The risks of {name}."),
        "cost": cells.get("cost", f"The cost of {name}."),
        "regulatory_status": cells.get("regulatory_status", f"The status of {name}."),
    }


def comparing(*options, caption="Compare your options", section="standard_treatments"):
    """A condition page body whose `section` holds "Compare your options" with `options`."""
    return [
        (
            section,
            {"heading": "", "content": [("compare_options", {"caption": caption, "options": list(options)})]},
        )
    ]
