"""One labelled, accessible form row: label with *, the control, and its error beside it."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

REQUIRED_MARKER = mark_safe(' <span class="required" aria-hidden="true">*</span>')


@register.simple_tag
def comment_field(field: BoundField, required: bool = False, described_by: str = "") -> SafeString:
    widget_attrs = dict(field.field.widget.attrs)
    widget_attrs.pop("aria-required", None)
    describers = [described_by] if described_by else []
    errors = field.errors
    if errors:
        describers.append(f"{field.id_for_label}-error")
        widget_attrs["aria-invalid"] = "true"
    if describers:
        widget_attrs["aria-describedby"] = " ".join(describers)
    if required:
        widget_attrs["required"] = True
    max_length = getattr(field.field, "max_length", None)
    if max_length:
        widget_attrs["maxlength"] = max_length
    control = field.as_widget(attrs=widget_attrs)
    marker = REQUIRED_MARKER if required else ""
    error_html = ""
    if errors:
        error_html = format_html(
            '<span class="field-error" id="{}-error">{}</span>',
            field.id_for_label,
            format_html_join(" ", "{}", ((str(error),) for error in errors)),
        )
    return format_html(
        '<p class="comment-form-{name}{invalid}"><label for="{id}">{label}{marker}</label>'
        "{error}{control}</p>",
        name=field.name,
        invalid=" has-error" if errors else "",
        id=field.id_for_label,
        label=field.label,
        marker=marker,
        error=error_html,
        control=control,
    )
