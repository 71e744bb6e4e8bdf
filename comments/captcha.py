"""The form's captcha field, the one the site chose (Settings > Discussion, ``captcha``):
none, reCAPTCHA (Google, django-recaptcha) or ALTCHA (a proof of work checked here).

Both render with no inline script, as the site's Content-Security-Policy requires:
django-recaptcha's widgets come with inline scripts, so ours use templates of their own
(v3's submit handler is the static ``comments/recaptcha-v3.js``), and ALTCHA's widget is
served from our static files (``comments/static/comments/vendor/altcha/``).
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from . import messages
from .conf import DiscussionOptions, app_setting
from .proof_of_work import ChallengeRefused, check_solution

logger = logging.getLogger(__name__)

RECAPTCHA_ACTION = "comment"


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


class StaticReCaptchaV3(ReCaptchaV3):
    """django-recaptcha's v3 widget runs an inline script, which the site's CSP blocks (no
    inline script, no nonce: cached pages share their HTML). The same code is a static file,
    ``comments/recaptcha-v3.js``, reading the key and action from the input's data-*."""

    template_name = "comments/widgets/recaptcha_v3.html"


class StaticReCaptchaV2Checkbox(ReCaptchaV2Checkbox):
    """The checkbox without django-recaptcha's inline callback (a ``console.log``), which
    the CSP would refuse, logging an error on every page."""

    template_name = "comments/widgets/recaptcha_v2_checkbox.html"

    def build_attrs(self, base_attrs: dict, extra_attrs: dict | None = None) -> dict:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("data-callback", None)  # it named the inline function, now gone
        return attrs


def make_recaptcha_field() -> VerifiedReCaptchaField:
    if app_setting("RECAPTCHA_VERSION") == "v3":
        widget = StaticReCaptchaV3(
            action=RECAPTCHA_ACTION, required_score=app_setting("RECAPTCHA_REQUIRED_SCORE")
        )
    else:
        widget = StaticReCaptchaV2Checkbox()
    return VerifiedReCaptchaField(
        widget=widget, label="", error_messages={"captcha_invalid": messages.RECAPTCHA_FAILED}
    )


# The widget's own translations (it picks one by the page's <html lang>); English is built in.
ALTCHA_LANGUAGE_FILES = {
    "de": "comments/vendor/altcha/i18n/de.js",
    "es": "comments/vendor/altcha/i18n/es-es.js",
    "fr": "comments/vendor/altcha/i18n/fr-fr.js",
    "nl": "comments/vendor/altcha/i18n/nl.js",
}


class AltchaWidget(forms.Widget):
    """The ALTCHA widget, from our static files, and what a reader without JavaScript needs
    to know (a ``<noscript>`` note)."""

    template_name = "comments/widgets/altcha.html"

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)  # a solution is never shown again
        context["challenge_url"] = reverse("comments:altcha_challenge")
        context["text"] = messages
        context["language_file"] = ALTCHA_LANGUAGE_FILES.get((get_language() or "")[:2])
        return context

    def value_from_datadict(self, data, files, name: str) -> str | None:
        return data.get(name)


ALTCHA_REFUSALS = {
    "missing": messages.ALTCHA_MISSING,
    "expired": messages.ALTCHA_EXPIRED,
    "replayed": messages.ALTCHA_REPLAYED,
}


class AltchaField(forms.CharField):
    """The browser's ALTCHA solution, checked here (``proof_of_work.py``): no network."""

    widget = AltchaWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", messages.ALTCHA_LABEL)
        kwargs.setdefault("error_messages", {"required": messages.ALTCHA_MISSING})
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        try:
            check_solution(value)
        except ChallengeRefused as refused:
            message = ALTCHA_REFUSALS.get(refused.reason, messages.ALTCHA_INVALID)
            raise forms.ValidationError(message, code=f"altcha_{refused.reason}") from None


def make_captcha_field(options: DiscussionOptions) -> forms.Field | None:
    """The captcha the site chose on its Discussion screen (none, reCAPTCHA or ALTCHA)."""
    if options.uses_altcha:
        return AltchaField()
    if options.uses_recaptcha:
        return make_recaptcha_field()
    return None
