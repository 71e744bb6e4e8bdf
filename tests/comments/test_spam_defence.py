"""Each abuse check, refused and accepted paths."""

import time
from unittest import mock
from urllib.error import URLError

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from wagtail.models import PageViewRestriction

from comments.client import client_ip
from comments.models import Comment, CommentStatus
from comments.tokens import FORM_STAMP_SALT, make_form_stamp
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def summary_text(response):
    summary = BeautifulSoup(response.content, "html.parser").find(id="comment-error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def test_honeypot_filled_is_refused(commented_page, post_comment):
    response = post_comment(commented_page, honeypot="http://spam.example")
    assert response.status_code == 400
    assert "could not be accepted" in summary_text(response)
    assert not Comment.objects.exists()


def test_form_filled_too_fast_is_refused_with_input_kept(commented_page, post_comment):
    response = post_comment(commented_page, stamp=make_form_stamp(commented_page.pk))
    assert response.status_code == 400
    assert "That was quick!" in summary_text(response)
    assert b"Thank you, this helped my back." in response.content
    assert not Comment.objects.exists()
    fresh_stamp = BeautifulSoup(response.content, "html.parser").find(
        "input", attrs={"name": "stamp"}
    )
    assert fresh_stamp["value"]


@pytest.mark.parametrize(
    "stamp",
    [
        "",
        "not-a-stamp",
        signing.dumps({"p": 1, "t": 0}, salt="another-salt"),
        signing.dumps({"p": "x", "t": "y"}, salt=FORM_STAMP_SALT),
    ],
    ids=["empty", "garbage", "other-salt", "wrong-types"],
)
def test_forged_stamp_is_refused(commented_page, post_comment, stamp):
    assert post_comment(commented_page, stamp=stamp).status_code == 400
    assert not Comment.objects.exists()


def test_stamp_for_another_page_is_refused(commented_page, other_commented_page, post_comment):
    stamp = make_form_stamp(other_commented_page.pk, now=time.time() - 10)
    response = post_comment(commented_page, stamp=stamp)
    assert response.status_code == 400
    assert "reload the page" in summary_text(response)


def test_replayed_old_stamp_is_refused(commented_page, post_comment, settings):
    settings.COMMENTS_FORM_MAX_AGE = 60
    old = make_form_stamp(commented_page.pk, now=time.time() - 120)
    response = post_comment(commented_page, stamp=old)
    assert response.status_code == 400
    assert "expired" in summary_text(response)
    assert b"Thank you, this helped my back." in response.content


def test_rate_limit_refuses_the_sixth_comment_in_a_minute(commented_page, post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    for number in range(5):
        assert post_comment(commented_page, body=f"Comment {number}").status_code == 303
    response = post_comment(commented_page, body="One too many")
    assert response.status_code == 429
    assert "too many comments" in summary_text(response)
    assert Comment.objects.count() == 5


def test_rate_limit_starts_a_new_window_once_the_last_one_ended(
    commented_page, post_comment, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_RATE_WINDOW = 1
    assert post_comment(commented_page, body="first").status_code == 303
    assert post_comment(commented_page, body="second").status_code == 429
    time.sleep(1.1)
    assert post_comment(commented_page, body="third").status_code == 303
    assert post_comment(commented_page, body="fourth").status_code == 429


def test_rate_limit_is_per_ip(commented_page, post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 1
    assert post_comment(commented_page, body="first").status_code == 303
    response = post_comment(commented_page, body="second", remote_addr="10.0.0.9")
    assert response.status_code == 303


def test_flood_refuses_same_ip_or_email_within_15_seconds(commented_page, post_comment):
    assert post_comment(commented_page, body="First").status_code == 303
    response = post_comment(commented_page, body="Second", email="other@example.com")
    assert response.status_code == 429
    assert "too quickly" in summary_text(response)
    same_email = post_comment(commented_page, body="Third", remote_addr="10.1.1.1")
    assert same_email.status_code == 429
    other = post_comment(
        commented_page, body="Fourth", email="new@example.com", remote_addr="10.2.2.2"
    )
    assert other.status_code == 303


def test_duplicate_comment_is_refused_with_409(commented_page, post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post_comment(commented_page, body="Same words").status_code == 303
    response = post_comment(commented_page, body="Same words", email="JANE@example.com")
    assert response.status_code == 409
    assert "Duplicate comment detected; it looks as though you’ve already said that!" in (
        summary_text(response)
    )
    assert Comment.objects.count() == 1


def test_more_than_two_links_holds_even_when_auto_approving(commented_page, post_comment, settings):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    settings.COMMENTS_FLOOD_SECONDS = 0
    post_comment(commented_page, body="Two links https://a.com and https://b.org")
    post_comment(
        commented_page,
        body="Three https://a.com https://b.org <a href='https://c.net'>c</a>",
    )
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert sorted(statuses.values()) == [CommentStatus.APPROVED, CommentStatus.PENDING]
    assert statuses[next(b for b in statuses if b.startswith("Three"))] == CommentStatus.PENDING


def test_moderation_keyword_holds_and_disallowed_keyword_marks_spam(
    commented_page, post_comment, settings, client
):
    settings.COMMENTS_APPROVAL_POLICY = "approve"
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MODERATION_KEYWORDS = ["miracle cure"]
    settings.COMMENTS_DISALLOWED_KEYWORDS = ["casino"]
    post_comment(commented_page, body="Try this Miracle Cure today")
    spam_response = post_comment(
        commented_page, body="Best online", website="https://casino.example"
    )
    post_comment(commented_page, body="Plain and nice")
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses["Try this Miracle Cure today"] == CommentStatus.PENDING
    assert statuses["Best online"] == CommentStatus.SPAM
    assert statuses["Plain and nice"] == CommentStatus.APPROVED
    assert spam_response.status_code == 303
    assert b"Best online" not in client.get(commented_page.url).content


def test_comments_closed_on_page_hides_form_and_refuses_post(commented_page, post_comment, client):
    make_comment(commented_page, body="Earlier comment")
    commented_page.allow_comments = False
    commented_page.save_revision().publish()
    page = client.get(commented_page.url)
    assert b'id="commentform"' not in page.content
    assert b"Comments are closed." in page.content
    assert b"Earlier comment" in page.content
    assert b"comment-reply-link" not in page.content
    response = post_comment(commented_page)
    assert response.status_code == 403
    assert b"Comments are closed." in response.content
    assert Comment.objects.count() == 1


def test_the_page_posted_to_is_looked_up_again_after_each_publish(
    commented_page, post_comment, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert post_comment(commented_page, body="First").status_code == 303
    commented_page.allow_comments = False
    commented_page.save_revision().publish()
    assert post_comment(commented_page, body="Second").status_code == 403
    commented_page.allow_comments = True
    commented_page.save_revision().publish()
    assert post_comment(commented_page, body="Third").status_code == 303
    commented_page.unpublish()
    assert post_comment(commented_page, body="Fourth").status_code == 404
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["First", "Third"]


def test_auto_close_after_n_days(commented_page, post_comment, settings):
    import datetime

    from django.utils import timezone

    settings.COMMENTS_AUTO_CLOSE_DAYS = 14
    type(commented_page).objects.filter(pk=commented_page.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=15)
    )
    assert post_comment(commented_page).status_code == 403
    settings.COMMENTS_AUTO_CLOSE_DAYS = 30
    assert post_comment(commented_page).status_code == 303


def test_unknown_unpublished_and_non_comment_pages_are_refused(
    page_without_comments, commented_page, post_comment, client
):
    from comments.tokens import make_form_stamp

    assert client.post("/comments/post/999999/", {}).status_code == 404
    stamp = make_form_stamp(page_without_comments.pk, now=time.time() - 10)
    response = post_comment(page_without_comments, stamp=stamp)
    assert response.status_code == 404
    assert b"cannot take comments" in response.content
    commented_page.unpublish()
    assert post_comment(commented_page).status_code == 404
    assert client.get(f"/comments/post/{commented_page.pk}/").status_code == 405
    assert not Comment.objects.exists()


def test_pages_in_a_private_section_are_refused(
    page_without_comments, commented_page, other_commented_page, post_comment
):
    PageViewRestriction.objects.create(
        page=commented_page, restriction_type=PageViewRestriction.LOGIN
    )
    assert post_comment(commented_page).status_code == 404
    assert post_comment(other_commented_page, body="Knees too.").status_code == 303
    PageViewRestriction.objects.create(
        page=page_without_comments, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    response = post_comment(other_commented_page, body="Knees again.", email="k@example.com")
    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_forwarded_for_header_is_ignored_by_default(commented_page, post_comment, rf):
    request = rf.post("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.5"
    post_comment(commented_page, headers={"x-forwarded-for": "1.2.3.4"})
    assert Comment.objects.get().ip_address == "127.0.0.1"


def test_forwarded_for_is_used_behind_a_trusted_proxy(rf, settings):
    settings.COMMENTS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.post(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.3"
    )
    assert client_ip(request) == "198.51.100.7"
    untrusted = rf.post("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(untrusted) == "198.51.100.1"


class TestRecaptcha:
    @pytest.fixture(autouse=True)
    def keys(self, settings):
        settings.RECAPTCHA_PUBLIC_KEY = "site-key-for-tests"
        settings.RECAPTCHA_PRIVATE_KEY = "secret-key-for-tests"

    def test_form_shows_the_widget_when_keys_are_configured(self, commented_page, client):
        assert b"g-recaptcha" in client.get(commented_page.url).content

    def test_no_widget_without_keys(self, commented_page, client, settings):
        settings.RECAPTCHA_PUBLIC_KEY = ""
        assert b"g-recaptcha" not in client.get(commented_page.url).content

    def test_verified_answer_is_accepted(self, commented_page, post_comment):
        from django_recaptcha.client import RecaptchaResponse

        with mock.patch(
            "django_recaptcha.fields.client.submit", return_value=RecaptchaResponse(is_valid=True)
        ) as submit:
            response = post_comment(commented_page, **{"g-recaptcha-response": "answer"})
        assert response.status_code == 303
        assert submit.call_args.kwargs["private_key"] == "secret-key-for-tests"

    def test_failed_answer_is_refused(self, commented_page, post_comment):
        from django_recaptcha.client import RecaptchaResponse

        with mock.patch(
            "django_recaptcha.fields.client.submit",
            return_value=RecaptchaResponse(is_valid=False, error_codes=["invalid-input-response"]),
        ):
            response = post_comment(commented_page, **{"g-recaptcha-response": "wrong"})
        assert response.status_code == 400
        assert b"not a robot" in response.content
        assert not Comment.objects.exists()

    def test_unreachable_google_gives_a_clear_error_not_a_500(self, commented_page, post_comment):
        with mock.patch(
            "django_recaptcha.fields.client.submit", side_effect=URLError("no network")
        ):
            response = post_comment(commented_page, **{"g-recaptcha-response": "answer"})
        assert response.status_code == 400
        assert "could not verify that you are not a robot" in response.content.decode()
        assert not Comment.objects.exists()

    def test_v3_low_score_is_refused(self, commented_page, post_comment, settings):
        from django_recaptcha.client import RecaptchaResponse

        settings.COMMENTS_RECAPTCHA_VERSION = "v3"
        low = RecaptchaResponse(is_valid=True, extra_data={"score": 0.1}, action="comment")
        with mock.patch("django_recaptcha.fields.client.submit", return_value=low):
            response = post_comment(commented_page, captcha="answer")
        assert response.status_code == 400
        high = RecaptchaResponse(is_valid=True, extra_data={"score": 0.9}, action="comment")
        with mock.patch("django_recaptcha.fields.client.submit", return_value=high):
            response = post_comment(commented_page, captcha="answer")
        assert response.status_code == 303
