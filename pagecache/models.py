"""The versions of cached content, for sites whose cache is not shared by every process."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheVersion(models.Model):
    """One version string per key (the site, a page, a path). Kept here when the cache is
    each process's own memory: every gunicorn worker, management command and task worker
    reads the same rows, so a change made by any of them is seen by all at once."""

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    value = models.CharField(_("version"), max_length=32)

    class Meta:
        verbose_name = _("page cache version")
        verbose_name_plural = _("page cache versions")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"
