"""System checks for configuration mistakes in the comments app."""

from django.conf import settings
from django.core import checks

from .conf import app_setting


@checks.register(checks.Tags.security)
def check_recaptcha_keys(app_configs, **kwargs):
    """Both reCAPTCHA keys or neither: one alone silently turns reCAPTCHA off."""
    public = getattr(settings, "RECAPTCHA_PUBLIC_KEY", "")
    private = getattr(settings, "RECAPTCHA_PRIVATE_KEY", "")
    if bool(public) != bool(private):
        return [
            checks.Error(
                "Only one of RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY is set.",
                hint="Set both to use reCAPTCHA on the comment form, or neither to turn it off.",
                id="comments.E001",
            )
        ]
    return []


@checks.register()
def check_recaptcha_version(app_configs, **kwargs):
    version = app_setting("RECAPTCHA_VERSION")
    if version not in ("v2", "v3"):
        return [
            checks.Error(
                f"COMMENTS_RECAPTCHA_VERSION is {version!r}; it must be 'v2' or 'v3'.",
                id="comments.E002",
            )
        ]
    return []
