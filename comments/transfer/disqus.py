"""Disqus's XML export (Admin > Moderation > Export): ``<thread>`` elements, then ``<post>``
elements that name their thread and parent by Disqus id (``dsq:id``). It carries no pending
state: a post is published, spam (``isSpam``) or deleted (``isDeleted``, imported to the bin)."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from ..models import CommentStatus
from .records import ImportFileError, SourceComment, SourceFile, SourcePost
from .xmlfile import read_xml, text_of, utc_datetime

NS = {"d": "http://disqus.com", "dsq": "http://disqus.com/disqus-internals"}
DSQ_ID = "{http://disqus.com/disqus-internals}id"
DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f")


def read_disqus(path) -> SourceFile:
    root = read_xml(path)
    if root.tag != "{http://disqus.com}disqus":
        raise ImportFileError(f"{path} is not a Disqus export: its root is not <disqus>.")
    posts: dict[str, SourcePost] = {}
    forum = ""
    for element in root.iterfind("d:thread", NS):
        thread = _thread(element)
        posts[thread.source_id] = thread
        forum = forum or text_of(element, "d:forum", NS)
    # The documented format also names a thread by its own <id> as the post's text.
    by_identifier = {
        text_of(element, "d:id", NS): element.get(DSQ_ID, "")
        for element in root.iterfind("d:thread", NS)
        if text_of(element, "d:id", NS)
    }
    orphans = SourcePost(source_id="", slug="", link="", title="")
    for element in root.iterfind("d:post", NS):
        thread_element = element.find("d:thread", NS)
        thread_id = ""
        if thread_element is not None:
            thread_id = thread_element.get(DSQ_ID) or by_identifier.get(text_of(thread_element), "")
        posts.get(thread_id, orphans).comments.append(_comment(element))
    threads = list(posts.values()) + ([orphans] if orphans.comments else [])
    source = f"disqus:{forum}" if forum else "disqus"
    return SourceFile(source=source[:200], label="Disqus export", posts=threads)


def _thread(element: Element) -> SourcePost:
    link = text_of(element, "d:link", NS)
    return SourcePost(
        source_id=element.get(DSQ_ID, ""),
        slug=link.rstrip("/").rpartition("/")[2] if link else "",
        link=link,
        title=text_of(element, "d:title", NS),
        published=utc_datetime(text_of(element, "d:createdAt", NS), DATE_FORMATS),
    )


def _comment(element: Element) -> SourceComment:
    parent = element.find("d:parent", NS)
    parent_id = None
    if parent is not None:
        parent_id = parent.get(DSQ_ID) or text_of(parent) or None
    author = element.find("d:author", NS)
    if text_of(element, "d:isSpam", NS) == "true":
        status = CommentStatus.SPAM
    elif text_of(element, "d:isDeleted", NS) == "true":
        status = CommentStatus.TRASH
    else:
        status = CommentStatus.APPROVED
    return SourceComment(
        source_id=element.get(DSQ_ID) or text_of(element, "d:id", NS),
        parent_id=parent_id,
        name=text_of(author, "d:name", NS) or text_of(author, "d:username", NS),
        email=text_of(author, "d:email", NS),
        website="",  # a Disqus export has no commenter websites
        ip_address=text_of(element, "d:ipAddress", NS),
        user_agent="",
        body=element.findtext("d:message", "", NS),
        status=status,
        created=utc_datetime(text_of(element, "d:createdAt", NS), DATE_FORMATS),
    )
