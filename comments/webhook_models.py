"""Webhook endpoints a site's administrators configure, and the log of what was sent to them.

Imported by ``comments.models`` (Django finds an app's models there). What is sent, and how,
lives in ``comments.webhooks``.
"""

from __future__ import annotations

import secrets

from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


class WebhookEvent(models.TextChoices):
    """What an endpoint may ask to be told about; the value is the payload's ``event``."""

    POSTED = "comment.posted", _("A reader posted a comment")
    HELD = "comment.held", _("A comment was held for moderation")
    APPROVED = "comment.approved", _("A comment was approved")
    SPAM = "comment.spam", _("A comment was marked as spam")
    DELETED = "comment.deleted", _("A comment was moved to the bin or deleted")
    REPORTED = "comment.reported", _("A reader reported a comment")


def generate_secret() -> str:
    """32 random bytes, URL-safe; the prefix tells an administrator what the string is."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


WEBHOOK_URL_INVALID = _("Enter a web address starting with http:// or https://.")
# Only the web's schemes: Django's default URLValidator also takes ftp and ftps.
validate_webhook_url = URLValidator(schemes=["http", "https"], message=WEBHOOK_URL_INVALID)


class WebhookEndpoint(models.Model):
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="comment_webhooks",
        help_text=_("Only events about comments on this site's pages are sent."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("For you: what receives these events.")
    )
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[validate_webhook_url],
        help_text=_("Each event is sent here as a JSON POST."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=generate_secret,
        editable=False,
        help_text=_(
            "Every request is signed with this secret (the Comments-Signature header): the "
            "receiver checks the signature to know the request came from this site."
        ),
    )
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("Only these events are sent to this endpoint."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive endpoint is sent nothing.")
    )
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_(
            "Only a trusted endpoint receives the comment author's email address. Never "
            "sent to anyone: IP addresses and user agents."
        ),
    )
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["site", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.is_active and event in self.events


class WebhookDelivery(models.Model):
    """One attempt at sending one event to one endpoint. The housekeeping command prunes old
    rows (COMMENTS_WEBHOOK_LOG_DAYS)."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=30, choices=WebhookEvent.choices)
    event_id = models.UUIDField(_("event id"))
    comment_id = models.PositiveBigIntegerField(_("comment id"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    created = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint} ({self.attempt})"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
