"""Every sentence a reader or moderator reads, written once so pages, errors and e-mails agree."""

from django.utils.translation import gettext_lazy as _

LEAVE_A_REPLY = _("Leave a Reply")
EMAIL_NOT_PUBLISHED = _("Your email address will not be published.")
REQUIRED_FIELDS_MARKED = _("Required fields are marked")
POST_COMMENT = _("Post Comment")
CANCEL_REPLY = _("Cancel reply")
AWAITING_MODERATION = _("Your comment is awaiting moderation.")
ERROR_SUMMARY_TITLE = _("Your comment could not be posted. Please correct the following:")

NAME_REQUIRED = _("Please enter your name.")
NAME_TOO_LONG = _("Your name can be at most %(limit_value)d characters (it has %(show_value)d).")
EMAIL_REQUIRED = _("Please enter your email address.")
EMAIL_INVALID = _("Please enter a valid email address, such as name@example.com.")
EMAIL_TOO_LONG = _("Your email address can be at most %(limit_value)d characters.")
WEBSITE_INVALID = _("Enter a website address starting with http:// or https://.")
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
