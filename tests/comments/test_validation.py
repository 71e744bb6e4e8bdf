"""Refused input: the form comes back (400) with the reader's words and a message per field."""

import pytest
from bs4 import BeautifulSoup

from comments import messages
from comments.models import Comment

pytestmark = pytest.mark.django_db


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def field_error(soup, field_id):
    paragraph = soup.find(id=field_id).find_parent("p")
    error = paragraph.find(class_="field-error")
    return error.get_text() if error else None


def test_missing_fields_rerender_form_with_errors_and_input_kept(commented_page, post_comment):
    response = post_comment(commented_page, name="", email="", body="")
    assert response.status_code == 400
    soup = soup_of(response)
    assert field_error(soup, "id_name") == "Please enter your name."
    assert field_error(soup, "id_email") == "Please enter your email address."
    assert field_error(soup, "id_body") == "Please type your comment."
    assert soup.find(id="id_name")["aria-invalid"] == "true"
    assert "id_name-error" in soup.find(id="id_name")["aria-describedby"]
    summary = soup.find(id="comment-error-summary")
    assert summary["role"] == "alert"
    assert summary.find("a", href="#id_name")
    assert not Comment.objects.exists()
    assert "no-store" in response["Cache-Control"]


def test_invalid_email_keeps_everything_else_typed(commented_page, post_comment):
    response = post_comment(
        commented_page,
        email="not-an-email",
        website="https://kept.example.com",
        body="My carefully written comment",
        save_details="yes",
    )
    assert response.status_code == 400
    soup = soup_of(response)
    assert "valid email address" in field_error(soup, "id_email")
    assert soup.find(id="id_name")["value"] == "Jane Reader"
    assert soup.find(id="id_email")["value"] == "not-an-email"
    assert soup.find(id="id_website")["value"] == "https://kept.example.com"
    assert soup.find(id="id_body").get_text().strip() == "My carefully written comment"
    assert soup.find(id="id_save_details").has_attr("checked")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "n" * 101, "at most 100 characters"),
        ("email", "a" * 250 + "@example.com", "at most 254 characters"),
        ("website", "https://example.com/" + "p" * 190, "at most 200 characters"),
        ("website", "javascript:alert(1)", "starting with http:// or https://"),
        ("website", "ftp://files.example.com", "starting with http:// or https://"),
        ("website", "data:text/html,hi", "starting with http:// or https://"),
        ("body", "b" * 8001, "at most 8000 characters (it has 8001)"),
        ("body", "   \n\t  ", "Please type your comment."),
        ("body", "\u200b\u200c\u200d\ufeff \u2060", "Please type your comment."),
        ("body", "<b></b><script></script>", "Please type your comment."),
        ("name", "\u200b \u200b", "Please enter your name."),
        # Blanks written as entities, which the sanitizer keeps as entities.
        ("body", "&nbsp; &#8203; &zwnj;", "Please type your comment."),
        ("body", "&nbsp;&NonBreakingSpace;&#xA0;&#160;&zwj;&#x2060;&#65279;", "Please type"),
        ("body", "<p>&nbsp;</p>\n\n<b>&#8203;</b>", "Please type your comment."),
        # The same blanks typed as characters.
        ("body", "\u00a0 \u200b \u200c \u200d \u2060 \ufeff", "Please type your comment."),
        ("body", "\u3164\u2800\u115f", "Please type your comment."),
        # Websites with a user name or password: where they lead depends on who reads them.
        ("website", "https://example.com\\@evil.example/", "without a user name or password"),
        ("website", "https://user:pw@example.com/", "without a user name or password"),
        ("website", "https://user@example.com", "without a user name or password"),
        ("website", "example.com@evil.example", "without a user name or password"),
        ("website", "HTTP://:secret@example.com/", "without a user name or password"),
    ],
)
def test_limits_give_clear_messages(commented_page, post_comment, field, value, message):
    response = post_comment(commented_page, **{field: value})
    assert response.status_code == 400
    assert message in field_error(soup_of(response), f"id_{field}")
    assert not Comment.objects.exists()


def test_website_without_scheme_is_taken_as_https(commented_page, post_comment):
    assert post_comment(commented_page, website="jane.example.org").status_code == 303
    assert Comment.objects.get().website == "https://jane.example.org"


def test_website_scheme_in_capitals_is_stored_in_lower_case(commented_page, post_comment):
    assert post_comment(commented_page, website="HTTPS://EXAMPLE.COM/Path").status_code == 303
    assert Comment.objects.get().website == "https://EXAMPLE.COM/Path"


def test_control_characters_are_stripped_never_a_500(commented_page, post_comment):
    response = post_comment(
        commented_page, name="Ja\x00ne\x07", body="Hel\x00lo\x1b there\r\nfriend\x7f"
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.name == "Jane"
    assert comment.body == "Hello there\nfriend"


@pytest.mark.parametrize("value", ["\ufffd", "\x00" * 50, "\uffff" * 10, "𝕳𝖊𝖑𝖑𝖔 🙂" * 100])
def test_odd_unicode_never_breaks_the_form(commented_page, post_comment, value):
    response = post_comment(commented_page, name=value[:100], body=value)
    assert response.status_code in (303, 400)


def test_invalid_utf8_bytes_never_break_the_form(commented_page, client):
    import time
    from urllib.parse import quote

    from comments.tokens import make_form_stamp

    stamp = quote(make_form_stamp(commented_page.pk, now=time.time() - 10))
    raw = (
        f"name=Jane&email=jane%40example.com&stamp={stamp}&body=bad%ED%A0%80bytes%FF%FE"
    ).encode()
    response = client.post(
        f"/comments/post/{commented_page.pk}/",
        raw,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (303, 400)


def test_parent_on_another_page_is_refused(commented_page, other_commented_page, post_comment):
    from tests.factories import make_comment

    elsewhere = make_comment(other_commented_page)
    response = post_comment(commented_page, parent=str(elsewhere.pk))
    assert response.status_code == 400
    assert (
        "you are replying to does not exist"
        in soup_of(response).find(id="comment-error-summary").get_text()
    )
    assert Comment.objects.count() == 1


def test_parent_not_approved_is_refused(commented_page, post_comment):
    from comments.models import CommentStatus
    from tests.factories import make_comment

    pending = make_comment(commented_page, status=CommentStatus.PENDING)
    for parent in [str(pending.pk), "999999", "abc"]:
        response = post_comment(commented_page, parent=parent)
        assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_reply_deeper_than_thread_depth_is_refused(commented_page, post_comment, client, settings):
    from tests.factories import make_comment

    settings.COMMENTS_THREAD_DEPTH = 3
    top = make_comment(commented_page)
    second = make_comment(commented_page, parent=top)
    third = make_comment(commented_page, parent=second)
    assert post_comment(commented_page, parent=str(second.pk), body="ok depth").status_code == 303
    response = post_comment(commented_page, parent=str(third.pk), body="too deep")
    assert response.status_code == 400
    assert "cannot be nested deeper" in soup_of(response).get_text()
    article = soup_of(client.get(commented_page.url)).find(id=f"comment-{third.pk}")
    assert article.select_one(".comment-reply-link") is None


def test_oversized_post_is_refused_before_parsing(commented_page, post_comment):
    response = post_comment(commented_page, body="<b>" * 30000)
    assert response.status_code == 413
    assert "too large" in soup_of(response).find(class_="refusal-message").get_text()
    assert not Comment.objects.exists()


@pytest.mark.parametrize("parent", ["9" * 5000, "٣", "+5", "-1", "1e3", "0x10"])
def test_absurd_parent_values_are_refused_not_a_500(commented_page, post_comment, parent):
    response = post_comment(commented_page, parent=parent)
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["&amp;", "a&nbsp;b", "&lt;3", "&#128578;", "\u00a0Hello\u200b"])
def test_comments_with_something_visible_beside_blanks_are_kept(commented_page, post_comment, body):
    assert post_comment(commented_page, body=body).status_code == 303
    assert Comment.objects.get().body == body.strip()


@pytest.mark.parametrize(
    "website",
    ["https://example.com/@someone", "https://example.com/?mention=@me", "https://example.com/#@x"],
)
def test_an_at_sign_after_the_host_is_fine(commented_page, post_comment, website):
    assert post_comment(commented_page, website=website).status_code == 303
    assert Comment.objects.get().website == website


@pytest.mark.parametrize(
    ("website", "message"),
    [
        ("ftp://files.example.com", messages.WEBSITE_INVALID),
        ("[", messages.WEBSITE_INVALID),  # urlsplit refuses an unclosed IPv6 host
        ("https://[::1", messages.WEBSITE_INVALID),
        ("https://user:pw@example.com/", messages.WEBSITE_USERINFO),
        ("HTTP://:secret@example.com/", messages.WEBSITE_USERINFO),
    ],
)
def test_a_refused_website_gets_one_message(commented_page, post_comment, website, message):
    response = post_comment(commented_page, website=website)
    assert field_error(soup_of(response), "id_website") == str(message)
