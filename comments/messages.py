"""Every sentence a reader or moderator reads, written once so pages, errors and e-mails agree."""

from django.utils.translation import gettext_lazy as _

LEAVE_A_REPLY = _("Leave a Reply")
EMAIL_NOT_PUBLISHED = _("Your email address will not be published.")
REQUIRED_FIELDS_MARKED = _("Required fields are marked")
POST_COMMENT = _("Post Comment")
CANCEL_REPLY = _("Cancel reply")
REPLY = _("Reply")
REPLY_TO = _("Reply to")  # followed by the author's name
AWAITING_MODERATION = _("Your comment is awaiting moderation.")
COMMENT_SENT = _("Thank you: your comment was sent")
AWAITING_MODERATION_NEXT = _(
    "A moderator reads each comment before it is published. Until then only you can see it, "
    "here below; once it is approved, everyone who reads this page will see it."
)
ERROR_SUMMARY_TITLE = _("Your comment could not be posted. Please correct the following:")

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

RATE_LIMITED = _(
    "You have posted too many comments in a short time. Please wait a minute and try again."
)
FLOOD = _("You are posting comments too quickly. Slow down.")
DUPLICATE = _("Duplicate comment detected; it looks as though you’ve already said that!")
COMMENTS_CLOSED = _("Comments are closed.")
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
