"""Headers on every public response, and the same hardening the admin needs."""

import pytest

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/blog/",
    "/blog/physical-therapist-for-back-pain/",
    "/search/?q=back",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_responses_carry_security_headers(seeded, client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_cached_pages_keep_their_headers(seeded, client):
    url = "/blog/physical-therapist-for-back-pain/"
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "Content-Security-Policy" in cached and cached["X-Frame-Options"] == "DENY"


def test_admin_is_not_frameable(admin_client):
    response = admin_client.get("/admin/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_pages_run_no_inline_script(seeded, client):
    from bs4 import BeautifulSoup

    for url in PUBLIC_URLS:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", (url, script)
        for tag in soup.find_all(True):
            assert not any(name.startswith("on") for name in tag.attrs), (url, tag)


def test_posting_never_redirects_off_site(back_pain_article, post_comment):
    response = post_comment(
        back_pain_article, next="https://evil.example/", redirect_to="//evil.example"
    )
    assert response.status_code == 303
    assert response["Location"].startswith(back_pain_article.url)


def test_moderation_next_parameter_stays_on_site(back_pain_article, admin_client):
    from django.urls import reverse

    from comments.models import CommentStatus
    from tests.factories import make_comment

    comment = make_comment(back_pain_article, status=CommentStatus.PENDING)
    url = reverse("reader_comments:moderate", args=[comment.pk, "approve"])
    response = admin_client.post(url, {"next": "https://evil.example/steal"})
    assert response.status_code == 302
    assert not response["Location"].startswith(("http://evil", "https://evil", "//"))
