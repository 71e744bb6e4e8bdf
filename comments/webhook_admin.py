"""Settings > Webhooks (the endpoints) and Settings > Webhook deliveries (their read-only log).

Endpoints are Django model permissions (``comments.add_webhookendpoint`` ...): superusers, or a
group given them. The log is for whoever may see or change endpoints.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .webhook_models import WEBHOOK_URL_INVALID, validate_webhook_url

VIEW_ENDPOINTS_PERMISSIONS = (
    "comments.view_webhookendpoint",
    "comments.change_webhookendpoint",
    "comments.view_webhookdelivery",
)


class WebhookURLField(forms.URLField):
    default_validators = [validate_webhook_url]  # instead of Django's, which takes ftp
    default_error_messages = {"invalid": WEBHOOK_URL_INVALID}  # when it cannot even be split


class WebhookEndpointForm(WagtailAdminModelForm):
    """The events as checkboxes (the model keeps them as a JSON list); one clear message for
    any address that is not http(s), whatever Django's URL field would have said."""

    url = WebhookURLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Each event is sent here as a JSON POST."),
    )

    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only these events are sent to this endpoint."),
        error_messages={"required": _("Choose at least one event to send.")},
    )


class SavedOnlyFieldPanel(FieldPanel):
    """A read-only field shown once the object exists: a new endpoint's secret is generated
    when it is saved, so the one an unsaved form would show is not the one kept."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self) -> bool:
            return self.instance.pk is not None and super().is_shown()


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "comment_webhooks"
    url_prefix = "comments/webhooks"
    icon = "link"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "name",
        "url",
        "site",
        BooleanColumn("is_active", label=_("active")),
        BooleanColumn("trusted", label=_("trusted")),
    ]
    list_filter = ["site", "is_active"]
    edit_handler = ObjectList(
        [
            FieldPanel("site"),
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("is_active"),
            FieldPanel("trusted"),
            SavedOnlyFieldPanel("secret", read_only=True),
        ],
        base_form_class=WebhookEndpointForm,
    )


class DeliveryLogPermissionPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes a log row (housekeeping prunes them); whoever may see
    the endpoints sees their deliveries."""

    def user_has_permission(self, user, action: str) -> bool:
        if action != "view" or not (user and user.is_active):
            return False
        return user.is_superuser or any(user.has_perm(perm) for perm in VIEW_ENDPOINTS_PERMISSIONS)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self.user_has_permission(user, action)


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint")


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "comment_webhook_deliveries"
    url_prefix = "comments/webhook-deliveries"
    icon = "history"
    menu_label = _("Webhook deliveries")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    add_to_reference_index = False
    list_display = [
        DateColumn("created", label=_("sent")),
        Column("endpoint", label=_("webhook")),
        TitleColumn(
            "event",
            label=_("event"),
            accessor="get_event_display",
            get_url=lambda delivery: reverse(
                "comment_webhook_deliveries:inspect", args=[delivery.pk]
            ),
        ),
        Column("comment_id", label=_("comment id")),
        Column("attempt", label=_("attempt")),
        Column("status_code", label=_("response status")),
        Column("error", label=_("error")),
        Column("duration_ms", label=_("duration (ms)")),
    ]
    list_filter = ["endpoint", "event"]
    inspect_view_fields = [
        "created",
        "endpoint",
        "event",
        "event_id",
        "comment_id",
        "attempt",
        "status_code",
        "error",
        "duration_ms",
    ]
    form_fields = []  # never edited; ModelViewSet still builds its form class
    index_view_class = DeliveryIndexView
