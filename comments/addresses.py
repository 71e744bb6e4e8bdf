"""Readers' e-mail addresses: nothing is mailed to an address its owner has not confirmed,
and trust is earned only by comments written from a confirmed address.

Anybody can type anybody's address into the comment form. So the first time an address that
nobody confirmed asks for e-mails (it ticked "Notify me", or the site's
``email_confirmation`` asks every guest), it is sent one confirmation e-mail: who asked (the
name given, the article, the time; never the IP), what confirming does, a signed link that
expires (``COMMENTS_CONFIRM_MAX_AGE``) and a one-click "never e-mail me again" link
(RFC 8058). Until then no reply notice or approval notice reaches it (``notifications.py``
asks ``CommentEmailAddress.objects.mailable()``). Confirmation e-mails are limited per
address (one per ``COMMENTS_CONFIRM_RESEND_SECONDS``) and per IP
(``COMMENTS_CONFIRM_RATE_LIMIT`` an hour), and never sent to an address that opted out.

A confirmed address is not enough to be trusted: its owner's browser must prove it
(``comment.address_verified``). It does when it holds the signed cookie the confirmation
page set, or when it posted a comment that was confirmed through the mailed link (its
signed posted-ids cookie says so); and a comment is verified when its own link is confirmed.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from . import messages
from .background import enqueue_when_committed
from .conf import ApprovalPolicy, DiscussionOptions, EmailConfirmation, app_setting
from .models import (
    Comment,
    CommentEmailAddress,
    CommentStatus,
    DiscussionSettings,
    SpamVerdict,
    normalised_email,
)
from .moderation import announce_published
from .notifications import (
    absolute_url,
    build_email,
    comment_posted,
    header_safe,
    send_all,
    valid_address,
)
from .policy import policy_for
from .tokens import AUTHOR_COOKIE_MAX_AGE, POSTED_COOKIE, read_posted_ids

CONFIRM_SALT = "comments.confirm-address"
NEVER_EMAIL_SALT = "comments.never-email"
VERIFIED_SALT = "comments.verified-address"
VERIFIED_COOKIE = "comment_verified"
IP_WINDOW = datetime.timedelta(hours=1)
# Policies that read ``address_verified`` when a comment arrives: only then is the browser's
# proof looked up in the database (the post keeps its few queries otherwise).
TRUST_POLICIES = (
    ApprovalPolicy.PREVIOUSLY_APPROVED,
    ApprovalPolicy.VERIFIED,
    ApprovalPolicy.VERIFIED_APPROVED,
)


# Signed links and the browser's proof ------------------------------------------------------


class LinkError(Exception):
    """The link is forged, damaged or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid" or "expired"


def make_confirm_token(email: str, comment_id: int | None) -> str:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    return signer.sign_object({"e": normalised_email(email), "c": comment_id})


def read_signed_link(token: str, salt: str) -> dict:
    """What a confirmation link signed with ``salt`` carries, while it is valid
    (``COMMENTS_CONFIRM_MAX_AGE``); ``LinkError`` says "expired" or "invalid"."""
    signer = signing.TimestampSigner(salt=salt)
    try:
        data = signer.unsign_object(token, max_age=app_setting("CONFIRM_MAX_AGE"))
    except signing.SignatureExpired as error:
        raise LinkError("expired") from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkError("invalid") from error
    if not isinstance(data, dict):
        raise LinkError("invalid")
    return data


def read_confirm_token(token: str) -> tuple[str, int | None]:
    """The address and the comment a confirmation link was made for."""
    data = read_signed_link(token, CONFIRM_SALT)
    email, comment_id = data.get("e"), data.get("c")
    if not isinstance(email, str) or not email or not isinstance(comment_id, int | None):
        raise LinkError("invalid")
    return email, comment_id


def make_never_email_token(email: str) -> str:
    return signing.TimestampSigner(salt=NEVER_EMAIL_SALT).sign_object(normalised_email(email))


def read_never_email_token(token: str) -> str | None:
    """The address of a "never e-mail me again" link, or None if forged or expired."""
    signer = signing.TimestampSigner(salt=NEVER_EMAIL_SALT)
    try:
        email = signer.unsign_object(token, max_age=app_setting("UNSUBSCRIBE_MAX_AGE"))
    except (signing.BadSignature, ValueError):
        return None
    return email if isinstance(email, str) and email else None


def _digest(email: str) -> str:
    return hashlib.sha256(normalised_email(email).encode()).hexdigest()[:32]


def set_verified_cookie(response: HttpResponse, request: HttpRequest, email: str) -> None:
    """This browser proved it reads the address's mail (sent only to the comment URLs)."""
    response.set_cookie(
        VERIFIED_COOKIE,
        signing.dumps({"e": _digest(email)}, salt=VERIFIED_SALT),
        max_age=AUTHOR_COOKIE_MAX_AGE,
        path=reverse("comments:post", args=[0]).rsplit("/post/", 1)[0] + "/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _cookie_proves(request: HttpRequest, email: str) -> bool:
    token = request.COOKIES.get(VERIFIED_COOKIE)
    if not token:
        return False
    try:
        data = signing.loads(token, salt=VERIFIED_SALT, max_age=AUTHOR_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("e") == _digest(email)


def browser_proves_address(request: HttpRequest, email: str) -> bool:
    """This browser holds the signed cookie the confirmation page set for ``email``."""
    return _cookie_proves(request, email)


def commenter_is_verified(
    comment: Comment, request: HttpRequest, options: DiscussionOptions
) -> bool:
    """Does this browser prove it reads the mail of the address typed? Its verified cookie
    (free to check), else, when the site's policy or confirmation setting reads the answer,
    a comment it posted with this address and confirmed through the mailed link."""
    if not comment.email:
        return False
    if _cookie_proves(request, comment.email):
        return True
    if options.approval_policy not in TRUST_POLICIES and (
        options.email_confirmation == EmailConfirmation.OFF
    ):
        return False
    posted = read_posted_ids(request.COOKIES.get(POSTED_COOKIE))
    return bool(posted) and (
        Comment.objects.filter(pk__in=posted, email__iexact=comment.email, address_verified=True)
        .order_by()
        .exists()
    )


# Asking for a confirmation -----------------------------------------------------------------


def prepare_confirmation(comment: Comment, options: DiscussionOptions) -> bool:
    """Before a new comment is saved, inside its transaction: claims a confirmation e-mail
    for its address if one is due and allowed. True: call ``send_confirmation`` once the
    comment is saved. Spam is never a reason to e-mail anybody.

    With ``email_confirmation`` = always, a guest's comment not proved to come from its
    address is held: waiting for the confirmation (the moderators hear of it only once the
    address is confirmed) if one could be sent, else held for the moderators as usual."""
    # A logged-in account is known already: its comments are never held for an address.
    mode = EmailConfirmation.OFF if comment.user_id else options.email_confirmation
    if comment.status == CommentStatus.SPAM or comment.address_verified:
        return False
    if mode == EmailConfirmation.ALWAYS:
        comment.status = CommentStatus.PENDING
    if not (comment.notify_replies or mode != EmailConfirmation.OFF):
        return False
    if not valid_address(comment.email):
        return False
    record, _ = CommentEmailAddress.objects.get_or_create(email=normalised_email(comment.email))
    if record.opted_out:
        return False
    # "always" asks again for a confirmed address typed in a browser that has not proved it.
    if record.is_confirmed and mode != EmailConfirmation.ALWAYS:
        return False
    if not claim_confirmation_email(record, comment.ip_address):
        return False
    comment.awaiting_confirmation = mode == EmailConfirmation.ALWAYS
    return True


def claim_confirmation_email(record: CommentEmailAddress, ip_address: str | None) -> bool:
    """The atomic claim of the address's next confirmation e-mail: not within
    ``COMMENTS_CONFIRM_RESEND_SECONDS`` of the last, nor past the IP's hourly limit."""
    now = timezone.now()
    resend_after = now - datetime.timedelta(seconds=app_setting("CONFIRM_RESEND_SECONDS"))
    sent = record.confirmation_sent_at
    if sent is not None and sent >= resend_after:
        return False  # as the row was read; the UPDATE below decides a race
    if ip_address:
        sent_from_ip = CommentEmailAddress.objects.filter(
            confirmation_ip=ip_address, confirmation_sent_at__gte=now - IP_WINDOW
        ).count()
        if sent_from_ip >= app_setting("CONFIRM_RATE_LIMIT"):
            return False
    return (
        CommentEmailAddress.objects.filter(pk=record.pk, opted_out_at__isnull=True)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=resend_after))
        .update(confirmation_sent_at=now, confirmation_ip=ip_address)
        == 1
    )


def send_confirmation(comment: Comment) -> None:
    """Queue the confirmation e-mail claimed by ``prepare_confirmation`` (after commit)."""
    enqueue_when_committed(send_confirmation_request, comment.pk)


@task()
def send_confirmation_request(comment_id: int) -> int:
    """E-mails the address of a comment the link to confirm it (and to never hear again)."""
    comment = (
        Comment.objects.select_related("page")
        .filter(pk=comment_id, status__in=[CommentStatus.PENDING, CommentStatus.APPROVED])
        .first()
    )
    address = valid_address(comment.email) if comment is not None else None
    if address is None:
        return 0
    mailable = CommentEmailAddress.objects.filter(
        email=normalised_email(address), opted_out_at__isnull=True
    ).exists()
    if not mailable:
        return 0
    site = comment.page.get_site()
    confirm_path = reverse(
        "comments:confirm_address", args=[make_confirm_token(address, comment_id)]
    )
    never_url = absolute_url(
        site, reverse("comments:never_email", args=[make_never_email_token(address)])
    )
    title = header_safe(comment.page.title)
    valid_days = max(1, app_setting("CONFIRM_MAX_AGE") // (24 * 60 * 60))
    when = timezone.localtime(comment.created).strftime("%Y-%m-%d %H:%M %Z")
    context = {
        "intro": messages.EMAIL_CONFIRM_INTRO
        % {"name": header_safe(comment.name), "title": title, "when": when},
        "page_url": comment.page.get_full_url() or "",
        "confirm_url": absolute_url(site, confirm_path),
        "never_url": never_url,
        "valid_for": messages.EMAIL_CONFIRM_VALID_FOR % {"days": valid_days},
        "text": messages,
    }
    subject = messages.EMAIL_CONFIRM_SUBJECT % {"title": title}
    return send_all([build_email("confirm_address", subject, address, context, never_url)])


# The owner's answers -----------------------------------------------------------------------


def confirm_address(email: str, comment_id: int | None, request: HttpRequest) -> Comment | None:
    """The owner confirmed the address (and wrote the comment the link names): e-mails may
    go to it, that comment is verified, and one held until now follows the site's policy:
    published at once (and announced), or held for the moderators (who are e-mailed now).
    Returns that comment, if it still exists."""
    now = timezone.now()
    with transaction.atomic():
        record, _ = CommentEmailAddress.objects.select_for_update().get_or_create(email=email)
        # Confirming is the owner's own act: it lifts an earlier "never e-mail me".
        record.confirmed_at = record.confirmed_at or now
        record.opted_out_at = None
        record.save(update_fields=["confirmed_at", "opted_out_at"])
        comment = (
            Comment.objects.select_for_update().filter(pk=comment_id, email__iexact=email).first()
            if comment_id is not None
            else None
        )
        if comment is None:
            return None
        was_waiting = comment.awaiting_confirmation and comment.status == CommentStatus.PENDING
        comment.address_verified = True
        comment.awaiting_confirmation = False
        if was_waiting:
            site = comment.page.get_site()
            options = DiscussionSettings.options_for_site(getattr(site, "pk", None))
            policy = policy_for(comment.page.specific, options)
            comment.status = policy.initial_status(comment, request)
            if comment.spam_verdict == SpamVerdict.CHECKING and (
                comment.status == CommentStatus.APPROVED
            ):
                # Never published unchecked: the spam services' verdict publishes it.
                comment.status, comment.publish_if_ham = CommentStatus.PENDING, True
        comment.save(
            update_fields=[
                "address_verified",
                "awaiting_confirmation",
                "status",
                "publish_if_ham",
                "updated",
            ]
        )
        if was_waiting and comment.status == CommentStatus.APPROVED:
            announce_published(comment, "confirm")  # pages, caches and notices learn of it
        elif was_waiting and comment.status == CommentStatus.PENDING:
            comment_posted(comment)  # the moderators hear of it only now
    return comment


def never_email(email: str) -> None:
    """Nothing from the comments is ever mailed to the address again (confirmations too)."""
    record, _ = CommentEmailAddress.objects.get_or_create(email=normalised_email(email))
    if record.opted_out_at is None:
        CommentEmailAddress.objects.filter(pk=record.pk).update(opted_out_at=timezone.now())
