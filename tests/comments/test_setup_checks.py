"""What a site must configure is checked at start-up with the fix named (comments/checks.py),
and an optional piece that is missing or misconfigured (the task backend behind the e-mails)
turns its feature off with a logged error: a reader's POST never answers 500."""

import logging
import sys

import pytest
from django.apps import apps
from django.core import checks, mail
from django.core.management import call_command

from comments import checks as comment_checks
from comments.models import Comment, CommentStatus
from comments.moderation import ACTIONS, apply_action
from comments.notifications import send_moderation_request
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ids(messages) -> list[str]:
    return [message.id for message in messages]


@pytest.fixture
def uninstall(monkeypatch):
    """``uninstall("app.name")``: the app registry answers as in a process whose settings
    leave the app out (INSTALLED_APPS itself cannot change here: Wagtail mounts its API
    routers once per process). Its models module, imported anew, then raises Django's
    RuntimeError, as it does in such a process."""
    is_installed = apps.is_installed
    containing_config = apps.get_containing_app_config
    removed: list[str] = []

    def uninstall(name: str) -> None:
        removed.append(name)
        for module in [module for module in sys.modules if module.startswith(f"{name}.models")]:
            monkeypatch.delitem(sys.modules, module)

    def outside(module: str) -> bool:
        return any(module == name or module.startswith(f"{name}.") for name in removed)

    monkeypatch.setattr(
        apps, "is_installed", lambda name: name not in removed and is_installed(name)
    )
    monkeypatch.setattr(
        apps,
        "get_containing_app_config",
        lambda module: None if outside(module) else containing_config(module),
    )
    return uninstall


def test_the_sites_own_configuration_passes_every_check():
    call_command("check", fail_level="WARNING")  # raises SystemCheckError on any message


@pytest.mark.parametrize("app", ["wagtail.contrib.settings", "wagtail.snippets"])
def test_a_missing_wagtail_app_is_an_error_naming_it(app, uninstall):
    assert comment_checks.check_required_apps(None) == []
    uninstall(app)
    errors = comment_checks.check_required_apps(None)
    assert ids(errors) == ["comments.E003"]
    assert errors[0].level == checks.ERROR
    assert f"Add {app!r} to INSTALLED_APPS" in errors[0].hint


def test_urls_not_included_is_an_error_with_the_line_to_add(settings):
    settings.ROOT_URLCONF = "tests.support.urls_without_comments"
    errors = comment_checks.check_urls_included(None)
    assert ids(errors) == ["comments.E004"]
    assert 'include("comments.urls")' in errors[0].hint


def test_recaptcha_keys_without_its_app_is_an_error(settings, uninstall):
    uninstall("django_recaptcha")
    assert comment_checks.check_recaptcha_app(None) == []  # no keys: the widget is never shown
    settings.RECAPTCHA_PUBLIC_KEY = "public"
    settings.RECAPTCHA_PRIVATE_KEY = "private"
    errors = comment_checks.check_recaptcha_app(None)
    assert ids(errors) == ["comments.E005"]


def test_a_task_backend_that_cannot_be_imported_is_a_warning_naming_the_fix(settings):
    settings.TASKS = {"default": {"BACKEND": "no_such_module.Backend"}}
    warnings = comment_checks.check_task_backend(None)
    assert ids(warnings) == ["comments.W001"]
    assert "no_such_module" in warnings[0].msg and "ImmediateBackend" in warnings[0].msg


@pytest.fixture
def database_queue_without_its_app(settings, uninstall):
    """django-tasks-db's backend named in TASKS, its app not installed: the backend loads, and
    its first enqueue() imports the models module and gets Django's RuntimeError."""
    settings.TASKS = DATABASE_QUEUE
    settings.COMMENTS_FLOOD_SECONDS = 0
    uninstall("django_tasks_db")


def test_the_database_queue_without_its_app_really_fails_on_enqueue(
    database_queue_without_its_app,
):
    """The failure the app must absorb (what a comment POST met before it did)."""
    with pytest.raises(RuntimeError, match="INSTALLED_APPS"):
        send_moderation_request.enqueue(1)


def test_database_queue_without_its_app_is_a_warning_saying_to_install_it(
    database_queue_without_its_app,
):
    warnings = comment_checks.check_task_backend(None)
    assert ids(warnings) == ["comments.W001"]
    assert "'django_tasks_db' to INSTALLED_APPS" in warnings[0].msg


def test_a_post_with_a_broken_task_backend_stores_the_comment_and_logs_the_fix(
    commented_page,  # made first: Wagtail itself queues tasks when a page is published
    database_queue_without_its_app,
    post_comment,
    caplog,
    django_capture_on_commit_callbacks,
):
    with (
        caplog.at_level(logging.ERROR, logger="comments.background"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = post_comment(commented_page)

    assert response.status_code == 303  # to the page, showing the held comment to its author
    assert Comment.objects.get().status == CommentStatus.PENDING
    assert mail.outbox == []
    assert "'django_tasks_db' to INSTALLED_APPS" in caplog.text
    assert "send_moderation_request" in caplog.text


def test_a_moderators_approval_with_a_broken_task_backend_still_publishes(
    commented_page, database_queue_without_its_app, caplog, django_capture_on_commit_callbacks
):
    comment = make_comment(commented_page, status=CommentStatus.PENDING)
    with (
        caplog.at_level(logging.ERROR, logger="comments.background"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert apply_action(ACTIONS["approve"], [comment.pk], user=None) == [comment.pk]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert "send_approval_notices" in caplog.text


def test_the_app_needs_no_cache(settings, commented_page, post_comment, client):
    """The limits read the comments stored: a site with the dummy cache works as any."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post_comment(commented_page).status_code == 303
    settings.COMMENTS_RATE_LIMIT = 1
    assert post_comment(commented_page, body="Another one.").status_code == 429


@pytest.mark.parametrize(
    "origins, errors",
    [
        ([], 0),
        (["https://www.example.com", "http://localhost:3000", "https://Front.example/"], 0),
        (["*"], 1),
        (["https://*.example.com"], 1),
        (["www.example.com", "https://example.com/blog", "https://u@example.com"], 3),
        ("https://www.example.com", 1),
    ],
    ids=["none", "origins", "wildcard", "wildcard-host", "not-origins", "a-string"],
)
def test_cors_origins_that_no_browser_sends_are_an_error(settings, origins, errors):
    settings.COMMENTS_API_CORS_ORIGINS = origins
    found = comment_checks.check_api_cors_origins(None)
    assert ids(found) == ["comments.E006"] * errors
    assert all('["https://www.example.com"]' in error.hint for error in found)
