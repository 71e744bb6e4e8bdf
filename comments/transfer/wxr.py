"""WordPress eXtended RSS (WXR 1.0 to 1.2), as WordPress's Tools > Export writes it and its
WordPress Importer plugin reads it: an RSS 2.0 ``<item>`` a post, ``<wp:comment>`` elements
in it, one per comment (replies point to their parent with ``wp:comment_parent``)."""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from django.utils import timezone

from ..models import CommentStatus
from .records import ImportFileError, SourceComment, SourceFile, SourcePost
from .xmlfile import read_xml, text_of, utc_datetime

WXR_NAMESPACE = re.compile(r"^\{(http://wordpress\.org/export/(1\.[0-2])/)\}")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S",)

# wp:comment_approved, as WordPress stores it; "post-trashed" marks comments of a binned post.
STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.TRASH,
    "post-trashed": CommentStatus.TRASH,
}
# Akismet keeps what it was sent as PHP-serialised comment meta; its user agent is the only
# one a WordPress export carries (WordPress exports no comment_agent of its own).
AKISMET_AGENT = re.compile(r's:10:"user_agent";s:(\d+):"')


def read_wxr(path) -> SourceFile:
    root = read_xml(path)
    channel = root.find("channel")
    namespace = _wxr_namespace(root) if root.tag == "rss" and channel is not None else None
    if namespace is None:
        raise ImportFileError(
            f"{path} is not a WordPress export (WXR): no <rss><channel> with WordPress's "
            "wp: elements."
        )
    wp, version = namespace
    ns = {"wp": wp}
    base_url = text_of(channel, "wp:base_blog_url", ns) or text_of(channel, "link")
    posts = [_post(item, ns, wp) for item in channel.iterfind("item")]
    source = f"wordpress:{base_url.rstrip('/')}" if base_url else "wordpress"
    return SourceFile(source=source[:200], label=f"WordPress WXR {version}", posts=posts)


def _wxr_namespace(root: Element) -> tuple[str, str] | None:
    for element in root.iter():
        match = WXR_NAMESPACE.match(element.tag)
        if match:
            return match.group(1), match.group(2)
    return None


def _post(item: Element, ns: dict, wp: str) -> SourcePost:
    published = utc_datetime(text_of(item, "wp:post_date_gmt", ns), DATE_FORMATS)
    if published is None:
        published = _local_datetime(text_of(item, "wp:post_date", ns))
    post = SourcePost(
        source_id=text_of(item, "wp:post_id", ns),
        slug=unquote(text_of(item, "wp:post_name", ns)),
        link=text_of(item, "link"),
        title=text_of(item, "title"),
        post_type=text_of(item, "wp:post_type", ns) or "post",
        status=text_of(item, "wp:status", ns) or "publish",
        published=published,
        content=text_of(item, f"{CONTENT}encoded"),
        excerpt=text_of(item, f"{{{wp}excerpt/}}encoded"),
    )
    post.comments = [_comment(element, ns) for element in item.iterfind("wp:comment", ns)]
    return post


def _comment(element: Element, ns: dict) -> SourceComment:
    def field(name: str) -> str:
        return text_of(element, f"wp:comment_{name}", ns)

    created = utc_datetime(field("date_gmt"), DATE_FORMATS) or _local_datetime(field("date"))
    parent = field("parent")
    approved = field("approved")
    return SourceComment(
        source_id=field("id"),
        parent_id=parent if parent not in ("", "0") else None,
        name=html.unescape(field("author")),  # WordPress keeps entities, shows them decoded
        email=field("author_email"),
        website=field("author_url"),
        ip_address=field("author_IP"),
        user_agent=field("agent") or _akismet_user_agent(element, ns),
        # Not stripped: WordPress keeps the commenter's line breaks, which make paragraphs.
        body=element.findtext("wp:comment_content", "", ns),
        # An unknown status is held: an import never publishes what the source did not.
        status=STATUSES.get(approved, CommentStatus.PENDING),
        created=created,
        kind=field("type") or "comment",
    )


def _local_datetime(value: str) -> datetime.datetime | None:
    """``wp:*_date`` is the site's local time, whose zone the export does not say: read in
    this site's TIME_ZONE, used only when the GMT date is missing."""
    moment = utc_datetime(value, DATE_FORMATS)
    if moment is None:
        return None
    return timezone.make_aware(moment.replace(tzinfo=None)).astimezone(datetime.UTC)


def _akismet_user_agent(element: Element, ns: dict) -> str:
    for meta in element.iterfind("wp:commentmeta", ns):
        if text_of(meta, "wp:meta_key", ns) != "akismet_as_submitted":
            continue
        value = text_of(meta, "wp:meta_value", ns)
        match = AKISMET_AGENT.search(value)
        if match:
            # PHP counts bytes, not characters.
            start = len(value[: match.end()].encode())
            return value.encode()[start : start + int(match.group(1))].decode(errors="replace")
    return ""
