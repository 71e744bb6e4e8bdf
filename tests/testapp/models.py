"""Two page types that take comments: one as the app ships it, one that uses every
extension point (its own moderation policy and comment list)."""

from wagtail.models import Page

from comments.models import CommentsMixin


class DiscussionPage(CommentsMixin, Page):
    """Comments exactly as the app ships them."""

    template = "testapp/page.html"


class QuestionPage(CommentsMixin, Page):
    """Readers ask questions: its own policy (``policies.py``) and its own comment list
    (``templates/comments/testapp/questionpage/``)."""

    template = "testapp/page.html"
    comment_policy = "tests.testapp.policies.QuestionPolicy"
