"""Prints, as JSON, everything stored about one commenter's comments and the moderators'
note on them (a data access request)."""

import json

from django.core.management.base import BaseCommand, CommandError

from comments.privacy import export_commenter


class Command(BaseCommand):
    help = "Print as JSON every comment stored with EMAIL (matched whatever its case)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The commenter's email address.")

    def handle(self, *args, email: str, **options) -> None:
        if not email.strip():
            raise CommandError("Give the commenter's email address.")
        self.stdout.write(json.dumps(export_commenter(email), indent=2))
