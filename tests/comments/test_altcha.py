"""ALTCHA, the captcha with no third party: a solved challenge posts once; a wrong, expired,
forged or replayed one is refused beside the field with the reader's comment kept."""

import base64
import io
import json
import time

import altcha
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from comments.captcha import AltchaField
from comments.checks import check_captcha_choice
from comments.models import Comment, DiscussionSettings, SpentChallenge
from comments.proof_of_work import hmac_key, make_challenge
from tests.comments.test_discussion_settings import discussion  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

BODY = "Thank you, this helped my back."


@pytest.fixture(autouse=True)
def altcha_chosen(discussion, settings):  # noqa: F811 - the fixture imported above
    # A quick puzzle: the test solves it in Python, as a browser would in a worker.
    settings.COMMENTS_ALTCHA_MAX_NUMBER = 30
    settings.COMMENTS_ALTCHA_COST = 50
    settings.COMMENTS_FLOOD_SECONDS = 0
    discussion(captcha="altcha")


def fetch_challenge(client) -> dict:
    response = client.get(reverse("comments:altcha_challenge"))
    assert response.status_code == 200
    return response.json()


def solve(challenge: dict) -> str:
    """The payload the widget posts: the challenge it fetched and the solution it found."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=30)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def captcha_errors(response) -> list[str]:
    box = page_of(response).find(class_="comment-form-captcha")
    return [p.get_text(strip=True) for p in box.find_all(class_="field-error")]


def assert_refused_and_kept(response, message: str) -> None:
    assert response.status_code == 400
    assert any(message in error for error in captcha_errors(response))
    assert page_of(response).find("textarea", attrs={"name": "body"}).get_text().strip() == BODY
    assert page_of(response).find("input", attrs={"name": "email"})["value"] == "jane@example.com"
    assert not Comment.objects.exists()


def test_form_shows_the_widget_from_our_static_files(client, commented_page):
    html = page_of(client.get(commented_page.url))
    widget = html.find("altcha-widget")
    assert widget["challenge"] == "/comments/altcha/challenge/" and widget["name"] == "captcha"
    scripts = [script["src"] for script in html.find_all("script", src=True)]
    assert "/static/comments/vendor/altcha/altcha.min.js" in scripts
    assert not [src for src in scripts if not src.startswith("/")]  # nothing from elsewhere
    assert "turn on JavaScript" in html.find("noscript").get_text()
    assert not html.find(class_="g-recaptcha")


def test_solved_challenge_posts_the_comment(client, commented_page, post_comment):
    payload = solve(fetch_challenge(client))
    response = post_comment(commented_page, captcha=payload)
    assert response.status_code == 303
    assert Comment.objects.get().body == BODY
    assert SpentChallenge.objects.count() == 1


def test_missing_solution_says_what_is_needed(commented_page, post_comment):
    response = post_comment(commented_page)
    assert_refused_and_kept(response, "It needs JavaScript")


def test_wrong_solution_is_refused(client, commented_page, post_comment):
    challenge = fetch_challenge(client)
    payload = json.loads(base64.b64decode(solve(challenge)))
    payload["solution"]["counter"] += 1
    payload["solution"]["derivedKey"] = "00" * 32
    forged = base64.b64encode(json.dumps(payload).encode()).decode()
    assert_refused_and_kept(post_comment(commented_page, captcha=forged), "did not succeed")


def test_challenge_signed_with_another_key_is_refused(commented_page, post_comment, settings):
    settings.COMMENTS_ALTCHA_HMAC_KEY = "someone-elses-key"
    payload = solve(make_challenge())
    settings.COMMENTS_ALTCHA_HMAC_KEY = None
    assert_refused_and_kept(post_comment(commented_page, captcha=payload), "did not succeed")


@pytest.mark.parametrize("garbage", ["not base64 at all!", base64.b64encode(b"[1, 2]").decode()])
def test_garbled_payload_is_refused_not_a_500(commented_page, post_comment, garbage):
    assert_refused_and_kept(post_comment(commented_page, captcha=garbage), "did not succeed")


def test_expired_challenge_is_refused(commented_page, post_comment, settings):
    # Made 20 minutes and a second ago: the default lifetime has passed.
    payload = solve(make_challenge(now=time.time() - 20 * 60 - 1))
    assert_refused_and_kept(post_comment(commented_page, captcha=payload), "has expired")
    settings.COMMENTS_ALTCHA_EXPIRES = 60 * 60  # a site that gives readers longer
    payload = solve(make_challenge(now=time.time() - 20 * 60 - 1))
    assert post_comment(commented_page, captcha=payload).status_code == 303


def test_solution_is_accepted_once(client, commented_page, post_comment):
    payload = solve(fetch_challenge(client))
    assert post_comment(commented_page, captcha=payload).status_code == 303
    again = post_comment(commented_page, captcha=payload, body=BODY, email="jane@example.com")
    assert again.status_code == 400
    assert any("already been used" in error for error in captcha_errors(again))
    assert page_of(again).find("textarea", attrs={"name": "body"}).get_text().strip() == BODY
    assert Comment.objects.count() == 1


def test_challenge_endpoint_is_never_stored(client):
    response = client.get(reverse("comments:altcha_challenge"))
    assert "no-store" in response["Cache-Control"]
    challenge = response.json()
    assert challenge["signature"] and challenge["parameters"]["expiresAt"] > time.time()
    assert fetch_challenge(client)["signature"] != challenge["signature"]


def test_default_key_is_derived_from_secret_key_and_setting_wins(settings):
    derived = hmac_key()
    assert derived and settings.SECRET_KEY not in derived
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-123456"
    assert hmac_key() != derived
    settings.COMMENTS_ALTCHA_HMAC_KEY = "our-own-key"
    assert hmac_key() == "our-own-key"


def test_setting_off_shows_no_widget_and_needs_no_solution(
    discussion,  # noqa: F811
    client,
    commented_page,
    post_comment,
):
    discussion(captcha="none")
    html = page_of(client.get(commented_page.url))
    assert not html.find("altcha-widget") and "vendor/altcha" not in str(html)
    assert post_comment(commented_page).status_code == 303


def test_django_setting_chooses_altcha_for_a_site_that_saved_nothing(
    client, commented_page, settings
):
    DiscussionSettings.objects.all().delete()
    settings.COMMENTS_CAPTCHA = "altcha"
    assert page_of(client.get(commented_page.url)).find("altcha-widget")
    settings.COMMENTS_CAPTCHA = None
    settings.COMMENTS_RECAPTCHA_ENABLED = False
    assert not page_of(Client().get(commented_page.url)).find("altcha-widget")


def test_housekeeping_forgets_expired_challenges():
    now = timezone.now()
    SpentChallenge.objects.create(signature="old", expires=now - timezone.timedelta(minutes=1))
    SpentChallenge.objects.create(signature="live", expires=now + timezone.timedelta(minutes=5))
    out = io.StringIO()
    call_command("comments_housekeeping", stdout=out)
    assert "Forgot 1 expired ALTCHA challenges." in out.getvalue()
    assert list(SpentChallenge.objects.values_list("signature", flat=True)) == ["live"]


def test_error_summary_links_once_to_the_widget(commented_page, post_comment):
    summary = page_of(post_comment(commented_page)).find(id="comment-error-summary")
    items = [item.get_text(" ", strip=True) for item in summary.find_all("li")]
    about_altcha = [item for item in items if "It needs JavaScript" in item]
    assert len(about_altcha) == 1 and about_altcha[0].startswith("Spam protection:")
    assert "It needs JavaScript" in summary.find("a", href="#id_captcha").get_text()


def test_altcha_form_runs_no_inline_script(client, commented_page):
    """The site's CSP allows scripts from its own origin only, none inline."""
    for script in page_of(client.get(commented_page.url)).find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", script


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_recaptcha_runs_no_inline_script(
    discussion,  # noqa: F811
    client,
    commented_page,
    settings,
    version,
):
    """django-recaptcha's widgets run inline scripts the CSP blocks (v3's posts the token):
    ours load reCAPTCHA's script and, for v3, comments/recaptcha-v3.js, nothing inline."""
    settings.RECAPTCHA_PUBLIC_KEY = "site-key-for-tests"
    settings.RECAPTCHA_PRIVATE_KEY = "secret-key-for-tests"
    settings.COMMENTS_RECAPTCHA_VERSION = version
    discussion(captcha="recaptcha")
    html = page_of(client.get(commented_page.url))
    scripts = html.find_all("script")
    assert all(
        script.get("src") or script.get("type") == "application/ld+json" for script in scripts
    )
    sources = [script["src"] for script in scripts if script.get("src")]
    assert any(src.startswith("https://www.google.com/recaptcha/api.js") for src in sources)
    if version == "v3":
        assert "/static/comments/recaptcha-v3.js" in sources
        token_input = html.find("input", class_="g-recaptcha")
        assert token_input["data-sitekey"] == "site-key-for-tests"
        assert token_input["data-action"] == "comment"
    else:
        checkbox = html.find("div", class_="g-recaptcha")
        assert checkbox["data-sitekey"] == "site-key-for-tests"
        assert not checkbox.has_attr("data-callback")  # no function of that name any more


def test_misspelt_captcha_setting_is_a_system_check_error(settings):
    assert check_captcha_choice(None) == []
    settings.COMMENTS_CAPTCHA = "altcah"
    errors = check_captcha_choice(None)
    assert [error.id for error in errors] == ["comments.E007"]
    assert "'altcha'" in errors[0].msg


def test_discussion_screen_offers_the_three_choices(admin_client):
    site = Site.objects.get(is_default_site=True)
    response = admin_client.get(f"/admin/settings/comments/discussionsettings/{site.pk}/")
    radios = page_of(response).find_all("input", attrs={"name": "captcha", "type": "radio"})
    assert [radio["value"] for radio in radios] == ["none", "recaptcha", "altcha"]
    assert [radio for radio in radios if radio.has_attr("checked")][0]["value"] == "altcha"


def test_widget_speaks_the_page_language():
    with translation.override("de"):
        html = AltchaField().widget.render("captcha", None, {"id": "id_captcha"})
    assert "/static/comments/vendor/altcha/i18n/de.js" in html
    assert "schalten Sie bitte JavaScript ein" in html  # the <noscript> note, translated
    with translation.override("en"):
        assert "i18n/" not in AltchaField().widget.render("captcha", None, {"id": "id_captcha"})
