"""Writes every comment, per page, as WordPress's export format (WXR) or JSON."""

from django.core.management.base import BaseCommand, CommandError

from comments.transfer.export import write_json, write_wxr


class Command(BaseCommand):
    help = (
        "Write every comment as WXR (which WordPress's importer reads) or JSON, with what a "
        "WordPress export carries: author, e-mail, website, IP address, date, text, status, "
        "thread."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["wxr", "json"], default="wxr")
        parser.add_argument("--output", help="The file to write (default: standard output).")

    def handle(self, *args, format: str, output: str | None, **options) -> None:
        write = write_wxr if format == "wxr" else write_json
        if output is None:
            write(self.stdout._out)
            return
        try:
            with open(output, "w", encoding="utf-8") as out:
                count = write(out)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written ({error.strerror}).") from None
        self.stderr.write(f"Wrote {count} comments to {output}.")
