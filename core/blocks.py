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


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul", "superscript"],
        icon="pilcrow",
    )
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
