"""Renews every cached page at once, e.g. after the cache lost an invalidation."""

from django.core.management.base import BaseCommand, CommandError

from pagecache.versions import invalidate_site


class Command(BaseCommand):
    help = "Makes every cached page stale: each is rendered again at its next request."

    def handle(self, *args, **options) -> None:
        if not invalidate_site():
            raise CommandError("The cache did not take the new version; is it reachable?")
        self.stdout.write("Every cached page will be rendered again.")
