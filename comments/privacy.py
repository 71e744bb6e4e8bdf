"""A commenter's personal data: export it, erase it, and stop keeping what is no longer needed.

Used by the admin's privacy tools and the ``export_comment_data``, ``erase_comment_data`` and
``comments_housekeeping`` commands. A commenter is known by their email address, matched
whatever its case.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import messages
from .conf import app_setting
from .models import (
    Comment,
    CommentEmailAddress,
    CommenterNote,
    CommentQuerySet,
    CommentReport,
    CommentStatus,
    PageFollow,
    normalised_email,
)


def comments_by(email: str, within: CommentQuerySet | None = None) -> CommentQuerySet:
    """Every comment with this address (among ``within``, every comment by default); none for
    a blank one, which anonymised comments share."""
    email = (email or "").strip()
    comments = Comment.objects.all() if within is None else within
    if not email:
        return comments.none()
    return comments.filter(email__iexact=email)


def export_comments(email: str, within: CommentQuerySet | None = None) -> list[dict]:
    """Everything stored about the commenter's comments, as JSON-ready dicts, oldest first."""
    comments = comments_by(email, within).select_related("page").order_by("created", "pk")
    page_urls: dict[int, str] = {}
    exported = []
    for comment in comments:
        if comment.page_id not in page_urls:
            page_urls[comment.page_id] = comment.page.get_full_url() or ""
        exported.append(
            {
                "id": comment.pk,
                "page": {"title": comment.page.title, "url": page_urls[comment.page_id]},
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "website": comment.website,
                "body": comment.body,
                "status": comment.status,
                "created": comment.created.isoformat(),
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
                "notify_replies": comment.notify_replies,
            }
        )
    return exported


def export_note(email: str) -> dict | None:
    """The moderators' private note on the commenter (commenters.py), if there is one."""
    email = normalised_email(email)
    note = CommenterNote.objects.filter(email=email).first() if email else None
    if note is None:
        return None
    return {"note": note.note, "updated": note.updated_at.isoformat()}


def export_follows(email: str) -> list[dict]:
    """The articles the address follows, or asked to (``follows.py``)."""
    email = normalised_email(email)
    follows = PageFollow.objects.filter(email=email).select_related("page").order_by("pk")
    return [
        {
            "page": {"title": follow.page.title, "url": follow.page.get_full_url() or ""},
            "mode": follow.mode,
            "created": follow.created.isoformat(),
            "confirmed": follow.confirmed_at.isoformat() if follow.confirmed_at else None,
        }
        for follow in (follows if email else [])
    ]


def export_commenter(email: str, within: CommentQuerySet | None = None) -> dict:
    """Everything about one commenter, as the admin's export and the command give it; a
    moderator limited to sections of the site exports the comments there (``within``)."""
    return {
        "email": email.strip(),
        "comments": export_comments(email, within),
        "moderator_note": export_note(email),
        "follows": export_follows(email),
    }


def erase_comments(email: str, delete: bool = False, within: CommentQuerySet | None = None) -> int:
    """Anonymises the commenter's comments (their words and the thread stay), or deletes them
    (replies to them then move up to the top level); either way the moderators' note on them
    goes, and so do the articles the address follows. The address is also taken off the
    reports this reader sent (``CommentReport.email``). Given ``within`` (a moderator's
    sections), only those comments: what concerns the commenter site-wide (note, confirmed
    address, reports, follows) stays for a site-wide moderator.
    Returns how many comments."""
    comments = comments_by(email, within)
    with transaction.atomic():
        # Whether and when the address was confirmed is about its owner too.
        if within is None and (normalised := normalised_email(email)):
            CommentEmailAddress.objects.filter(email=normalised).delete()
            CommentReport.objects.filter(email__iexact=email.strip()).update(email="")
            CommenterNote.objects.filter(email=normalised).delete()
            PageFollow.objects.filter(email=normalised).delete()
        if delete:
            _, deleted = comments.delete()
            return deleted.get(Comment._meta.label, 0)
        return comments.update(
            name=str(messages.ANONYMOUS_NAME),
            email="",
            website="",
            ip_address=None,
            user_agent="",
            notify_replies=False,
            user=None,  # an account identifies its holder as well as an address does
        )


def purge_spam_and_bin(now: datetime.datetime | None = None) -> int:
    """Deletes Spam and Bin comments unchanged for COMMENTS_PURGE_AFTER_DAYS, counted from
    their last change (the move to Spam or the Bin), as WordPress empties its trash."""
    days = app_setting("PURGE_AFTER_DAYS")
    if days is None:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    _, deleted = Comment.objects.filter(
        status__in=[CommentStatus.SPAM, CommentStatus.TRASH], updated__lt=cutoff
    ).delete()
    return deleted.get(Comment._meta.label, 0)


def forget_unconfirmed_follows(now: datetime.datetime | None = None) -> int:
    """Deletes the follows (``follows.py``) nobody confirmed while their link worked: they
    never will be, and they keep an address its owner may never have typed."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=app_setting("CONFIRM_MAX_AGE"))
    deleted, _ = PageFollow.objects.filter(confirmed_at__isnull=True, created__lt=cutoff).delete()
    return deleted


def forget_network_details(now: datetime.datetime | None = None) -> int:
    """Clears the IP address and user agent of comments older than COMMENTS_IP_RETENTION_DAYS:
        they serve spam checks on new comments only (and the IP that asked for a confirmation
    e-mail, its rate limit). ``update`` leaves ``updated`` alone."""
    days = app_setting("IP_RETENTION_DAYS")
    if days is None:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    # The IP that asked for a confirmation e-mail serves its hourly limit only.
    CommentEmailAddress.objects.filter(
        confirmation_ip__isnull=False, confirmation_sent_at__lt=cutoff
    ).update(confirmation_ip=None)
    return (
        Comment.objects.filter(created__lt=cutoff)
        .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
        .update(ip_address=None, user_agent="")
    )
