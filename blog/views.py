"""Site search, robots.txt and /favicon.ico; pages themselves are served by Wagtail."""

import re

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from wagtail.models import Page

SEARCH_RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200
# Quotes and operators reach the database's full-text syntax (SQLite FTS fails on a lone ").
SEARCH_NOISE = re.compile(r"[^\w\s-]+")


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = " ".join(SEARCH_NOISE.sub(" ", query).split())
    results = None
    if terms:
        matches = Page.objects.live().public().specific().search(terms)
        results = Paginator(matches, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"query": query, "results": results})


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap_url}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request: HttpRequest) -> HttpResponse:
    """Pages link their icon (base.html); feed readers and old browsers ask /favicon.ico."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
