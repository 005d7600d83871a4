"""The sections of a condition page that only the clinic can write, each offered once in the editor
with guidance on what belongs in it. The page shows them in the order patients weigh a treatment,
between the sections built from data (conditions.sections)."""

from wagtail import blocks

from core.blocks import BodyBlock

REVIEW_NOTE = " Every medical statement here is checked by the medical reviewer before patients read it."


class ConditionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        help_text="Left empty, the recommended heading shown above is used.",
    )
    content = BodyBlock()

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
