"""Re-sanitises every stored comment from its raw body, after the HTML policy has changed."""

from django.core.management.base import BaseCommand

from comments.models import Comment
from comments.sanitize import sanitize_comment

BATCH_SIZE = 500


class Command(BaseCommand):
    help = "Rebuild body_html of every comment from its raw body with the current policy."

    def handle(self, *args, **options) -> None:
        changed: list[Comment] = []
        total = updated = 0
        comments = Comment.objects.only("pk", "body", "body_html").order_by("pk")
        for comment in comments.iterator(chunk_size=BATCH_SIZE):
            total += 1
            html = sanitize_comment(comment.body)
            if html != comment.body_html:
                comment.body_html = html
                changed.append(comment)
            if len(changed) >= BATCH_SIZE:
                updated += self.save(changed)
        updated += self.save(changed)
        self.stdout.write(f"Checked {total} comments; updated {updated}.")

    def save(self, comments: list[Comment]) -> int:
        count = len(comments)
        if comments:
            Comment.objects.bulk_update(comments, ["body_html"])
            comments.clear()
        return count
