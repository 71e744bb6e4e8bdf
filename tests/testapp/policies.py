"""A moderation policy of the test site's own: a question page takes questions."""

from functools import partial

from django.core.mail import send_mail
from django.db import transaction

from comments.models import CommentStatus
from comments.policy import ModerationPolicy

QUESTIONS_DESK = "questions@example.com"


class QuestionPolicy(ModerationPolicy):
    """A top-level comment must ask a question (replies may answer); questions are shown at
    once unless the site's keywords make them spam; the questions desk hears of each one
    instead of the moderators."""

    def allow(self, comment, request) -> bool:
        return comment.parent_id is not None or "?" in comment.body

    def initial_status(self, comment, request) -> str:
        status = super().initial_status(comment, request)
        return CommentStatus.SPAM if status == CommentStatus.SPAM else CommentStatus.APPROVED

    def notify(self, comment, request) -> None:
        transaction.on_commit(
            partial(
                send_mail,
                f"New question on {comment.page.title}",
                comment.body,
                None,
                [QUESTIONS_DESK],
            )
        )
