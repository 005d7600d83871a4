"""StreamField blocks that editors compose page bodies from."""

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Sub-heading")],
        default="h2",
        help_text="The page title is the only top-level heading; sections start at this level.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        help_text = "A highlighted box for something patients must not miss."


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"


class UrgentHelpBlock(blocks.StructBlock):
    """When to see a doctor and when to get help at once: the NHS "care card", so that no patient
    waits on a consultation when they need care now."""

    see_your_doctor = blocks.ListBlock(
        blocks.CharBlock(max_length=200),
        label="See your doctor if",
        min_num=1,
        help_text="Signs that need a doctor soon but not at once, each one short.",
    )
    urgent_help = blocks.ListBlock(
        blocks.CharBlock(max_length=200),
        label="Get urgent help if",
        min_num=1,
        help_text="Signs that need help at once.",
    )
    urgent_action = blocks.CharBlock(
        max_length=200,
        default="Call 999 or go to A&E.",
        help_text="What to do for urgent help where your patients live.",
    )

    class Meta:
        icon = "warning"
        template = "blocks/urgent_help.html"
        label = "Urgent-help card"
        description = "When to see a doctor and when to get urgent help (the NHS care card)."
        preview_value = {
            "see_your_doctor": ["(a sign that needs a doctor soon)"],
            "urgent_help": ["(a sign that needs help at once)"],
            "urgent_action": "Call 999 or go to A&E.",
        }


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul", "superscript"],
        icon="pilcrow",
    )
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    urgent_help = UrgentHelpBlock()
