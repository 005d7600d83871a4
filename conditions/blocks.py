"""The sections of a condition page that only the clinic can write, each offered once in the editor
with guidance on what belongs in it. The page shows them in the order patients weigh a treatment,
between the sections built from data (conditions.sections)."""

from django import forms
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.admin.telepath import register
from wagtail.blocks.stream_block import StreamBlockAdapter
from wagtail.rich_text import RichText

from core.blocks import BodyBlock

REVIEW_NOTE = " Every medical statement here is checked by the medical reviewer before patients read it."


class ComparedOptionBlock(blocks.StructBlock):
    """One row of "Compare your options": an option a patient may choose, in the clinic's words."""

    name = blocks.CharBlock(
        max_length=120,
        label="Option",
        help_text="For example the standard treatments, a registered trial, treatment at the clinic, no change.",
    )
    involves = blocks.TextBlock(label="What it involves")
    # Cited by the app's label, never imported: conditions sits below articles (docs/architecture.md).
    # The page works out the strength of the evidence from the articles' kinds.
    evidence = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="articles.ArticlePage", label="Article"),
        label="The evidence",
        help_text="The articles behind this option. Patients see the strongest kind of study among them; a "
        "retracted article is marked Retracted and not counted.",
    )
    risks = blocks.TextBlock(label="Main risks")
    cost = blocks.TextBlock(label="Cost")
    regulatory_status = blocks.TextBlock(label="Regulatory status")

    class Meta:
        icon = "list-ul"
        label = "Option"


class CompareOptionsBlock(blocks.StructBlock):
    """A decision aid as the NHS and NICE make them: the options side by side, one row each. A table
    on a wide screen, one card per option on a phone (CSS alone)."""

    caption = blocks.CharBlock(
        max_length=120,
        default="Compare your options",
        help_text="The table's title: screen readers announce it before the table.",
    )
    options = blocks.ListBlock(ComparedOptionBlock(), min_num=2, label="Options")

    class Meta:
        icon = "table"
        template = "conditions/blocks/compare_options.html"
        label = "Compare your options"
        description = (
            "The options a patient may choose side by side (for example standard treatments, a registered "
            "trial, treatment at the clinic, no change): what each involves, the evidence, main risks, cost "
            "and regulatory status."
        )
        preview_value = {
            "caption": "Compare your options",
            "options": [
                {
                    "name": f"({which})",
                    "involves": "(what it involves)",
                    "evidence": [],
                    "risks": "(its main risks)",
                    "cost": "(its cost)",
                    "regulatory_status": "(its regulatory status)",
                }
                for which in (
                    "an option, such as the standard treatments",
                    "another option, such as no change",
                )
            ],
        }


class SectionContentBlock(BodyBlock):
    """What a condition page's section may hold: the body blocks of every page, and the comparison of
    options that only a condition page has."""

    compare_options = CompareOptionsBlock()


class ConditionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Left empty, the recommended heading shown above is used.",
    )
    # A section with a heading and nothing under it yet is kept (the editor typed it), never refused.
    content = SectionContentBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "conditions/blocks/section.html"

    def heading_for(self, title, written_heading=""):
        """The section's heading on the page titled `title`: the editor's, else the recommended one."""
        return written_heading or self.meta.default_heading.format(title=title)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        page = (parent_context or {}).get("page")
        # The editor's preview has no page: its heading names the condition in general.
        context["heading"] = self.heading_for(page.title if page else "the condition", value["heading"])
        return context


def section(label, guidance, default_heading):
    return ConditionSectionBlock(
        label=label,
        help_text=guidance + REVIEW_NOTE,
        default_heading=default_heading,
        preview_value={"heading": "", "content": [("paragraph", f"<p>({guidance})</p>")]},
        description=guidance,
    )


def untouched(block, value):
    """Whether `value` holds nothing an editor typed: blank text, an empty rich text box, a list or
    stream of untouched items, a struct whose every part is untouched or as it was offered."""
    if isinstance(block, blocks.BaseStreamBlock):
        return all(untouched(child.block, child.value) for child in value)
    if isinstance(block, blocks.ListBlock):
        return all(untouched(block.child_block, item) for item in value)
    if isinstance(block, blocks.StructBlock):
        return all(untouched(child, value.get(name)) for name, child in block.child_blocks.items())
    if isinstance(value, RichText):
        value = value.source
    if value is None or (isinstance(value, str) and not strip_tags(value).strip()):
        return True
    return value == block.get_default()


def without_untouched(block, value):
    """`value` (of a stream `block`) without the blocks left untouched, in it and in its sections."""
    kept = []
    for child in value:
        if untouched(child.block, child.value):
            continue
        child_value = child.value
        if isinstance(child.block, blocks.StructBlock):
            child_value = blocks.StructValue(
                child.block,
                [
                    (name, without_untouched(part, child_value[name]))
                    if isinstance(part, blocks.BaseStreamBlock)
                    else (name, child_value[name])
                    for name, part in child.block.child_blocks.items()
                ],
            )
        elif isinstance(child.block, blocks.BaseStreamBlock):
            child_value = without_untouched(child.block, child_value)
        kept.append((child.block_type, child_value, child.id))
    return blocks.StreamValue(block, kept)


class ConditionBodyBlock(blocks.StreamBlock):
    """What the clinic writes, section by section. {title} in a heading is the page's title."""

    about = section(
        "What the condition is",
        "What the condition is and how it affects people's lives, in plain words.",
        "What is {title}?",
    )
    standard_treatments = section(
        "Standard treatments",
        "The approved treatments people with the condition are usually offered, so that stem cell "
        "therapy is read beside them.",
        "Standard treatments",
    )
    stem_cells = section(
        "How stem cell therapy may help",
        "What the clinic says stem cell therapy may do for the condition, citing the studies behind "
        "each statement (link words to an article to cite it).",
        "How stem cell therapy may help",
    )
    therapy = section(
        "What the treatment involves",
        "What happens, step by step: tests beforehand, how the cells are collected and given, how "
        "long it takes, and follow-up.",
        "What the treatment involves",
    )
    risks = section(
        "Risks and side effects",
        "Known and possible risks and side effects, and what is not yet known about long-term safety.",
        "Risks and side effects",
    )
    cost_and_eligibility = section(
        "Cost and who may be eligible",
        "The full cost and what it includes, and who may or may not be treated.",
        "Cost and who may be eligible",
    )
    consultation = section(
        "What happens at a consultation",
        "Who the patient meets, how long it takes, what to bring, and that they are under no obligation.",
        "What happens at a consultation",
    )
    urgent_help = section(
        "When to get urgent help",
        "Add an urgent-help card: when to see a doctor, and when to get help at once.",
        "When to get urgent help",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each section once: the page places it, whatever its order here.
        self.meta.block_counts = {name: {"max_num": 1} for name in self.child_blocks}

    def clean(self, value):
        # Sections (and the blocks in them) added and left empty are dropped before they are checked:
        # an empty block never makes the page invalid, and no version keeps it to come back next time.
        return super().clean(without_untouched(self, value))


class SectionsStreamBlockAdapter(StreamBlockAdapter):
    """The editor's form for the sections, whose "+" offers only the sections the page does not
    have yet (conditions/static/conditions/section_chooser.js): each is allowed once."""

    js_constructor = "conditions.blocks.SectionsStreamBlock"

    @cached_property
    def media(self):
        return super().media + forms.Media(js=["conditions/section_chooser.js"])


register(SectionsStreamBlockAdapter(), ConditionBodyBlock)
