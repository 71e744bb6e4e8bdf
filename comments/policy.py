"""Moderation policies: what happens to a reader's comment once it passed the form, per page
type (the idea of django-contrib-comments' ``CommentModerator``).

A page type names its policy with ``CommentsMixin.comment_policy`` (a class or a dotted
path); otherwise ``COMMENTS_MODERATION_POLICY`` applies, by default ``ModerationPolicy``,
which is what every page had before policies existed. The comment POST asks the policy, in
order: ``spam_checks()`` (run on the valid form), ``allow()`` (refuse the comment outright),
``initial_status()`` (published, held or spam), then ``notify()`` once the comment is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.module_loading import import_string

from .conf import DiscussionOptions, app_setting
from .models import Comment
from .moderation import initial_status
from .notifications import comment_posted
from .spam import Refusal, Submission
from .tokens import AUTHOR_COOKIE

SpamCheck = Callable[[Submission], Refusal | None]


class ModerationPolicy:
    """The site's Discussion settings decide (keywords, links, approval policy); held
    comments are e-mailed to the moderators, published ones to the page's owner and the
    thread's followers. Subclass it and override one method to change one thing."""

    def __init__(self, page, options: DiscussionOptions) -> None:
        self.page = page
        self.options = options

    def spam_checks(self) -> list[SpamCheck]:
        """The checks run on every valid post, in order (``COMMENTS_SPAM_CHECKS``)."""
        return [import_string(path) for path in app_setting("SPAM_CHECKS")]

    def allow(self, comment: Comment, request: HttpRequest) -> bool:
        """False refuses the comment: nothing is stored and the reader is told so."""
        return True

    def initial_status(self, comment: Comment, request: HttpRequest) -> str:
        """A ``CommentStatus``: approved (shown at once), pending (held) or spam."""
        return initial_status(comment, self.options, request.COOKIES.get(AUTHOR_COOKIE))

    def notify(self, comment: Comment, request: HttpRequest) -> None:
        """Called inside the transaction that saved the comment: queue e-mails here (they
        are sent once it commits)."""
        comment_posted(comment)


def policy_for(page, options: DiscussionOptions) -> ModerationPolicy:
    """The policy of this page's type: its ``comment_policy``, else the site's default."""
    policy = getattr(page, "comment_policy", None) or app_setting("MODERATION_POLICY")
    policy_class = import_string(policy) if isinstance(policy, str) else policy
    return policy_class(page, options)
