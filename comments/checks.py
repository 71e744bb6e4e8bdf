"""System checks for configuration mistakes in the comments app.

Each names the fix. What the app needs and a site may lack (README, "Add comments to your
Wagtail site"): Wagtail's settings and snippets apps (the Discussion settings and the queue),
the app's URLs, django-recaptcha's app when reCAPTCHA keys are set, and a task backend that
loads (else the e-mails are off; the comments themselves still work). The app keeps no cache
of its own, so the cache needs no check: any ``CACHES`` works, even the dummy backend.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.urls import NoReverseMatch, reverse

from .background import task_backend_problem
from .conf import CaptchaChoice, app_setting, recaptcha_keys_configured
from .notifications import send_moderation_request

REQUIRED_APPS = {
    "wagtail.contrib.settings": "the Discussion settings (Settings → Discussion)",
    "wagtail.snippets": "the moderation queue (Admin → Comments)",
}


@checks.register(checks.Tags.security)
def check_recaptcha_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
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
def check_recaptcha_version(app_configs, **kwargs) -> list[checks.CheckMessage]:
    version = app_setting("RECAPTCHA_VERSION")
    if version not in ("v2", "v3"):
        return [
            checks.Error(
                f"COMMENTS_RECAPTCHA_VERSION is {version!r}; it must be 'v2' or 'v3'.",
                id="comments.E002",
            )
        ]
    return []


@checks.register()
def check_captcha_choice(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A misspelt ``COMMENTS_CAPTCHA`` would silently leave the form without a captcha."""
    captcha = app_setting("CAPTCHA")
    if captcha is not None and captcha not in CaptchaChoice.values:
        allowed = ", ".join(repr(value) for value in CaptchaChoice.values)
        return [
            checks.Error(
                f"COMMENTS_CAPTCHA is {captcha!r}; it must be one of {allowed} (or unset).",
                id="comments.E007",
            )
        ]
    return []


@checks.register()
def check_required_apps(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Without Wagtail's settings app every admin page fails ('wagtailsettings' is not a
    registered namespace); without snippets the queue has no admin."""
    return [
        checks.Error(
            f"The comments app needs {app!r} in INSTALLED_APPS, for {purpose}.",
            hint=f"Add {app!r} to INSTALLED_APPS.",
            id="comments.E003",
        )
        for app, purpose in REQUIRED_APPS.items()
        if not apps.is_installed(app)
    ]


@checks.register(checks.Tags.urls)
def check_urls_included(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The form posts to the app's own URLs: without them every page with comments fails."""
    try:
        reverse("comments:post", args=[1])
    except NoReverseMatch:
        return [
            checks.Error(
                "The comments app's URLs are not in the URLconf: the comment form has nowhere "
                "to post.",
                hint='Add path("comments/", include("comments.urls")) to your urlpatterns, '
                "before Wagtail's own include(wagtail_urls).",
                id="comments.E004",
            )
        ]
    return []


@checks.register()
def check_recaptcha_app(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With both keys set the form shows django-recaptcha's widget, whose templates come with
    its app."""
    if recaptcha_keys_configured() and not apps.is_installed("django_recaptcha"):
        return [
            checks.Error(
                "RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY are set but 'django_recaptcha' "
                "is not in INSTALLED_APPS.",
                hint="Add 'django_recaptcha' to INSTALLED_APPS, or unset both keys.",
                id="comments.E005",
            )
        ]
    return []


@checks.register()
def check_task_backend(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """E-mails go through django-tasks; a backend that does not load turns them off (the
    POST still stores the comment: ``background.enqueue_when_committed``)."""
    problem = task_backend_problem(send_moderation_request)
    if problem is None:
        return []
    return [checks.Warning(problem, id="comments.W001")]
