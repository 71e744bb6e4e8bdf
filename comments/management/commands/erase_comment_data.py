"""Erases one commenter's personal data: anonymises their comments, or deletes them."""

from django.core.management.base import BaseCommand, CommandError

from comments.privacy import erase_comments


class Command(BaseCommand):
    help = (
        "Anonymise every comment stored with EMAIL (name, email, website, IP and user agent "
        "removed; the words and the thread stay), or delete them with --delete."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The commenter's email address.")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete the comments; replies to them move up to the top level.",
        )

    def handle(self, *args, email: str, delete: bool, **options) -> None:
        if not email.strip():
            raise CommandError("Give the commenter's email address.")
        count = erase_comments(email, delete=delete)
        done = "Deleted" if delete else "Anonymised"
        self.stdout.write(f"{done} {count} comments.")
