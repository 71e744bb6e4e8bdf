"""The extension points a site uses instead of forking the app, each used from the test app
(tests/testapp): its own form class, a moderation policy per page type, its own spam checks,
templates per page type, and the comment signals."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from comments import messages
from comments.conf import DiscussionOptions, app_setting
from comments.forms import CommentDetailsForm, CommentForm, CommentSecurityForm, form_class
from comments.models import Comment, CommentStatus
from comments.policy import ModerationPolicy, policy_for
from comments.rendering import render_comment_list, template_names
from comments.signals import comment_was_posted, comment_will_be_posted
from comments.threads import build_threads, displayed_comments
from comments.tokens import make_form_stamp
from tests.factories import make_comment
from tests.testapp.forms import RULES_REQUIRED, HouseRulesCommentForm
from tests.testapp.policies import QUESTIONS_DESK, QuestionPolicy
from tests.testapp.receivers import BLOCKED_EMAIL, refuse_blocked_address, sign_staff_comments
from tests.testapp.spam_checks import NO_SHOUTING

pytestmark = pytest.mark.django_db

HOUSE_RULES_FORM = "tests.testapp.forms.HouseRulesCommentForm"
QUESTION_POLICY = "tests.testapp.policies.QuestionPolicy"


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def refusal_text(response) -> str:
    return soup_of(response).find(id="comment-error-summary").get_text(" ", strip=True)


# A form class of the site's own ---------------------------------------------------------------


def test_the_site_form_named_in_the_setting_is_shown_and_enforced(
    commented_page, client, post_comment, settings
):
    settings.COMMENTS_FORM_CLASS = HOUSE_RULES_FORM
    form = soup_of(client.get(commented_page.url)).find("form", id="commentform")
    rules = form.find("input", attrs={"name": "accept_rules"})
    assert rules["type"] == "checkbox" and rules.has_attr("required")
    assert (
        form.find("label", attrs={"for": rules["id"]})
        .get_text(strip=True)
        .startswith("I have read the house rules")
    )

    refused = post_comment(commented_page)
    assert refused.status_code == 400
    assert RULES_REQUIRED in refusal_text(refused)
    assert not Comment.objects.exists()

    accepted = post_comment(commented_page, accept_rules="on")
    assert accepted.status_code == 303
    # The site's get_comment_create_data() built the comment: replies are always announced.
    assert Comment.objects.get().notify_replies is True


def test_without_the_setting_the_stock_form_is_used(settings):
    assert form_class() is CommentForm
    settings.COMMENTS_FORM_CLASS = HOUSE_RULES_FORM
    assert form_class() is HouseRulesCommentForm


def test_the_security_layer_refuses_a_forged_stamp_on_its_own(commented_page):
    assert issubclass(CommentForm, CommentDetailsForm)
    assert issubclass(CommentDetailsForm, CommentSecurityForm)
    form = CommentSecurityForm(
        {"stamp": "forged"}, page=commented_page, options=DiscussionOptions()
    )
    assert not form.is_valid()
    assert form.security_errors() == [str(messages.FORM_TAMPERED)]
    assert set(form.fields) == {"stamp"}  # no details, no honeypot: those are other layers


def test_the_form_builds_the_comment_with_who_sent_it(commented_page, settings):
    unbound = CommentForm(page=commented_page, options=DiscussionOptions())
    with pytest.raises(ValueError):
        unbound.get_comment_object()  # builds nothing from a form that is not valid

    settings.COMMENTS_MIN_FILL_SECONDS = 0
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140")
    request.user = AnonymousUser()
    form = CommentForm(
        {
            "stamp": make_form_stamp(commented_page.pk),
            "name": "  Jane   Reader ",
            "email": "jane@example.com",
            "body": "<b>Thanks</b> <script>x</script>",
        },
        page=commented_page,
        options=DiscussionOptions(),
    )
    comment = form.get_comment_object(request)
    assert comment.pk is None and comment.page == commented_page
    assert comment.name == "Jane Reader"
    assert "<b>Thanks</b>" in comment.body_html and "<script" not in comment.body_html
    assert (comment.ip_address, comment.user_agent, comment.user) == (
        "203.0.113.9",
        "Firefox/140",
        None,
    )
    assert comment.form_stamp == form.stamp_digest and len(comment.form_stamp) == 32


# A moderation policy per page type ------------------------------------------------------------


def test_page_types_without_a_policy_of_their_own_get_the_default(commented_page, question_page):
    assert type(policy_for(commented_page, DiscussionOptions())) is ModerationPolicy
    assert type(policy_for(question_page, DiscussionOptions())) is QuestionPolicy


def test_the_default_policy_holds_a_comment_and_asks_the_moderators(
    commented_page, post_comment, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_comment(commented_page).status_code == 303
    assert Comment.objects.get().status == CommentStatus.PENDING
    assert [message.to for message in mail.outbox] == [[moderator.email]]


def test_a_question_page_refuses_a_comment_that_asks_nothing(question_page, post_comment):
    response = post_comment(question_page, body="Knees are interesting.")
    assert response.status_code == 403
    assert str(messages.COMMENT_NOT_ACCEPTED) in refusal_text(response)
    # The reader keeps what they wrote.
    assert soup_of(response).find("textarea", attrs={"name": "body"}).get_text(strip=True) == (
        "Knees are interesting."
    )
    assert not Comment.objects.exists()


def test_a_question_is_published_at_once_and_only_the_desk_hears_of_it(
    question_page, client, post_comment, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(question_page, body="Should my knee click when I squat?")
    assert response.status_code == 303
    question = Comment.objects.get()
    assert question.status == CommentStatus.APPROVED
    assert [message.to for message in mail.outbox] == [[QUESTIONS_DESK]]
    page = soup_of(client.get(question_page.url))
    assert "Should my knee click" in page.find(id=f"comment-{question.pk}").get_text()


def test_the_disallowed_keywords_still_send_a_question_to_spam(
    question_page, post_comment, settings
):
    settings.COMMENTS_DISALLOWED_KEYWORDS = ["casino"]
    post_comment(question_page, body="Best casino for knees?")
    assert Comment.objects.get().status == CommentStatus.SPAM


def test_the_site_default_policy_is_a_setting(commented_page, post_comment, settings):
    settings.COMMENTS_MODERATION_POLICY = QUESTION_POLICY
    assert post_comment(commented_page, body="No question here.").status_code == 403
    assert post_comment(commented_page, body="Any question here?").status_code == 303
    assert Comment.objects.get().status == CommentStatus.APPROVED


# The spam checks run on a post ----------------------------------------------------------------


def test_a_spam_check_of_the_site_refuses_with_its_message(commented_page, post_comment, settings):
    settings.COMMENTS_SPAM_CHECKS = [
        *app_setting("SPAM_CHECKS"),
        "tests.testapp.spam_checks.refuse_shouting",
    ]
    response = post_comment(commented_page, body="WHY DOES NOBODY ANSWER MY QUESTION")
    assert response.status_code == 400
    assert NO_SHOUTING in refusal_text(response)
    assert not Comment.objects.exists()
    assert post_comment(commented_page, body="Why does my KNEE hurt?").status_code == 303


def test_the_checks_run_are_the_ones_listed(commented_page, post_comment, settings):
    # By default the second comment within the flood interval is refused ...
    post_comment(commented_page, body="First.")
    assert post_comment(commented_page, body="Second.").status_code == 429
    # ... and with the flood and rate checks taken off the list, it is not.
    settings.COMMENTS_SPAM_CHECKS = ["comments.spam.check_duplicate"]
    assert post_comment(commented_page, body="Third.").status_code == 303
    assert post_comment(commented_page, body="Third.").status_code == 409  # still a duplicate


# Templates per page type ----------------------------------------------------------------------


def test_templates_are_looked_up_for_the_page_type_first(question_page):
    assert template_names(question_page, "section") == [
        "comments/testapp/questionpage/section.html",
        "comments/section.html",
    ]


def test_one_page_type_restyles_its_comment_list_and_the_others_keep_theirs(
    question_page, commented_page, client
):
    make_comment(question_page, body="Does cycling help?", name="Sam")
    make_comment(commented_page, body="Thank you.", name="Ann")
    questions = soup_of(client.get(question_page.url))
    assert questions.find("ol", class_="question-list").find(class_="asked-by").text == "Sam"
    assert questions.find("ol", class_="comment-list") is None
    # The rest of the section is the app's: the heading and the form.
    assert questions.find(id="comments-title") and questions.find("form", id="commentform")
    discussion = soup_of(client.get(commented_page.url))
    assert discussion.find("ol", class_="comment-list").find(class_="comment-author").text == "Ann"
    assert discussion.find("ol", class_="question-list") is None


def test_a_site_wide_list_template_replaces_the_python_renderer(
    commented_page, client, settings, tmp_path
):
    """The fast path is taken only while the app's own file is the one found."""
    folder = tmp_path / "comments" / "includes"
    folder.mkdir(parents=True)
    (folder / "comment_list.html").write_text(
        '<ul class="site-list">{% for entry in threads.entries %}'
        "<li>{{ entry.comment.name }}</li>{% endfor %}</ul>"
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine.get("DIRS", [])]}]
    make_comment(commented_page, name="Ann")
    soup = soup_of(client.get(commented_page.url))
    assert soup.find("ul", class_="site-list").get_text() == "Ann"
    assert soup.find("ol", class_="comment-list") is None


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_stock_list_template_and_the_python_renderer_give_the_same_markup(
    commented_page, language
):
    """The fast path must not drift from the template a site copies to restyle, in any
    language (dates and link words are translated on both paths)."""
    with translation.override(language):
        first = make_comment(commented_page, name="Ann <b>", website="https://ann.example/?a=1&b=2")
        reply = make_comment(commented_page, parent=first, name="Bob", body="<i>Agreed</i>")
        make_comment(commented_page, parent=reply, name="Cy")
        make_comment(commented_page, name="Di", edited=timezone.now())
        last = make_comment(commented_page, name="Ed")
        pending = make_comment(commented_page, name="Fay", status=CommentStatus.PENDING)
        options = DiscussionOptions(per_page=2, thread_depth=3)
        pages = []
        for page_number, preview in [(1, None), (2, pending)]:
            threads = build_threads(
                displayed_comments(commented_page.pk),
                options,
                page_number=page_number,
                preview=preview,
            )
            context = {
                "threads": threads,
                "page": commented_page,
                "page_url": "/ask/",
                "comments_open": True,
                "text": messages,
            }
            from_template = render_to_string("comments/includes/comment_list.html", context)
            from_python = render_comment_list(threads, "/ask/", comments_open=True)
            assert _markup(from_template) == _markup(from_python)
            pages.append(from_python)
        first_page, second_page = pages
        assert 'class="children"' in first_page and "ann.example/?a=1&amp;b=2" in first_page
        assert f'id="comment-{last.pk}"' in second_page and "cpage=2&amp;replyto=" in second_page
        assert "comment-awaiting-moderation" in second_page
        assert 'class="comment-edited"' in first_page + second_page


# Signals --------------------------------------------------------------------------------------


@pytest.fixture
def connected():
    """Connects a receiver for one test."""
    connections = []

    def connect(signal, receiver):
        signal.connect(receiver)
        connections.append((signal, receiver))

    yield connect
    for signal, receiver in connections:
        signal.disconnect(receiver)


def test_a_receiver_refuses_a_comment_and_nothing_is_stored(
    commented_page, post_comment, connected, django_capture_on_commit_callbacks
):
    connected(comment_will_be_posted, refuse_blocked_address)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(commented_page, email=BLOCKED_EMAIL)
    assert response.status_code == 403
    assert str(messages.COMMENT_NOT_ACCEPTED) in refusal_text(response)
    assert soup_of(response).find("input", attrs={"name": "email"})["value"] == BLOCKED_EMAIL
    assert not Comment.objects.exists() and not mail.outbox
    assert post_comment(commented_page, email="friend@example.com").status_code == 303


def test_a_receiver_may_change_the_comment_before_it_is_saved(
    commented_page, post_comment, connected
):
    connected(comment_will_be_posted, sign_staff_comments)
    post_comment(commented_page, name="Pat", email="pat@clinic.example")
    assert Comment.objects.get().name == "Pat (staff)"


def test_comment_was_posted_is_sent_once_the_comment_is_stored(
    question_page, commented_page, post_comment, connected, django_capture_on_commit_callbacks
):
    posted = []

    def record(sender, comment, request, **kwargs):
        posted.append((comment.pk, comment.status, request.path))

    connected(comment_was_posted, record)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_comment(commented_page)
    assert posted == []  # not before the transaction commits
    for callback in callbacks:
        callback()
    comment = Comment.objects.get()
    assert posted == [(comment.pk, CommentStatus.PENDING, f"/comments/post/{commented_page.pk}/")]
    # A refused comment is not announced.
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(question_page, body="Not a question.", email="other@example.com")
    assert len(posted) == 1
