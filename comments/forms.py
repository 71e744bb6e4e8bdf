"""The "Leave a Reply" form, in three layers as django-contrib-comments has them:
``CommentSecurityForm`` (the signed stamp, the captcha from ``captcha.py``),
``CommentDetailsForm`` (the fields, their limits, the parent; it builds the comment) and
``CommentForm`` (the honeypot).

Each check is one small ``clean_*``; the checks that need the database (rate limit, flood,
duplicates) run afterwards, from ``spam.py``. A site uses a form of its own by naming it in
``COMMENTS_FORM_CLASS`` (``form_class()``): a subclass of ``CommentForm`` keeps every layer.
"""

from __future__ import annotations

from html import unescape
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.validators import URLValidator
from django.http import HttpRequest

from . import messages
from .captcha import make_captcha_field
from .client import client_ip
from .conf import DiscussionOptions, app_class
from .models import Comment, CommentStatus, FollowMode, normalised_email
from .sanitize import is_blank, sanitize_comment, strip_control_characters, visible_text
from .tokens import StampError, check_form_stamp, form_stamp_digest

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
WEBSITE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 8000
USER_AGENT_MAX_LENGTH = 300


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
        try:
            userinfo = bool(value) and has_userinfo(value)
        except ValueError:  # urlsplit refuses it (an unclosed "[" of an IPv6 host)
            raise forms.ValidationError(messages.WEBSITE_INVALID, code="invalid") from None
        if userinfo:
            raise forms.ValidationError(messages.WEBSITE_USERINFO, code="userinfo")
        super().run_validators(value)


class PlainTextField(forms.CharField):
    """Text with control characters (NUL included) removed before any validation."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return strip_control_characters(value) if value else value


class CommentSecurityForm(forms.Form):
    """Layer 1: is this a form we rendered, for this page, filled in by a person? The signed
    stamp (page, time, nonce; see ``tokens.py``) and, when the site asks for one, the
    captcha: reCAPTCHA or ALTCHA."""

    stamp = forms.CharField(widget=forms.HiddenInput)

    # Fields the reader cannot see or type in: their errors go to the summary as they are.
    hidden_fields_with_errors = ("stamp", "honeypot", "parent", "captcha")

    def __init__(self, *args: Any, page, options: DiscussionOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.options = options
        captcha = make_captcha_field(options)
        if captcha is not None:
            self.fields["captcha"] = captcha

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

    @property
    def stamp_digest(self) -> str:
        """What the comment keeps of its stamp: each stamp sends one comment."""
        return form_stamp_digest(self.cleaned_data["stamp"])

    def security_errors(self) -> list[str]:
        """Errors of fields the reader cannot see or type in, for the error summary. A
        visible, labelled captcha (ALTCHA) is listed with the visible fields instead, as a
        link to it, not twice."""
        return [
            str(error)
            for name in self.hidden_fields_with_errors
            if not self._listed_with_visible_fields(name)
            for error in self.errors.get(name, [])
        ]

    def _listed_with_visible_fields(self, name: str) -> bool:
        field = self.fields.get(name) if name == "captcha" else None
        return field is not None and bool(field.label) and not field.widget.is_hidden


class CommentDetailsForm(CommentSecurityForm):
    """Layer 2: the details a reader types, and the comment they reply to. Builds the
    (unsaved) comment: ``get_comment_object()``."""

    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    body = PlainTextField(
        label=messages.FIELD_COMMENT,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45}),
        error_messages={"required": messages.BODY_REQUIRED, "max_length": messages.BODY_TOO_LONG},
    )
    name = PlainTextField(
        label=messages.FIELD_NAME,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name", "size": 30}),
        error_messages={"required": messages.NAME_REQUIRED, "max_length": messages.NAME_TOO_LONG},
    )
    email = forms.EmailField(
        label=messages.FIELD_EMAIL,
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": messages.EMAIL_REQUIRED,
            "invalid": messages.EMAIL_INVALID,
            "max_length": messages.EMAIL_TOO_LONG,
        },
    )
    website = WebsiteField(
        label=messages.FIELD_WEBSITE,
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
    save_details = forms.BooleanField(required=False, label=messages.SAVE_DETAILS)
    notify_replies = forms.BooleanField(required=False, label=messages.NOTIFY_REPLIES)

    # The fields the stock template lays out itself; ``extra_fields()`` are the others.
    stock_fields = (
        "stamp", "honeypot", "parent", "body", "name", "email", "website", "save_details",
        "notify_replies", "captcha",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_comment: Comment | None = None
        self.body_html = ""
        for name in ("name", "email", "body"):
            self.fields[name].widget.attrs["aria-required"] = "true"

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

    def extra_fields(self) -> list[forms.BoundField]:
        """Visible fields a site's own form adds; the stock template shows them after
        Website, each with its label and errors."""
        return [field for field in self.visible_fields() if field.name not in self.stock_fields]

    # Building the comment -------------------------------------------------------------------

    def get_comment_model(self) -> type[Comment]:
        return Comment

    def get_comment_create_data(self, request: HttpRequest | None = None) -> dict[str, Any]:
        """The new comment's fields: what the reader typed, the page, the stamp's digest and,
        given the request, who sent it. A site's form adds or changes fields here."""
        data = self.cleaned_data
        create_data = {
            "page": self.page,
            "parent": self.parent_comment,
            "name": data["name"],
            "email": data["email"],
            "website": data["website"],
            "body": data["body"],
            "body_html": self.body_html,
            "notify_replies": data["notify_replies"],
            "form_stamp": self.stamp_digest,
        }
        if request is not None:
            user = request.user
            create_data.update(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
                user=user if user.is_authenticated else None,
            )
        return create_data

    def get_comment_object(self, request: HttpRequest | None = None) -> Comment:
        """A new, unsaved comment from this valid form; its status is the moderation
        policy's to decide (``policy.py``)."""
        if not self.is_valid():
            raise ValueError("get_comment_object() needs a valid form")
        return self.get_comment_model()(**self.get_comment_create_data(request))


class CommentForm(CommentDetailsForm):
    """Layer 3: the honeypot, a field people never see and robots fill in. The form a site
    gets unless ``COMMENTS_FORM_CLASS`` names another."""

    honeypot = forms.CharField(
        required=False,
        label=messages.HONEYPOT,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    # Cheapest checks first: the stamp and the honeypot refuse robots before the parent's
    # query and bleach run.
    field_order = ("stamp", "honeypot", "parent", "body", "name", "email", "website")

    def clean_honeypot(self) -> str:
        value = self.cleaned_data["honeypot"]
        if value:
            raise forms.ValidationError(messages.SPAM_TRAP, code="honeypot")
        return value


def form_class() -> type[CommentForm]:
    """The form class in use: ``COMMENTS_FORM_CLASS``, read live."""
    return app_class("FORM_CLASS")


class AuthorEditForm(forms.Form):
    """The author's new text: sanitised and checked as a new comment's is."""

    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        strip=False,
        error_messages={"required": messages.BODY_REQUIRED, "max_length": messages.BODY_TOO_LONG},
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if is_blank(body):
            raise forms.ValidationError(messages.BODY_REQUIRED, code="required")
        self.body_html = sanitize_comment(body)
        if is_blank(unescape(visible_text(self.body_html))):
            raise forms.ValidationError(messages.BODY_REQUIRED, code="required")
        return body


class FollowForm(forms.Form):
    """ "Notify me of new comments on this article": an address and how often, nothing else,
    so it fits below the comment form (``follows.py``). Its prefix keeps its ids apart from
    the comment form's on the same page."""

    prefix = "follow"

    email = forms.EmailField(
        label=messages.FOLLOW_EMAIL,
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "size": 30}),
        error_messages={
            "required": messages.EMAIL_REQUIRED,
            "invalid": messages.EMAIL_INVALID,
            "max_length": messages.EMAIL_TOO_LONG,
        },
    )
    mode = forms.ChoiceField(
        label=messages.FOLLOW_MODE,
        choices=FollowMode.choices,
        initial=FollowMode.IMMEDIATE,
        widget=forms.RadioSelect,
    )

    def clean_email(self) -> str:
        return normalised_email(self.cleaned_data["email"])
