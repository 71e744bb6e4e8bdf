"""The protocol's data: threaded comments on the article, the comments approved one by one for
the "first view after an approval", the site's comments per page, and the 100,000-row
moderation queue.

Needs Django set up (the driver process does it). Rows go in with ``bulk_create``; every body's
HTML comes from the app's own sanitiser, as a posted comment's would.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from blog.management.commands.load_seed_content import BACK_PAIN_SLUG, KNEE_PAIN_SLUG
from blog.models import ArticlePage
from comments.models import Comment, CommentStatus, DiscussionSettings
from comments.sanitize import sanitize_comment

from .options import MODERATION_BATCH

# ~300 characters: plain text, one http link, a pair of <em>/<strong> tags.
BODY = (
    "Comment {i}: I had lower back pain for years and the exercises in this article helped a "
    "lot. My physiotherapist suggested the <em>bird dog</em> and <strong>dead bug</strong> "
    "moves, done slowly every morning. More on my routine at http://example.org/notes/{i} if "
    "anyone is interested. Thanks for writing this."
)
# Text only pending and spam comments carry: the rendered page must never contain it.
HIDDEN_MARKER = "bench-hidden-comment"
APPROVAL_MARKER = "bench-approved-reply"  # the replies approved one by one (they do show)
THREAD_WIDTH = 4  # comment i is top-level when i % 4 == 0, else a reply to comment i - 1
ADMIN_USERNAME = "bench-admin"


def article() -> ArticlePage:
    """The measured article, "Physical therapist for back pain"."""
    return ArticlePage.objects.get(slug=BACK_PAIN_SLUG)


def related_article() -> ArticlePage:
    """ "Knee pain physical therapy", which takes the moderation queue's rows."""
    return ArticlePage.objects.get(slug=KNEE_PAIN_SLUG)


def body(i: int) -> str:
    return BODY.format(i=i)


def approved_comment(page: ArticlePage, i: int, created: datetime.datetime) -> Comment:
    """Comment i as the protocol describes it (its parent is set by the caller)."""
    text = body(i)
    return Comment(
        page=page,
        name=f"Reader {i}",
        email=f"reader-{i}@example.com",
        website="" if i % 2 == 0 else f"https://example.com/{i}",
        body=text,
        body_html=sanitize_comment(text),
        status=CommentStatus.APPROVED,
        created=created,
    )


def hidden_comment(page: ArticlePage, j: int, status: str, created: datetime.datetime) -> Comment:
    """A pending or spam comment, which the article page must not show."""
    text = f"{HIDDEN_MARKER} {status} {j}: " + body(j)
    return Comment(
        page=page,
        name=f"Hidden reader {j}",
        email=f"hidden-{j}@example.com",
        body=text,
        body_html=sanitize_comment(text),
        status=status,
        created=created,
    )


@transaction.atomic
def load_article_comments(n: int) -> int:
    """Replaces the article's comments by N approved (threaded), N/10 pending and N/20 spam.

    Returns how many rows were stored. Replies are inserted level by level, so every parent
    already has its primary key when its replies are created.
    """
    page = article()
    Comment.objects.filter(page=page).delete()
    start = timezone.now() - datetime.timedelta(days=1)
    approved = [approved_comment(page, i, start + datetime.timedelta(seconds=i)) for i in range(n)]
    for i, comment in enumerate(approved):
        if i % THREAD_WIDTH:
            comment.parent = approved[i - 1]
    for level in range(THREAD_WIDTH):
        Comment.objects.bulk_create(approved[level::THREAD_WIDTH])
    hidden = [
        hidden_comment(page, j, CommentStatus.PENDING, start + datetime.timedelta(seconds=j))
        for j in range(n // 10)
    ] + [
        hidden_comment(page, j, CommentStatus.SPAM, start + datetime.timedelta(seconds=j))
        for j in range(n // 20)
    ]
    Comment.objects.bulk_create(hidden)
    return len(approved) + len(hidden)


def pending_replies(count: int, first_roots: int) -> list[int]:
    """``count`` pending replies to the article's ``first_roots`` oldest top-level comments
    (so on its first page whatever the pagination), to be approved one at a time; their ids,
    oldest first. Replies leave the number of threads, so the pagination, unchanged."""
    page = article()
    roots = list(
        Comment.objects.filter(page=page, parent=None, status=CommentStatus.APPROVED)
        .order_by("created", "pk")
        .values_list("pk", flat=True)[:first_roots]
    )
    if not roots:
        raise RuntimeError("the article has no approved top-level comment to reply to")
    now = timezone.now()
    replies = []
    for k in range(count):
        text = f"{APPROVAL_MARKER} {k}: " + body(k)
        replies.append(
            Comment(
                page=page,
                parent_id=roots[k % len(roots)],
                name=f"Approved reader {k}",
                email=f"approved-{k}@example.com",
                body=text,
                body_html=sanitize_comment(text),
                status=CommentStatus.PENDING,
                created=now - datetime.timedelta(seconds=count - k),
            )
        )
    return [comment.pk for comment in Comment.objects.bulk_create(replies)]


@contextmanager
def comments_per_page(per_page: int) -> Iterator[int]:
    """The article's site shows ``per_page`` top-level comments per page (Settings >
    Discussion, saved as the admin saves it); the previous value is saved back afterwards.
    Yields the previous value. Saving is all it takes: the app's signals invalidate caches."""
    stored = DiscussionSettings.for_site(article().get_site())
    previous = stored.per_page
    stored.per_page = per_page
    stored.save()
    try:
        yield previous
    finally:
        stored.per_page = previous
        stored.save()


def approved_count() -> int:
    """The article's approved comments: all of them show when the page is not paginated."""
    return Comment.objects.filter(page=article(), status=CommentStatus.APPROVED).count()


def moderation_status(j: int) -> str:
    """10% pending, 5% spam, the rest approved."""
    if j % 10 == 0:
        return CommentStatus.PENDING
    if j % 20 == 1:
        return CommentStatus.SPAM
    return CommentStatus.APPROVED


def fill_moderation_queue(total: int) -> int:
    """Adds top-level comments on the related article until ``total`` comments are stored.

    Bodies differ only by their number, which the sanitiser passes through untouched, so
    the HTML is sanitised once from a template (checked against the real thing on a sample).
    Returns how many rows were added.
    """
    page = related_article()
    missing = max(0, total - Comment.objects.count())
    if not missing:
        return 0
    placeholder = "NUMBERPLACEHOLDER"
    html_template = sanitize_comment(BODY.format(i=placeholder))
    for j in (0, 7, missing - 1):
        expected = sanitize_comment(body(j))
        assert html_template.replace(placeholder, str(j)) == expected, "template HTML differs"
    oldest = timezone.now() - datetime.timedelta(minutes=missing + 1)

    def row(j: int) -> Comment:
        return Comment(
            page=page,
            name=f"Queue reader {j}",
            email=f"queue-{j}@example.com",
            website="" if j % 2 == 0 else f"https://example.com/q{j}",
            body=body(j),
            body_html=html_template.replace(placeholder, str(j)),
            status=moderation_status(j),
            created=oldest + datetime.timedelta(minutes=j),
            ip_address=f"10.{(j >> 16) & 255}.{(j >> 8) & 255}.{j & 255}",
        )

    with transaction.atomic():
        for first in range(0, missing, MODERATION_BATCH):
            batch = [row(j) for j in range(first, min(first + MODERATION_BATCH, missing))]
            Comment.objects.bulk_create(batch, batch_size=MODERATION_BATCH)
    return missing


def superuser():
    """The bench's admin account (created once per database)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        user = user_model.objects.create_superuser(
            ADMIN_USERNAME, "bench-admin@example.com", password=None
        )
    return user
