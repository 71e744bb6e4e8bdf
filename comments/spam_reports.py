"""Telling the spam services what the moderators decided, so that they learn.

A moderator's "Spam" is sent as submit-spam unless the service had already called the comment
spam; "Not spam" as submit-ham unless it had called it ham: the services hear what they got
wrong or did not know. Only moderators' moves are reported (a service's own move to Spam is
not news to it). The report is a background task per service, retried like the check when
the service cannot answer; the moderator's move never waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.utils.module_loading import import_string
from django_tasks import task

from .background import enqueue_when_committed, retry_later
from .conf import app_setting
from .models import Comment, SpamVerdict
from .spam_services import ServiceUnavailable

logger = logging.getLogger(__name__)

# A moderation action's name -> whether it reports spam (True) or ham (False).
REPORTED_ACTIONS = {"spam": True, "not_spam": False}
ALREADY_KNOWN = {
    True: frozenset({SpamVerdict.SPAM, SpamVerdict.BLATANT}),
    False: frozenset({SpamVerdict.HAM}),
}


def report_moderation(action_name: str, verdicts: Iterable[tuple[int, str]], user) -> None:
    """After a moderator's move of comments (``(id, spam_verdict)`` pairs), queue one report
    per configured service of what it did not already know. Nothing without a moderator
    (``user`` None: a service or a script moved them) or without services."""
    as_spam = REPORTED_ACTIONS.get(action_name)
    if as_spam is None or user is None:
        return
    ids = [pk for pk, verdict in verdicts if verdict not in ALREADY_KNOWN[as_spam]]
    if not ids:
        return
    for path in app_setting("SPAM_SERVICES"):
        if import_string(path)().is_configured():
            enqueue_when_committed(report_to_spam_service, path, ids, as_spam, 1)


@task()
def report_to_spam_service(
    service_path: str, comment_ids: list[int], as_spam: bool, attempt: int = 1
) -> int:
    """Submits the comments as spam or ham; returns how many the service took. When it cannot
    answer, the rest are sent again later (``retry_later``)."""
    service = import_string(service_path)()
    comments = list(
        Comment.objects.filter(pk__in=comment_ids).select_related("page").order_by("pk")
    )
    for done, comment in enumerate(comments):
        try:
            if as_spam:
                service.submit_spam(comment)
            else:
                service.submit_ham(comment)
        except ServiceUnavailable as error:
            rest = [later.pk for later in comments[done:]]
            again = error.retry and retry_later(
                report_to_spam_service, attempt, service_path, rest, as_spam
            )
            logger.warning(
                "%s could not take the report of comments %s (attempt %d): %s.%s",
                service.name,
                rest,
                attempt,
                error,
                " Trying again later." if again else "",
            )
            return done
    return len(comments)
