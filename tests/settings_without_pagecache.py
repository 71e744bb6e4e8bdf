"""The test settings without the page cache: the comments app on Wagtail's own ``serve``
view, as a site that installs only ``comments`` runs it."""

from config.settings.test import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "pagecache"]  # noqa: F405
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("pagecache.")]  # noqa: F405
ROOT_URLCONF = "tests.support.urls_without_pagecache"
