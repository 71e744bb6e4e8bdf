"""Receivers of the comment signals, connected by the tests that use them."""

from comments.models import Comment

BLOCKED_EMAIL = "troll@example.com"


def refuse_blocked_address(sender, comment: Comment, request, **kwargs) -> bool:
    """comment_will_be_posted: the site refuses one address outright."""
    return comment.email.lower() != BLOCKED_EMAIL


def sign_staff_comments(sender, comment: Comment, request, **kwargs) -> None:
    """comment_will_be_posted: a receiver may change the comment before it is saved."""
    if comment.email.endswith("@clinic.example"):
        comment.name = f"{comment.name} (staff)"
