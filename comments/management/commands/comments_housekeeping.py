"""Run daily from cron: empties old Spam and Bin, forgets old IP addresses and user agents,
prunes the webhook delivery log and forgets the used ALTCHA challenges that have expired."""

from django.core.management.base import BaseCommand

from comments.conf import app_setting
from comments.privacy import (
    forget_network_details,
    forget_unconfirmed_follows,
    purge_spam_and_bin,
)
from comments.proof_of_work import forget_spent_challenges
from comments.webhook_delivery import prune_deliveries


class Command(BaseCommand):
    help = (
        "Delete Spam and Bin comments unchanged for COMMENTS_PURGE_AFTER_DAYS (30) days and "
        "clear the IP address and user agent of comments older than "
        "COMMENTS_IP_RETENTION_DAYS (90) days; delete webhook delivery log rows older than "
        "COMMENTS_WEBHOOK_LOG_DAYS (30) days; forget expired ALTCHA challenges; delete article "
        "follows nobody confirmed in time."
    )

    def handle(self, *args, **options) -> None:
        deleted = purge_spam_and_bin()
        cleared = forget_network_details()
        pruned = prune_deliveries()
        forgotten = forget_spent_challenges()
        unconfirmed = forget_unconfirmed_follows()
        self.stdout.write(
            f"Deleted {deleted} spam and bin comments older than "
            f"{app_setting('PURGE_AFTER_DAYS')} days."
        )
        self.stdout.write(
            f"Cleared the IP address and user agent of {cleared} comments older than "
            f"{app_setting('IP_RETENTION_DAYS')} days."
        )
        self.stdout.write(
            f"Deleted {pruned} webhook deliveries older than "
            f"{app_setting('WEBHOOK_LOG_DAYS')} days."
        )
        if unconfirmed:
            self.stdout.write(f"Deleted {unconfirmed} follows nobody confirmed in time.")
        if forgotten:  # a site that never chose ALTCHA hears nothing of it
            self.stdout.write(f"Forgot {forgotten} expired ALTCHA challenges.")
