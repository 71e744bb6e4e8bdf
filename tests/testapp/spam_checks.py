"""A spam check of the test site's own (COMMENTS_SPAM_CHECKS)."""

from comments.spam import Refusal, Submission

NO_SHOUTING = "Please do not write your comment in capital letters."


def refuse_shouting(submission: Submission) -> Refusal | None:
    """A comment written in capitals only (a few words are fine) is refused."""
    letters = [char for char in submission.comment.body if char.isalpha()]
    if len(letters) >= 20 and all(char.isupper() for char in letters):
        return Refusal(400, NO_SHOUTING)
    return None
