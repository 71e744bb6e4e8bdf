"""Abuse checks that need the cache or the database, each its own small function.

Each returns ``None`` to let the comment through, or a ``Refusal`` with the HTTP status and
the message the reader sees. The form's own layers (stamp, honeypot, reCAPTCHA) run first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from . import messages
from .conf import app_setting
from .models import Comment


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str


def _key(kind: str, value: str) -> str:
    # Hashed so that no email address or IP is readable in a shared cache.
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"comments:{kind}:{digest}"


def check_rate_limit(ip: str | None) -> Refusal | None:
    """At most COMMENTS_RATE_LIMIT comments per IP per COMMENTS_RATE_WINDOW seconds."""
    if not ip:
        return None
    if _count_in_window(_key("rate", ip)) > app_setting("RATE_LIMIT"):
        return Refusal(429, messages.RATE_LIMITED)
    return None


def _count_in_window(key: str) -> int:
    """Adds one to the counter of the current window and returns it. Counting first costs one
    cache call within a window; only a window's first comment also starts its expiry."""
    window = app_setting("RATE_WINDOW")
    for _ in range(2):
        try:
            return cache.incr(key)
        except ValueError:  # no window running: start one, unless another request just did
            if cache.add(key, 1, timeout=window):
                return 1
    cache.set(key, 1, timeout=window)  # a window began and expired in between
    return 1


def check_flood(ip: str | None, email: str) -> Refusal | None:
    """The same IP or email may not post again within COMMENTS_FLOOD_SECONDS."""
    seconds = app_setting("FLOOD_SECONDS")
    if not seconds:
        return None
    keys = [_key("flood-email", email)] + ([_key("flood-ip", ip)] if ip else [])
    if cache.get_many(keys):
        return Refusal(429, messages.FLOOD)
    return None


def record_post(ip: str | None, email: str) -> None:
    """Start the flood interval once a comment has been stored."""
    seconds = app_setting("FLOOD_SECONDS")
    if not seconds:
        return
    keys = {_key("flood-email", email): 1}
    if ip:
        keys[_key("flood-ip", ip)] = 1
    cache.set_many(keys, timeout=seconds)


def check_duplicate(page_id: int, email: str, body: str) -> Refusal | None:
    """The same author saying the same thing on the same page, in any status."""
    if Comment.objects.filter(page_id=page_id, email__iexact=email, body=body).exists():
        return Refusal(409, messages.DUPLICATE)
    return None
