"""StreamField blocks an article body is written with."""

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (h2)"), ("h3", "Sub-heading (h3)")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blog/blocks/heading.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False, help_text="Describe the image for screen readers; empty if decorative."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "blog/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blog/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])
    tone = blocks.ChoiceBlock(
        choices=[("info", "Information"), ("tip", "Tip"), ("warning", "Warning")], default="info"
    )

    class Meta:
        icon = "warning"
        template = "blog/blocks/callout.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="blog/blocks/paragraph.html"
    )
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
