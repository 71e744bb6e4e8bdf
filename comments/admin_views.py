"""Admin views beyond the snippet listing: one-click moderation, the moderator's reply,
and the privacy tools. All require the moderate permission."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin import messages as admin_messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import ModelLogEntry

from . import messages
from .models import Comment, CommentStatus, ReportReason
from .moderation import ACTIONS, RESOLVING_ACTIONS, announce_published, apply_action
from .permissions import can_moderate, may_moderate_page, moderatable_comments, section_paths
from .pinning import pin_comment, unpin_comment
from .privacy import erase_comments, export_commenter
from .reasons import ModerationReasonForm
from .sanitize import sanitize_comment, strip_control_characters

REPLY_LOG_ACTION = "comments.reply"


def require_moderator(request: HttpRequest) -> None:
    if not can_moderate(request.user):
        raise PermissionDenied


def get_moderatable_comment(request: HttpRequest, queryset, pk: int) -> Comment:
    """The comment, or 404; 403 when it lies outside the moderator's sections."""
    comment = get_object_or_404(queryset, pk=pk)
    if not may_moderate_page(request.user, comment.page):
        raise PermissionDenied
    return comment


def _header(title: str) -> dict:
    """The screen's <h1> and tab title, in Wagtail's header (with the comments icon)."""
    return {"page_title": title, "header_title": title, "header_icon": "comment"}


def index_url(**params) -> str:
    url = reverse("reader_comments:list")
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{url}?{query}" if query else url


def moderate(request: HttpRequest, pk: int, action_name: str) -> HttpResponse:
    """GET asks for confirmation (links in e-mails land here); POST applies the action."""
    require_moderator(request)
    action = ACTIONS.get(action_name)
    if action is None:
        raise Http404("Unknown moderation action")
    comment = get_moderatable_comment(request, Comment.objects.select_related("page"), pk)
    next_url = get_valid_next_url_from_request(request) or index_url()
    reason_form = None
    if action.accepts_reason:
        reason_form = ModerationReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and reason_form is not None and not reason_form.is_valid():
        admin_messages.error(request, messages.REASON_NOT_SAVED)
    elif request.method == "POST":
        reason = reason_form.log_data() if reason_form is not None else None
        if apply_action(action, [comment.pk], request.user, reason):
            admin_messages.success(request, action.done_one % {"name": comment.name})
        else:
            admin_messages.warning(
                request,
                _("Nothing to do: the comment by %(name)s is already in “%(status)s”.")
                % {"name": comment.name, "status": comment.get_status_display()},
            )
        return redirect(next_url)
    open_reports = list(comment.reports.open().order_by("created", "pk"))
    return TemplateResponse(
        request,
        "comments/admin/confirm_action.html",
        {
            "comment": comment,
            "action": action,
            "open_reports": open_reports,
            # Whether this move e-mails its decision (moderation.resolve_reports).
            "decision_mailed": action.name in RESOLVING_ACTIONS
            and any(r.reason == ReportReason.ILLEGAL and r.email for r in open_reports),
            "text": messages,
            "applies": action.applies_to(comment.status),
            "next": next_url,
            "reason_form": reason_form,
            **_header(
                messages.CONFIRM_ACTION_TITLE % {"action": action.label, "name": comment.name}
            ),
        },
    )


def pin(request: HttpRequest, pk: int, pinned: bool = True) -> HttpResponse:
    """ "Pin" / "Unpin" on an approved comment's row (a POST with the listing's CSRF token)."""
    require_moderator(request)
    comment = get_moderatable_comment(
        request,
        Comment.objects.only("pk", "name", "status", "page__path").select_related("page"),
        pk,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    next_url = get_valid_next_url_from_request(request) or index_url()
    names = {"name": comment.name}
    if pinned:
        if pin_comment(comment.pk, request.user).done:
            admin_messages.success(request, messages.PINNED_DONE % names)
        else:
            admin_messages.error(request, messages.PIN_NOT_APPROVED % names)
    elif unpin_comment(comment.pk, request.user).done:
        admin_messages.success(request, messages.UNPINNED_DONE % names)
    else:
        admin_messages.warning(request, messages.UNPIN_NOT_PINNED % names)
    return redirect(next_url)


class ModeratorReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator's reply is published at once and marked as the site's reply. Replying to a
    pending comment approves it, as in WordPress."""
    require_moderator(request)
    parent = get_moderatable_comment(request, Comment.objects.select_related("page"), pk)
    if parent.status in (CommentStatus.SPAM, CommentStatus.TRASH):
        admin_messages.error(request, _("Restore this comment before replying to it."))
        return redirect(index_url())
    form = ModeratorReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if parent.status == CommentStatus.PENDING:
            apply_action(ACTIONS["approve"], [parent.pk], request.user)
        body = strip_control_characters(form.cleaned_data["body"])
        user = request.user
        comment = Comment.objects.create(
            page=parent.page,
            parent=parent,
            name=user.get_full_name() or user.get_username(),
            email=user.email,
            body=body,
            body_html=sanitize_comment(body),
            status=CommentStatus.APPROVED,
            user=user,
            is_site_reply=True,
        )
        ModelLogEntry.objects.log_action(
            comment, REPLY_LOG_ACTION, user=user, data={"parent": parent.pk}
        )
        announce_published(comment)
        admin_messages.success(
            request, _("Your reply to %(name)s is published.") % {"name": parent.name}
        )
        return redirect(get_valid_next_url_from_request(request) or index_url())
    return TemplateResponse(
        request,
        "comments/admin/reply.html",
        {"parent": parent, "form": form, **_header(messages.REPLY_TITLE % {"name": parent.name})},
    )


def empty_status(request: HttpRequest, status: str) -> HttpResponse:
    """ "Empty spam" / "Empty bin": deletes every comment in that status (in the moderator's
    sections), after confirmation."""
    require_moderator(request)
    if status not in (CommentStatus.SPAM, CommentStatus.TRASH):
        raise Http404("Only spam and the bin can be emptied")
    comments = moderatable_comments(request.user).filter(status=status)
    if request.method == "POST":
        deleted = apply_action(
            ACTIONS["delete"], comments.values_list("pk", flat=True), request.user
        )
        admin_messages.success(request, ACTIONS["delete"].done_many % {"count": len(deleted)})
        return redirect(index_url(status=status))
    return TemplateResponse(
        request,
        "comments/admin/confirm_empty.html",
        {
            "status": status,
            "label": CommentStatus(status).label,
            "count": comments.count(),
            **_header(messages.EMPTY_TITLE % {"label": CommentStatus(status).label}),
        },
    )


class PrivacyToolsForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Commenter's email address"))
    mode = forms.ChoiceField(
        label=gettext_lazy("Erase by"),
        choices=[
            (
                "anonymise",
                gettext_lazy(
                    "Anonymising (name “Anonymous”, no email, IP or website; "
                    "the thread stays readable)"
                ),
            ),
            ("delete", gettext_lazy("Deleting the comments")),
        ],
        initial="anonymise",
        widget=forms.RadioSelect,
    )


def privacy_tools(request: HttpRequest) -> HttpResponse:
    """Export or erase everything stored about one commenter's email address."""
    require_moderator(request)
    form = PrivacyToolsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # A moderator limited to sections exports and erases the comments there only.
        limited = section_paths(request.user) is not None
        within = moderatable_comments(request.user) if limited else None
        if "export" in request.POST:
            response = JsonResponse(
                export_commenter(email, within),
                json_dumps_params={"indent": 2, "ensure_ascii": False},
            )
            response["Content-Disposition"] = 'attachment; filename="comments-export.json"'
            return response
        count = erase_comments(email, delete=form.cleaned_data["mode"] == "delete", within=within)
        admin_messages.success(
            request,
            ngettext("%(count)d comment erased.", "%(count)d comments erased.", count)
            % {"count": count},
        )
        return redirect(reverse("reader_comments:privacy"))
    return TemplateResponse(
        request, "comments/admin/privacy.html", {"form": form, **_header(messages.PRIVACY_TITLE)}
    )
