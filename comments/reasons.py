"""Why a moderator spammed, binned or unapproved a comment: a short list plus free text.

The reason is optional and kept in the move's log entry (``data["reason"]``,
``data["reason_text"]``), so the comment's history says why, not only what.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import messages

# The actions a reason can be given for (names in ``moderation.ACTIONS``).
ACTIONS_WITH_REASON = frozenset({"spam", "trash", "unapprove"})
# Free text beyond this is refused: a reason is a note in the history, not a letter.
REASON_TEXT_MAX_LENGTH = 200

REASONS: dict[str, str] = {
    "spam": _("Spam or advertising"),
    "abusive": _("Abusive or harassing"),
    "off_topic": _("Off topic"),
    "health_misinformation": _("Misleading health information"),
    "personal_data": _("Personal data"),
    "illegal": _("Illegal content"),
    "other": _("Other"),
}
# Reasons the app records itself (never offered in the moderator's list).
SYSTEM_REASONS: dict[str, str] = {
    "reported": _("Held automatically: reported by several readers"),
    "reports_dismissed": _("Readers' reports dismissed"),
}
# A reader's report reason (models.ReportReason) as the moderator's reason it suggests, when
# the moderator spams or bins a reported comment without giving one.
REPORT_REASON_AS_REASON: dict[str, str] = {
    "spam": "spam",
    "abuse": "abusive",
    "off_topic": "off_topic",
    "health_misinformation": "health_misinformation",
    "illegal": "illegal",
}


class ModerationReasonForm(forms.Form):
    """The optional reason on a spam, bin or unapprove confirmation (single and bulk)."""

    reason = forms.ChoiceField(
        label=_("Reason (optional)"),
        choices=[("", "---------"), *REASONS.items()],
        required=False,
    )
    reason_text = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=REASON_TEXT_MAX_LENGTH,
        widget=forms.TextInput,
        error_messages={"max_length": messages.REASON_TOO_LONG},
    )

    def log_data(self) -> dict[str, str]:
        """What goes into the log entry's data: only the parts the moderator gave."""
        data = {}
        if reason := self.cleaned_data.get("reason"):
            data["reason"] = reason
        if text := self.cleaned_data.get("reason_text", "").strip():
            data["reason_text"] = text
        return data


def reason_label(data: dict) -> str:
    """The reason of a log entry's data in words ("Off topic: links to a shop"), or ""."""
    code = data.get("reason", "")
    label = str(REASONS.get(code) or SYSTEM_REASONS.get(code, code)) if code else ""
    text = data.get("reason_text", "")
    return ": ".join(part for part in (label, text) if part)
