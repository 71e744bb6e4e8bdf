"""Handing work to django-tasks so that it exists exactly when the database change does.

A queue kept in the comments' own database (django-tasks-db's ``DatabaseBackend``) takes the
task inside the current transaction: the task row commits, or rolls back, with the comment, so
a worker never sees a task for a change that was undone and no crash between two commits can
lose one (and the request pays for one commit, not two). Any other backend, such as the
immediate one that runs the task on the spot, gets it once the transaction has committed.

``retry_later`` queues a task again after a delay that doubles each time, for work that talks
to another service (the spam services): django-tasks 0.12 has no retries of its own.

E-mail and the spam services' checks are the background work, and both are optional: a task
backend that cannot be loaded (``TASKS`` naming a missing module, or django-tasks-db's backend
without its app in ``INSTALLED_APPS``) turns them off with a logged error that names the fix,
and the reader's comment is stored as usual (a comment awaiting its spam check then stays held
for the moderators: never published unchecked). The system check ``comments.W001`` says the
same at start-up.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task
from django_tasks.exceptions import InvalidTaskBackendError

from .conf import app_setting
from .models import Comment

logger = logging.getLogger(__name__)

# What loading a misconfigured backend raises: django-tasks wraps an ImportError, but a backend
# module whose models' app is not installed raises Django's RuntimeError, and a backend's own
# validation raises ImproperlyConfigured.
BACKEND_ERRORS = (InvalidTaskBackendError, ImportError, RuntimeError, ImproperlyConfigured)
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def task_backend_problem(task: Task) -> str | None:
    """Why ``task``'s backend cannot queue it, with the fix; None when it can.

    The backend's own ``check()`` is asked too: django-tasks runs it only when ``django_tasks``
    is in ``INSTALLED_APPS``, which Wagtail does not need, and django-tasks-db's backend loads
    without its app but fails on the first ``enqueue()``."""
    try:
        backend = task.get_backend()
    except BACKEND_ERRORS as error:
        reason = str(error)
    else:
        errors = [message for message in backend.check() if message.is_serious()]
        if not errors:
            return None
        reason = "; ".join(
            f"{message.msg}: {message.hint}" if message.hint else message.msg for message in errors
        )
    return (
        f"The task backend {task.backend!r} cannot queue comment e-mails ({reason}), so they "
        "are not sent. Fix TASKS (for django-tasks-db's DatabaseBackend, add 'django_tasks_db' "
        "to INSTALLED_APPS and migrate), or use "
        "'django_tasks.backends.immediate.ImmediateBackend'."
    )


def enqueue_when_committed(task: Task, *args: Any) -> None:
    """Queue ``task(*args)`` to run once the current transaction (if any) has committed.

    With a backend that cannot be loaded the task is dropped and the error logged: the
    caller (a reader's POST, a moderator's action) goes on."""
    problem = task_backend_problem(task)
    if problem is not None:
        logger.error("%s Skipped: %s%r.", problem, task.name, args)
        return
    if _queued_with_comments(task.get_backend()):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _queued_with_comments(backend: BaseTaskBackend) -> bool:
    """True when the backend stores tasks in the database comments are written to."""
    if not apps.is_installed("django_tasks_db"):
        return False  # its backend module is not even importable without the app
    task_results = apps.get_model("django_tasks_database", "DBTaskResult")
    return isinstance(backend, import_string(DATABASE_BACKEND)) and (
        router.db_for_write(task_results) == router.db_for_write(Comment)
    )


def retry_later(task: Task, attempt: int, *args: Any) -> bool:
    """Queue ``task(*args, attempt + 1)`` after ``COMMENTS_SPAM_CHECK_RETRY_SECONDS`` doubled
    for each attempt made; False when COMMENTS_SPAM_CHECK_ATTEMPTS are spent or the backend
    cannot run a task later (the immediate backend: asking again at once would only make the
    request wait longer)."""
    if attempt >= app_setting("SPAM_CHECK_ATTEMPTS") or task_backend_problem(task) is not None:
        return False
    if not task.get_backend().supports_defer:
        return False
    delay = app_setting("SPAM_CHECK_RETRY_SECONDS") * 2 ** (attempt - 1)
    later = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    enqueue_when_committed(later, *args, attempt + 1)
    return True
