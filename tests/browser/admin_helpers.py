"""Steps the admin browser tests share: a logged-in moderator's browser, a queue to moderate."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from comments.models import CommentStatus
from tests.factories import make_comment

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# 400% zoom of a 1280 px window: 320 CSS px, as WCAG's reflow criterion measures.
ZOOM_400 = {"width": 320, "height": 640}
# 200% zoom of a 1280 px window.
ZOOM_200 = {"width": 640, "height": 450}
QUEUE = "/admin/comments/"


def moderator_context(new_context, live_server, django_user_model, viewport=WIDE):
    """A browser context whose session belongs to a member of the Comment moderators group."""
    user, _ = django_user_model.objects.get_or_create(
        username="maria-mod",
        defaults={"email": "mod@example.com", "first_name": "Mo", "last_name": "Derator"},
    )
    user.groups.add(Group.objects.get(name="Comment moderators"))
    client = Client()
    client.force_login(user)
    context = new_context(viewport=viewport)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def fill_queue(article) -> dict[str, object]:
    """Comments in every status, one a reply with an IP address, a browser and a website."""
    now = timezone.now()
    parent = make_comment(
        article,
        name="Ada Approved",
        body="Walking helped my back.",
        created=now - datetime.timedelta(hours=3),
    )
    reply = make_comment(
        article,
        name="Maria Keller",
        body="Which shoes did you walk in?",
        status=CommentStatus.PENDING,
        parent=parent,
        website="https://maria.example",
        ip_address="192.0.2.44",
        user_agent="Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0",
        created=now - datetime.timedelta(minutes=20),
    )
    pending = [
        make_comment(
            article,
            name=f"Pending Reader {index}",
            body=f"Pending comment number {index}.",
            status=CommentStatus.PENDING,
            created=now - datetime.timedelta(minutes=30 + index),
        )
        for index in range(1, 4)
    ]
    spam = make_comment(article, name="Spam Bot", body="Buy now", status=CommentStatus.SPAM)
    binned = make_comment(article, name="Binned Bo", body="Old words", status=CommentStatus.TRASH)
    return {"parent": parent, "reply": reply, "pending": pending, "spam": spam, "binned": binned}
