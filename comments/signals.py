"""Signals other parts of a site can listen to."""

from django.dispatch import Signal

# Sent after the transaction commits whenever what readers see of some comments may have
# changed: a moderator moved them, edited one, or a comment was published at once.
# Arguments:
#   page_ids: the pages whose comment sections changed
#   approved_ids: comments that have just become visible (notifications are sent for these)
#   action: the moderation action's name ("approve", "spam", "edit", "reply", "post", ...)
comments_changed = Signal()

# Sent as comments are written, inside the writer's transaction (a row saved or deleted, a
# queryset updated, the Discussion settings saved), so a page cache can invalidate at once
# and again after commit. Arguments:
#   page_ids: the pages whose comments were written, or None for every page (settings)
comments_written = Signal()
