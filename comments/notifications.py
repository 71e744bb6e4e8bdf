"""E-mails about reader comments, sent in the background once the database has committed.

Three entry points: ``comment_posted`` (the end of the comment POST), ``comments_approved``
(whenever comments become visible, whoever approved them) and ``report_decided`` (a moderator
decided on a comment reported as illegal content). Each queues a django_tasks task that
runs only once the database has committed (``background.enqueue_when_committed``), so a
rolled-back comment sends nothing and no reader waits for SMTP: in production a worker sends
the e-mails. Tasks take ids (JSON) and read the rows again, since a moderator may have acted
in between.

Readers are e-mailed only at addresses their owners confirmed (``addresses.py``); the
page's owner and the moderators are staff, mailed at their accounts' addresses.

Nothing a reader typed reaches a header: subjects carry the page title only, addresses are
validated, and every header value loses its control characters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db.models.functions import Lower, Trim
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django_tasks import task
from wagtail.models import Site

from . import messages
from .background import enqueue_when_committed
from .conf import DiscussionOptions, app_setting
from .models import (
    Comment,
    CommentEmailAddress,
    CommentReport,
    CommentStatus,
    DiscussionSettings,
    SpamVerdict,
)
from .permissions import comment_moderators
from .reasons import reason_label
from .signals import comments_published

UNSUBSCRIBE_SALT = "comments.unsubscribe"
EXCERPT_CHARS = 500
# CR and LF would start a new header; the other control characters have no place there either.
UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


# Entry points -------------------------------------------------------------------------------


def comment_posted(comment: Comment) -> None:
    """A reader's comment was saved: ask the moderators about it, or announce it if published.

    An instantly published comment does not tell its author "your comment was approved":
    they are looking at it on the page. While the spam services check a comment nobody hears
    of it: their verdict publishes it, spams it or calls this again (``spam_verdicts.py``).
    One that waits for its address to be confirmed (``addresses.py``) reaches the moderators
    once it is.
    """
    if comment.spam_verdict == SpamVerdict.CHECKING:
        return
    if comment.status == CommentStatus.PENDING and not comment.awaiting_confirmation:
        enqueue_when_committed(send_moderation_request, comment.pk)
    elif comment.status == CommentStatus.APPROVED:
        comments_approved([comment.pk], tell_author=False)


def comments_approved(comment_ids: Iterable[int], tell_author: bool = True) -> None:
    """These comments became visible: tell the page owner, the author and the thread."""
    ids = [int(pk) for pk in comment_ids]
    if ids:
        enqueue_when_committed(send_approval_notices, ids, tell_author)
        comments_published.send(sender=Comment, comment_ids=ids)  # the articles' followers


def report_decided(
    comment_id: int, report_ids: list[int], decision: str, reason: dict, decided
) -> None:
    """A moderator decided on a comment reported as illegal content: tell the readers who
    reported it (and left an address) and the comment's author what was decided, why and when
    (the EU Digital Services Act's statement of reasons)."""
    enqueue_when_committed(
        send_report_decision,
        comment_id,
        [int(pk) for pk in report_ids],
        decision,
        {key: str(value) for key, value in reason.items()},
        decided.isoformat(),
    )


# Tasks --------------------------------------------------------------------------------------


@task()
def send_moderation_request(comment_id: int) -> int:
    """E-mails the comment moderators and the site's extra addresses about a held comment."""
    comment = (
        Comment.objects.select_related("page")
        .filter(pk=comment_id, status=CommentStatus.PENDING)
        .first()
    )
    if comment is None:  # moderated or deleted before the task ran
        return 0
    options = DiscussionSettings.options_for_site(getattr(comment.page.get_site(), "pk", None))
    context = comment_context(comment)
    context.update(
        intro=messages.EMAIL_MODERATE_INTRO % {"title": context["page_title"]},
        approve_url=admin_url("reader_comments:moderate", comment.pk, "approve"),
        spam_url=admin_url("reader_comments:moderate", comment.pk, "spam"),
        edit_url=admin_url("reader_comments:edit", comment.pk),
    )
    subject = messages.EMAIL_MODERATE_SUBJECT % {"title": context["page_title"]}
    return send_all(
        build_email("moderation_request", subject, address, context)
        for address in moderator_addresses(options, comment.page)
    )


@task()
def send_approval_notices(comment_ids: list[int], tell_author: bool = True) -> int:
    """E-mails about newly visible comments; one message per recipient and comment.

    What belongs to the page (its site, the options, who follows its threads) is worked out
    once per page: a bulk approval of 1,000 comments must not repeat it 1,000 times."""
    comments = (
        Comment.objects.filter(pk__in=comment_ids, status=CommentStatus.APPROVED)
        .select_related("page__owner")
        .order_by("created", "pk")
    )
    pages: dict[int, PageFacts] = {}

    def emails_for(comment: Comment) -> list[EmailMessage]:
        if comment.page_id not in pages:
            pages[comment.page_id] = PageFacts(comment.page)
        return approval_emails(comment, tell_author, pages[comment.page_id])

    return send_all(email for comment in comments for email in emails_for(comment))


DECISIONS = {
    "approve": messages.DECISION_KEPT,
    "spam": messages.DECISION_SPAM,
    "trash": messages.DECISION_REMOVED,
}


@task()
def send_report_decision(
    comment_id: int, report_ids: list[int], decision: str, reason: dict, decided: str
) -> int:
    """One e-mail to each reporter's address and one to the comment's author."""
    comment = Comment.objects.select_related("page").filter(pk=comment_id).first()
    if comment is None:
        return 0
    reporters = distinct_addresses(
        CommentReport.objects.filter(pk__in=report_ids)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    context = comment_context(comment)
    moment = parse_datetime(decided)
    context.update(
        decision=DECISIONS.get(decision, decision),
        reason=reason_label(reason) or messages.DECISION_NO_REASON,
        decided=formats.date_format(localtime(moment), "DATETIME_FORMAT") if moment else "",
    )
    title = {"title": context["page_title"]}
    subject = messages.EMAIL_REPORT_DECISION_SUBJECT % title
    emails = [
        build_email(
            "report_decision",
            subject,
            address,
            {**context, "intro": messages.EMAIL_REPORT_DECISION_REPORTER_INTRO % title},
        )
        for address in reporters
    ]
    author = valid_address(comment.email)
    if author and author.lower() not in {address.lower() for address in reporters}:
        author_context = {**context, "intro": messages.EMAIL_REPORT_DECISION_AUTHOR_INTRO % title}
        emails.append(build_email("report_decision", subject, author, author_context))
    return send_all(emails)


class PageFacts:
    """A page's site, options and followed threads, for a batch of approvals."""

    def __init__(self, page) -> None:
        self.site = page.get_site()
        self.options = DiscussionSettings.options_for_site(getattr(self.site, "pk", None))
        has_followers = Comment.objects.filter(
            page_id=page.pk, status=CommentStatus.APPROVED, notify_replies=True
        ).exists()
        # Building the page's thread tree is only worth it when someone follows a thread.
        self.threads = PageThreads(page.pk) if has_followers else None
        self.page_id = page.pk
        self._mailable: set[str] | None = None

    def mailable(self) -> set[str]:
        """The confirmed, not opted-out addresses among the page's commenters who asked for
        e-mails (lower case), in one query for the batch: nothing goes to an address its
        owner did not confirm, whoever typed it."""
        if self._mailable is None:
            asked = (
                Comment.objects.filter(page_id=self.page_id, notify_replies=True)
                .annotate(normalised=Lower(Trim("email")))
                .values("normalised")
            )
            self._mailable = set(
                CommentEmailAddress.objects.mailable()
                .filter(email__in=asked)
                .values_list("email", flat=True)
            )
        return self._mailable


# Recipients ---------------------------------------------------------------------------------


def moderator_addresses(options: DiscussionOptions, page=None) -> list[str]:
    """The moderators' addresses (those whose sections hold ``page``, given one) and the
    site's extra addresses."""
    candidates: list[str] = []
    if options.notify_moderators:
        user_model = get_user_model()
        email_field = user_model.get_email_field_name()
        candidates += (
            comment_moderators(page)
            .exclude(**{email_field: ""})
            .order_by("pk")
            .values_list(email_field, flat=True)
        )
    candidates += options.notify_addresses
    return distinct_addresses(candidates)


class PageThreads:
    """A page's comments as a tree of ids, loaded once per page for a whole batch of
    approvals (a bulk approval of 1,000 comments must not reload the page 1,000 times)."""

    def __init__(self, page_id: int) -> None:
        self.rows = {
            pk: (parent_id, email, notify, status, created)
            for pk, parent_id, email, notify, status, created in Comment.objects.filter(
                page_id=page_id
            )
            .order_by()
            .values_list("pk", "parent_id", "email", "notify_replies", "status", "created")
        }
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for pk, (parent_id, *_) in self.rows.items():
            self.children[parent_id].append(pk)

    def root_of(self, pk: int) -> int:
        visited = {pk}
        while True:
            parent_id = self.rows.get(pk, (None,))[0]
            if parent_id is None or parent_id not in self.rows or parent_id in visited:
                return pk
            pk = parent_id
            visited.add(pk)

    def thread_of(self, pk: int) -> list[int]:
        thread, stack, seen = [], [self.root_of(pk)], set()
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                thread.append(current)
                stack.extend(self.children[current])
        return sorted(thread, key=lambda key: (self.rows[key][4], key))


def thread_followers(comment: Comment, threads: PageThreads | None = None) -> list[str]:
    """Who asked for replies among the earlier approved comments of this comment's thread
    (its top-level comment and every reply under it), the comment's own author excepted."""
    threads = threads or PageThreads(comment.page_id)
    own = comment.email.strip().lower()
    candidates = []
    for pk in threads.thread_of(comment.pk):
        _, email, notify, status, created = threads.rows[pk]
        if (
            notify
            and status == CommentStatus.APPROVED
            and (created, pk) < (comment.created, comment.pk)
            and email.strip().lower() != own
        ):
            candidates.append(email)
    return distinct_addresses(candidates)


def distinct_addresses(candidates: Iterable[str]) -> list[str]:
    """Valid addresses in their first spelling, each once whatever its case."""
    seen: set[str] = set()
    addresses = []
    for candidate in candidates:
        address = valid_address(candidate)
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def valid_address(address: str | None) -> str | None:
    """One plain, valid address (no display name, no line breaks), or None."""
    address = (address or "").strip()
    if not address or UNSAFE_IN_HEADER.search(address):
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address


# Messages -----------------------------------------------------------------------------------


def approval_recipients(
    comment: Comment, tell_author: bool, facts: PageFacts
) -> list[tuple[str, str]]:
    """Who hears of this comment once it is published, as (kind, address): the page's
    owner, its author (``tell_author``), the readers following its thread; never twice."""
    page = comment.page
    own = comment.email.strip().lower()
    notified = {own} if own else set()
    recipients: list[tuple[str, str]] = []

    owner = page.owner
    owner_address = valid_address(getattr(owner, "email", "")) if owner is not None else None
    owner_wrote_it = owner is not None and (
        comment.user_id == owner.pk or (owner_address or "").lower() == own
    )
    if facts.options.notify_page_owner and owner_address and owner.is_active and not owner_wrote_it:
        recipients.append(("owner", owner_address))
        notified.add(owner_address.lower())
    author_address = valid_address(comment.email)
    asked = tell_author and comment.notify_replies and author_address
    if asked and author_address.lower() in facts.mailable():
        recipients.append(("author", author_address))
    if facts.threads is not None:
        for address in thread_followers(comment, facts.threads):
            if address.lower() not in notified and address.lower() in facts.mailable():
                notified.add(address.lower())
                recipients.append(("follower", address))
    return recipients


def approval_emails(
    comment: Comment, tell_author: bool, facts: PageFacts | None = None
) -> list[EmailMessage]:
    facts = facts or PageFacts(comment.page)
    recipients = approval_recipients(comment, tell_author, facts)
    if not recipients:
        return []

    context = comment_context(comment)
    title = {"title": context["page_title"]}
    emails = []
    for kind, address in recipients:
        if kind == "owner":
            owner_context = {
                **context,
                "intro": messages.EMAIL_NEW_COMMENT_INTRO % title,
                "edit_url": admin_url("reader_comments:edit", comment.pk),
            }
            subject = messages.EMAIL_NEW_COMMENT_SUBJECT % title
            emails.append(build_email("new_comment", subject, address, owner_context))
        elif kind == "author":
            author_context = {**context, "intro": messages.EMAIL_APPROVED_INTRO % title}
            subject = messages.EMAIL_APPROVED_SUBJECT % title
            emails.append(
                reader_email("comment_approved", subject, address, author_context, facts.site)
            )
        else:
            reply_context = {**context, "intro": messages.EMAIL_NEW_REPLY_INTRO % title}
            subject = messages.EMAIL_NEW_REPLY_SUBJECT % title
            emails.append(reader_email("new_reply", subject, address, reply_context, facts.site))
    return emails


def comment_context(comment: Comment) -> dict:
    page_url = comment.page.get_full_url() or ""
    return {
        "comment": comment,
        "author": header_safe(comment.name),
        "author_email": header_safe(comment.email),
        "author_website": header_safe(comment.website),
        "page_title": header_safe(comment.page.title),
        "page_url": page_url,
        "comment_url": f"{page_url}#comment-{comment.pk}" if page_url else "",
        "excerpt": Truncator(comment.body.strip()).chars(EXCERPT_CHARS),
        "text": messages,
    }


def build_email(
    template: str, subject: str, to: str, context: dict, unsubscribe_url: str = ""
) -> EmailMessage:
    """With ``unsubscribe_url``, the message carries it as a one-click unsubscribe (RFC 8058)."""
    body = render_to_string(f"comments/email/{template}.txt", context)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(
        subject=header_safe(subject),
        body=body,
        to=[to],
        headers={name: header_safe(value) for name, value in headers.items()},
    )


def reader_email(template: str, subject: str, to: str, context: dict, site) -> EmailMessage:
    """A message to a reader carries a one-click unsubscribe link (RFC 8058)."""
    path = reverse("comments:unsubscribe", args=[make_unsubscribe_token(to)])
    url = absolute_url(site, path)
    return build_email(template, subject, to, {**context, "unsubscribe_url": url}, url)


def send_all(emails: Iterable[EmailMessage]) -> int:
    emails = list(emails)
    return get_connection().send_messages(emails) if emails else 0


def header_safe(text: object) -> str:
    """One line: line breaks and other control characters become a space."""
    return UNSAFE_IN_HEADER.sub(" ", str(text or "")).strip()


# Links --------------------------------------------------------------------------------------


def admin_url(name: str, *args: object) -> str:
    """An absolute admin link; the comment listing if the admin views are not installed."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    try:
        return base + reverse(name, args=args)
    except NoReverseMatch:
        return base + "/admin/comments/"


def absolute_url(site: Site | None, path: str) -> str:
    root = site.root_url if site is not None else getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return root.rstrip("/") + path


def make_unsubscribe_token(email: str) -> str:
    return signing.dumps(email.strip().lower(), salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> str | None:
    """The lower-cased address the link was made for, or None if forged or expired."""
    try:
        email = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=app_setting("UNSUBSCRIBE_MAX_AGE")
        )
    except signing.BadSignature:
        return None
    return email if isinstance(email, str) and email else None
