"""Wagtail's page URLs with its ``serve`` view replaced by one that remembers routing.

Include in place of ``wagtail.urls``, last in the site's URLconf::

    path("", include("pagecache.urls")),
"""

from django.urls import re_path
from wagtail import urls as wagtail_urls

from . import routing

urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]
