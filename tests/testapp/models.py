"""Two page types that take comments: one as the app ships it, one that uses every
extension point (its own moderation policy and comment list)."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from comments.models import CommentsMixin
from comments.panels import CommentCountPanel

# As the README's install steps have it: the switch and the count in the editor's settings.
COMMENT_PANELS = [
    MultiFieldPanel([FieldPanel("allow_comments"), CommentCountPanel()], heading="Comments")
]


class DiscussionPage(CommentsMixin, Page):
    """Comments exactly as the app ships them."""

    template = "testapp/page.html"
    settings_panels = Page.settings_panels + COMMENT_PANELS


class QuestionPage(CommentsMixin, Page):
    """Readers ask questions: its own policy (``policies.py``) and its own comment list
    (``templates/comments/testapp/questionpage/``)."""

    template = "testapp/page.html"
    settings_panels = Page.settings_panels + COMMENT_PANELS
    comment_policy = "tests.testapp.policies.QuestionPolicy"
