from django.apps import AppConfig, apps


class PageCacheConfig(AppConfig):
    name = "pagecache"
    label = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, signal_handlers  # noqa: F401 - checks register themselves

        signal_handlers.connect()
        # An optional tie, as wagtail.contrib.frontend_cache's: only with the comments app.
        if apps.is_installed("comments"):
            from comments import signals

            signal_handlers.connect_comments(signals)
