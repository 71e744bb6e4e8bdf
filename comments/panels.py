"""Admin panels: the dashboard's pending comments, and a page's comment count in its editor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.middleware.csrf import get_token
from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from .models import Comment, CommentStatus
from .moderation import pending_count
from .permissions import moderatable_comments

DASHBOARD_PENDING_SHOWN = 5


class PendingCommentsPanel(Component):
    name = "pending_comments"
    template_name = "comments/admin/pending_comments_panel.html"
    order = 90

    def __init__(self, request) -> None:
        self.request = request

    def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        # Pages in a second query: joined, PostgreSQL may sort every pending comment first.
        newest = list(
            moderatable_comments(self.request.user, Comment.objects.pending())
            .prefetch_related("page")
            .order_by("-created", "-pk")[:DASHBOARD_PENDING_SHOWN]
        )
        shown_all = len(newest) < DASHBOARD_PENDING_SHOWN
        return {
            # The menu shows the same number: counted once for the request.
            "count": len(newest) if shown_all else pending_count(self.request),
            "comments": [
                {
                    "comment": comment,
                    "approve_url": reverse(
                        "reader_comments:moderate", args=[comment.pk, "approve"]
                    ),
                    "spam_url": reverse("reader_comments:moderate", args=[comment.pk, "spam"]),
                }
                for comment in newest
            ],
            "queue_url": reverse("reader_comments:list") + "?status=pending",
            "csrf_token": get_token(self.request),
            "next": self.request.get_full_path(),
        }


class CommentCountPanel(Panel):
    """Shows how many comments a page has, linking to them in the moderation queue."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "comments/admin/comment_count_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            counts = {}
            if page is not None and page.pk:
                rows = (
                    Comment.objects.filter(page_id=page.pk)
                    .order_by()
                    .values_list("status")
                    .annotate(count=Count("pk"))
                )
                counts = dict(rows)
            context["approved"] = counts.get(CommentStatus.APPROVED, 0)
            context["pending"] = counts.get(CommentStatus.PENDING, 0)
            context["queue_url"] = (
                f"{reverse('reader_comments:list')}?page={page.pk}" if page and page.pk else ""
            )
            return context
