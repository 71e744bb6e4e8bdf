"""The comments app's defaults, in one place, read live so tests and sites can override them.

Infrastructure knobs are Django settings named ``COMMENTS_<NAME>``. The discussion options a
site editor may change (thread depth, approval policy, keywords...) are gathered by
``DiscussionSettings.options_for_request()``; they fall back to the same Django settings and
then to WordPress's defaults. This module imports nothing of the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import TextChoices
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

DEFAULTS: dict[str, Any] = {
    # Spam and abuse defence
    "MIN_FILL_SECONDS": 3,  # a human needs at least this long to write a comment
    "FORM_MAX_AGE": 12 * 60 * 60,  # a signed form stamp older than this is refused
    "RATE_LIMIT": 5,  # accepted-for-checking comments per IP ...
    "RATE_WINDOW": 60,  # ... per this many seconds
    "FLOOD_SECONDS": 15,  # same IP or email may not post again within this
    "MAX_POST_BYTES": 64 * 1024,  # bleach's cost grows faster than its input: cap the POST
    "TRUSTED_PROXIES": [],  # REMOTE_ADDRs whose X-Forwarded-For may be believed
    "RECAPTCHA_VERSION": "v2",  # "v2" (checkbox) or "v3" (score)
    "RECAPTCHA_REQUIRED_SCORE": 0.5,
    # Spam services, asked in the background once a comment is stored (spam_services.py);
    # each one runs only once it is configured (Akismet: a key and the site's URL).
    "SPAM_SERVICES": ["comments.spam_services.Akismet"],
    "AKISMET_API_KEY": "",  # else the akismet package's own PYTHON_AKISMET_API_KEY
    "AKISMET_BLOG_URL": "",  # else PYTHON_AKISMET_BLOG_URL; the site registered with the key
    "AKISMET_TIMEOUT": 5.0,  # seconds one call may take (a worker waits, never a reader)
    "AKISMET_IS_TEST": False,  # True: Akismet answers but learns nothing (a staging site)
    "SPAM_CHECK_ATTEMPTS": 5,  # a service that cannot answer is asked this many times ...
    "SPAM_CHECK_RETRY_SECONDS": 60,  # ... first after this long, then twice as long each time
    # Readers' reports of comments (comments/reports.py)
    "REPORT_RATE_LIMIT": 10,  # reports stored per IP ...
    "REPORT_RATE_WINDOW": 60 * 60,  # ... per this many seconds
    "REPORT_NOTE_MAX_LENGTH": 1000,  # a report's optional note
    # What a block list entry without its own action does: "hold" (stored as pending, marked
    # in the queue) or "refuse" (nothing stored; the reader is told it was not accepted)
    "BLOCK_ACTION": "hold",
    # ALTCHA, the self-hosted proof of work (comments/proof_of_work.py)
    "ALTCHA_HMAC_KEY": None,  # signs the challenges; None: derived from SECRET_KEY
    "ALTCHA_ALGORITHM": "PBKDF2/SHA-256",  # one the widget's PBKDF2 worker computes
    "ALTCHA_COST": 1000,  # PBKDF2 iterations per attempt
    "ALTCHA_MAX_NUMBER": 10000,  # the answer is a number up to this: the work is half that
    "ALTCHA_EXPIRES": 20 * 60,  # seconds a challenge may be solved and posted in
    # Display and the reader's preview of their pending comment
    "PREVIEW_MAX_AGE": 60 * 60,  # the "awaiting moderation" link works this long
    # E-mail notifications
    "UNSUBSCRIBE_MAX_AGE": 365 * 24 * 60 * 60,  # an e-mailed unsubscribe link works this long
    # Confirming a reader's address (comments/addresses.py): nothing is mailed to it before
    "CONFIRM_MAX_AGE": 7 * 24 * 60 * 60,  # an e-mailed confirmation link works this long
    "CONFIRM_RESEND_SECONDS": 24 * 60 * 60,  # at most one confirmation mail per address ...
    "CONFIRM_RATE_LIMIT": 5,  # ... and this many per IP address an hour
    # "Notify me of new comments" (follows.py): a daily follower gets at most one digest this
    # often; a little under a day, so a daily cron job that runs late does not skip a day.
    "FOLLOW_DIGEST_HOURS": 20,
    # Housekeeping (the comments_housekeeping command, run from cron)
    "PURGE_AFTER_DAYS": 30,  # Spam and Bin comments unchanged this many days are deleted
    "IP_RETENTION_DAYS": 90,  # then a comment's IP address and user agent are forgotten
    "WEBHOOK_LOG_DAYS": 30,  # webhook delivery log rows older than this are deleted
    # Webhooks (comments/webhooks.py): endpoints are configured in Settings > Webhooks
    "WEBHOOK_TIMEOUT": 5,  # seconds a receiver has to answer one delivery
    "WEBHOOK_MAX_ATTEMPTS": 5,  # a failed delivery is tried again until this many attempts
    "WEBHOOK_RETRY_SECONDS": 60,  # first retry after this; each next one waits twice as long
    # Feeds, counts and structured data (comments/feeds.py, comments/structured_data.py)
    "FEED_LENGTH": 30,  # newest approved comments in a page's or the site's RSS feed
    "COUNTS_MAX_PAGES": 100,  # page ids one GET /comments/counts/ may ask about
    "COUNTS_MAX_AGE": 60,  # seconds a browser may keep the counts before revalidating
    "JSON_LD_COMMENTS": 5,  # approved comments listed in an article's JSON-LD
    # The moderation queue counts a search's or a filter's matches exactly up to this many;
    # beyond, it says "more than" this (counting a million matches takes seconds)
    "ADMIN_EXACT_COUNT_LIMIT": 10_000,
    # The JSON API (comments/api.py): origins ("https://front.example") whose browser pages
    # may call it across origins (CORS); none by default, so no CORS headers are sent
    "API_CORS_ORIGINS": [],
    # Discussion options (site settings override these once a site has saved them)
    "THREAD_DEPTH": 5,
    "PER_PAGE": 50,
    "ORDER": "oldest",
    "MAX_LINKS": 2,
    "MODERATION_KEYWORDS": [],
    "DISALLOWED_KEYWORDS": [],
    "APPROVAL_POLICY": "hold",
    "EMAIL_CONFIRMATION": "off",  # ask guests to confirm their address: off, first, always
    "TRUSTED_AFTER_APPROVED": 1,  # approved comments a verified commenter needs to be trusted
    "AUTO_CLOSE_DAYS": None,
    "CAPTCHA": None,  # "none", "recaptcha" or "altcha"; None: from RECAPTCHA_ENABLED
    "RECAPTCHA_ENABLED": True,  # the older on/off switch, read only when CAPTCHA is None
    "AUTHOR_EDIT_MINUTES": 15,  # the browser that posted a comment may edit/delete it this long
    "AUTHOR_EDIT_UNTIL_REPLY": False,  # ... and only until the comment has a reply
    "REPORT_THRESHOLD": 3,  # distinct readers' reports that hold a comment; 0: never
    # Extension points: dotted paths, imported when used (README, "Extending the app")
    "FORM_CLASS": "comments.forms.CommentForm",  # the "Leave a Reply" form
    # The moderation policy of page types that name none (CommentsMixin.comment_policy)
    "MODERATION_POLICY": "comments.policy.ModerationPolicy",
    # Run in order on every valid post; the first refusal wins (see comments/spam.py)
    "SPAM_CHECKS": [
        "comments.spam.check_block_list",
        "comments.spam.check_flood",
        "comments.spam.check_rate_limit",
        "comments.spam.check_duplicate",
    ],
}


def app_setting(name: str) -> Any:
    return getattr(settings, f"COMMENTS_{name}", DEFAULTS[name])


def app_class(name: str) -> Any:
    """What a dotted-path setting names (a class or a function), imported when asked for:
    a site swaps it without forking, and a test may override it with ``settings``."""
    return import_string(app_setting(name))


def recaptcha_keys_configured() -> bool:
    return bool(getattr(settings, "RECAPTCHA_PUBLIC_KEY", "")) and bool(
        getattr(settings, "RECAPTCHA_PRIVATE_KEY", "")
    )


class CaptchaChoice(TextChoices):
    NONE = "none", _("None")
    RECAPTCHA = "recaptcha", _("reCAPTCHA (Google; needs its keys)")
    ALTCHA = "altcha", _("ALTCHA (a proof of work the browser solves; no third party)")


def default_captcha() -> str:
    """``COMMENTS_CAPTCHA``, else what the older ``COMMENTS_RECAPTCHA_ENABLED`` said."""
    captcha = app_setting("CAPTCHA")
    if captcha is None:
        return CaptchaChoice.RECAPTCHA if app_setting("RECAPTCHA_ENABLED") else CaptchaChoice.NONE
    return captcha


class ApprovalPolicy(TextChoices):
    HOLD = "hold", _("Every comment is held for moderation")
    PREVIOUSLY_APPROVED = (
        "previously_approved",
        _("Held unless the author has a previously approved comment"),
    )
    VERIFIED_APPROVED = (
        "verified_approved",
        _(
            "Held until the commenter, writing from a confirmed address, has enough approved "
            "comments (see below)"
        ),
    )
    VERIFIED = "verified", _("Comments from confirmed addresses are published at once")
    APPROVE = "approve", _("Comments are published at once")


class EmailConfirmation(TextChoices):
    """When a guest who comments is asked to confirm their address (``addresses.py``)."""

    OFF = "off", _("Never (only readers who ask for reply emails confirm their address)")
    FIRST = (
        "first",
        _("First comment only: asked until the address is confirmed; comments are not held for it"),
    )
    ALWAYS = "always", _("Always: a guest's comment is held until its address is confirmed")


@dataclass(frozen=True)
class DiscussionOptions:
    thread_depth: int = DEFAULTS["THREAD_DEPTH"]
    per_page: int = DEFAULTS["PER_PAGE"]
    order: str = DEFAULTS["ORDER"]
    max_links: int = DEFAULTS["MAX_LINKS"]
    moderation_keywords: list[str] = field(default_factory=list)
    disallowed_keywords: list[str] = field(default_factory=list)
    approval_policy: str = ApprovalPolicy.HOLD
    email_confirmation: str = EmailConfirmation.OFF
    trusted_after_approved: int = DEFAULTS["TRUSTED_AFTER_APPROVED"]
    auto_close_days: int | None = None
    captcha: str = CaptchaChoice.RECAPTCHA
    open_by_default: bool = True
    notify_moderators: bool = True
    notify_addresses: list[str] = field(default_factory=list)
    notify_page_owner: bool = True
    author_edit_minutes: int = DEFAULTS["AUTHOR_EDIT_MINUTES"]
    author_edit_until_reply: bool = DEFAULTS["AUTHOR_EDIT_UNTIL_REPLY"]
    report_threshold: int = DEFAULTS["REPORT_THRESHOLD"]

    @property
    def newest_first(self) -> bool:
        return self.order == "newest"

    @property
    def recaptcha_enabled(self) -> bool:
        return self.captcha == CaptchaChoice.RECAPTCHA

    @property
    def uses_recaptcha(self) -> bool:
        """reCAPTCHA is chosen and its keys are set (without them it silently stays off)."""
        return self.recaptcha_enabled and recaptcha_keys_configured()

    @property
    def uses_altcha(self) -> bool:
        return self.captcha == CaptchaChoice.ALTCHA


def default_options() -> DiscussionOptions:
    """The options from Django settings alone, for a site that never saved its own."""
    return DiscussionOptions(
        thread_depth=app_setting("THREAD_DEPTH"),
        per_page=app_setting("PER_PAGE"),
        order=app_setting("ORDER"),
        max_links=app_setting("MAX_LINKS"),
        moderation_keywords=list(app_setting("MODERATION_KEYWORDS")),
        disallowed_keywords=list(app_setting("DISALLOWED_KEYWORDS")),
        approval_policy=app_setting("APPROVAL_POLICY"),
        email_confirmation=app_setting("EMAIL_CONFIRMATION"),
        trusted_after_approved=app_setting("TRUSTED_AFTER_APPROVED"),
        auto_close_days=app_setting("AUTO_CLOSE_DAYS"),
        captcha=default_captcha(),
        author_edit_minutes=app_setting("AUTHOR_EDIT_MINUTES"),
        author_edit_until_reply=app_setting("AUTHOR_EDIT_UNTIL_REPLY"),
        report_threshold=app_setting("REPORT_THRESHOLD"),
    )
