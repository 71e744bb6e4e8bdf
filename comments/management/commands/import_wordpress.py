"""Imports the comments of a WordPress export (WXR) onto the pages their posts became."""

from comments.transfer.command import ImportCommand
from comments.transfer.pages import (
    CREATABLE_STATUSES,
    create_page,
    page_model,
    parent_page,
    parse_page_fields,
)
from comments.transfer.records import ImportFileError
from comments.transfer.wxr import read_wxr


class Command(ImportCommand):
    help = (
        "Import the comments of a WordPress export (Tools > Export, WXR), each post matched to "
        "a page by its slug or URL path, or by --mapping; optionally create the missing "
        "pages. Re-runnable: comments already imported are skipped."
    )
    file_help = "The WordPress export (WXR, .xml)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--include-pingbacks",
            action="store_true",
            help="Import pingbacks and trackbacks as comments (skipped by default).",
        )
        parser.add_argument(
            "--create-pages-under",
            type=int,
            metavar="PAGE_ID",
            help="Create a page under this one for each post (type 'post') matching none.",
        )
        parser.add_argument(
            "--page-model",
            metavar="APP_LABEL.MODEL",
            help="The page type to create (with --create-pages-under), e.g. blog.ArticlePage.",
        )
        parser.add_argument(
            "--page-field",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A value for a required field of the created pages (repeatable).",
        )

    def read_file(self, path: str):
        return read_wxr(path)

    def importer_options(self, options: dict) -> dict:
        found = {"include_pingbacks": options["include_pingbacks"]}
        parent_id, label = options["create_pages_under"], options["page_model"]
        if parent_id is None and label is None:
            return found
        if parent_id is None or label is None:
            raise ImportFileError("--create-pages-under and --page-model go together.")
        parent, model = parent_page(parent_id), page_model(label)
        fields = parse_page_fields(options["page_field"])
        found["create_page"] = lambda post: create_page(post, parent, model, fields)
        found["can_create"] = lambda post: (
            post.post_type == "post" and post.status in CREATABLE_STATUSES
        )
        return found
