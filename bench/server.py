"""gunicorn (2 sync workers, bench.settings) started and stopped around measurements."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .options import GUNICORN, GUNICORN_WORKERS, ROOT

READY_PATH = "/robots.txt"
START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """Status and body of a GET; error statuses are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Gunicorn:
    """One gunicorn master; ``base_url`` is where it answers once ``wait_ready`` returned."""

    def __init__(self, env: Mapping[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [
            str(GUNICORN),
            "config.wsgi:application",
            "--workers",
            str(GUNICORN_WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            # The app is imported once, before the fork: three servers start in seconds.
            "--preload",
        ]
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        """Returns once the server answers; raises with the log's end if it never does."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                status, _ = http_get(self.base_url + READY_PATH, timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"gunicorn did not start on port {self.port}:\n{tail}")

    def stop(self) -> None:
        """Graceful stop of this master (and so its workers); killed after 20 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@contextmanager
def running(envs: Mapping[str, Mapping[str, str]], log_dir: Path) -> Iterator[dict[str, Gunicorn]]:
    """Starts one server per named environment, all at once; stops them all afterwards."""
    with ExitStack() as stack:
        servers = {}
        for name, env in envs.items():
            server = Gunicorn(env, log_dir / f"gunicorn-{name}.log")
            stack.callback(server.stop)
            servers[name] = server
        for server in servers.values():
            server.wait_ready()
        yield servers
