"""Creates a local superuser when none exists, so a fresh checkout can log into /admin/."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser if there is none. Username and password come from ADMIN_USERNAME "
        "and ADMIN_PASSWORD, or a random password is printed once."
    )

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account already exists; log in at /admin/.")
            return
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username, email=os.environ.get("ADMIN_EMAIL", ""), password=password
        )
        shown = password if "ADMIN_PASSWORD" not in os.environ else "(from ADMIN_PASSWORD)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Created admin account. Log in at http://127.0.0.1:8000/admin/ with "
                f"username {username!r} and password {shown}. This is shown only once."
            )
        )
