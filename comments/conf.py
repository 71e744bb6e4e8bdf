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
    # Housekeeping (the comments_housekeeping command, run from cron)
    "PURGE_AFTER_DAYS": 30,  # Spam and Bin comments unchanged this many days are deleted
    "IP_RETENTION_DAYS": 90,  # then a comment's IP address and user agent are forgotten
    # Feeds, counts and structured data (comments/feeds.py, comments/structured_data.py)
    "FEED_LENGTH": 30,  # newest approved comments in a page's or the site's RSS feed
    "COUNTS_MAX_PAGES": 100,  # page ids one GET /comments/counts/ may ask about
    "COUNTS_MAX_AGE": 60,  # seconds a browser may keep the counts before revalidating
    "JSON_LD_COMMENTS": 5,  # approved comments listed in an article's JSON-LD
    # Discussion options (site settings override these once a site has saved them)
    "THREAD_DEPTH": 5,
    "PER_PAGE": 50,
    "ORDER": "oldest",
    "MAX_LINKS": 2,
    "MODERATION_KEYWORDS": [],
    "DISALLOWED_KEYWORDS": [],
    "APPROVAL_POLICY": "hold",
    "AUTO_CLOSE_DAYS": None,
    "CAPTCHA": None,  # "none", "recaptcha" or "altcha"; None: from RECAPTCHA_ENABLED
    "RECAPTCHA_ENABLED": True,  # the older on/off switch, read only when CAPTCHA is None
    "AUTHOR_EDIT_MINUTES": 15,  # the browser that posted a comment may edit/delete it this long
    "AUTHOR_EDIT_UNTIL_REPLY": False,  # ... and only until the comment has a reply
    # Extension points: dotted paths, imported when used (README, "Extending the app")
    "FORM_CLASS": "comments.forms.CommentForm",  # the "Leave a Reply" form
    # The moderation policy of page types that name none (CommentsMixin.comment_policy)
    "MODERATION_POLICY": "comments.policy.ModerationPolicy",
    # Run in order on every valid post; the first refusal wins (see comments/spam.py)
    "SPAM_CHECKS": [
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
    APPROVE = "approve", _("Comments are published at once")


@dataclass(frozen=True)
class DiscussionOptions:
    thread_depth: int = DEFAULTS["THREAD_DEPTH"]
    per_page: int = DEFAULTS["PER_PAGE"]
    order: str = DEFAULTS["ORDER"]
    max_links: int = DEFAULTS["MAX_LINKS"]
    moderation_keywords: list[str] = field(default_factory=list)
    disallowed_keywords: list[str] = field(default_factory=list)
    approval_policy: str = ApprovalPolicy.HOLD
    auto_close_days: int | None = None
    captcha: str = CaptchaChoice.RECAPTCHA
    open_by_default: bool = True
    notify_moderators: bool = True
    notify_addresses: list[str] = field(default_factory=list)
    notify_page_owner: bool = True
    author_edit_minutes: int = DEFAULTS["AUTHOR_EDIT_MINUTES"]
    author_edit_until_reply: bool = DEFAULTS["AUTHOR_EDIT_UNTIL_REPLY"]

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
        auto_close_days=app_setting("AUTO_CLOSE_DAYS"),
        captcha=default_captcha(),
        author_edit_minutes=app_setting("AUTHOR_EDIT_MINUTES"),
        author_edit_until_reply=app_setting("AUTHOR_EDIT_UNTIL_REPLY"),
    )
