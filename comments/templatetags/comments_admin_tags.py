"""Tags for the comments admin: a comment's age in words, and the queue's shortcuts for
Wagtail's keyboard shortcuts dialog."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from comments import messages
from comments.permissions import can_moderate
from comments.queue_shortcuts import QUEUE_SHORTCUTS

register = template.Library()


def age_of(created: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "just now" under a minute (``timesince`` would say "0 minutes"), else "5 minutes ago"."""
    now = now or timezone.now()
    if now - created < datetime.timedelta(minutes=1):
        return str(messages.JUST_NOW)
    return messages.AGO % {"since": timesince(created, now)}


@register.filter
def comment_age(created: datetime.datetime | None) -> str:
    return age_of(created) if created else ""


@register.simple_tag(takes_context=True)
def comment_queue_shortcuts(context: template.Context) -> dict | None:
    """The queue's shortcuts as the dialog lists them, for moderators only."""
    request = getattr(context, "request", None) or context.get("request")
    if request is None or not can_moderate(getattr(request, "user", None)):
        return None
    return {
        "title": messages.QUEUE_SHORTCUTS_TITLE,
        "shortcuts": [(shortcut.label, shortcut.key_label) for shortcut in QUEUE_SHORTCUTS],
    }
