"""Signals other parts of a site can listen to. Every one is sent with ``sender=Comment``.

A comment POST sends, in order: ``comment_will_be_posted`` (the comment is built and its
status decided, nothing is stored yet), ``comments_written`` (inside the transaction that
saves it), then ``comment_was_posted`` (after commit). Moderators' actions send
``comments_moderated`` and ``comments_written`` (inside their transaction) and then
``comments_changed``. ``comment_reported`` is sent by ``reports.py`` once a reader's report is
stored.
"""

from django.dispatch import Signal

# Sent before a reader's comment is saved, once the form, the spam checks and the moderation
# policy have passed it and its status is set. A receiver may change the comment in place;
# if any receiver returns False, the comment is not stored and the reader sees, with their
# input kept, that it was not accepted. Arguments:
#   comment: the unsaved Comment (page, parent, name, email, body, status, ip_address, ...)
#   request: the HttpRequest of the POST
comment_will_be_posted = Signal()

# Sent once a reader's comment is stored, after the transaction commits (a receiver's error
# cannot lose it; a receiver that writes to the database runs in its own transaction).
# Arguments:
#   comment: the saved Comment (its status says whether readers see it yet)
#   request: the HttpRequest of the POST
comment_was_posted = Signal()

# Sent after the transaction commits whenever what readers see of some comments may have
# changed: a moderator moved them, edited one or replied from the admin.
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

# Sent by ``moderation.apply_action`` inside its transaction, just before the comments move
# (or are deleted), and by an author deleting their own comment: a receiver can still read
# them as they were. Arguments:
#   action: the moderation action's name ("approve", "spam", "trash", "delete", ...), or
#     "author_delete"
#   comment_ids: the comments being moved
#   to_status: their new status, or None when they are deleted permanently
comments_moderated = Signal()

# Sent by reports.py once a reader's report of a comment is stored (the webhooks'
# "comment.reported" event listens to it). Arguments:
#   comment: the reported Comment
#   reason: what the reader said, or ""
#   request: the HttpRequest of the report, or None
comment_reported = Signal()

# Sent whenever comments have just become visible to readers, whatever published them (a
# moderator, the policy on posting, a confirmed address, the spam services' verdict): the
# same moment ``notifications.comments_approved`` is called. Possibly inside the publisher's
# transaction: a receiver that queues work uses ``background.enqueue_when_committed``.
# Arguments:
#   comment_ids: the comments now published
comments_published = Signal()
