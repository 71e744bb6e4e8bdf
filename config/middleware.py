"""Security headers Django 5.2 does not set itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Public pages run no inline script: everything is in static files, and JSON-LD is data.
# reCAPTCHA's own script and frame are the only third-party sources, used when it is on.
PUBLIC_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/",
        "frame-src https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy to public pages (the Wagtail admin needs inline scripts
    of its own, so it keeps X-Frame-Options and the other headers only)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.admin_prefixes = tuple(getattr(settings, "CSP_EXEMPT_PATH_PREFIXES", ("/admin/",)))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.admin_prefixes):
            response.headers.setdefault("Content-Security-Policy", PUBLIC_CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
