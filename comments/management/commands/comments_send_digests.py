"""Send the daily digests of "Notify me of new comments" (``follows.send_digests``).

Run it from cron once a day (or more often: a follower gets one digest every
``COMMENTS_FOLLOW_DIGEST_HOURS`` at most, and a second run sends nothing twice).
"""

from django.core.management.base import BaseCommand

from comments.background import enqueue_when_committed
from comments.follows import send_digests


class Command(BaseCommand):
    help = "E-mail each daily follower of an article what was published since their last digest."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the task worker instead of sending here.",
        )

    def handle(self, *args, enqueue: bool = False, **options) -> None:
        if enqueue:
            enqueue_when_committed(send_digests)
            self.stdout.write("Queued the daily digests.")
            return
        sent = send_digests.call()
        self.stdout.write(f"Sent {sent} digest e-mail(s).")
