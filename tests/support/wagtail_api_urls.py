"""A site that serves Wagtail's API v2 and registers the comments with its router."""

from django.urls import include, path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from comments.api import CommentsAPIEndpoint

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("comments", CommentsAPIEndpoint)

urlpatterns = [path("api/v2/", api_router.urls), path("", include("wagtail.urls"))]
