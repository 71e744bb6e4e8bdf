"""What an import reads from a file, whatever wrote it: posts (or threads) and their comments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The file cannot be read as the export it should be; the message says why."""


@dataclass
class SourceComment:
    source_id: str
    parent_id: str | None  # the source id of the comment it replies to
    name: str
    email: str
    website: str
    ip_address: str
    user_agent: str
    body: str  # as the source stored it: WordPress's raw text, Disqus's HTML
    status: str  # a CommentStatus value
    created: datetime.datetime | None  # aware; None when the file had no usable date
    kind: str = "comment"  # "comment", "pingback", "trackback" or the source's own type


@dataclass
class SourcePost:
    source_id: str  # WordPress's post id, Disqus's thread id
    slug: str
    link: str
    title: str
    post_type: str = "post"
    status: str = "publish"
    published: datetime.datetime | None = None
    content: str = ""  # the article's HTML (WordPress only)
    excerpt: str = ""
    comments: list[SourceComment] = field(default_factory=list)


@dataclass
class SourceFile:
    source: str  # kept with each comment as ``import_source``: one key per site exported
    label: str  # what the file is, for the summary
    posts: list[SourcePost]

    @property
    def comment_count(self) -> int:
        return sum(len(post.comments) for post in self.posts)
