"""Which status a new comment starts in: the site's rules, applied in WordPress's order.

Disallowed keywords send a comment to spam; moderation keywords or too many links hold it;
otherwise the approval policy decides.
"""

from __future__ import annotations

from .conf import ApprovalPolicy, DiscussionOptions
from .models import Comment, CommentStatus
from .sanitize import count_links
from .tokens import author_token_matches


def matches_keyword(keywords: list[str], *texts: str) -> bool:
    haystack = "\n".join(text.lower() for text in texts if text)
    return any(word.strip().lower() in haystack for word in keywords if word.strip())


def author_previously_approved(comment: Comment, author_token: str | None = None) -> bool:
    """A logged-in account with an approved comment, or the email of an approved comment
    together with the signed token this browser received when it posted before. Copying a
    known commenter's name and email is not enough."""
    approved = Comment.objects.approved()
    if comment.user_id is not None:
        return approved.filter(user_id=comment.user_id).exists()
    if not author_token_matches(author_token, comment.email):
        return False
    return approved.filter(email__iexact=comment.email).exists()


def initial_status(
    comment: Comment, options: DiscussionOptions, author_token: str | None = None
) -> str:
    fields = (comment.name, comment.email, comment.website, comment.body)
    ip_and_agent = (comment.ip_address or "", comment.user_agent)
    if matches_keyword(options.disallowed_keywords, *fields, *ip_and_agent):
        return CommentStatus.SPAM
    if matches_keyword(options.moderation_keywords, *fields, *ip_and_agent):
        return CommentStatus.PENDING
    if count_links(comment.body_html) > options.max_links:
        return CommentStatus.PENDING
    if options.approval_policy == ApprovalPolicy.APPROVE:
        return CommentStatus.APPROVED
    if options.approval_policy == ApprovalPolicy.PREVIOUSLY_APPROVED and (
        author_previously_approved(comment, author_token)
    ):
        return CommentStatus.APPROVED
    return CommentStatus.PENDING
