"""The moderation queue's keyboard shortcuts, as WordPress's Comments screen has them.

One list, read twice: the queue's script (``comments/admin-queue.js``) acts on it, and Wagtail's
keyboard shortcuts dialog lists it. Wagtail 8 has no API to add shortcuts to that dialog (its
``keyboard_shortcuts_dialog`` tag returns a fixed list), so the app extends the dialog's template
block ``shortcuts`` (``templates/wagtailadmin/shared/keyboard_shortcuts_dialog.html``), which
works while ``comments`` is listed before ``wagtail.admin`` in ``INSTALLED_APPS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from . import messages


@dataclass(frozen=True)
class QueueShortcut:
    key: str  # "j", or "shift+a": what the script matches (modifier, then the key pressed)
    label: str
    # "next", "previous", "select", "select-all"; "row" clicks the first of ``targets`` the
    # focused row offers (an action or a link); "bulk" runs the bulk action ``targets[0]``.
    command: str
    targets: tuple[str, ...] = ()

    @property
    def key_label(self) -> str:
        """The key as Wagtail's dialog writes them ("Shift + a")."""
        parts = self.key.split("+")
        return " + ".join(part.capitalize() if len(part) > 1 else part for part in parts)


QUEUE_SHORTCUTS = [
    QueueShortcut("j", messages.SHORTCUT_NEXT, "next"),
    QueueShortcut("k", messages.SHORTCUT_PREVIOUS, "previous"),
    QueueShortcut("x", messages.SHORTCUT_SELECT, "select"),
    QueueShortcut("shift+x", messages.SHORTCUT_SELECT_ALL, "select-all"),
    QueueShortcut("a", messages.SHORTCUT_APPROVE, "row", ("approve",)),
    QueueShortcut("u", messages.SHORTCUT_UNAPPROVE, "row", ("unapprove",)),
    QueueShortcut("s", messages.SHORTCUT_SPAM, "row", ("spam",)),
    QueueShortcut("d", messages.SHORTCUT_TRASH, "row", ("trash",)),
    QueueShortcut("z", messages.SHORTCUT_RESTORE, "row", ("not_spam", "restore")),
    QueueShortcut("p", messages.SHORTCUT_PIN, "row", ("pin", "unpin")),
    QueueShortcut("r", messages.SHORTCUT_REPLY, "row", ("reply",)),
    QueueShortcut("e", messages.SHORTCUT_EDIT, "row", ("edit",)),
    QueueShortcut("shift+a", messages.SHORTCUT_BULK_APPROVE, "bulk", ("comments-approve",)),
    QueueShortcut("shift+s", messages.SHORTCUT_BULK_SPAM, "bulk", ("comments-spam",)),
    QueueShortcut("shift+d", messages.SHORTCUT_BULK_TRASH, "bulk", ("comments-trash",)),
]


def row_action_keys() -> dict[str, str]:
    """The key of each row action or link, for its ``aria-keyshortcuts``."""
    keys = {}
    for shortcut in QUEUE_SHORTCUTS:
        if shortcut.command == "row":
            for target in shortcut.targets:
                keys[target] = shortcut.key
    return keys


def queue_script_config() -> dict:
    """What the queue's script needs: the shortcuts, the bulk actions' URLs and the bulk bar's
    sentences (Wagtail's own say "snippets")."""
    bulk_types = {s.targets[0] for s in QUEUE_SHORTCUTS if s.command == "bulk"}
    return {
        "shortcuts": [
            {"key": s.key, "command": s.command, "targets": list(s.targets)}
            for s in QUEUE_SHORTCUTS
        ],
        "bulkUrls": {
            action_type: reverse("wagtail_bulk_action", args=["comments", "comment", action_type])
            for action_type in sorted(bulk_types)
        },
        "bulkStrings": {
            "SINGULAR": str(messages.BULK_SELECTED_ONE),
            "PLURAL": str(messages.BULK_SELECTED_MANY),
            "ALL": str(messages.BULK_SELECTED_SCREEN),
            "ALL_IN_LISTING": str(messages.BULK_SELECTED_LISTING),
        },
    }
