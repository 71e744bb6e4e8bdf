"""A commenter's email address is published by no page of the site: articles, listings, the
feed, the sitemap, search."""

import pytest

from tests.comments.test_privacy import leaks, pages_showing_pats_comments

pytestmark = pytest.mark.django_db


def test_a_commenters_email_appears_in_no_page_of_the_site(
    back_pain_article, post_comment, client, settings
):
    settings.COMMENTS_FLOOD_SECONDS = 0
    article_urls = pages_showing_pats_comments(back_pain_article, post_comment)
    site_urls = ["/", "/blog/", "/blog/feed/", "/blog/topic/back-pain/", "/sitemap.xml"]
    for url in [*article_urls, *site_urls, "/search/?q=Pat"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert leaks(page.content) == [], url
        assert b"Pat" in page.content or url not in article_urls
