"""System checks for configuration mistakes in the comments app.

Each names the fix. What the app needs and a site may lack (README, "Add comments to your
Wagtail site"): Wagtail's settings and snippets apps (the Discussion settings and the queue),
the app's URLs, django-recaptcha's app when reCAPTCHA keys are set, and a task backend that
loads (else the e-mails are off; the comments themselves still work), and the ``akismet``
package with its site URL once an Akismet key is set. The app keeps no cache
of its own, so the cache needs no check: any ``CACHES`` works, even the dummy backend.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.urls import NoReverseMatch, reverse

from .background import task_backend_problem
from .conf import CaptchaChoice, app_setting, recaptcha_keys_configured
from .cors import is_origin
from .notifications import send_moderation_request
from .spam_services import URL_SCHEMES, akismet, akismet_blog_url, akismet_key, configured_services
from .spam_verdicts import check_for_spam
from .webhook_delivery import deliver_webhook
from .webhook_models import WebhookEndpoint

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


@checks.register()
def check_akismet(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """An Akismet key without the package, or without the site's URL, checks nothing: the
    comments go where the moderation policy sends them, unchecked by Akismet."""
    if not akismet_key():
        return []
    if akismet is None:
        return [
            checks.Warning(
                "An Akismet API key is set (COMMENTS_AKISMET_API_KEY or PYTHON_AKISMET_API_KEY) "
                "but the akismet package is not installed, so comments are not checked by "
                "Akismet.",
                hint="pip install akismet==25.10.1 (or unset the key).",
                id="comments.W002",
            )
        ]
    url = akismet_blog_url()
    if not url.startswith(URL_SCHEMES):
        return [
            checks.Warning(
                "An Akismet API key is set but the site's URL is "
                f"{'missing' if not url else repr(url)}, so comments are not checked by Akismet.",
                hint="Set COMMENTS_AKISMET_BLOG_URL (or PYTHON_AKISMET_BLOG_URL) to the site "
                "registered with the key, such as 'https://blog.example.org'.",
                id="comments.W003",
            )
        ]
    return []


@checks.register()
def check_spam_service_queue(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A spam service behind a backend that runs tasks at once (django-tasks' immediate one):
    each comment POST then waits for the service, and a failed check is not tried again."""
    if not configured_services() or task_backend_problem(check_for_spam) is not None:
        return []  # nothing to check, or W001 says what is wrong with the backend
    if check_for_spam.get_backend().supports_defer:
        return []
    return [
        checks.Warning(
            f"The task backend {check_for_spam.backend!r} runs tasks at once: every comment "
            "POST waits for the spam services, and a check that fails is not tried again "
            "(the comment is left to the moderators).",
            hint="In production use django-tasks-db's 'django_tasks_db.DatabaseBackend' and "
            "run manage.py db_worker.",
            id="comments.W004",
        )
    ]


@checks.register(checks.Tags.database)
def check_webhook_queue(app_configs, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Active webhooks behind a backend that runs tasks at once: each moderator's action and
    reader's post then waits for every receiver, and a failed delivery is not tried again.
    The endpoints live in the database, so this runs with ``check --database default`` (and
    ``migrate``)."""
    if not databases or task_backend_problem(deliver_webhook) is not None:
        return []
    if deliver_webhook.get_backend().supports_defer:
        return []
    try:
        active = WebhookEndpoint.objects.filter(is_active=True).exists()
    except DatabaseError:  # not migrated yet (the check runs before migrate's work)
        return []
    if not active:
        return []
    return [
        checks.Warning(
            f"Webhooks are active but the task backend {deliver_webhook.backend!r} runs tasks "
            "at once: every post and moderator's action waits for each receiver, and a "
            "delivery that fails is not tried again.",
            hint="In production use django-tasks-db's 'django_tasks_db.DatabaseBackend' and "
            "run manage.py db_worker.",
            id="comments.W005",
        )
    ]


@checks.register(checks.Tags.security)
def check_api_cors_origins(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Each listed origin must be one a browser sends: anything else never matches (and a
    wildcard would let every site's pages post comments in its readers' browsers)."""
    origins = app_setting("API_CORS_ORIGINS")
    if isinstance(origins, str):
        origins = [origins]
        problems = ["COMMENTS_API_CORS_ORIGINS is a string; it must be a list of origins."]
    else:
        problems = []
    problems += [
        f"COMMENTS_API_CORS_ORIGINS lists {origin!r}, which is not an origin."
        for origin in origins
        if not is_origin(origin)
    ]
    return [
        checks.Error(
            problem,
            hint='List origins as browsers send them: ["https://www.example.com"] (scheme, '
            "host and port if not the default; no path, no wildcard).",
            id="comments.E006",
        )
        for problem in problems
    ]
