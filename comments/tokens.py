"""Signed, expiring tokens (django.core.signing: JSON, never pickles).

- The form stamp proves a POST comes from a form this site rendered for that page, and when.
  Each carries a random nonce and is accepted for one comment only (its digest is stored
  with the comment, under a unique constraint: the claim is atomic). A form sent back with
  errors gets a new stamp that keeps the time the reader was first shown the form, so the
  minimum fill time is counted once, never again for a quick correction.
- The author token is a cookie this browser receives with each accepted comment: with the
  "previously approved" policy, knowing a commenter's name and email is not enough to skip
  moderation, the browser must also hold the token (WordPress only compares name and email).
- The preview token lets the reader who just posted see their pending comment, and nobody
  else: it travels in the redirect URL, so a shared page cache never mixes it into others' HTML.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing

from .conf import app_setting

FORM_STAMP_SALT = "comments.form-stamp"
PREVIEW_SALT = "comments.preview"
AUTHOR_SALT = "comments.author"
AUTHOR_COOKIE = "comment_author"
AUTHOR_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


class StampError(Exception):
    """The stamp is forged, for another page, expired, or too fresh."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "tampered", "expired" or "too_fast"


def make_form_stamp(page_id: int, now: float | None = None, shown: int | None = None) -> str:
    """``t`` is when the stamp was made (it expires from then), ``s`` when the reader was
    first shown the form, if earlier (the minimum fill time counts from then)."""
    issued = int(now if now is not None else time.time())
    data = {"p": page_id, "t": issued, "n": secrets.token_urlsafe(6)}
    if shown is not None and shown < issued:
        data["s"] = shown
    return signing.dumps(data, salt=FORM_STAMP_SALT)


def _first_shown(data: dict) -> int:
    shown = data.get("s")
    return shown if isinstance(shown, int) else data["t"]


def carried_form_stamp(stamp: str, page_id: int, now: float | None = None) -> str:
    """The stamp for a form sent back to its reader (with errors, or after a refusal): new,
    so unclaimed even if the posted one sent a comment, and with the time the posted stamp
    says the reader was first shown the form. Only a stamp this site signed for this page
    carries its time; expired ones too (the reader has had the form that long). Anything
    else gets a stamp made now."""
    now = now if now is not None else time.time()
    try:
        data = signing.loads(stamp, salt=FORM_STAMP_SALT)
    except signing.BadSignature:
        data = None
    if not isinstance(data, dict) or data.get("p") != page_id or not isinstance(data.get("t"), int):
        return make_form_stamp(page_id, now=now)
    return make_form_stamp(page_id, now=now, shown=_first_shown(data))


def refreshed_form_stamp(stamp: str) -> str:
    """A new stamp for the page an earlier one was made for (a cached page's form); one that
    cannot be read is kept, and refused when posted."""
    page_id = _stamped_page_id(stamp, settings.SECRET_KEY)
    return make_form_stamp(page_id) if page_id is not None else stamp


@functools.lru_cache(maxsize=256)
def _stamped_page_id(stamp: str, secret_key: str) -> int | None:
    """Every hit of a cached page refreshes the same few stored stamps: their signatures are
    checked once a process (and again if the key changes), not on every hit."""
    try:
        data = signing.loads(stamp, salt=FORM_STAMP_SALT)
    except signing.BadSignature:
        return None
    page_id = data.get("p") if isinstance(data, dict) else None
    return page_id if isinstance(page_id, int) else None


def form_stamp_digest(stamp: str) -> str:
    """What a comment keeps of the stamp it was posted with: enough to refuse its reuse."""
    return hashlib.blake2s(stamp.encode(), digest_size=16).hexdigest()


def check_form_stamp(stamp: str, page_id: int, now: float | None = None) -> None:
    now = now if now is not None else time.time()
    try:
        data = signing.loads(stamp, salt=FORM_STAMP_SALT, max_age=app_setting("FORM_MAX_AGE"))
    except signing.SignatureExpired as error:
        raise StampError("expired") from error
    except signing.BadSignature as error:
        raise StampError("tampered") from error
    if not isinstance(data, dict) or data.get("p") != page_id or not isinstance(data.get("t"), int):
        raise StampError("tampered")
    if now - data["t"] > app_setting("FORM_MAX_AGE"):
        raise StampError("expired")
    if now - _first_shown(data) < app_setting("MIN_FILL_SECONDS"):
        raise StampError("too_fast")


def make_preview_token(comment_id: int) -> str:
    return signing.dumps({"c": comment_id}, salt=PREVIEW_SALT)


def read_preview_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=app_setting("PREVIEW_MAX_AGE"))
    except signing.BadSignature:
        return None
    comment_id = data.get("c") if isinstance(data, dict) else None
    return comment_id if isinstance(comment_id, int) else None


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def make_author_token(email: str) -> str:
    return signing.dumps({"e": _email_digest(email)}, salt=AUTHOR_SALT)


def author_token_matches(token: str | None, email: str) -> bool:
    if not token:
        return False
    try:
        data = signing.loads(token, salt=AUTHOR_SALT, max_age=AUTHOR_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("e") == _email_digest(email)


POSTED_SALT = "comments.posted-ids"
POSTED_COOKIE = "comment_posted"
POSTED_KEEP = 50  # the newest ids a browser keeps the right to change


def read_posted_ids(token: str | None) -> list[int]:
    """The ids of the comments this browser posted, from its signed cookie; a forged,
    expired or missing cookie proves nothing."""
    if not token:
        return []
    try:
        data = signing.loads(token, salt=POSTED_SALT, max_age=AUTHOR_COOKIE_MAX_AGE)
    except signing.BadSignature:
        return []
    ids = data.get("i") if isinstance(data, dict) else None
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, int)]


def make_posted_ids_token(previous: str | None, comment_id: int) -> str:
    """The cookie's new value: the ids it already proved plus this comment's."""
    ids = [i for i in read_posted_ids(previous) if i != comment_id] + [comment_id]
    return signing.dumps({"i": ids[-POSTED_KEEP:]}, salt=POSTED_SALT)
