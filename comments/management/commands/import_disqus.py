"""Imports the comments of a Disqus XML export onto the pages their threads were on."""

from comments.transfer.command import ImportCommand
from comments.transfer.disqus import read_disqus


class Command(ImportCommand):
    help = (
        "Import the comments of a Disqus XML export, each thread matched to a page by its URL "
        "path or slug, or by --mapping. Re-runnable: comments already imported are skipped."
    )
    file_help = "The Disqus export (XML)."

    def read_file(self, path: str):
        return read_disqus(path)
