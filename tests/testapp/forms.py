"""A comment form of the test site's own (COMMENTS_FORM_CLASS)."""

from django import forms

from comments.forms import CommentForm

RULES_REQUIRED = "Please accept the house rules."


class HouseRulesCommentForm(CommentForm):
    """Readers accept the house rules; every commenter hears of replies (the site promises
    answers), whatever the checkbox says."""

    accept_rules = forms.BooleanField(
        label="I have read the house rules", error_messages={"required": RULES_REQUIRED}
    )

    def get_comment_create_data(self, request=None) -> dict:
        data = super().get_comment_create_data(request)
        data["notify_replies"] = True
        return data
