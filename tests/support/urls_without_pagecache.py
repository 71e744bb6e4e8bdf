"""The site's URLs with Wagtail's own page serving instead of the page cache's."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *(pattern for pattern in site_urlpatterns if "pagecache" not in str(pattern)),
    path("", include(wagtail_urls)),
]
