"""The benchmark, one command: ``make bench`` (or ``.venv/bin/python bench/run.py``).

Installs wrk if needed, prepares a temporary SQLite database and a fresh PostgreSQL one
(``bench_clinic``) plus a collectstatic folder, in parallel; then measures each database in
turn through ``bench/driver.py``, prints PASS/FAIL per budget and writes the results into
bench/README.md. Exits 0 whatever the verdicts: it is a report.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def bootstrap() -> None:
    """Run as a script, ``bench`` is not importable yet: put the project root on the path."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)


bootstrap()

import psycopg  # noqa: E402
import redis  # noqa: E402
from psycopg import sql  # noqa: E402

from bench import report, wrk  # noqa: E402
from bench.options import (  # noqa: E402
    BENCH_DIR,
    DEFAULT_REDIS_URL,
    PYTHON,
    ROOT,
    BenchOptions,
)

MAINTENANCE_DATABASES = ("postgres", "test")
BUSY_LOAD = 0.5
README = BENCH_DIR / "README.md"
RESULTS_JSON = BENCH_DIR / "results" / "latest.json"


def say(message: str) -> None:
    print(message, flush=True)


def redis_url() -> tuple[str | None, str]:
    """REDIS_URL, else the local Redis if it answers; and a description for the report."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        version = client.info("server")["redis_version"]
    except (redis.RedisError, OSError) as error:
        return None, f"no Redis ({error.__class__.__name__}): per-process memory cache"
    return url, f"Redis {version} as the cache (database 2)"


def recreate_postgres(url: str) -> str:
    """Drops and creates the database named in ``url``; returns PostgreSQL's version."""
    name = psycopg.conninfo.conninfo_to_dict(url).get("dbname", "")
    if not name.startswith("bench"):
        raise RuntimeError(f"refusing to drop {name!r}: the bench database's name must start "
                           "with 'bench'")  # fmt: skip
    last_error: Exception | None = None
    for maintenance in MAINTENANCE_DATABASES:
        try:
            with psycopg.connect(url, dbname=maintenance, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                return admin.execute("show server_version").fetchone()[0]
        except psycopg.OperationalError as error:
            last_error = error
    raise RuntimeError(f"PostgreSQL unreachable: {last_error}")


def database_urls(options: BenchOptions, workdir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The URL of each database to measure, and the reason for each one that cannot be."""
    urls, skipped = {}, {}
    for label in options.databases:
        if label == "sqlite":
            urls[label] = f"sqlite:///{workdir / 'bench.sqlite3'}"
            continue
        try:
            recreate_postgres(options.postgres_url)
            urls[label] = options.postgres_url
        except (RuntimeError, psycopg.Error) as error:
            skipped[label] = str(error)
    return urls, skipped


def child_env(workdir: Path, cache_url: str | None, database_url: str = "") -> dict[str, str]:
    """The environment of every child process (driver, collectstatic, gunicorn)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_WORKDIR": str(workdir),
        "BENCH_CACHE_MODE": "normal",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    env.pop("BENCH_DATABASE_URL", None)
    if database_url:
        env["BENCH_DATABASE_URL"] = database_url
    if cache_url:
        env["REDIS_URL"] = cache_url
    return env


def run_in_parallel(jobs: dict[str, tuple[list[str], dict[str, str]]], workdir: Path) -> set[str]:
    """Runs the named commands side by side, each logging to a file; returns the failed names."""
    running = {}
    for name, (command, env) in jobs.items():
        log = (workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        running[name] = (process, log)
    failed = set()
    for name, (process, log) in running.items():
        process.wait()
        log.close()
        if process.returncode != 0:
            failed.add(name)
            tail = (workdir / f"{name}.log").read_text(errors="replace")[-3000:]
            say(f"{name} failed:\n{tail}")
    return failed


def prepare(urls: dict[str, str], workdir: Path, cache_url: str | None) -> dict[str, str]:
    """collectstatic and each database's migrations and seed content, all at once (the CPU
    is idle otherwise); returns the reason for each database that could not be prepared."""
    jobs = {
        "collectstatic": (
            [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"],
            child_env(workdir, cache_url),
        )
    }
    for label, url in urls.items():
        jobs[f"prepare-{label}"] = (
            [str(PYTHON), "-m", "bench.driver", "prepare"],
            child_env(workdir, cache_url, url),
        )
    failed = run_in_parallel(jobs, workdir)
    if "collectstatic" in failed:
        raise SystemExit("collectstatic failed; nothing can be measured")
    return {label: "migrate/seed failed" for label in urls if f"prepare-{label}" in failed}


def measure(label: str, url: str, workdir: Path, cache_url: str | None, with_floor: bool) -> dict:
    """One database's measurements (bench/driver.py in a child process), as a dict."""
    out = workdir / f"results-{label}.json"
    command = [str(PYTHON), "-m", "bench.driver", "measure", "--out", str(out)]
    if with_floor:
        command.append("--floor")
    driver = subprocess.Popen(command, cwd=ROOT, env=child_env(workdir, cache_url, url))  # noqa: S603
    try:
        driver.wait()
    finally:
        if driver.poll() is None:  # interrupted: the driver stops its own servers on SIGTERM
            driver.terminate()
            driver.wait()
    if driver.returncode != 0 or not out.exists():
        return {"error": f"the driver exited with {driver.returncode} (see the output above)"}
    return json.loads(out.read_text())


def elapsed_text(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s"


def load_average() -> float:
    """The one-minute load average: other work on the machine skews every figure."""
    return round(os.getloadavg()[0], 2)


def main() -> int:
    options = BenchOptions.from_env()
    started = time.monotonic()
    loads = {"start": load_average()}
    if loads["start"] > BUSY_LOAD:
        say(f"WARNING: load average {loads['start']} before starting: the machine is busy, "
            "the figures will be low")  # fmt: skip
    wrk.ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="bench-clinic-"))
    try:
        cache_url, cache_text = redis_url()
        say(f"Benchmark in {workdir}: {options}; {cache_text}")
        urls, skipped = database_urls(options, workdir)
        skipped.update(prepare(urls, workdir, cache_url))
        say(f"Prepared in {elapsed_text(time.monotonic() - started)}")
        all_results: dict[str, dict] = {}
        floors: list[dict] = []
        for label in options.databases:
            if label in skipped:
                all_results[label] = {"error": skipped[label]}
                say(f"{label}: skipped ({skipped[label]})")
                continue
            loads[label] = load_average()
            say(f"=== {label} === (load average {loads[label]})")
            results = measure(label, urls[label], workdir, cache_url, with_floor=not floors)
            floors = floors or results.get("floors", [])
            all_results[label] = results
        context = {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": report.machine(),
            "redis": cache_text,
            "elapsed": elapsed_text(time.monotonic() - started),
            "load": {**loads, "end": load_average()},
        }
        RESULTS_JSON.parent.mkdir(exist_ok=True)
        RESULTS_JSON.write_text(
            json.dumps({"context": context, "floors": floors, "results": all_results}, indent=2)
        )
        report.write_readme(README, report.render_results(all_results, floors, context, options))
        report.print_summary(all_results, floors)
        say(f"\nWhole run: {context['elapsed']}; results in {README.relative_to(ROOT)}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    # A SIGTERM unwinds normally: the driver and its servers are stopped, the temp folder goes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
