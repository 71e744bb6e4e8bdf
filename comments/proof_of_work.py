"""ALTCHA, the captcha that needs no third party: this site makes a signed proof-of-work
challenge, the reader's browser solves it (the ALTCHA widget, served from our static files),
and the form checks the answer here, with no network call.

A challenge is signed with ``COMMENTS_ALTCHA_HMAC_KEY`` (by default a key derived from
``SECRET_KEY``, salted so it signs nothing else), expires after ``COMMENTS_ALTCHA_EXPIRES``
seconds, and hides a number up to ``COMMENTS_ALTCHA_MAX_NUMBER`` the browser finds by trying
each in turn. A solved challenge is accepted once: its signature is claimed by inserting a
``SpentChallenge`` row under a unique constraint, the same atomic claim as a form stamp's
(one comment per stamp). Not the cache: this site's cache answers "already there" while
Redis is down (which would refuse every reader), and a per-process memory cache would let a
replay through another worker.
"""

from __future__ import annotations

import datetime
import secrets
import time
from typing import Any

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .conf import app_setting
from .models import SpentChallenge

HMAC_KEY_SALT = "comments.altcha"


class ChallengeRefused(Exception):
    """The answer is missing, wrong, forged, expired or already used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "missing", "invalid", "expired" or "replayed"


def hmac_key() -> str:
    """``COMMENTS_ALTCHA_HMAC_KEY``, else one derived from ``SECRET_KEY`` (read live)."""
    key = app_setting("ALTCHA_HMAC_KEY")
    if key:
        return key
    return salted_hmac(HMAC_KEY_SALT, "altcha-hmac-key", secret=settings.SECRET_KEY).hexdigest()


def make_challenge(now: float | None = None) -> dict[str, Any]:
    """A new challenge, as the widget fetches it (JSON). The number is chosen here and
    its derived key's prefix is what the browser must reproduce."""
    now = now if now is not None else time.time()
    challenge = altcha.create_challenge(
        app_setting("ALTCHA_ALGORITHM"),
        app_setting("ALTCHA_COST"),
        counter=secrets.randbelow(app_setting("ALTCHA_MAX_NUMBER") + 1),
        expires_at=int(now + app_setting("ALTCHA_EXPIRES")),
        hmac_secret=hmac_key(),
    )
    return challenge.to_dict()


def check_solution(payload: str) -> None:
    """Raises ``ChallengeRefused`` unless ``payload`` (the widget's base64 JSON) solves a
    challenge this site signed, unexpired and never used before; then claims it."""
    if not payload:
        raise ChallengeRefused("missing")
    try:
        parsed = altcha.Payload.from_base64(payload)
        result = altcha.verify_solution(parsed, hmac_key())
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ChallengeRefused("invalid") from None
    if result.expired:
        raise ChallengeRefused("expired")
    if not result.verified:
        raise ChallengeRefused("invalid")
    expires_at = parsed.challenge.parameters.expires_at
    if not isinstance(expires_at, int):
        raise ChallengeRefused("invalid")  # a challenge we signed always has one
    if not claim(parsed.challenge.signature, expires_at):
        raise ChallengeRefused("replayed")


def claim(signature: str, expires_at: int) -> bool:
    """True for the first request to present this challenge, False for any other."""
    expires = datetime.datetime.fromtimestamp(expires_at, tz=datetime.UTC)
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(signature=signature, expires=expires)
    except IntegrityError:
        return False
    return True


def forget_spent_challenges(now: datetime.datetime | None = None) -> int:
    """Deletes the claims of expired challenges (they are refused as expired anyway)."""
    deleted, _ = SpentChallenge.objects.filter(expires__lt=now or timezone.now()).delete()
    return deleted
