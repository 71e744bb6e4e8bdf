"""CORS for the JSON API: a browser page on another origin may read its answers, and post a
comment, only if that origin is listed in ``COMMENTS_API_CORS_ORIGINS`` (none by default:
no CORS headers at all). Never with credentials: the API is for front ends that send no
cookies, so no ``Access-Control-Allow-Credentials`` is ever sent."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from .conf import app_setting

ALLOWED_HEADERS = "Content-Type, If-None-Match"
EXPOSED_HEADERS = "ETag, Retry-After"  # not safelisted: a script could not read them
PREFLIGHT_MAX_AGE = 10 * 60  # seconds a browser may keep a preflight's answer


def is_origin(value: object) -> bool:
    """``https://www.example.com`` (a port may follow): what a browser sends as Origin. A
    path, a user name or a wildcard never matches one."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.rstrip("/"))
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and "@" not in parts.netloc
        and "*" not in parts.netloc
        and not (parts.path or parts.query or parts.fragment)
    )


def allowed_origins() -> set[str]:
    origins = app_setting("API_CORS_ORIGINS")
    if isinstance(origins, str):  # one origin not in a list (the system check says so)
        origins = [origins]
    return {origin.rstrip("/").lower() for origin in origins if is_origin(origin)}


def allowed_origin(request: HttpRequest) -> str | None:
    """The request's Origin if it is listed, compared as browsers send it (scheme, host,
    port; case-insensitive)."""
    origin = request.headers.get("Origin", "")
    return origin if origin and origin.lower() in allowed_origins() else None


def add_cors_headers(request: HttpRequest, response: HttpResponse, methods: tuple[str, ...]):
    """Once any origin is listed the answer depends on the Origin header (``Vary``), so a
    shared cache never gives one origin's answer to another."""
    if not app_setting("API_CORS_ORIGINS"):
        return response
    patch_vary_headers(response, ["Origin"])
    origin = allowed_origin(request)
    if origin is None:
        return response
    response["Access-Control-Allow-Origin"] = origin
    if request.method == "OPTIONS":
        response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
        response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    else:
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def cors(*methods: str) -> Callable:
    """A view's CORS headers, and its answer to a preflight (OPTIONS, 204): ``methods`` are
    those the view takes. Without a listed Origin the preflight is answered without CORS
    headers, and the browser sends nothing."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
            else:
                response = view(request, *args, **kwargs)
            return add_cors_headers(request, response, methods)

        return wrapped

    return decorator
