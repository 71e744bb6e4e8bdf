"""Posting a comment: form -> checks -> moderation -> model, once for both ways in.

The HTML form (``views.post_comment``) and the JSON API (``api_post.post_comment``) both run
these steps, so a comment meets the same form (``COMMENTS_FORM_CLASS``), the same checks and
the same messages whichever way it comes; each caller only words its answer (the article
with the errors beside the fields and a redirect; JSON).

The form validates the post and builds the unsaved comment; the page type's moderation
policy (``policy.py``) runs its spam checks, may refuse the comment and sets its status;
``comment_will_be_posted`` receivers may refuse it too; then it is saved, its e-mails and
its spam services' check (``spam_verdicts.py``) queued, and ``comment_was_posted`` sent
once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.http import urlencode

from . import addresses, messages, spam, spam_verdicts
from .author_links import author_window_open
from .conf import DiscussionOptions, app_setting
from .forms import CommentForm, form_class
from .models import Comment, CommentStatus, DiscussionSettings
from .policy import policy_for
from .signals import comment_was_posted, comment_will_be_posted
from .spam import Refusal
from .targets import CommentTarget, comment_target
from .threads import page_number_of
from .tokens import make_preview_token


@dataclass(frozen=True)
class Posting:
    """A post to a page that takes comments, and its site's Discussion options."""

    target: CommentTarget
    options: DiscussionOptions


@dataclass(frozen=True)
class Outcome:
    """What became of a post. ``comment`` is the stored comment (201), also when this very
    post was stored already (a double click); otherwise ``status`` and ``message`` (a refusal
    not tied to one field) say why not. ``form`` holds the input and the field errors."""

    status: int
    form: CommentForm
    comment: Comment | None = None
    message: str = ""
    retry_after: int | None = None  # seconds, for Retry-After (rate limit, flood)


def size_refusal(request: HttpRequest) -> Refusal | None:
    """Bleach's cost grows faster than its input: a body over COMMENTS_MAX_POST_BYTES is
    refused before anything reads it."""
    max_bytes = app_setting("MAX_POST_BYTES")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = max_bytes + 1
    if length > max_bytes:
        return Refusal(413, messages.POST_TOO_LARGE)
    return None


def start_posting(request: HttpRequest, page_id: int) -> Posting | Refusal:
    """The page posted to and its options, or why the post is refused before its fields are
    read: no such page (404), comments closed (403)."""
    target = comment_target(request, page_id)
    if target is None:
        return Refusal(404, messages.PAGE_NOT_FOUND)
    options = DiscussionSettings.options_for_request(request, site_id=target.site_id)
    if not target.page.comments_open(options):
        return Refusal(403, messages.COMMENTS_CLOSED)
    return Posting(target=target, options=options)


def submit_comment(request: HttpRequest, posting: Posting, data: Mapping[str, Any]) -> Outcome:
    """The form, the checks and the moderation policy on ``data`` (the POST's fields); the
    comment is stored when all of them let it through."""
    page, options = posting.target.page, posting.options
    # The form: its layers check the stamp, the honeypot, the fields and the parent.
    form = form_class()(data, page=page, options=options)
    if not form.is_valid():
        return Outcome(400, form)
    comment = form.get_comment_object(request)
    comment.address_verified = addresses.commenter_is_verified(comment, request, options)

    # The checks: one stamp sends one comment, then the policy's spam checks.
    policy = policy_for(page, options)
    submission = spam.Submission(comment, request)
    if submission.recent.stamp_used:
        return stamp_used_again(form, comment.form_stamp)
    refusal = spam.first_refusal(submission, policy.spam_checks())
    if refusal is not None:
        if refusal.same_submission:
            return stamp_used_again(form, comment.form_stamp)
        return Outcome(
            refusal.status, form, message=refusal.message, retry_after=refusal.retry_after
        )

    # Moderation: the policy may refuse the comment, then decides its status; a receiver of
    # comment_will_be_posted may still refuse it.
    if not policy.allow(comment, request):
        return Outcome(403, form, message=messages.COMMENT_NOT_ACCEPTED)
    comment.status = policy.initial_status(comment, request)
    if comment.block_mark and comment.status == CommentStatus.APPROVED:
        comment.status = CommentStatus.PENDING  # a "hold" entry of the block list matched
    if vetoed(comment_will_be_posted.send(sender=Comment, comment=comment, request=request)):
        return Outcome(403, form, message=messages.COMMENT_NOT_ACCEPTED)

    # Spam services check it in the background once stored; until then it is held.
    checked = spam_verdicts.hold_for_check(comment)

    # The model: the comment, its queued e-mails and check and the after-commit signal in one
    # commit. An address nobody confirmed is asked to (once); the site may hold the comment
    # till then.
    try:
        with transaction.atomic():
            confirm = addresses.prepare_confirmation(comment, options)
            comment.save()
            if confirm:
                addresses.send_confirmation(comment)
            policy.notify(comment, request)
            if checked:
                spam_verdicts.queue_check(comment)
            transaction.on_commit(
                partial(comment_was_posted.send, sender=Comment, comment=comment, request=request)
            )
    except IntegrityError:
        # The same stamp sent twice at once (a double click): the other request stored it.
        return stamp_used_again(form, comment.form_stamp)
    return Outcome(201, form, comment=comment)


def vetoed(responses: list[tuple[object, object]]) -> bool:
    """A receiver of ``comment_will_be_posted`` returned False (django-contrib-comments'
    contract): the comment is not stored."""
    return any(response is False for _, response in responses)


def stamp_used_again(form: CommentForm, stamp: str) -> Outcome:
    """A stamp sends one comment. Sent again with the same comment (a double click, a
    reload of the POST), the reader is given the comment they sent; with another, refused."""
    sent = Comment.objects.filter(form_stamp=stamp).first()
    same = sent is not None and (sent.email, sent.body) == (
        form.cleaned_data["email"],
        form.cleaned_data["body"],
    )
    if same:
        return Outcome(201, form, comment=sent)
    return Outcome(409, form, message=messages.FORM_ALREADY_USED)


def comment_location(
    target: CommentTarget,
    comment: Comment,
    options: DiscussionOptions,
    preview_token: str = "",
    author_links: bool = False,
) -> str:
    """The comment's place on its page (path, comment page, anchor). One not yet published
    is shown to its author alone, through a signed token in the URL (never in a cookie, so
    a shared page cache never mixes it into others' HTML); with ``author_links`` so is a
    published one its author may still change, with its Edit and Delete links."""
    params = {}
    own = author_links and author_window_open(comment.created, options)
    if not comment.is_approved or own:
        params["moderation"] = preview_token or make_preview_token(comment.pk)
    page_number = page_number_of(comment, options)
    if page_number > 1:
        params["cpage"] = page_number
    query = f"?{urlencode(params)}" if params else ""
    return f"{target.url}{query}#comment-{comment.pk}"
