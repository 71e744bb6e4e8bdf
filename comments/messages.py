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
# Instead, when the comment would be published at once and waits only for the spam check.
AWAITING_SPAM_CHECK_NEXT = _(
    "It is being checked for spam and will be published in a moment. Until then only you can "
    "see it, here below."
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
# A "refuse" entry of the block list matched: says neither why nor which entry.
BLOCKED = _("This site did not accept your comment, so it was not posted.")
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

# Confirming a reader's address (addresses.py): the e-mail, then the pages of its links.
# The e-mail names who asked by what they typed and where, never their IP address.
EMAIL_CONFIRM_SUBJECT = _("Please confirm your email address for comments on “%(title)s”")
EMAIL_CONFIRM_INTRO = _(
    "Someone who gave the name “%(name)s” commented on “%(title)s” on %(when)s and gave "
    "this email address."
)
EMAIL_CONFIRM_WHAT = _(
    "If it was you, please confirm the address. Confirming lets this site send you the "
    "emails you asked for (replies to the discussion, the approval of your comment), and "
    "marks your comment as written by a verified commenter. Nothing is sent to this address "
    "until it is confirmed."
)
EMAIL_CONFIRM_LINK = _("Confirm the address:")
EMAIL_CONFIRM_VALID_FOR = ngettext_lazy(
    "(the link works for %(days)d day)", "(the link works for %(days)d days)", "days"
)
EMAIL_CONFIRM_NOT_YOU = _(
    "If it was not you, ignore this email: nothing more will be sent to you about it."
)
EMAIL_CONFIRM_NEVER = _("Never email me again from this site's comments")
CONFIRM_TITLE = _("Confirm your email address")
CONFIRM_QUESTION = _("Confirm %(email)s as your address for comments on this site?")
CONFIRM_EXPLANATION = _(
    "The site may then email you replies you asked for, and your comment counts as written "
    "by a verified commenter."
)
CONFIRM_BUTTON = _("Confirm my address")
CONFIRMED = _("Thank you: your email address is confirmed.")
CONFIRMED_PUBLISHED = _("Your comment is published.")
CONFIRMED_SEE_COMMENT = _("See your comment")
CONFIRM_LINK_EXPIRED = _(
    "This confirmation link has expired. Post a comment again to receive a new one."
)
CONFIRM_LINK_INVALID = _(
    "This confirmation link is invalid. Open the link exactly as it is in the email."
)
AWAITING_CONFIRMATION = _(
    "We sent you an email: your comment will be published or sent to the moderators once "
    "you confirm your address with the link in it."
)
NEVER_EMAIL_TITLE = _("Never email me again")
NEVER_EMAIL_QUESTION = _(
    "Stop every email from this site's comments to %(email)s, confirmation requests included?"
)
NEVER_EMAIL_BUTTON = _("Never email me again")
NEVER_EMAILED = _("This address will not receive any more emails from this site's comments.")
NEVER_EMAIL_LINK_INVALID = _(
    "This link is invalid or has expired. Use the link in a more recent email, or contact "
    "the site's owner."
)

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
SHORTCUT_PIN = _("Pin the comment above the threads, or unpin it")
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
ADDRESS_VERIFIED_NOTE = _("Written from a confirmed address: a verified commenter.")
ADDRESS_AWAITING_NOTE = _(
    "Waiting for its author to confirm this address; the moderators are emailed once they do."
)

# The spam services' verdict (spam_services.py), in the queue and on a comment's screen
SPAM_CHECK = _("Spam check")
SPAM_SERVICE = _("Spam service")  # when the service's name was not kept
SPAM_VERDICT = _("%(service)s: %(verdict)s, %(time)s")  # "Akismet: spam, 14:02"
SPAM_VERDICT_CHECKING = _("%(service)s: %(verdict)s")  # "Akismet: checking"
DECIDED_BY_SERVICE = _("Decided by %(service)s")  # in the history, after the move

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
API_JSON_REQUIRED = _(
    "Send the comment as a JSON object, with the header Content-Type: application/json."
)
API_JSON_INVALID = _(
    "The request body must be a JSON object of the form's fields, each a string, a number, "
    "true, false or null."
)
# Shown to the author of a comment published at once, after posting (with their edit links)
COMMENT_PUBLISHED = _("Thank you: your comment is published")

# The moderators' pick (pinning.py)
PINNED_HEADING = _("Pinned by the editors")
PINNED_MARK = _("Pinned")  # beside a pinned comment in its place in the thread
PIN = _("Pin")
UNPIN = _("Unpin")
PINNED_DONE = _("Comment by %(name)s pinned above the threads.")
UNPINNED_DONE = _("Comment by %(name)s unpinned.")
PIN_NOT_APPROVED = _(
    "Only an approved comment can be pinned: approve the comment by %(name)s first."
)
UNPIN_NOT_PINNED = _("Nothing to do: the comment by %(name)s is not pinned.")
PIN_LOG_LABEL = _("Pin comment")
PINNED_IN_HISTORY = _("Pinned above the threads")
UNPINNED_IN_HISTORY = _("Unpinned")

# Readers reporting a comment (reports.py, the /comments/<id>/report/ page)
REPORT_LINK = _("Report this comment")
REPORT_LINK_LABEL = _("Report the comment by %(name)s")
REPORT_TITLE = _("Report a comment")
REPORT_INTRO = _(
    "Tell the moderators what is wrong with this comment. They read every report; the "
    "comment's author is not told who sent it."
)
REPORT_REASON = _("What is wrong with it?")
REPORT_REASON_SPAM = _("Spam")
REPORT_REASON_ABUSE = _("Abuse or harassment")
REPORT_REASON_OFF_TOPIC = _("Off topic")
REPORT_REASON_HEALTH = _("Misleading health information")
REPORT_REASON_ILLEGAL = _("Illegal content")
REPORT_NOTE = _("Anything the moderators should know (optional)")
REPORT_EMAIL = _("Your email address, for the answer (optional)")
REPORT_EMAIL_HELP = _(
    "Used only to tell you what the moderators decided about illegal content; never published."
)
REPORT_BUTTON = _("Send the report")
REPORT_REASON_REQUIRED = _("Please choose what is wrong with the comment.")
REPORT_REASON_INVALID = _("Please choose one of the reasons listed.")
REPORT_NOTE_TOO_LONG = _(
    "Your note can be at most %(limit_value)d characters (it has %(show_value)d)."
)
REPORT_THANKS = _("Thank you: your report was sent to the moderators.")
REPORT_ALREADY_SENT = _(
    "Thank you: you had already reported this comment, so the moderators count your report once."
)
REPORT_BACK_TO_PAGE = _("Back to “%(title)s”")
REPORT_NOT_FOUND = _("This comment does not exist or is not published, so it cannot be reported.")
REPORT_RATE_LIMITED = _(
    "You have sent too many reports in a short time. Please wait a while and try again."
)
REPORT_ERROR_SUMMARY = _("Your report could not be sent. Please correct the following:")

# The moderation queue's "Reported" tab
REPORTED_TAB = _("Reported")
REPORTS_COLUMN = _("Reports")
REPORTED_FILTER = _("Reported by readers")
# The queue counts matches exactly up to COMMENTS_ADMIN_EXACT_COUNT_LIMIT (admin_listing.py).
MORE_THAN_COMMENTS = _("More than %(count)s comments")
MORE_THAN_MATCHES = _("There are more than %(count)s matches: narrow the search or the filters")
REPORT_REASON_COUNT = _("%(reason)s (%(count)d)")
REPORT_COUNT = ngettext_lazy("%(count)d open report", "%(count)d open reports", "count")

# The decision on an illegal-content report, e-mailed to the reporter and the comment's author
# (the EU Digital Services Act's notice and statement of reasons)
EMAIL_REPORT_DECISION_SUBJECT = _("Decision on a reported comment on “%(title)s”")
EMAIL_REPORT_DECISION_REPORTER_INTRO = _(
    "You reported a comment on “%(title)s” as illegal content. The moderators have decided."
)
EMAIL_REPORT_DECISION_AUTHOR_INTRO = _(
    "Your comment on “%(title)s” was reported as illegal content. The moderators have decided."
)
EMAIL_LABEL_DECISION = _("Decision")
EMAIL_LABEL_REASON = _("Reason")
EMAIL_LABEL_DATE = _("Date of the decision")
EMAIL_LABEL_REPORTED_COMMENT = _("The comment")
DECISION_KEPT = _("The comment stays published: the moderators found it breaks no rule.")
DECISION_SPAM = _("The comment was removed as spam.")
DECISION_REMOVED = _("The comment was removed.")
DECISION_NO_REASON = _("The moderators gave no further reason.")
EMAIL_REPORT_DECISION_AUTOMATED = _(
    "This decision was taken by a moderator, not by an automated system. To contest it, "
    "contact the site's owner."
)
# A reported comment's own screen and the confirmation of a move
OPEN_REPORTS_HEADING = _("Readers' reports")
REPORT_WANTS_ANSWER = _("Asked for the decision by email")
DECISION_WILL_BE_MAILED = _(
    "This comment was reported as illegal content: the readers who left an address and the "
    "comment's author will be emailed your decision, its reason and its date."
)

# Who is this commenter? The history screen, the private note and the block list
COMMENTER_HISTORY = _("Commenter history")
COMMENTER_HISTORY_TITLE = _("Commenter history: %(name)s")
COMMENTER_BY_EMAIL = _("Comments from the same email address")
COMMENTER_BY_IP = _("Comments from the same IP address")
COMMENTER_IP_FORGOTTEN = _(
    "This comment's IP address is no longer kept, so comments from the same IP address "
    "cannot be listed."
)
COMMENTER_NO_EMAIL = _("This comment has no email address (it may have been anonymised).")
COMMENTER_ALL_IN_QUEUE = ngettext_lazy(
    "See it in the queue", "See all %(count)d in the queue", "count"
)
COMMENTER_NOTE = _("Moderators' note")
COMMENTER_NOTE_HELP = _(
    "Private: only moderators see it, here. It is exported and erased with this commenter's data."
)
COMMENTER_NOTE_SAVE = _("Save the note")
COMMENTER_NOTE_SAVED = _("Note on %(email)s saved.")
COMMENTER_NOTE_DELETED = _("Note on %(email)s removed.")
COMMENTER_NOTE_UPDATED = _("Last changed by %(user)s on %(date)s.")
COMMENTER_BLOCK_EMAIL = _("Block this email address")
COMMENTER_BLOCK_IP = _("Block this IP address")
COMMENTER_BLOCKED_BY = _("Already on the block list:")
COMMENTER_FILTERED = _("Comments from %(who)s")
COMMENTER_SHOW_ALL = _("Show every commenter")
BLOCKED_BADGE = _("Blocked: %(reason)s")
BLOCK_EMAIL_INVALID = _("Enter a valid email address, such as name@example.com.")
BLOCK_NETWORK_INVALID = _(
    "Enter an IP address or a network in CIDR notation, such as 203.0.113.7, "
    "203.0.113.0/24 or 2001:db8::/32."
)
BLOCK_NAME_TOO_WIDE = _(
    "Enter at least two letters besides * and ?: this pattern would match nearly every name."
)

# Rights by section (permissions.py, ModerationSection)
OUTSIDE_SECTIONS_SKIPPED = ngettext_lazy(
    "%(count)d selected comment is outside the sections you moderate and was left alone.",
    "%(count)d selected comments are outside the sections you moderate and were left alone.",
    "count",
)
MODERATION_SECTIONS_HEADING = _("Comment moderation sections")
MODERATION_SECTIONS_HELP = _(
    "With the permission to moderate comments, this group moderates only the comments on "
    "these pages and every page below them. With no section, it moderates the whole site."
)
MODERATION_SECTION_PAGE = _("Section")
MODERATION_SECTION_ADD = _("Add a section")
MODERATION_SECTION_REMOVE = _("Remove")
MODERATION_SECTION_TWICE = _("Each section can be chosen only once.")
# Following an article without commenting (follows.py)
FOLLOW_TITLE = _("Notify me of new comments on this article")
FOLLOW_PAGE_TITLE = _("Follow the comments on “%(title)s”")
FOLLOW_EXPLANATION = _(
    "Get an email when a new comment is published here. We first send you a link to confirm "
    "the address; every email has a link to stop."
)
FOLLOW_EMAIL = _("Email")
FOLLOW_MODE = _("How often")
FOLLOW_MODE_IMMEDIATE = _("An email for each new comment")
FOLLOW_MODE_DAILY = _("A daily digest")
FOLLOW_BUTTON = _("Notify me")
FOLLOW_ERROR_SUMMARY = _("You could not follow this article. Please correct the following:")
FOLLOW_ASKED = _(
    "Thank you. If this address can receive our emails, we sent it a link: open it to confirm "
    "that you want to follow the comments on this article."
)
FOLLOW_STARTED = _("You now follow the comments on this article.")
FOLLOW_BACK_TO_ARTICLE = _("Back to the article")
FOLLOW_CONFIRM_TITLE = _("Follow the comments on this article")
FOLLOW_CONFIRM_QUESTION = _("Send new comments on “%(title)s” to %(email)s?")
FOLLOW_CONFIRM_BUTTON = _("Yes, follow the comments")
FOLLOW_CONFIRMED = _("Thank you: you now follow the comments on “%(title)s”.")
FOLLOW_LINK_EXPIRED = _(
    "This link has expired. Ask again with the form below the article's comments."
)
FOLLOW_LINK_INVALID = _("This link is not valid. Please copy the whole link from the email.")
UNFOLLOW_TITLE = _("Stop following this article")
UNFOLLOW_QUESTION = _("Stop emails about new comments on “%(title)s” to %(email)s?")
UNFOLLOW_BUTTON = _("Stop following")
UNFOLLOWED = _("You no longer follow the comments on this article.")
EMAIL_FOLLOW_CONFIRM_SUBJECT = _("Please confirm that you want to follow “%(title)s”")
EMAIL_FOLLOW_CONFIRM_INTRO = _(
    "Somebody, probably you, asked on %(when)s for emails about new comments on “%(title)s”."
)
EMAIL_FOLLOW_CONFIRM_LINK = _("Confirm that you want them:")
EMAIL_FOLLOW_NOT_YOU = _("If it was not you, ignore this email: nothing more will be sent.")
EMAIL_FOLLOW_NEW_SUBJECT = _("New comment on “%(title)s”")
EMAIL_FOLLOW_NEW_INTRO = _("A new comment was published on “%(title)s”, which you follow.")
EMAIL_FOLLOW_DIGEST_SUBJECT = ngettext_lazy(
    "%(count)d new comment on “%(title)s”", "%(count)d new comments on “%(title)s”", "count"
)
EMAIL_FOLLOW_DIGEST_INTRO = _("New comments published on “%(title)s”, which you follow:")
EMAIL_FOLLOW_WHY = _("You receive this email because you follow the comments on this article.")
EMAIL_UNFOLLOW = _("Stop following this article")
