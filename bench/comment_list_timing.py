"""How long the comment list takes to render: the Python fast path against the same markup
from the stock template (``comments/includes/comment_list.html``), uncached.

    .venv/bin/python bench/comment_list_timing.py [N]

Runs on the comments app's test site (tests/testapp, SQLite in memory); N approved comments
(default 500), every fourth one starting a thread of four, all on one comment page.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.testapp.settings"
django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from wagtail.models import Site  # noqa: E402

from comments import messages  # noqa: E402
from comments.conf import DiscussionOptions  # noqa: E402
from comments.rendering import render_comment_list  # noqa: E402
from comments.section import render_section  # noqa: E402
from comments.threads import build_threads, displayed_comments  # noqa: E402
from tests.factories import add_threaded_comments  # noqa: E402
from tests.testapp.models import DiscussionPage  # noqa: E402

ROUNDS = 15


def median_ms(function) -> float:
    function()  # warm: template compiled, translations loaded
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(count: int) -> None:
    call_command("migrate", verbosity=0)
    page = DiscussionPage(title="Timing", slug="timing")
    Site.objects.get(is_default_site=True).root_page.add_child(instance=page)
    add_threaded_comments(page, count)
    options = DiscussionOptions(per_page=count)
    threads = build_threads(displayed_comments(page.pk), options)
    template = get_template("comments/includes/comment_list.html")
    context = {
        "threads": threads,
        "page": page,
        "page_url": page.url,
        "comments_open": True,
        "text": messages,
    }
    python_ms = median_ms(lambda: render_comment_list(threads, page.url, True))
    template_ms = median_ms(lambda: template.render(context))
    request = RequestFactory().get(page.url)
    request.user = AnonymousUser()
    with override_settings(COMMENTS_PER_PAGE=count):
        section_ms = median_ms(lambda: render_section(request, page))
    print(f"N={count} comments, median of {ROUNDS} renders:")
    print(f"  comment list, Python renderer : {python_ms:7.1f} ms")
    print(f"  comment list, stock template  : {template_ms:7.1f} ms")
    print(f"  whole section (query, threads, Python list, form): {section_ms:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
