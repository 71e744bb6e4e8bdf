"""Reader comments and the mixin a page type uses to take them."""

from __future__ import annotations

import datetime
import fnmatch
import hashlib
import ipaddress

import swapper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

from . import messages
from .conf import (
    DEFAULTS,
    ApprovalPolicy,
    CaptchaChoice,
    DiscussionOptions,
    EmailConfirmation,
    app_setting,
    default_options,
)
from .signals import comments_written


def initials_of(name: str) -> str:
    """An avatar made from the name alone: a Gravatar's MD5 of the email would leak it."""
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def avatar_tone_of(name: str) -> int:
    """One of twelve background colours, chosen from the name (CSS classes, no inline style)."""
    digest = hashlib.blake2s(name.encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big") % 12


class AvatarFromName:
    """The initials avatar, for anything with a ``name`` (a stored or a displayed comment)."""

    name: str

    @property
    def initials(self) -> str:
        return initials_of(self.name)

    @property
    def avatar_tone(self) -> int:
        return avatar_tone_of(self.name)


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    TRASH = "trash", _("Bin")


class SpamVerdict(models.TextChoices):
    """What the spam services (spam_services.py) said of a comment; "" when none asked."""

    CHECKING = "checking", _("checking")
    HAM = "ham", _("not spam")
    SPAM = "spam", _("spam")
    BLATANT = "blatant", _("blatant spam")
    UNKNOWN = "unknown", _("unknown")


DISPLAYED_FIELDS = (
    "pk",
    "parent_id",
    "name",
    "website",
    "body_html",
    "created",
    "status",
    "edited",
    "pinned",
)


def _written(page_ids: set[int]) -> None:
    if page_ids:
        comments_written.send(sender=Comment, page_ids=sorted(page_ids))


class CommentQuerySet(models.QuerySet):
    """Bulk writes tell listeners (a page cache) too: they send no model signals."""

    def update(self, **kwargs) -> int:
        page_ids = set(self.order_by().values_list("page_id", flat=True).distinct())
        rows = super().update(**kwargs)
        _written(page_ids)
        return rows

    def delete(self):
        page_ids = set(self.order_by().values_list("page_id", flat=True).distinct())
        result = super().delete()
        _written(page_ids)
        return result

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        _written({comment.page_id for comment in created})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        _written({comment.page_id for comment in objs})
        return rows

    def approved(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=CommentStatus.PENDING)

    def for_display(self, page_id: int, newest_first: bool = False) -> CommentQuerySet:
        """The approved comments of a page, with only the columns a reader sees (no email)."""
        order = ("-created", "-pk") if newest_first else ("created", "pk")
        return self.approved().filter(page_id=page_id).order_by(*order).only(*DISPLAYED_FIELDS)


class Comment(AvatarFromName, models.Model):
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="reader_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        # A reply outlives a deleted parent: it moves up to the top level.
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"), help_text=_("As the reader typed it."))
    body_html = models.TextField(_("comment HTML"), help_text=_("Sanitised; the only form shown."))
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    created = models.DateTimeField(_("submitted"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    edited = models.DateTimeField(_("edited by its author"), null=True, blank=True, editable=False)
    # The moderators' pick, shown above the threads (pinning.py): one per page at most.
    pinned = models.BooleanField(_("pinned by the editors"), default=False, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_comments",
    )
    notify_replies = models.BooleanField(_("notify of follow-up replies"), default=False)
    # Proved by the commenter, not claimed: the browser had confirmed the address, or the
    # address's owner confirmed it for this comment (addresses.py). Trust is earned by these.
    address_verified = models.BooleanField(
        _("written from a confirmed address"), default=False, editable=False
    )
    awaiting_confirmation = models.BooleanField(
        _("waiting for its address to be confirmed"), default=False, editable=False
    )
    is_site_reply = models.BooleanField(
        _("site's reply"), default=False, help_text=_("Written by a moderator from the admin.")
    )
    # Each form stamp sends one comment: the unique constraint is the atomic claim.
    form_stamp = models.CharField(
        _("form stamp digest"), max_length=32, null=True, blank=True, unique=True, editable=False
    )
    # Where an imported comment came from (e.g. "wordpress:https://old.example.org") and its
    # id there: a second run of the same import skips what the first one stored.
    import_source = models.CharField(
        _("imported from"), max_length=200, blank=True, default="", editable=False
    )
    import_id = models.CharField(
        _("id at the source"), max_length=100, blank=True, default="", editable=False
    )
    # Why a "hold" entry of the block list held this comment (its reason, or what it
    # matched): the queue shows it as "Blocked: ...". Empty for every other comment.
    block_mark = models.CharField(
        _("held by the block list"), max_length=255, blank=True, default="", editable=False
    )

    # The background spam check (spam_verdicts.py): its verdict, who gave it and when; a
    # comment the moderation policy would publish at once waits for "not spam".
    spam_verdict = models.CharField(
        _("spam check"),
        max_length=10,
        choices=SpamVerdict.choices,
        blank=True,
        default="",
        editable=False,
    )
    spam_verdict_by = models.CharField(
        _("spam checked by"), max_length=100, blank=True, default="", editable=False
    )
    spam_verdict_at = models.DateTimeField(
        _("spam checked at"), null=True, blank=True, editable=False
    )
    publish_if_ham = models.BooleanField(
        _("published once found not spam"), default=False, editable=False
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        # Moderators see "comments" everywhere (the bulk bar, confirmations, messages).
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created", "-pk"]
        permissions = [("moderate_comment", _("Can moderate reader comments"))]
        indexes = [
            models.Index(fields=["page", "status", "created"], name="comment_page_display"),
            models.Index(fields=["status", "created"], name="comment_moderation_queue"),
            # The queue's tab counts: one GROUP BY read from this small index alone.
            models.Index(fields=["status"], name="comment_status"),
            # The queue filtered by page: its exact total, counted from this small index alone.
            models.Index(fields=["page", "status"], name="comment_page_status"),
            # The queue's "All" tab: newest first across the pending and approved statuses.
            models.Index(fields=["created"], name="comment_created"),
            models.Index(fields=["email", "created"], name="comment_email_created"),
            # The queue filtered by page ("In response to", linked from the page editor).
            models.Index(fields=["page", "created", "id"], name="comment_page_created"),
            # Flood and rate limits: the same IP's latest comments.
            models.Index(fields=["ip_address", "created"], name="comment_ip_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="comment_parent_not_self"),
            # Partial: only imported rows are indexed.
            models.UniqueConstraint(
                fields=["import_source", "import_id"],
                condition=~Q(import_source=""),
                name="comment_import_unique",
            ),
            # One pinned comment a page: pinning another one unpins it in the same transaction.
            models.UniqueConstraint(
                fields=["page"], condition=Q(pinned=True), name="comment_one_pinned_per_page"
            ),
        ]

    def __str__(self) -> str:
        # The admin's titles and history read this: the author and the article, never an id.
        return _("%(name)s on “%(page)s”") % {"name": self.name, "page": self.page.title}

    @property
    def is_approved(self) -> bool:
        return self.status == CommentStatus.APPROVED

    def depth(self) -> int:
        """1 for a top-level comment; walks the (short) chain of parents."""
        depth, parent_id = 1, self.parent_id
        while parent_id is not None:
            depth += 1
            parent_id = (
                Comment.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            )
        return depth


def normalised_email(email: str) -> str:
    """The one spelling an address is stored and compared in."""
    return (email or "").strip().lower()


class CommentEmailAddressQuerySet(models.QuerySet):
    def mailable(self) -> CommentEmailAddressQuerySet:
        """Addresses their owner confirmed and did not ask never to be e-mailed again."""
        return self.filter(confirmed_at__isnull=False, opted_out_at__isnull=True)


class CommentEmailAddress(models.Model):
    """An address a reader typed: nothing is mailed to it until its owner confirms it, and
    nothing ever again once they said "never e-mail me"."""

    email = models.EmailField(_("email"), max_length=254, unique=True)  # normalised_email()
    created = models.DateTimeField(_("first seen"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("never email again since"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("last confirmation email"), null=True, blank=True)
    # Kept for the per-IP limit on confirmation e-mails only; forgotten by housekeeping.
    confirmation_ip = models.GenericIPAddressField(
        _("IP address that asked for it"), null=True, blank=True
    )

    objects = CommentEmailAddressQuerySet.as_manager()

    class Meta:
        verbose_name = _("commenter email address")
        verbose_name_plural = _("commenter email addresses")
        indexes = [
            models.Index(
                fields=["confirmation_ip", "confirmation_sent_at"], name="comment_address_ip_sent"
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def opted_out(self) -> bool:
        return self.opted_out_at is not None


class FollowMode(models.TextChoices):
    IMMEDIATE = "immediate", messages.FOLLOW_MODE_IMMEDIATE
    DAILY = "daily", messages.FOLLOW_MODE_DAILY


class PageFollowQuerySet(models.QuerySet):
    def mailable(self) -> PageFollowQuerySet:
        """Confirmed follows whose address did not ask never to be e-mailed again."""
        opted_out = CommentEmailAddress.objects.filter(opted_out_at__isnull=False).values("email")
        return self.filter(confirmed_at__isnull=False).exclude(email__in=opted_out)


class PageFollow(models.Model):
    """A reader who asked to hear of new comments on an article without commenting
    (``follows.py``): nothing is mailed until the address's owner confirms the follow."""

    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="comment_follows",
    )
    email = models.EmailField(_("email"), max_length=254)  # normalised_email()
    mode = models.CharField(
        _("emails"), max_length=16, choices=FollowMode.choices, default=FollowMode.IMMEDIATE
    )
    created = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last daily digest"), null=True, blank=True)

    objects = PageFollowQuerySet.as_manager()

    class Meta:
        verbose_name = _("article follower")
        verbose_name_plural = _("article followers")
        constraints = [
            models.UniqueConstraint(fields=["page", "email"], name="comment_follow_page_email")
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class ReportReason(models.TextChoices):
    SPAM = "spam", messages.REPORT_REASON_SPAM
    ABUSE = "abuse", messages.REPORT_REASON_ABUSE
    OFF_TOPIC = "off_topic", messages.REPORT_REASON_OFF_TOPIC
    HEALTH_MISINFORMATION = "health_misinformation", messages.REPORT_REASON_HEALTH
    ILLEGAL = "illegal", messages.REPORT_REASON_ILLEGAL


class CommentReportQuerySet(models.QuerySet):
    def open(self) -> CommentReportQuerySet:
        return self.filter(resolved__isnull=True)


class CommentReport(models.Model):
    """A reader's "Report this comment". Readers are told apart by ``reporter_key`` (a keyed
    hash of their IP address and user agent, never the address itself), so one reader counts
    once per comment; ``ip_key`` (the address alone, hashed) rate-limits reports per IP."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=ReportReason.choices)
    note = models.TextField(_("note"), blank=True)
    email = models.EmailField(_("reporter's email"), max_length=254, blank=True)
    reporter_key = models.CharField(_("reporter key"), max_length=64, editable=False)
    ip_key = models.CharField(_("IP key"), max_length=64, editable=False)
    created = models.DateTimeField(_("reported"), default=timezone.now)
    # Set when a moderator approves (dismisses), spams or bins the comment.
    resolved = models.DateTimeField(_("resolved"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, blank=True)

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment report")
        verbose_name_plural = _("comment reports")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["ip_key", "created"], name="report_ip_created"),
            models.Index(fields=["resolved", "comment"], name="report_open_comment"),
        ]
        constraints = [
            # The atomic "counted once": a reader's second report of a comment is not stored.
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="report_once_per_reporter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.comment_id})"


class CommenterNote(models.Model):
    """A moderator's private note on one commenter (known by their normalised address).
    Shown on the commenter's history screen only; exported and erased with their data."""

    email = models.CharField(_("email"), max_length=254, unique=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("note on a commenter")
        verbose_name_plural = _("notes on commenters")

    def __str__(self) -> str:
        return self.email


class BlockKind(models.TextChoices):
    EMAIL = "email", _("Email address")
    IP = "ip", _("IP address or network")
    NAME = "name", _("Name pattern")


class BlockAction(models.TextChoices):
    DEFAULT = "", _("The site's default (COMMENTS_BLOCK_ACTION)")
    REFUSE = "refuse", _("Refuse the comment")
    HOLD = "hold", _("Hold the comment for moderation")


# Name patterns that would block nearly everyone are refused.
_NAME_WILDCARDS = "*?[]"


class BlockEntryQuerySet(models.QuerySet):
    def active(self, now: datetime.datetime | None = None) -> BlockEntryQuerySet:
        """Entries in force: without an expiry, or expiring later than now."""
        now = now or timezone.now()
        return self.filter(Q(expires__isnull=True) | Q(expires__gt=now))


class BlockEntry(models.Model):
    """One line of the block list: an address, an IP network or a name pattern whose
    comments are refused, or held for moderation (``spam.check_block_list``)."""

    kind = models.CharField(_("block by"), max_length=10, choices=BlockKind.choices)
    value = models.CharField(
        _("value"),
        max_length=254,
        help_text=_(
            "An email address; an IP address or a network such as 203.0.113.0/24 or "
            "2001:db8::/32; or a name: a part of it (“casino”) or a pattern where * is any "
            "text and ? one character (“*bot*”). Letter case does not matter."
        ),
    )
    action = models.CharField(
        _("action"), max_length=10, choices=BlockAction.choices, blank=True, default=""
    )
    expires = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Empty: the entry never expires.")
    )
    reason = models.CharField(
        _("reason"),
        max_length=200,
        blank=True,
        help_text=_("For moderators only: shown in the queue beside the comments it holds."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BlockEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("block list entry")
        verbose_name_plural = _("block list")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=BlockKind.values), name="block_entry_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        """Each kind's value checked and written one way (lower case, networks in their
        canonical form), so the spam check compares like with like."""
        value = (self.value or "").strip()
        if self.kind == BlockKind.EMAIL:
            value = normalised_email(value)
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError({"value": messages.BLOCK_EMAIL_INVALID}) from None
        elif self.kind == BlockKind.IP:
            try:
                value = str(ipaddress.ip_network(value, strict=False))
            except ValueError:
                raise ValidationError({"value": messages.BLOCK_NETWORK_INVALID}) from None
        elif self.kind == BlockKind.NAME:
            value = " ".join(value.lower().split())
            if len(value.strip(_NAME_WILDCARDS + " ")) < 2:
                raise ValidationError({"value": messages.BLOCK_NAME_TOO_WIDE})
        self.value = value

    @property
    def effective_action(self) -> str:
        """The entry's own action, else ``COMMENTS_BLOCK_ACTION`` (read live)."""
        return self.action or app_setting("BLOCK_ACTION")

    @property
    def mark(self) -> str:
        """What a held comment keeps of the match: the reason, else what was matched."""
        return (self.reason or str(self))[:255]

    def matches(self, email: str, ip: str | None, name: str) -> bool:
        """Does a comment with this (normalised) email, IP and name fall under the entry?"""
        if self.kind == BlockKind.EMAIL:
            return bool(email) and email == self.value
        if self.kind == BlockKind.IP:
            if not ip:
                return False
            try:
                address = ipaddress.ip_address(ip)
                network = ipaddress.ip_network(self.value, strict=False)
            except ValueError:  # a value stored without the form's validation
                return False
            # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is that IPv4.
            mapped = getattr(address, "ipv4_mapped", None)
            return address in network or (mapped is not None and mapped in network)
        if self.kind == BlockKind.NAME:
            name = " ".join((name or "").lower().split())
            if any(char in self.value for char in _NAME_WILDCARDS):
                return fnmatch.fnmatchcase(name, self.value)
            return self.value in name
        return False


def with_comment_counts(pages: models.QuerySet) -> models.QuerySet:
    """Pages annotated with ``comment_count``: their approved comments, in the same query."""
    return pages.annotate(
        comment_count=models.Count(
            "reader_comments", filter=Q(reader_comments__status=CommentStatus.APPROVED)
        )
    )


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    """Per-site comment rules, edited in Settings > Discussion, like WordPress's screen."""

    open_by_default = models.BooleanField(_("allow comments on new pages"), default=True)
    close_old_comments = models.BooleanField(
        _("automatically close comments on old pages"), default=False
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments on pages older than (days)"),
        default=14,
        validators=[MinValueValidator(1)],
    )
    approval_policy = models.CharField(
        _("before a comment appears"),
        max_length=30,
        choices=ApprovalPolicy.choices,
        default=ApprovalPolicy.HOLD,
    )
    thread_depth = models.PositiveSmallIntegerField(
        _("thread depth"),
        default=DEFAULTS["THREAD_DEPTH"],
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "How many levels deep replies may nest, counting the comment itself. 1: readers "
            "cannot reply to a comment (no Reply links); 2: they can reply to a comment but "
            "not to a reply; and so on, up to 10."
        ),
    )
    per_page = models.PositiveSmallIntegerField(
        _("top-level comments per page"),
        default=DEFAULTS["PER_PAGE"],
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    order = models.CharField(
        _("comment order"),
        max_length=10,
        choices=[("oldest", _("Oldest first")), ("newest", _("Newest first"))],
        default="oldest",
    )
    trusted_after_approved = models.PositiveSmallIntegerField(
        _("approved comments from a confirmed address before the next ones appear at once"),
        default=DEFAULTS["TRUSTED_AFTER_APPROVED"],
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "For the policy “Held until the commenter … has enough approved comments”. Only "
            "comments written from a confirmed address count."
        ),
    )
    email_confirmation = models.CharField(
        _("ask guests to confirm their email address"),
        max_length=10,
        choices=EmailConfirmation.choices,
        default=EmailConfirmation.OFF,
        help_text=_(
            "A confirmation email with a link is sent to the address they typed. A guest who "
            "confirmed is a verified commenter. Reply emails are only ever sent to confirmed "
            "addresses."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        _("hold a comment with more than this many links"), default=DEFAULTS["MAX_LINKS"]
    )
    moderation_keywords = models.TextField(
        _("comment moderation keywords"),
        blank=True,
        help_text=_(
            "One word or IP per line. A comment containing any of them in its content, name, "
            "URL, email, IP or browser's user agent is held for moderation."
        ),
    )
    disallowed_keywords = models.TextField(
        _("disallowed comment keys"),
        blank=True,
        help_text=_("One word or IP per line. A comment containing any of them goes to Spam."),
    )
    notify_moderators = models.BooleanField(
        _("email comment moderators about comments held for moderation"),
        default=True,
        help_text=_(
            "The members of the “Comment moderators” group and the users given “Can "
            "moderate reader comments”."
        ),
    )
    notify_addresses = models.TextField(
        _("also email these addresses about held comments"),
        blank=True,
        help_text=_("One address per line."),
    )
    notify_page_owner = models.BooleanField(
        _("email a page's owner when a comment on it is published"), default=True
    )
    author_edit_minutes = models.PositiveSmallIntegerField(
        _("minutes a commenter may edit or delete their comment"),
        default=DEFAULTS["AUTHOR_EDIT_MINUTES"],
        help_text=_("Only from the browser that posted it. 0: never."),
    )
    author_edit_until_reply = models.BooleanField(
        _("only until the comment has a reply"), default=DEFAULTS["AUTHOR_EDIT_UNTIL_REPLY"]
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("hold a comment reported by this many readers"),
        default=DEFAULTS["REPORT_THRESHOLD"],
        help_text=_(
            "Distinct readers' open reports (“Report this comment”) that send a published "
            "comment back to moderation. 0: never."
        ),
    )
    captcha = models.CharField(
        _("captcha"),
        max_length=20,
        choices=CaptchaChoice.choices,
        default=CaptchaChoice.RECAPTCHA,
        help_text=_(
            "reCAPTCHA is used only when RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY are "
            "set in the environment. ALTCHA needs no keys and sends nothing to anyone: the "
            "reader's browser spends a second or two on a puzzle this site checks itself."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("open_by_default"),
                FieldPanel("close_old_comments"),
                FieldPanel("close_after_days"),
            ],
            heading=_("Default settings"),
        ),
        MultiFieldPanel(
            [
                # Radio buttons wrap their long labels; a select as wide as its longest
                # choice was cut off on a phone and at 200% zoom.
                FieldPanel("approval_policy", widget=forms.RadioSelect),
                FieldPanel("trusted_after_approved"),
                FieldPanel("email_confirmation", widget=forms.RadioSelect),
                FieldPanel("max_links"),
                FieldPanel("captcha", widget=forms.RadioSelect),
                FieldPanel("author_edit_minutes"),
                FieldPanel("author_edit_until_reply"),
            ],
            heading=_("Before a comment appears"),
        ),
        MultiFieldPanel(
            [FieldPanel("thread_depth"), FieldPanel("per_page"), FieldPanel("order")],
            heading=_("Display"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("moderation_keywords"),
                FieldPanel("disallowed_keywords"),
                FieldPanel("report_threshold"),
            ],
            heading=_("Moderation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("notify_moderators"),
                FieldPanel("notify_addresses"),
                FieldPanel("notify_page_owner"),
            ],
            heading=_("Email me whenever"),
        ),
    ]

    class Meta:
        verbose_name = _("Discussion")

    @classmethod
    def options_for_site(cls, site_id: int | None) -> DiscussionOptions:
        """The options in force on a site: its saved Discussion settings, else the defaults
        (the Django settings, then WordPress's). Unlike ``for_site``, creates no row: only a
        site whose editors saved Settings > Discussion has one."""
        saved = cls.objects.filter(site_id=site_id).first() if site_id is not None else None
        return saved.as_options() if saved is not None else default_options()

    @classmethod
    def options_for_request(
        cls, request: HttpRequest | None, site_id: int | None = None
    ) -> DiscussionOptions:
        """The options for the request's site (or ``site_id``, which a comment POST knows
        from its page), looked up once per request, as ``for_request`` does."""
        options = getattr(request, "_discussion_options", None)
        if options is None:
            if site_id is None:
                site = Site.find_for_request(request) if request is not None else None
                site_id = site.pk if site is not None else _default_site_id()
            options = cls.options_for_site(site_id)
            if request is not None:
                request._discussion_options = options
        return options

    def as_options(self) -> DiscussionOptions:
        return DiscussionOptions(
            thread_depth=self.thread_depth,
            per_page=self.per_page,
            order=self.order,
            max_links=self.max_links,
            moderation_keywords=split_lines(self.moderation_keywords),
            disallowed_keywords=split_lines(self.disallowed_keywords),
            approval_policy=self.approval_policy,
            email_confirmation=self.email_confirmation,
            trusted_after_approved=self.trusted_after_approved,
            auto_close_days=self.close_after_days if self.close_old_comments else None,
            captcha=self.captcha,
            open_by_default=self.open_by_default,
            notify_moderators=self.notify_moderators,
            notify_addresses=split_lines(self.notify_addresses),
            notify_page_owner=self.notify_page_owner,
            author_edit_minutes=self.author_edit_minutes,
            author_edit_until_reply=self.author_edit_until_reply,
            report_threshold=self.report_threshold,
        )


class SpentChallenge(models.Model):
    """An ALTCHA challenge a comment form has been sent with: each solution is accepted once.
    The claim is an insert under a unique constraint, atomic across processes as the form
    stamp's is; rows are kept until the challenge expires (housekeeping deletes them)."""

    signature = models.CharField(max_length=128, unique=True)
    expires = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("spent ALTCHA challenge")

    def __str__(self) -> str:
        return self.signature


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _default_site_id() -> int | None:
    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


class CommentsPageForm(WagtailAdminPageForm):
    """A new page takes the site's "allow comments on new pages" setting, in the editor."""

    def __init__(self, *args, parent_page=None, **kwargs) -> None:
        super().__init__(*args, parent_page=parent_page, **kwargs)
        if self.instance.pk is None and "allow_comments" in self.fields and not self.is_bound:
            site = parent_page.get_site() if parent_page is not None else None
            options = DiscussionSettings.options_for_site(site.pk if site else _default_site_id())
            self.initial["allow_comments"] = options.open_by_default


class CommentsMixin(models.Model):
    """Mix into a Page type to give it reader comments ("Leave a Reply")."""

    allow_comments = models.BooleanField(
        _("allow comments"),
        default=True,
        help_text=_("Readers may leave replies under this page."),
    )

    base_form_class = CommentsPageForm
    # This page type's moderation policy (comments/policy.py): a ModerationPolicy subclass
    # or its dotted path; None takes COMMENTS_MODERATION_POLICY.
    comment_policy: type | str | None = None

    class Meta:
        abstract = True

    def get_context(self, request, *args, comment_form=None, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # A bound form comes back from a refused POST, to show the reader's input and errors.
        context["comment_form"] = comment_form
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if "moderation" in request.GET or kwargs.get("comment_form") is not None:
            # The reader's own pending comment or their refused input: never cache or share.
            patch_cache_control(response, private=True, no_store=True)
        return response

    def comments_open(self, options: DiscussionOptions) -> bool:
        if not self.allow_comments:
            return False
        if options.auto_close_days:
            published = self.first_published_at
            cutoff = timezone.now() - datetime.timedelta(days=options.auto_close_days)
            if published is not None and published < cutoff:
                return False
        return True


# Webhooks' models, in a module of their own; Django finds an app's models here.
from .webhook_models import WebhookDelivery, WebhookEndpoint, WebhookEvent  # noqa: E402, F401


class ModerationSection(models.Model):
    """Limits a moderators group to the comments on one part of the page tree (the page and
    every page below it), as Wagtail grants page permissions per subtree. A group with none
    moderates the whole site; a group with several moderates their union."""

    group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="comment_moderation_sections",
    )
    page = models.ForeignKey(
        swapper.get_model_name("wagtailcore", "Page"),
        verbose_name=_("section"),
        help_text=_("The group moderates comments on this page and every page below it."),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("moderation section")
        verbose_name_plural = _("moderation sections")
        constraints = [
            models.UniqueConstraint(fields=["group", "page"], name="unique_moderation_section")
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.page}"
