"""The spam services' check of a stored comment, run in the background, and what its verdict
does to the comment.

The comment POST marks the unsaved comment (``hold_for_check``) and queues the check in the
transaction that saves it (``queue_check``), so the reader waits for no service. While the
check runs the comment is held, verdict "checking": a comment the moderation policy would
publish at once is published only once a service has called it ham, never unchecked, and the
moderators' e-mail waits for the verdict. Then:

- spam (or blatant spam, which nobody needs to read): the comment goes to Spam, the move
  logged as the service's;
- not spam: a comment the policy would have published is published (logged as the service's
  approval and announced like a moderator's); one the policy holds stays held, and the
  moderators are e-mailed about it;
- no answer (the service down, too slow, or erring): asked again later with a growing delay
  (``background.retry_later``); once COMMENTS_SPAM_CHECK_ATTEMPTS are spent, the verdict is
  "unknown" and the comment stays held for the moderators, who are e-mailed.

A moderator who moved the comment before the verdict came keeps their decision: the verdict
is only recorded, for the queue to show.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .background import enqueue_when_committed, retry_later
from .models import Comment, CommentStatus, SpamVerdict
from .moderation import ACTIONS, apply_action
from .notifications import comment_posted
from .spam_services import ServiceUnavailable, SpamService, configured_services, service_names

logger = logging.getLogger(__name__)

SPAM_VERDICTS = frozenset({SpamVerdict.SPAM, SpamVerdict.BLATANT})


def hold_for_check(comment: Comment) -> bool:
    """Before a reader's comment is saved: True when spam services will check it. The comment
    is then held until their verdict (its ``publish_if_ham`` says whether the policy would
    have published it). A comment already bound for Spam is not sent to them."""
    if comment.status == CommentStatus.SPAM:
        return False
    services = configured_services()
    if not services:
        return False
    comment.spam_verdict = SpamVerdict.CHECKING
    comment.spam_verdict_by = service_names(services)
    if comment.status == CommentStatus.APPROVED:
        comment.status = CommentStatus.PENDING
        comment.publish_if_ham = True
    return True


def queue_check(comment: Comment) -> None:
    """Inside the transaction that saved the comment: the check runs once it commits."""
    enqueue_when_committed(check_for_spam, comment.pk, 1)


@task()
def check_for_spam(comment_id: int, attempt: int = 1) -> str:
    """Asks the configured services about the comment and acts on the verdict; returns it
    ("retrying" when the services are asked again later)."""
    comment = (
        Comment.objects.select_related("page")
        .filter(pk=comment_id, spam_verdict=SpamVerdict.CHECKING)
        .first()
    )
    if comment is None:  # deleted, or checked already
        return ""
    services = configured_services()
    verdict, deciders, retry = ask_services(comment, services, attempt)
    if verdict is None:
        if retry and retry_later(check_for_spam, attempt, comment_id):
            return "retrying"
        verdict = SpamVerdict.UNKNOWN
    record_verdict(comment_id, verdict, service_names(deciders) or comment.spam_verdict_by)
    return str(verdict)


def ask_services(
    comment: Comment, services: list[SpamService], attempt: int
) -> tuple[str | None, list[SpamService], bool]:
    """The first spam verdict, else ham when every service answered; None when one could not
    answer (with whether asking again may help). Also returns the services the verdict is
    theirs. No service configured any more: nobody can vouch for the comment, so None."""
    unanswered: list[tuple[SpamService, ServiceUnavailable]] = []
    for service in services:
        try:
            verdict = service.check(comment)
        except ServiceUnavailable as error:
            unanswered.append((service, error))
            logger.warning(
                "%s could not check comment %s (attempt %d): %s",
                service.name,
                comment.pk,
                attempt,
                error,
            )
            continue
        except Exception:  # a service's own bug must not leave the check without an end
            logger.exception("%s failed on comment %s", service.name, comment.pk)
            unanswered.append((service, ServiceUnavailable("error")))
            continue
        if verdict in SPAM_VERDICTS:
            return verdict, [service], False
    if unanswered:
        retry = any(error.retry for _, error in unanswered)
        return None, [service for service, _ in unanswered], retry
    if not services:
        return None, [], False
    return SpamVerdict.HAM, services, False


def record_verdict(comment_id: int, verdict: str, service_name: str) -> None:
    """Stores the verdict and moves the comment as it says, unless a moderator moved it
    first (see the module's docstring)."""
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .filter(pk=comment_id, spam_verdict=SpamVerdict.CHECKING)
            .first()
        )
        if comment is None:
            return
        publish = comment.publish_if_ham
        comment.spam_verdict, comment.spam_verdict_by = verdict, service_name
        comment.spam_verdict_at, comment.publish_if_ham = timezone.now(), False
        Comment.objects.filter(pk=comment_id).update(
            spam_verdict=verdict,
            spam_verdict_by=service_name,
            spam_verdict_at=comment.spam_verdict_at,
            publish_if_ham=False,
        )
        if comment.status != CommentStatus.PENDING:
            return  # a moderator decided first
        by_service = {"service": service_name, "verdict": verdict}
        if verdict in SPAM_VERDICTS:
            apply_action(ACTIONS["spam"], [comment_id], None, by_service)
        elif verdict == SpamVerdict.HAM and publish:
            apply_action(ACTIONS["approve"], [comment_id], None, by_service)
        else:
            comment_posted(comment)  # held for the moderators: now they hear of it
