"""Rights by section: on a group's edit screen (Settings > Groups), the sections of the page
tree its moderators are limited to, as Wagtail's own "Page permissions" panel grants page
permissions per subtree. Registered through ``register_group_permission_panel``."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.template.loader import render_to_string
from wagtail.admin.forms.formsets import BaseFormSetMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from . import messages
from .models import ModerationSection


class ModerationSectionForm(forms.Form):
    page = forms.ModelChoiceField(
        label=messages.MODERATION_SECTION_PAGE,
        queryset=Page.objects.all(),
        widget=AdminPageChooser(show_edit_link=False, can_choose_root=True),
    )


class BaseModerationSectionFormSet(BaseFormSetMixin, forms.BaseFormSet):
    """The group's sections, one page chooser each; none means the whole site."""

    def __init__(self, data=None, files=None, instance=None, prefix="comment_sections") -> None:
        self.instance = instance
        initial = []
        if instance is not None and instance.pk is not None:
            initial = [
                {"page": section.page}
                for section in ModerationSection.objects.filter(group=instance)
                .select_related("page")
                .order_by("page__path")
            ]
        super().__init__(data, files, initial=initial, prefix=prefix)

    def chosen_pages(self) -> list[Page]:
        return [
            form.cleaned_data["page"]
            for form in self.forms
            if form not in self.deleted_forms and "page" in form.cleaned_data
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        pages = self.chosen_pages()
        if len({page.pk for page in pages}) != len(pages):
            raise forms.ValidationError(messages.MODERATION_SECTION_TWICE)

    @transaction.atomic
    def save(self) -> None:
        wanted = {page.pk for page in self.chosen_pages()}
        sections = ModerationSection.objects.filter(group=self.instance)
        sections.exclude(page_id__in=wanted).delete()
        kept = set(sections.values_list("page_id", flat=True))
        ModerationSection.objects.bulk_create(
            [ModerationSection(group=self.instance, page_id=pk) for pk in sorted(wanted - kept)]
        )

    def as_admin_panel(self) -> str:
        return render_to_string(
            "comments/admin/moderation_sections_formset.html",
            {"formset": self, "text": messages},
        )


ModerationSectionFormSet = forms.formset_factory(
    ModerationSectionForm, formset=BaseModerationSectionFormSet, extra=0, can_delete=True
)
