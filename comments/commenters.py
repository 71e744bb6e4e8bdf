"""Who is this commenter? Their history screen in the admin (from any comment of theirs):
what else came from the same e-mail address and from the same IP address, counted by
status and linked to the queue filtered to them (where the bulk actions work as ever), the
moderators' private note on them, and shortcuts to put them on the block list.

A commenter is their normalised e-mail address; the IP address is only known while the
comment keeps it (``privacy.forget_network_details`` clears it after
``COMMENTS_IP_RETENTION_DAYS``).
"""

from __future__ import annotations

import ipaddress

from django import forms
from django.contrib import messages as admin_messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format

from . import messages
from .admin_views import get_moderatable_comment, index_url
from .block_list import block_url
from .models import BlockEntry, BlockKind, Comment, CommenterNote, CommentStatus, normalised_email
from .permissions import can_moderate, moderatable_comments

NOTE_MAX_LENGTH = 4000
# The statuses counted, in the queue's order of its tabs.
STATUSES = [
    CommentStatus.APPROVED,
    CommentStatus.PENDING,
    CommentStatus.SPAM,
    CommentStatus.TRASH,
]


def comments_from(email: str = "", ip: str = "") -> QuerySet:
    """The comments with this address (whatever its case) and/or from this IP address; none
    for an IP address that is not one."""
    comments = Comment.objects.all()
    if email := normalised_email(email):
        comments = comments.filter(email__iexact=email)
    if ip := (ip or "").strip():
        try:
            comments = comments.filter(ip_address=str(ipaddress.ip_address(ip)))
        except ValueError:
            return Comment.objects.none()
    return comments


class CommenterNoteForm(forms.Form):
    note = forms.CharField(
        label=messages.COMMENTER_NOTE,
        help_text=messages.COMMENTER_NOTE_HELP,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _section(key: str, value: str, counts: dict, kind: str) -> dict:
    """One of the screen's two sections: the counts, their links to the queue, the block link."""
    total = sum(counts.values())
    return {
        "key": key,
        "value": value,
        "total": total,
        "all_url": index_url(**{key: value}),
        "all_label": messages.COMMENTER_ALL_IN_QUEUE % {"count": total},
        "statuses": [
            {
                "status": status,
                "label": CommentStatus(status).label,
                "count": counts[status],
                "url": index_url(**{key: value, "status": status}),
            }
            for status in STATUSES
        ],
        "block_url": block_url(kind, value),
    }


def commenter_status_counts(comments: QuerySet) -> dict[str, int]:
    """How many of these comments are in each status, in one GROUP BY."""
    rows = dict(comments.order_by().values_list("status").annotate(count=Count("pk")))
    return {status: rows.get(status, 0) for status in CommentStatus.values}


def history_counts(email: str, ip: str | None, within: QuerySet | None = None) -> tuple[dict, dict]:
    """Comments by status from the address and from the IP, in one query (among ``within``,
    the moderator's sections, when given)."""
    by_email = Q(email__iexact=email) if email else Q(pk__in=[])
    by_ip = Q(ip_address=ip) if ip else Q(pk__in=[])
    aggregates = {}
    for status in STATUSES:
        aggregates[f"email_{status}"] = Count("pk", filter=by_email & Q(status=status))
        aggregates[f"ip_{status}"] = Count("pk", filter=by_ip & Q(status=status))
    comments = Comment.objects.all() if within is None else within
    found = comments.filter(by_email | by_ip).aggregate(**aggregates)
    return (
        {status: found[f"email_{status}"] for status in STATUSES},
        {status: found[f"ip_{status}"] for status in STATUSES},
    )


def commenter_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The history of the commenter who wrote comment ``pk``; POST saves the private note."""
    if not can_moderate(request.user):
        raise PermissionDenied
    comment = get_moderatable_comment(request, Comment.objects.select_related("page"), pk)
    email = normalised_email(comment.email)
    ip = comment.ip_address
    note = CommenterNote.objects.filter(email=email).select_related("updated_by").first()
    form = CommenterNoteForm(
        request.POST if request.method == "POST" else None,
        initial={"note": note.note if note else ""},
    )
    if request.method == "POST" and email and form.is_valid():
        save_note(email, form.cleaned_data["note"], request.user, request)
        return redirect(reverse("reader_comments:commenter", args=[comment.pk]))

    email_counts, ip_counts = history_counts(email, ip, moderatable_comments(request.user))
    entries = [
        entry for entry in BlockEntry.objects.active() if entry.matches(email, ip, comment.name)
    ]
    context = {
        "comment": comment,
        "email_section": _section("email", email, email_counts, BlockKind.EMAIL) if email else None,
        "ip_section": _section("ip", ip, ip_counts, BlockKind.IP) if ip else None,
        "note": note,
        "note_updated": (
            messages.COMMENTER_NOTE_UPDATED
            % {
                "user": note.updated_by.get_full_name() or note.updated_by.get_username(),
                "date": date_format(note.updated_at, "DATETIME_FORMAT"),
            }
            if note and note.updated_by
            else ""
        ),
        "form": form if email else None,
        "block_entries": entries,
        "text": messages,
        "edit_url": reverse("reader_comments:edit", args=[comment.pk]),
        "page_title": messages.COMMENTER_HISTORY_TITLE % {"name": comment.name},
        "header_title": messages.COMMENTER_HISTORY_TITLE % {"name": comment.name},
        "header_icon": "user",
    }
    return TemplateResponse(request, "comments/admin/commenter.html", context)


def save_note(email: str, text: str, user, request: HttpRequest | None = None) -> None:
    """Keeps the note on the commenter (an empty one removes it)."""
    text = text.strip()
    if not text:
        CommenterNote.objects.filter(email=email).delete()
        if request is not None:
            admin_messages.success(request, messages.COMMENTER_NOTE_DELETED % {"email": email})
        return
    CommenterNote.objects.update_or_create(email=email, defaults={"note": text, "updated_by": user})
    if request is not None:
        admin_messages.success(request, messages.COMMENTER_NOTE_SAVED % {"email": email})
