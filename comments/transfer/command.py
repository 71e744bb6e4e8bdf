"""What ``import_wordpress`` and ``import_disqus`` share: options, the transaction a dry run
rolls back, the progress bar and the summary."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ..models import CommentStatus
from .importer import CommentImporter, ImportSummary
from .matching import PageMatcher, read_mapping
from .records import ImportFileError, SourceFile

BAR_WIDTH = 30
STATUS_WORDS = {
    CommentStatus.APPROVED: "approved",
    CommentStatus.PENDING: "pending",
    CommentStatus.SPAM: "spam",
    CommentStatus.TRASH: "in the bin",
}
LISTED = 20  # unmatched posts and problems listed one a line, then a count of the rest


class _DryRun(Exception):
    """Raised inside the transaction to roll it back."""


class ImportCommand(BaseCommand):
    file_help = "The export file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=self.file_help)
        parser.add_argument(
            "--mapping",
            help="CSV or JSON file: the source post (id, slug or URL) -> the page (id or URL "
            "path), for posts whose slug or URL is not the page's.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything but write; print the summary."
        )

    def read_file(self, path: str) -> SourceFile:
        raise NotImplementedError

    def importer_options(self, options: dict) -> dict:
        return {}

    def handle(self, *args, file: str, mapping: str | None, dry_run: bool, **options) -> None:
        try:
            source_file = self.read_file(file)
            matcher = PageMatcher()
            if mapping:
                matcher.mapping = read_mapping(mapping, matcher)
            summary = self.run_import(source_file, matcher, dry_run, options)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        self.print_summary(summary, file, dry_run)

    def run_import(
        self, source_file: SourceFile, matcher: PageMatcher, dry_run: bool, options: dict
    ) -> ImportSummary:
        importer = CommentImporter(
            source_file,
            matcher,
            progress=self.progress,
            announce=not dry_run,
            **self.importer_options(options),
        )
        try:
            with transaction.atomic():
                importer.run()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return importer.summary

    def progress(self, done: int, total: int) -> None:
        if not total:
            return
        if self.stdout.isatty():
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\rWriting comments [{bar}] {done}/{total}", ending="")
            if done == total:
                self.stdout.write("")
        elif done == total:
            self.stdout.write(f"Wrote {total} comments.")

    def print_summary(self, summary: ImportSummary, path: str, dry_run: bool) -> None:
        write = self.stdout.write
        write(
            f"Read {counted(summary.posts, 'post')} and "
            f"{counted(summary.comments_read, 'comment')} from {path} "
            f"({summary.label})."
        )
        imported = sum(summary.imported.values())
        by_status = ", ".join(
            f"{summary.imported[status]} {word}"
            for status, word in STATUS_WORDS.items()
            if summary.imported[status]
        )
        write(
            f"Imported {counted(imported, 'comment')}" + (f": {by_status}." if by_status else ".")
        )
        for page in summary.created_pages:
            write(f"Created page {page.pk} {page.title!r} ({page.slug}).")
        write(f"Skipped {summary.duplicates} already imported.")
        if summary.pingbacks:
            write(
                f"Skipped {counted(summary.pingbacks, 'pingback')} and trackbacks "
                "(--include-pingbacks imports them)."
            )
        for kind, count in sorted(summary.other_kinds.items()):
            write(f"Skipped {counted(count, 'comment')} of type {kind!r}.")
        if summary.unmatched:
            skipped = sum(count for _, count in summary.unmatched)
            write(
                f"Skipped {counted(skipped, 'comment')} of "
                f"{counted(len(summary.unmatched), 'post')} matching no page (map them with "
                "--mapping):"
            )
            for post, count in summary.unmatched[:LISTED]:
                name = post.slug or post.link or post.title or "(no thread)"
                write(f"  post {post.source_id or '?'} {name!r}: {counted(count, 'comment')}")
            self._rest(summary.unmatched)
        self._problems("Not imported", summary.errors)
        self._problems("Imported with a change", summary.notes)
        if dry_run:
            write("Dry run: nothing was written.")

    def _problems(self, heading: str, problems: list) -> None:
        if problems:
            self.stdout.write(f"{heading} ({len(problems)}):")
            for source_id, problem in problems[:LISTED]:
                self.stdout.write(f"  comment {source_id}: {problem}")
            self._rest(problems)

    def _rest(self, items: list) -> None:
        if len(items) > LISTED:
            self.stdout.write(f"  ... and {len(items) - LISTED} more")


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
