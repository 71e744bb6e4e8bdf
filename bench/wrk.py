"""Debian's wrk: installing it when missing, running it, and reading its --latency report."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from dataclasses import asdict, dataclass

from .options import ACCEPT_ENCODING, WRK_CONNECTIONS, WRK_THREADS

UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
DURATION = r"([\d.]+)(us|ms|s|m|h)"


@dataclass(frozen=True)
class WrkRun:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int


def ensure_wrk() -> str:
    """The wrk binary's path; installs Debian's ``wrk`` package first if it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's wrk package", flush=True)
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:  # noqa: S603
        subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env, check=True)  # noqa: S603
        subprocess.run(install, env=env, check=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


def to_ms(value: str, unit: str) -> float:
    return float(value) * UNIT_MS[unit]


def parse_wrk(output: str) -> WrkRun:
    """Reads requests/s, the 50% and 99% latencies and the error counts of ``wrk --latency``."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(rf"^\s+50%\s+{DURATION}", output, re.MULTILINE)
    p99 = re.search(rf"^\s+99%\s+{DURATION}", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rate and p50 and p99 and total):
        raise ValueError(f"unreadable wrk output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkRun(
        requests_per_s=float(rate.group(1)),
        p50_ms=to_ms(*p50.groups()),
        p99_ms=to_ms(*p99.groups()),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def run_wrk(url: str, duration: int) -> WrkRun:
    """One ``wrk -t2 -c8 -d<duration>s --latency`` run against ``url``, sending a browser's
    Accept-Encoding (so every variant, the floor included, answers compressed)."""
    command = [
        ensure_wrk(),
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{duration}s",
        "--latency",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return parse_wrk(done.stdout)


def measure(url: str, duration: int, runs: int, label: str = "") -> dict:
    """``runs`` wrk runs; the median of each figure, the summed error counts, and every run."""
    results = []
    for number in range(1, runs + 1):
        result = run_wrk(url, duration)
        results.append(result)
        print(
            f"    {label} run {number}/{runs}: {result.requests_per_s:.1f} req/s, "
            f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms",
            flush=True,
        )
    return {
        "requests_per_s": statistics.median(r.requests_per_s for r in results),
        "p50_ms": statistics.median(r.p50_ms for r in results),
        "p99_ms": statistics.median(r.p99_ms for r in results),
        "non_2xx_3xx": sum(r.non_2xx_3xx for r in results),
        "socket_errors": sum(r.socket_errors for r in results),
        "runs": [asdict(r) for r in results],
    }
