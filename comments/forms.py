"""The "Leave a Reply" form, validated in layers: security stamp, honeypot, details, parent.

Each layer is one small ``clean_*``; the checks that need the database or the cache (rate
limit, flood, duplicates) run afterwards in ``spam.py``.
"""

from __future__ import annotations

import logging
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.validators import URLValidator
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from . import messages
from .conf import DiscussionOptions, app_setting
from .models import Comment, CommentStatus
from .sanitize import is_blank, sanitize_comment, strip_control_characters, visible_text
from .tokens import StampError, check_form_stamp

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
WEBSITE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 8000
RECAPTCHA_ACTION = "comment"


def has_userinfo(url: str) -> bool:
    """A user name or password before the host (``user:pw@host``). Refused outright: where
    the authority ends, browsers and Python disagree (``https://a.example\\@b.example/`` is
    a.example to a browser, b.example to ``urlsplit``), so the link could lead elsewhere than
    it reads. Python's authority runs to the first ``/``, ``?`` or ``#``, a browser's stops
    at a backslash too: an ``@`` in the longer one covers both readings."""
    return "@" in urlsplit(url).netloc


class WebsiteField(forms.URLField):
    """An http(s) address with no user name or password, refused with one clear message."""

    default_validators = []  # the form gives its own URLValidator (http and https only)

    def run_validators(self, value: str) -> None:
        if value and has_userinfo(value):
            raise forms.ValidationError(messages.WEBSITE_USERINFO, code="userinfo")
        super().run_validators(value)


class PlainTextField(forms.CharField):
    """Text with control characters (NUL included) removed before any validation."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return strip_control_characters(value) if value else value


class VerifiedReCaptchaField(ReCaptchaField):
    """django-recaptcha lets network errors escape; a reader gets a message instead of a 500."""

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except forms.ValidationError:
            raise
        except (OSError, ValueError) as error:  # URLError, timeouts, a garbled answer
            logger.warning("reCAPTCHA verification failed: %s", error)
            raise forms.ValidationError(
                messages.RECAPTCHA_UNREACHABLE, code="unreachable"
            ) from error


def make_captcha_field() -> VerifiedReCaptchaField:
    if app_setting("RECAPTCHA_VERSION") == "v3":
        widget = ReCaptchaV3(
            action=RECAPTCHA_ACTION, required_score=app_setting("RECAPTCHA_REQUIRED_SCORE")
        )
    else:
        widget = ReCaptchaV2Checkbox()
    return VerifiedReCaptchaField(
        widget=widget, label="", error_messages={"captcha_invalid": messages.RECAPTCHA_FAILED}
    )


class CommentForm(forms.Form):
    stamp = forms.CharField(widget=forms.HiddenInput)
    honeypot = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    body = PlainTextField(
        label="Comment",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": messages.BODY_REQUIRED, "max_length": messages.BODY_TOO_LONG},
    )
    name = PlainTextField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={"required": messages.NAME_REQUIRED, "max_length": messages.NAME_TOO_LONG},
    )
    email = forms.EmailField(
        label="Email",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": messages.EMAIL_REQUIRED,
            "invalid": messages.EMAIL_INVALID,
            "max_length": messages.EMAIL_TOO_LONG,
        },
    )
    website = WebsiteField(
        label="Website",
        required=False,
        max_length=WEBSITE_MAX_LENGTH,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"], message=messages.WEBSITE_INVALID)],
        widget=forms.URLInput(attrs={"autocomplete": "url", "size": 30}),
        error_messages={
            "invalid": messages.WEBSITE_INVALID,
            "max_length": messages.WEBSITE_TOO_LONG,
        },
    )
    save_details = forms.BooleanField(
        required=False,
        label="Save my name, email, and website in this browser for the next time I comment.",
    )
    notify_replies = forms.BooleanField(
        required=False, label="Notify me of follow-up replies by email."
    )

    def __init__(self, *args: Any, page, options: DiscussionOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.options = options
        self.parent_comment: Comment | None = None
        self.body_html = ""
        if options.uses_recaptcha:
            self.fields["captcha"] = make_captcha_field()
        for name in ("name", "email", "body"):
            self.fields[name].widget.attrs["aria-required"] = "true"

    # Layer 1: is this a form we rendered, for this page, filled in by a person?
    def clean_stamp(self) -> str:
        stamp = self.cleaned_data["stamp"]
        try:
            check_form_stamp(stamp, self.page.pk)
        except StampError as error:
            message = {
                "expired": messages.FORM_EXPIRED,
                "too_fast": messages.FORM_TOO_FAST,
            }.get(error.reason, messages.FORM_TAMPERED)
            raise forms.ValidationError(message, code=error.reason) from error
        return stamp

    def clean_honeypot(self) -> str:
        value = self.cleaned_data["honeypot"]
        if value:
            raise forms.ValidationError(messages.SPAM_TRAP, code="honeypot")
        return value

    # Layer 2: the details.
    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if is_blank(name):
            raise forms.ValidationError(messages.NAME_REQUIRED, code="required")
        return name

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if is_blank(body):
            raise forms.ValidationError(messages.BODY_REQUIRED, code="required")
        # Lengths are checked (by the field) before this: bleach is slow on hostile HTML.
        self.body_html = sanitize_comment(body)
        # What a browser would show: entities such as &nbsp; &#8203; &zwnj; are blanks too.
        if is_blank(unescape(visible_text(self.body_html))):
            raise forms.ValidationError(messages.BODY_REQUIRED, code="required")
        return body

    def clean_website(self) -> str:
        website = self.cleaned_data["website"]
        # Schemes are case-insensitive; stored in lower case, every link starts "http".
        scheme, separator, rest = website.partition("://")
        return f"{scheme.lower()}{separator}{rest}" if separator else scheme

    # Layer 3: what the comment replies to.
    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        parent = (
            Comment.objects.filter(
                pk=parent_id, page_id=self.page.pk, status=CommentStatus.APPROVED
            )
            .only("pk", "parent_id", "name")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(messages.PARENT_NOT_FOUND, code="invalid_parent")
        if parent.depth() >= self.options.thread_depth:
            raise forms.ValidationError(messages.PARENT_TOO_DEEP, code="too_deep")
        self.parent_comment = parent
        return parent

    def security_errors(self) -> list[str]:
        """Errors of fields the reader cannot see or type in, for the error summary."""
        hidden = ("stamp", "honeypot", "parent", "captcha")
        return [str(error) for name in hidden for error in self.errors.get(name, [])]
