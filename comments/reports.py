"""Readers' "Report this comment": the form, who is reporting, the limits, and the hold.

The page ``/comments/<id>/report/`` works without JavaScript (``comments.js`` only opens it
inline). A report is stored once per reader and comment: readers are told apart by a keyed
hash of their IP address and user agent (``reporter_keys``), and a second report from the
same reader is thanked for but not stored. Reports are limited per IP address, counted from
the reports stored (as ``spam.py`` counts comments, and for the same reason: the app keeps no
cache, so the limit holds across workers and whatever the cache does). When the reports still
open on a published comment reach the site's ``report_threshold``, the comment goes back to
moderation through ``moderation.apply_action``, logged as done by the system, and
``comments_changed`` tells cached pages at once. Moderators then approve (dismissing the
reports), spam or bin it: ``moderation.resolve_reports``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_http_methods

from . import messages
from .client import client_ip
from .conf import app_setting
from .models import Comment, CommentReport, DiscussionSettings, ReportReason
from .moderation import ACTIONS, apply_action
from .sanitize import strip_control_characters
from .signals import comment_reported
from .targets import comment_target
from .threads import page_number_of

KEY_SALT = "comments.report"
# The log entry's data when enough reports hold a comment (see reasons.SYSTEM_REASONS).
HOLD_REASON = "reported"


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=messages.REPORT_REASON,
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": messages.REPORT_REASON_REQUIRED,
            "invalid_choice": messages.REPORT_REASON_INVALID,
        },
    )
    note = forms.CharField(
        label=messages.REPORT_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": messages.REPORT_NOTE_TOO_LONG},
    )
    email = forms.EmailField(
        label=messages.REPORT_EMAIL,
        help_text=messages.REPORT_EMAIL_HELP,
        required=False,
        max_length=254,
        error_messages={
            "invalid": messages.EMAIL_INVALID,
            "max_length": messages.EMAIL_TOO_LONG,
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The note's cap is a setting, read when the form is built (not at import).
        limit = app_setting("REPORT_NOTE_MAX_LENGTH")
        note = self.fields["note"]
        note.max_length = limit
        note.validators.append(MaxLengthValidator(limit))
        note.widget.attrs["maxlength"] = str(limit)

    def clean_note(self) -> str:
        return strip_control_characters(self.cleaned_data.get("note", "")).strip()


@dataclass(frozen=True)
class ReporterKeys:
    reporter: str  # the IP address and user agent: one reader
    ip: str  # the IP address alone: the rate limit


def reporter_keys(request: HttpRequest) -> ReporterKeys:
    """Keyed hashes (the site's SECRET_KEY): the stored reports hold no address."""
    ip = client_ip(request) or ""
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    return ReporterKeys(
        reporter=salted_hmac(KEY_SALT, f"{ip}\n{agent}", algorithm="sha256").hexdigest(),
        ip=salted_hmac(KEY_SALT, ip, algorithm="sha256").hexdigest(),
    )


def rate_limited(ip_key: str, now: datetime.datetime | None = None) -> bool:
    """At most COMMENTS_REPORT_RATE_LIMIT reports per IP per COMMENTS_REPORT_RATE_WINDOW
    seconds, counted in one indexed query over the reports stored."""
    limit = app_setting("REPORT_RATE_LIMIT")
    since = (now or timezone.now()) - datetime.timedelta(seconds=app_setting("REPORT_RATE_WINDOW"))
    recent = CommentReport.objects.filter(ip_key=ip_key, created__gte=since)
    return recent[:limit].count() >= limit


@dataclass(frozen=True)
class ReportOutcome:
    counted: bool  # False: this reader had already reported the comment
    held: bool  # the report sent the comment back to moderation


def file_report(
    comment: Comment,
    cleaned_data: dict,
    keys: ReporterKeys,
    threshold: int,
    request: HttpRequest | None = None,
) -> ReportOutcome:
    """Stores the report (once per reader and comment) and holds the comment when the open
    reports reach ``threshold`` (0: never)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentReport.objects.create(
                    comment=comment,
                    reason=cleaned_data["reason"],
                    note=cleaned_data.get("note", ""),
                    email=cleaned_data.get("email", ""),
                    reporter_key=keys.reporter,
                    ip_key=keys.ip,
                )
        except IntegrityError:  # the unique (comment, reporter) pair: reported before
            return ReportOutcome(counted=False, held=False)
        comment_reported.send(
            sender=Comment, comment=comment, reason=cleaned_data["reason"], request=request
        )
        return ReportOutcome(counted=True, held=hold_if_reported(comment, threshold))


def hold_if_reported(comment: Comment, threshold: int) -> bool:
    """Back to moderation once ``threshold`` readers' reports are open; by the system (no
    user), through the path every moderator's action takes."""
    if threshold <= 0:
        return False
    count = CommentReport.objects.open().filter(comment_id=comment.pk).count()
    if count < threshold:
        return False
    reason = {"reason": HOLD_REASON, "by": "system", "open_reports": str(count)}
    return bool(apply_action(ACTIONS["unapprove"], [comment.pk], None, reason))


# The page ----------------------------------------------------------------------------------


def _report_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    response = TemplateResponse(
        request,
        "comments/report.html",
        {"title": messages.REPORT_TITLE, "text": messages, **context},
        status=status,
    )
    # Each reader's own page (a CSRF token, their input): never cached or shared.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: the form; POST: the report stored, or the form again with its errors."""
    comment = Comment.objects.approved().filter(pk=comment_id).first()
    target = comment_target(request, comment.page_id) if comment is not None else None
    if target is None:
        return _report_page(
            request, {"state": "refused", "message": messages.REPORT_NOT_FOUND}, 404
        )
    options = DiscussionSettings.options_for_request(request, site_id=target.site_id)
    page_number = page_number_of(comment, options)
    query = f"?cpage={page_number}" if page_number > 1 else ""
    context = {
        "comment": comment,
        "page": target.page,
        "back_url": f"{target.url}{query}#comment-{comment.pk}",
        "back_label": messages.REPORT_BACK_TO_PAGE % {"title": target.page.title},
    }
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _report_page(request, {**context, "state": "form", "form": form})
    if not form.is_valid():
        return _report_page(request, {**context, "state": "form", "form": form}, 400)
    keys = reporter_keys(request)
    if rate_limited(keys.ip):
        refused = {**context, "state": "refused", "message": messages.REPORT_RATE_LIMITED}
        return _report_page(request, refused, 429)
    outcome = file_report(
        comment, form.cleaned_data, keys, options.report_threshold, request=request
    )
    message = messages.REPORT_THANKS if outcome.counted else messages.REPORT_ALREADY_SENT
    return _report_page(request, {**context, "state": "done", "message": message})
