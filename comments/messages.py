"""Every sentence a reader or moderator reads, written once so pages, errors and e-mails agree."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

LEAVE_A_REPLY = _("Leave a Reply")
EMAIL_NOT_PUBLISHED = _("Your email address will not be published.")
REQUIRED_FIELDS_MARKED = _("Required fields are marked")
POST_COMMENT = _("Post Comment")
CANCEL_REPLY = _("Cancel reply")
REPLY = _("Reply")
REPLY_TO = _("Reply to")  # followed by the author's name
AWAITING_MODERATION = _("Your comment is awaiting moderation.")
# When the comment was written, under its author: "2 December 2026 at 14:05".
COMMENT_DATE = _("%(day)d %(month)s %(year)d at %(time)s")
COMMENT_SENT = _("Thank you: your comment was sent")
AWAITING_MODERATION_NEXT = _(
    "A moderator reads each comment before it is published. Until then only you can see it, "
    "here below; once it is approved, everyone who reads this page will see it."
)
ERROR_SUMMARY_TITLE = _("Your comment could not be posted. Please correct the following:")

# The form's fields
FIELD_COMMENT = _("Comment")
FIELD_NAME = _("Name")
FIELD_EMAIL = _("Email")
FIELD_WEBSITE = _("Website")
SAVE_DETAILS = _("Save my name, email, and website in this browser for the next time I comment.")
NOTIFY_REPLIES = _("Notify me of follow-up replies by email.")
HONEYPOT = _("Leave this field empty")  # read by robots only; hidden from people

# The threads above the form
THREADS_HEADING = ngettext_lazy(
    "%(count)d Reply to “%(title)s”", "%(count)d Replies to “%(title)s”", "count"
)
# The heading while the only comment shown is the reader's own, still awaiting moderation.
THREADS_HEADING_PENDING_ONLY = _("Replies to “%(title)s”")
COMMENT_PAGES = _("Comment pages")
OLDER_COMMENTS = _("Older comments")
NEWER_COMMENTS = _("Newer comments")
COMMENT_PAGE_OF = _("Comment page %(number)d of %(count)d")

# The page a refused comment POST answers with (when there is no form to show it beside)
REFUSED_TITLE = _("Comment not posted")
REFUSED_HEADING = _("Your comment was not posted")
BACK_TO_HOME_PAGE = _("Back to the home page")

NAME_REQUIRED = _("Please enter your name.")
NAME_TOO_LONG = _("Your name can be at most %(limit_value)d characters (it has %(show_value)d).")
EMAIL_REQUIRED = _("Please enter your email address.")
EMAIL_INVALID = _("Please enter a valid email address, such as name@example.com.")
EMAIL_TOO_LONG = _("Your email address can be at most %(limit_value)d characters.")
WEBSITE_INVALID = _("Enter a website address starting with http:// or https://.")
WEBSITE_USERINFO = _(
    "Please enter the website address without a user name or password (nothing before an @), "
    "such as https://example.com/."
)
WEBSITE_TOO_LONG = _("Your website address can be at most %(limit_value)d characters.")
BODY_REQUIRED = _("Please type your comment.")
BODY_TOO_LONG = _(
    "Your comment can be at most %(limit_value)d characters (it has %(show_value)d). "
    "Please shorten it."
)

PARENT_NOT_FOUND = _("The comment you are replying to does not exist or is not published.")
PARENT_TOO_DEEP = _("Replies cannot be nested deeper than this; reply to an earlier comment.")
FORM_TAMPERED = _("The comment form was changed or is not from this page. Please reload the page.")
FORM_EXPIRED = _("The comment form expired. Your comment is kept below; please post it again.")
FORM_TOO_FAST = _("That was quick! Please take a moment to check your comment, then post it again.")
FORM_ALREADY_USED = _(
    "This form has already sent a comment. To send this one as well, check it below and "
    "post it again."
)
SPAM_TRAP = _("Your comment could not be accepted.")
RECAPTCHA_FAILED = _("Please confirm that you are not a robot.")
RECAPTCHA_UNREACHABLE = _("We could not verify that you are not a robot. Please try again.")
# ALTCHA: the browser solves a small puzzle (JavaScript needed); its label and refusals.
ALTCHA_LABEL = _("Spam protection")
ALTCHA_NOSCRIPT = _(
    "To post a comment here, please turn on JavaScript: your browser then solves a small "
    "puzzle that shows you are not a robot (it takes a second or two, and sends nothing to "
    "anyone else)."
)
ALTCHA_MISSING = _(
    "Please tick “I'm not a robot” and wait for the check to finish before posting. It needs "
    "JavaScript: if it is turned off, turn it on and reload the page. Your comment is kept below."
)
ALTCHA_INVALID = _(
    "The robot check did not succeed. Please tick “I'm not a robot” again and post your "
    "comment, kept below."
)
ALTCHA_EXPIRED = _(
    "The robot check has expired. Please tick “I'm not a robot” again and post your comment, "
    "kept below."
)
ALTCHA_REPLAYED = _(
    "This robot check has already been used. Please tick “I'm not a robot” again and post "
    "your comment, kept below."
)

RATE_LIMITED = _(
    "You have posted too many comments in a short time. Please wait a minute and try again."
)
FLOOD = _("You are posting comments too quickly. Slow down.")
DUPLICATE = _("Duplicate comment detected; it looks as though you’ve already said that!")
COMMENTS_CLOSED = _("Comments are closed.")
COMMENT_NOT_ACCEPTED = _(
    "This site did not accept your comment, so it was not posted. Your comment is kept below."
)
PAGE_NOT_FOUND = _("This page does not exist or is not published, so it cannot take comments.")
POST_TOO_LARGE = _("Your comment is too large to be posted. Please shorten it.")
CSRF_FAILED = _("Your session has expired. Please reload the page and post your comment again.")

# E-mail notifications. Subjects carry the page title only, never what a reader typed.
EMAIL_MODERATE_SUBJECT = _("Please moderate: “%(title)s”")
EMAIL_MODERATE_INTRO = _("A new comment on “%(title)s” is waiting for your approval.")
EMAIL_NEW_COMMENT_SUBJECT = _("New comment on your page “%(title)s”")
EMAIL_NEW_COMMENT_INTRO = _("A new comment on your page “%(title)s” has been published.")
EMAIL_APPROVED_SUBJECT = _("Your comment on “%(title)s” was approved")
EMAIL_APPROVED_INTRO = _("Your comment on “%(title)s” has been approved and is now published.")
EMAIL_NEW_REPLY_SUBJECT = _("New reply in a discussion you follow: “%(title)s”")
EMAIL_NEW_REPLY_INTRO = _(
    "There is a new reply in a discussion on “%(title)s” that you asked to follow."
)
EMAIL_LABEL_AUTHOR = _("Author")
EMAIL_LABEL_EMAIL = _("Email")
EMAIL_LABEL_WEBSITE = _("Website")
EMAIL_LABEL_IP = _("IP address")
EMAIL_LABEL_COMMENT = _("Comment")
EMAIL_LABEL_APPROVE = _("Approve it")
EMAIL_LABEL_SPAM = _("Mark it as spam")
EMAIL_LABEL_EDIT = _("Open it in the admin")
EMAIL_LABEL_READ = _("Read it on the page")
EMAIL_WHY_READER = _(
    "You receive this email because you ticked “Notify me of follow-up replies by email” "
    "when you commented."
)
EMAIL_UNSUBSCRIBE = _("To stop all emails about replies, open this link")

# The one-click unsubscribe page (the link in every e-mail sent to a reader)
UNSUBSCRIBE_TITLE = _("Stop emails about replies")
UNSUBSCRIBE_QUESTION = _(
    "Stop receiving emails about replies to your comments and the discussions you follow?"
)
UNSUBSCRIBE_BUTTON = _("Stop emails")
UNSUBSCRIBED = _("You will no longer receive emails about replies.")
UNSUBSCRIBE_LINK_INVALID = _(
    "This unsubscribe link is invalid or has expired. Use the link in a more recent email, "
    "or contact the site's owner."
)

# Erasing a commenter's personal data keeps their words under this name
ANONYMOUS_NAME = _("Anonymous")

# The moderation queue and a comment's screen in the Wagtail admin
JUST_NOW = _("just now")
AGO = _("%(since)s ago")  # a comment's age: "5 minutes ago"
SKIP_TO_COMMENTS = _("Skip to the comments")
COMMENT_STATUS_TABS = _("Comment status")
QUEUE_REGION = _("Comments (scroll sideways to see every column)")
ROW_ACTIONS_LABEL = _("Actions for the comment by %(name)s")
KEYBOARD_SHORTCUTS = _("Keyboard shortcuts")
SELECT_ALL_IN_LISTING = _("Select all comments in listing")
BULK_SELECTED_ONE = _("1 comment selected")
BULK_SELECTED_MANY = _("%(objects)s comments selected")
BULK_SELECTED_SCREEN = _("All %(objects)s comments on this screen selected")
BULK_SELECTED_LISTING = _("All comments in listing selected")

QUEUE_SHORTCUTS_TITLE = _("Comments moderation queue")
SHORTCUT_NEXT = _("Next comment")
SHORTCUT_PREVIOUS = _("Previous comment")
SHORTCUT_SELECT = _("Select or deselect the comment")
SHORTCUT_SELECT_ALL = _("Select or deselect every comment on the screen")
SHORTCUT_APPROVE = _("Approve the comment")
SHORTCUT_UNAPPROVE = _("Unapprove the comment")
SHORTCUT_SPAM = _("Mark the comment as spam")
SHORTCUT_TRASH = _("Move the comment to the bin")
SHORTCUT_RESTORE = _("Restore the comment from spam or the bin")
SHORTCUT_REPLY = _("Reply to the comment")
SHORTCUT_EDIT = _("Open the comment")
SHORTCUT_BULK_APPROVE = _("Approve the selected comments")
SHORTCUT_BULK_SPAM = _("Mark the selected comments as spam")
SHORTCUT_BULK_TRASH = _("Move the selected comments to the bin")

# A comment's own screen
COMMENT_DETAILS = _("About this comment")
COMMENT_HISTORY = _("History")
COMMENT_FULL_HISTORY = _("Full history")
NO_HISTORY = _("No moderation yet.")
TOP_LEVEL_COMMENT = _("Not a reply: the comment starts its own thread.")
NOT_RECORDED = _("Not recorded")

# Titles (the <h1>) of the admin's own screens
CONFIRM_ACTION_TITLE = _("%(action)s: comment by %(name)s")
REPLY_TITLE = _("Reply to %(name)s")
EMPTY_TITLE = _("Empty %(label)s")
PRIVACY_TITLE = _("Export or erase a commenter's data")

# Comment feeds (RSS) and the comment counts endpoint
FEED_PAGE_TITLE = _("Comments on “%(title)s”")
FEED_PAGE_DESCRIPTION = _("The newest approved comments on “%(title)s”.")
FEED_SITE_TITLE = _("Comments on %(site)s")
FEED_SITE_DESCRIPTION = _("The newest approved comments on every page of %(site)s.")
FEED_ITEM_TITLE = _("%(name)s on “%(title)s”")
COUNTS_PAGES_INVALID = _(
    "Give the pages as a comma-separated list of page ids, for example ?pages=1,2,3."
)
COUNTS_TOO_MANY_PAGES = _("Ask for at most %(limit)d pages at once.")

# Moderation reasons (reasons.py).
REASON_TOO_LONG = _("The reason can be at most %(limit_value)d characters (it has %(show_value)d).")
REASON_NOT_SAVED = _("Nothing was changed: please correct the reason below.")
REASON_IN_HISTORY = _("Reason: %(reason)s")
# The author's own edit and delete (from the browser that posted the comment)
AUTHOR_EDIT_TITLE = _("Edit your comment")
AUTHOR_DELETE_TITLE = _("Delete your comment")
AUTHOR_EDIT_BUTTON = _("Save the comment")
AUTHOR_DELETE_QUESTION = _("Delete this comment? This cannot be undone.")
AUTHOR_DELETE_BUTTON = _("Delete the comment")
AUTHOR_NOT_YOURS = _("This browser did not post this comment, so it cannot change it.")
AUTHOR_WINDOW_CLOSED = _("The time to edit or delete this comment has passed.")
EDITED = _("Edited")
DELETED_BY_AUTHOR = _("This comment was deleted by its author.")

# The JSON API (api.py)
API_PAGE_REQUIRED = _("The 'page' parameter (a page id) is required.")
API_PAGE_INVALID = _("The 'page' parameter must be a positive integer.")
API_PAGE_NUMBER_INVALID = _("The 'p' parameter must be a positive integer.")
API_PAGE_UNKNOWN = _("No live, public page taking comments has this id.")
API_PAGE_NUMBER_OUT_OF_RANGE = _("Comment page %(number)d does not exist (1 to %(last)d).")
