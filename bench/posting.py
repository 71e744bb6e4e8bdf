"""Comment POSTs over HTTP to gunicorn, as a browser's form would send them."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

from comments.tokens import make_form_stamp

STAMP_AGE = 10  # seconds: the stamp says the form was rendered this long ago
ACCEPTED = 303
USER_AGENT = "clinic-bench/1"


def post_body(marker: str, number: int) -> str:
    """A distinct ~300-character comment carrying ``marker`` (to count the stored rows)."""
    return (
        f"{marker} post {number}: the stretches described here made a real difference to my "
        "lower back after two weeks. I now do the <em>cat-cow</em> and the <strong>child's "
        "pose</strong> before work, as the article suggests. My notes are at "
        f"http://example.org/posts/{number} for anyone who wants them."
    )


def post_comment(base_url: str, page_id: int, marker: str, number: int) -> tuple[int, float]:
    """One anonymous comment POST; returns the status and the seconds it took (0 on error)."""
    fields = {
        "name": f"Poster {number}",
        "email": f"poster-{number}@example.com",
        "website": "" if number % 2 == 0 else f"https://example.com/p{number}",
        "body": post_body(marker, number),
        "stamp": make_form_stamp(page_id, now=time.time() - STAMP_AGE),
        "parent": "",
        "honeypot": "",
    }
    payload = urlencode(fields).encode()
    target = urlsplit(base_url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": USER_AGENT,
    }
    try:
        started = time.perf_counter()
        connection.request("POST", f"/comments/post/{page_id}/", body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, 0.0  # 0: no HTTP answer at all (connection refused, reset, timeout)
    finally:
        connection.close()


def sequential_posts(base_url: str, page_id: int, marker: str, count: int) -> dict:
    """``count`` posts one after another: the median and 90th-percentile times of accepted ones."""
    statuses: Counter[int] = Counter()
    times = []
    for number in range(count):
        status, seconds = post_comment(base_url, page_id, marker, number)
        statuses[status] += 1
        if status == ACCEPTED:
            times.append(seconds * 1000)
    return {
        "posts": count,
        "accepted": statuses[ACCEPTED],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "median_ms": statistics.median(times) if times else None,
        "p90_ms": statistics.quantiles(times, n=10)[-1] if len(times) > 1 else None,
    }


def concurrent_posts(base_url: str, page_id: int, marker: str, posters: int, seconds: int) -> dict:
    """``posters`` threads posting in a loop for ``seconds``: how many were accepted, and
    every other status seen (0 means no HTTP answer)."""
    deadline = time.monotonic() + seconds
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def poster(index: int) -> None:
        number = index
        while time.monotonic() < deadline:
            status, _ = post_comment(base_url, page_id, marker, number)
            with lock:
                statuses[status] += 1
            number += posters

    threads = [threading.Thread(target=poster, args=(i,)) for i in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "posters": posters,
        "seconds": seconds,
        "posts": sum(statuses.values()),
        "accepted": statuses[ACCEPTED],
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "no_answer": statuses[0],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }
