"""The page mixin: a page type whose anonymous views are cached."""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from .fullpage import is_cacheable_request, mark_shareable
from .shells import serve_with_shell


def can_use_shell(request: HttpRequest) -> bool:
    return (
        is_cacheable_request(request)
        and not request.user.is_authenticated
        and request.headers.get("x-requested-with") != "XMLHttpRequest"
        and not getattr(request, "is_preview", False)
    )


class PageCacheMixin:
    """Mix into a Page type, before ``Page`` (and before any mixin whose ``serve`` it should
    wrap): anonymous GETs are served from the page's shell and may be stored whole.

    Views of a routable page's sub-routes, and any call of ``serve()`` with arguments (a
    comment form sent back with its errors...), are rendered as usual."""

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not apps.is_installed("pagecache"):
            return super().serve(request, *args, **kwargs)
        if args or kwargs or not can_use_shell(request):
            response = super().serve(request, *args, **kwargs)
            if request.user.is_authenticated or not is_cacheable_request(request):
                # A logged-in user's page (their details, a CSRF token): never shared.
                patch_cache_control(response, private=True, no_cache=True)
            return response
        response = serve_with_shell(
            self, request, lambda: super(PageCacheMixin, self).serve(request)
        )
        mark_shareable(request, response, self.pk)
        return response
