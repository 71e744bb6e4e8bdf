"""Following an article's comments without writing one: "Notify me of new comments".

A reader leaves an address and a choice (an e-mail for each new comment, or a daily digest).
The follow is stored unconfirmed and the address is sent one confirmation e-mail, under the
same limits as ``addresses.py``'s (per address and per IP, never to an address that opted
out); confirming the follow confirms the address too. A browser that proves it reads the
address's mail (the ``comment_verified`` cookie) follows at once.

Published comments reach followers through the ``comments_published`` signal: each confirmed
follower of the article, the comment's author excepted, gets one e-mail per comment, queued
as a task. Daily followers get one digest of what was published since their last one from
``send_digests`` (a task, run by the ``comments_send_digests`` command from cron).

Every follow e-mail carries a one-click "stop following this article" link (RFC 8058, also
in ``List-Unsubscribe``) and the "never e-mail me again" link.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from . import messages
from .addresses import (
    LinkError,
    browser_proves_address,
    claim_confirmation_email,
    confirm_address,
    make_never_email_token,
    read_signed_link,
)
from .background import enqueue_when_committed
from .client import client_ip
from .conf import app_setting
from .models import (
    Comment,
    CommentEmailAddress,
    CommentStatus,
    FollowMode,
    PageFollow,
    normalised_email,
)
from .notifications import (
    PageFacts,
    absolute_url,
    approval_recipients,
    build_email,
    comment_context,
    header_safe,
    send_all,
    valid_address,
)

FOLLOW_SALT = "comments.follow-confirm"
UNFOLLOW_SALT = "comments.unfollow"


# Signed links ------------------------------------------------------------------------------


def make_follow_token(page_id: int, email: str, mode: str) -> str:
    signer = signing.TimestampSigner(salt=FOLLOW_SALT)
    return signer.sign_object({"p": page_id, "e": normalised_email(email), "m": mode})


def read_follow_token(token: str) -> tuple[int, str, str]:
    """The page, address and mode a confirmation link was made for."""
    data = read_signed_link(token, FOLLOW_SALT)
    page_id, email, mode = data.get("p"), data.get("e"), data.get("m")
    if not isinstance(page_id, int) or not isinstance(email, str) or not email:
        raise LinkError("invalid")
    if mode not in FollowMode.values:
        raise LinkError("invalid")
    return page_id, email, mode


def make_unfollow_token(page_id: int, email: str) -> str:
    signer = signing.TimestampSigner(salt=UNFOLLOW_SALT)
    return signer.sign_object({"p": page_id, "e": normalised_email(email)})


def read_unfollow_token(token: str) -> tuple[int, str] | None:
    """The page and address of a "stop following" link, or None if forged or expired."""
    signer = signing.TimestampSigner(salt=UNFOLLOW_SALT)
    try:
        data = signer.unsign_object(token, max_age=app_setting("UNSUBSCRIBE_MAX_AGE"))
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    page_id, email = data.get("p"), data.get("e")
    if not isinstance(page_id, int) or not isinstance(email, str) or not email:
        return None
    return page_id, email


# The reader's requests ---------------------------------------------------------------------


def request_follow(page: Page, email: str, mode: str, request: HttpRequest) -> bool:
    """Store the follow and ask the address to confirm it; True when it was confirmed at once
    (the browser proved it reads the address's mail). Nothing is stored for, and nothing
    mailed to, an address that asked never to be e-mailed."""
    email = normalised_email(email)
    with transaction.atomic():
        record, _ = CommentEmailAddress.objects.get_or_create(email=email)
        if record.opted_out:
            return False
        follow, _ = PageFollow.objects.get_or_create(
            page_id=page.pk, email=email, defaults={"mode": mode}
        )
        if record.is_confirmed and browser_proves_address(request, email):
            follow.mode = mode
            follow.confirmed_at = follow.confirmed_at or timezone.now()
            follow.save(update_fields=["mode", "confirmed_at"])
            return True
        if claim_confirmation_email(record, client_ip(request)):
            enqueue_when_committed(send_follow_confirmation, follow.pk, mode)
    return False


def confirm_follow(page_id: int, email: str, mode: str, request: HttpRequest) -> PageFollow | None:
    """The owner of the address confirmed the follow through the mailed link: the address is
    confirmed as well (``addresses.confirm_address``). None if the page is gone."""
    if not Page.objects.filter(pk=page_id).exists():
        return None
    with transaction.atomic():
        confirm_address(email, None, request)
        follow, _ = PageFollow.objects.select_for_update().get_or_create(
            page_id=page_id, email=email, defaults={"mode": mode}
        )
        follow.mode = mode
        follow.confirmed_at = follow.confirmed_at or timezone.now()
        follow.save(update_fields=["mode", "confirmed_at"])
    return follow


def unfollow(page_id: int, email: str) -> None:
    PageFollow.objects.filter(page_id=page_id, email=normalised_email(email)).delete()


# E-mails -----------------------------------------------------------------------------------


@task()
def send_follow_confirmation(follow_id: int, mode: str) -> int:
    """E-mails the link that confirms a follow (and the one to never hear again)."""
    follow = PageFollow.objects.select_related("page").filter(pk=follow_id).first()
    address = valid_address(follow.email) if follow is not None else None
    if address is None:
        return 0
    if CommentEmailAddress.objects.filter(email=address, opted_out_at__isnull=False).exists():
        return 0
    page = follow.page
    site = page.get_site()
    title = header_safe(page.title)
    confirm_path = reverse(
        "comments:confirm_follow", args=[make_follow_token(page.pk, address, mode)]
    )
    never_url = absolute_url(
        site, reverse("comments:never_email", args=[make_never_email_token(address)])
    )
    valid_days = max(1, app_setting("CONFIRM_MAX_AGE") // (24 * 60 * 60))
    when = timezone.localtime(follow.created).strftime("%Y-%m-%d %H:%M %Z")
    context = {
        "intro": messages.EMAIL_FOLLOW_CONFIRM_INTRO % {"title": title, "when": when},
        "mode": FollowMode(mode).label,
        "page_url": page.get_full_url() or "",
        "confirm_url": absolute_url(site, confirm_path),
        "never_url": never_url,
        "valid_for": messages.EMAIL_CONFIRM_VALID_FOR % {"days": valid_days},
        "text": messages,
    }
    subject = messages.EMAIL_FOLLOW_CONFIRM_SUBJECT % {"title": title}
    return send_all([build_email("follow_confirm", subject, address, context, never_url)])


def follower_email(
    template: str, subject: str, follow: PageFollow, context: dict, site
) -> EmailMessage:
    """A message to a follower: one click stops following the article (RFC 8058), another
    stops every e-mail from the comments."""
    unfollow_url = absolute_url(
        site, reverse("comments:unfollow", args=[make_unfollow_token(follow.page_id, follow.email)])
    )
    never_url = absolute_url(
        site, reverse("comments:never_email", args=[make_never_email_token(follow.email)])
    )
    context = {**context, "unfollow_url": unfollow_url, "never_url": never_url}
    return build_email(template, subject, follow.email, context, unfollow_url)


def new_comments_published(sender, comment_ids: list[int], **kwargs) -> None:
    """``comments_published`` receiver: queue the e-mails to the articles' immediate
    followers (one query when nobody follows)."""
    pages = Comment.objects.filter(pk__in=comment_ids).values("page_id")
    followed = PageFollow.objects.filter(
        page_id__in=pages, mode=FollowMode.IMMEDIATE, confirmed_at__isnull=False
    )
    if followed.exists():
        enqueue_when_committed(send_follow_notices, [int(pk) for pk in comment_ids])


@task()
def send_follow_notices(comment_ids: list[int]) -> int:
    """One e-mail per immediate follower and published comment, never to its own author,
    nor to a follower who hears of it anyway: the page's owner, or a reader following the
    comment's thread, whose "new reply" e-mail says more."""
    comments = list(
        Comment.objects.filter(pk__in=comment_ids, status=CommentStatus.APPROVED)
        .select_related("page")
        .order_by("created", "pk")
    )
    followers: dict[int, list[PageFollow]] = defaultdict(list)
    for follow in (
        PageFollow.objects.mailable()
        .filter(page_id__in={comment.page_id for comment in comments}, mode=FollowMode.IMMEDIATE)
        .order_by("pk")
    ):
        followers[follow.page_id].append(follow)
    facts: dict[int, PageFacts] = {}
    emails = []
    for comment in comments:
        if not followers[comment.page_id]:
            continue
        if comment.page_id not in facts:
            facts[comment.page_id] = PageFacts(comment.page)
        page_facts = facts[comment.page_id]
        told = {
            address.lower() for _kind, address in approval_recipients(comment, False, page_facts)
        }
        context = comment_context(comment)
        title = {"title": context["page_title"]}
        context["intro"] = messages.EMAIL_FOLLOW_NEW_INTRO % title
        subject = messages.EMAIL_FOLLOW_NEW_SUBJECT % title
        author = normalised_email(comment.email)
        for follow in followers[comment.page_id]:
            if follow.email != author and follow.email not in told and valid_address(follow.email):
                emails.append(
                    follower_email("follow_new_comment", subject, follow, context, page_facts.site)
                )
    return send_all(emails)


# Daily digests -----------------------------------------------------------------------------


def digest_comments(follow: PageFollow, since: datetime.datetime, until: datetime.datetime):
    """The comments of the follow's article published in (since, until], not its own.

    A comment has no publication time of its own: ``updated`` is set when a moderator (or
    the policy) publishes it, and an author's later edit (``edited``) does not make an old
    comment new again."""
    return (
        Comment.objects.filter(
            page_id=follow.page_id,
            status=CommentStatus.APPROVED,
            updated__gt=since,
            updated__lte=until,
        )
        .exclude(Q(edited__gt=since) & Q(created__lte=since))
        .exclude(email__iexact=follow.email)
        .order_by("created", "pk")
    )


@task()
def send_digests() -> int:
    """Each daily follower whose last digest is older than ``COMMENTS_FOLLOW_DIGEST_HOURS``
    gets one e-mail listing what was published since (nothing new: no e-mail). Each follow's
    turn is claimed with an UPDATE first, so a second run, even a concurrent one, sends
    nothing twice."""
    now = timezone.now()
    due_before = now - datetime.timedelta(hours=app_setting("FOLLOW_DIGEST_HOURS"))
    follows = (
        PageFollow.objects.mailable()
        .filter(mode=FollowMode.DAILY)
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=due_before))
        .select_related("page")
        .order_by("page_id", "pk")
    )
    sites: dict[int, object] = {}
    sent = 0
    for follow in follows:
        claimed = PageFollow.objects.filter(
            pk=follow.pk, last_digest_at=follow.last_digest_at
        ).update(last_digest_at=now)
        if not claimed:
            continue
        since = follow.last_digest_at or follow.confirmed_at
        comments = list(digest_comments(follow, since, now))
        if not comments or valid_address(follow.email) is None:
            continue
        if follow.page_id not in sites:
            sites[follow.page_id] = follow.page.get_site()
        title = header_safe(follow.page.title)
        context = {
            "intro": messages.EMAIL_FOLLOW_DIGEST_INTRO % {"title": title},
            "entries": [comment_context(comment) for comment in comments],
            "page_url": follow.page.get_full_url() or "",
            "text": messages,
        }
        subject = messages.EMAIL_FOLLOW_DIGEST_SUBJECT % {"count": len(comments), "title": title}
        sent += send_all(
            [follower_email("follow_digest", subject, follow, context, sites[follow.page_id])]
        )
    return sent
