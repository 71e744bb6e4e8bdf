"""The first view after an approval: what the next reader pays once a moderator approved a
comment.

The approval goes through ``comments.moderation.apply_action`` in the driver's process, as
the admin's own process would; the GET goes to gunicorn, whose workers are other processes:
they learn of the approval only through what the app shares between processes (the cache,
the database). Needs Django set up (the driver process does it).
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction

from comments.moderation import ACTIONS, apply_action

from . import browser
from .options import FOLLOW_UP_GETS

WARM_UP_GETS = 4


def comment_anchor(pk: int) -> bytes:
    return f'id="comment-{pk}"'.encode()


def approve(pk: int, user) -> tuple[list[int], float]:
    """Approves one comment; returns the ids moved and the milliseconds until the outer
    transaction committed and its on_commit work (cache invalidation...) was done."""
    started = time.perf_counter()
    with transaction.atomic():
        moved = apply_action(ACTIONS["approve"], [pk], user)
    return moved, (time.perf_counter() - started) * 1000


def first_views(url: str, candidates: list[int], user) -> dict:
    """For each pending comment in ``candidates``: approve it, time ONE anonymous GET of the
    page (Accept-Encoding gzip), then send FOLLOW_UP_GETS more, two at a time, so the other
    gunicorn worker serves the new page too, then one more GET alone. Every answer must be a
    200 showing the comment.

    "first" is the timed GET; "worst" the slowest of the first and the follow-ups (whichever
    worker paid); "warm" the last GET, of a page both workers have served already: the same
    GET without an approval before it, under the same machine load, for comparison.
    """
    firsts, worsts, warms, approvals, problems = [], [], [], [], []
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(browser.get, [url] * WARM_UP_GETS))  # both workers hold the page now
        for pk in candidates:
            moved, approve_ms = approve(pk, user)
            approvals.append(approve_ms)
            if moved != [pk]:
                problems.append(f"comment {pk} was not approved ({moved})")
                continue
            first = browser.get(url)
            pages = [first, *pool.map(browser.get, [url] * FOLLOW_UP_GETS)]
            warm = browser.get(url)
            for number, page in enumerate([*pages, warm], start=1):
                if page.status != 200 or page.error:
                    problems.append(
                        f"comment {pk}, GET {number}: {page.status} {page.error}".rstrip()
                    )
                elif comment_anchor(pk) not in page.body:
                    problems.append(f"comment {pk}, GET {number}: not shown")
            firsts.append(first.seconds * 1000)
            worsts.append(max(page.seconds for page in pages) * 1000)
            warms.append(warm.seconds * 1000)
    return {
        "rounds": len(candidates),
        "gets_per_round": 1 + FOLLOW_UP_GETS,
        "first_median_ms": statistics.median(firsts) if firsts else None,
        "first_max_ms": max(firsts, default=None),
        "worst_median_ms": statistics.median(worsts) if worsts else None,
        "worst_max_ms": max(worsts, default=None),
        "warm_median_ms": statistics.median(warms) if warms else None,
        "approve_median_ms": statistics.median(approvals) if approvals else None,
        "first_ms": firsts,
        "worst_ms": worsts,
        "warm_ms": warms,
        "problems": problems,
    }
