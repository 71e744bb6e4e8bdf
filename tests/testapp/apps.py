from django.apps import AppConfig


class TestappConfig(AppConfig):
    """A small site of its own for the comments app's tests (no blog, no page cache)."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
