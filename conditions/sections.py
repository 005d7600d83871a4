"""A condition page's sections: first, right after the summary, when to get urgent help (as the NHS
puts it high, so that nobody scrolls past a booking box to find it); then in the order patients
weigh a treatment: what the condition is, its standard treatments, what stem cell therapy may do
and involves, what the research shows, the trials recruiting now, the risks, cost and eligibility,
the consultation, questions to ask; and who reviewed the page.

Some are written by the clinic (conditions.blocks, shown only once written); the rest are built
from data and appear by themselves. Each has a stable anchor for the "On this page" list.
"""

from dataclasses import dataclass

# Written sections by their block name; the others are built from data.
ORDER = (
    "treatment_status",
    "urgent_help",
    "about",
    "standard_treatments",
    "stem_cells",
    "therapy",
    "research",
    "trials",
    "risks",
    "cost_and_eligibility",
    "consultation",
    "questions",
    "review",
)
BUILT_FROM_DATA = {
    "treatment_status": "includes/treatment_status.html",
    "research": "conditions/includes/research.html",
    "trials": "conditions/includes/recruiting_trials.html",
    "consultation": "conditions/includes/consultation.html",
    "questions": "conditions/includes/questions.html",
    "review": "conditions/includes/medical_review.html",
}
WRITTEN_TEMPLATE = "conditions/includes/written_section.html"
TRIALS_HEADING = "Trials you could join"


@dataclass(frozen=True)
class Section:
    kind: str
    heading: str
    template: str
    # The clinic's own words for the section, if written (a ConditionSectionBlock's value).
    written: object = None

    @property
    def anchor(self):
        return self.kind.replace("_", "-")


def body_block(page):
    return page._meta.get_field("body").stream_block


def written_sections(page):
    """The sections the clinic has written on `page`, by block name."""
    return {block.block_type: block for block in page.body}


def heading_of(page, kind, written):
    block = body_block(page).child_blocks[kind]
    return block.heading_for(page.title, written.value["heading"] if written else "")


def sections_of(page, chrome):
    """The sections `page` shows, in order, given the site chrome (treatment status, links)."""
    written = written_sections(page)
    shown = {
        "treatment_status": ("Treatment status", bool(chrome.get("treatment_status"))),
        "research": (page.articles_heading, True),
        "trials": (TRIALS_HEADING, page.recruiting_trials_search is not None),
        "questions": ("Questions to ask before treatment", bool(chrome.get("questions"))),
        "review": ("About this information", True),
    }
    sections = []
    for kind in ORDER:
        block = written.get(kind)
        if kind in shown:
            heading, present = shown[kind]
            if present:
                sections.append(Section(kind, heading, BUILT_FROM_DATA[kind]))
        elif kind == "consultation":
            # The way to book is there even before the clinic describes the consultation.
            if block is not None or chrome.get("consultation"):
                sections.append(Section(kind, heading_of(page, kind, block), BUILT_FROM_DATA[kind], block))
        elif block is not None:
            sections.append(Section(kind, heading_of(page, kind, block), WRITTEN_TEMPLATE, block))
    return sections


def missing_sections(page):
    """The recommended sections only the clinic can write that `page` still lacks, by label."""
    written = written_sections(page)
    return [block.label for name, block in body_block(page).child_blocks.items() if name not in written]
