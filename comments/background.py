"""Handing work to django-tasks so that it exists exactly when the database change does.

A queue kept in the comments' own database (django-tasks-db's ``DatabaseBackend``) takes the
task inside the current transaction: the task row commits, or rolls back, with the comment, so
a worker never sees a task for a change that was undone and no crash between two commits can
lose one (and the request pays for one commit, not two). Any other backend, such as the
immediate one that runs the task on the spot, gets it once the transaction has committed.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import router, transaction
from django_tasks.base import Task

from .models import Comment

try:  # optional for the comments app
    from django_tasks_db import DatabaseBackend
except ImportError:
    DatabaseBackend = None


def enqueue_when_committed(task: Task, *args: Any) -> None:
    """Queue ``task(*args)`` to run once the current transaction (if any) has committed."""
    if _queued_with_comments(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _queued_with_comments(task: Task) -> bool:
    """True when the task's backend stores tasks in the database comments are written to."""
    if DatabaseBackend is None or not apps.is_installed("django_tasks_db"):
        return False
    task_results = apps.get_model("django_tasks_database", "DBTaskResult")
    return isinstance(task.get_backend(), DatabaseBackend) and (
        router.db_for_write(task_results) == router.db_for_write(Comment)
    )
