"""The test site's URLs: the admin, the comments app, Wagtail's pages."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("comments/", include("comments.urls")),
    path("api/comments/", include("comments.api")),
    path("", include(wagtail_urls)),
]
