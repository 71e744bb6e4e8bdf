"""System checks for a page cache that could serve stale pages."""

from django.core import checks

from .conf import app_setting
from .versions import is_per_process, uses_database, value_cache


@checks.register(checks.Tags.caches)
def check_versions_are_shared(app_configs, **kwargs):
    """Versions in one process's memory would leave a change made by any other process
    (a worker, a management command) unseen: refused."""
    store = app_setting("VERSION_STORE")
    if store not in ("auto", "cache", "database"):
        return [
            checks.Error(
                f"PAGECACHE_VERSION_STORE is {store!r}.",
                hint="Use 'auto', 'cache' or 'database'.",
                id="pagecache.E001",
            )
        ]
    if not uses_database() and is_per_process(value_cache()):
        return [
            checks.Error(
                f"PAGECACHE_VERSION_STORE is 'cache' but the cache {app_setting('CACHE')!r} "
                "is each process's own memory: a change made by another process would stay "
                "unseen.",
                hint="Use 'auto' (versions then live in the database) or a shared cache "
                "(REDIS_URL).",
                id="pagecache.E002",
            )
        ]
    return []
