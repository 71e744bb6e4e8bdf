"""Shared by the import and export tests: the fixture files and a command runner."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WXR_FILE = FIXTURES / "wordpress-export.xml"
DISQUS_FILE = FIXTURES / "disqus-export.xml"
WXR_SOURCE = "wordpress:https://old.example.org"


def run(command: str, *args) -> str:
    out = io.StringIO()
    call_command(command, *[str(arg) for arg in args], stdout=out, stderr=out)
    return out.getvalue()


def wxr(items: str) -> str:
    """A minimal WXR 1.2 file around ``items``."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test</title><link>https://test.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://test.example</wp:base_blog_url>
{items}
</channel></rss>"""


def wxr_comment(comment_id: int, **fields) -> str:
    values = {
        "author": "Reader",
        "author_email": "reader@example.com",
        "author_url": "",
        "author_IP": "192.0.2.1",
        "date_gmt": "2024-01-02 03:04:05",
        "content": f"Comment {comment_id}",
        "approved": "1",
        "type": "comment",
        "parent": "0",
    } | fields
    inner = "".join(
        f"<wp:comment_{name}><![CDATA[{value}]]></wp:comment_{name}>"
        for name, value in values.items()
    )
    return f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>{inner}</wp:comment>"


def wxr_item(slug: str, comments: str, post_id: int = 7) -> str:
    return (
        f"<item><title>Post</title><link>https://test.example/{slug}/</link>"
        f"<wp:post_id>{post_id}</wp:post_id><wp:post_name>{slug}</wp:post_name>"
        f"<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>{comments}</item>"
    )
