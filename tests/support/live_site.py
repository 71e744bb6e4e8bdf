"""The site run for real: gunicorn with two worker processes, management commands in others.

Bugs of a cache shared between processes only show across real processes, so these tests
talk to the site over HTTP and through ``manage.py``, never through its modules:

    site = LiveSite.create(tmp_dir)                     # SQLite (or DATABASE_URL's PostgreSQL),
    site = LiveSite.create(tmp_dir, redis_url=url)      # local-memory cache unless redis_url
    site.get(ARTICLE_PATH)                              # requests.Response, no redirects followed
    site.manage("erase_comment_data", "a@example.com")  # CompletedProcess, same environment
    site.shell("print(1)")                              # manage.py shell -c, stdout (checked)
    site.console("result = Comment.objects.count()")    # the same, in a process kept running
    site.mail_messages()                                # e-mails sent by any process
    site.log_path, site.log_text()                      # the server's stderr
    site.restart(); site.stop()

Each site gets its own database: a copy of a template that was migrated and seeded once
(``SiteTemplate``, shared by the pytest-xdist workers of a run), or migrated and seeded
itself when no template is given. The settings are ``tests/support/live_settings.py``.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

BASE_DIR = Path(__file__).resolve().parents[2]
MANAGE = BASE_DIR / "manage.py"
SETTINGS = "tests.support.live_settings"
ARTICLE_PATH = "/blog/physical-therapist-for-back-pain/"
ARTICLE_SLUG = "physical-therapist-for-back-pain"
MODERATOR_USERNAME = "moderator"
MODERATOR_PASSWORD = "live-moderator-pw-7"
MODERATOR_EMAIL = "moderator@example.com"
START_TIMEOUT = 60
COMMAND_TIMEOUT = 180
# The filebased e-mail backend ends every message with this line.
MAIL_SEPARATOR = b"-" * 79

CREATE_MODERATOR = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
user = get_user_model().objects.create_superuser(
    {MODERATOR_USERNAME!r}, email={MODERATOR_EMAIL!r}, password={MODERATOR_PASSWORD!r}
)
user.groups.add(Group.objects.get(name="Comment moderators"))
"""

# Run by ``manage.py shell -c`` in the console process: one JSON request per line on stdin
# ({"code": ...}), one reply line on stdout ({"result": ...} or {"error": traceback}).
# Whatever the code prints goes to stderr. Connections are closed after each request, as
# when a management command ends.
CONSOLE_LOOP = r"""
import json, sys, traceback
from django.db import connections
out = sys.stdout
sys.stdout = sys.stderr
out.write(json.dumps({"ready": True}) + "\n")
out.flush()
for line in sys.stdin:
    request = json.loads(line)
    namespace = {"result": None}
    try:
        exec(request["code"], namespace)
        reply = {"result": namespace["result"]}
    except BaseException:
        reply = {"error": traceback.format_exc()}
    finally:
        connections.close_all()
    out.write(json.dumps(reply, default=str) + "\n")
    out.flush()
"""


class LiveSiteError(AssertionError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def xdist_worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "master")


def worker_number() -> int:
    worker = xdist_worker()
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else 0


def postgres_url() -> str | None:
    """DATABASE_URL when it names PostgreSQL (CI's second pass), else None (SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql") else None


def with_database_name(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )


def create_postgres_database(url: str, name: str, template: str | None = None) -> str:
    """A fresh database ``name`` on ``url``'s server (a copy of ``template`` if given)."""
    from psycopg import errors, sql

    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    with _admin_connection(url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        for attempt in range(20):
            try:
                connection.execute(statement)
                break
            except errors.ObjectInUse:  # the template is still closing a connection
                if attempt == 19:
                    raise
                time.sleep(0.25)
    return with_database_name(url, name)


def drop_postgres_database(url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _environment(database_url: str, mail_dir: Path, redis_url: str | None, min_fill: int):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        LIVE_DATABASE_URL=database_url,
        LIVE_REDIS_URL=redis_url or "",
        LIVE_EMAIL_DIR=str(mail_dir),
        LIVE_MIN_FILL_SECONDS=str(min_fill),
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    # The site's own settings read REDIS_URL too: only the cache this site was given.
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run_manage(env: dict, *args: str, timeout: float = COMMAND_TIMEOUT):
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _checked(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    if result.returncode != 0:
        raise LiveSiteError(
            f"{' '.join(map(str, result.args[1:]))} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


def build_database(database_url: str, work_dir: Path) -> None:
    """Migrations, the seed content and a moderator, through manage.py."""
    work_dir.mkdir(parents=True, exist_ok=True)
    env = _environment(database_url, work_dir, None, 1)
    _checked(run_manage(env, "migrate", "--noinput", "--skip-checks"))
    _checked(run_manage(env, "load_seed_content", "--skip-checks"))
    _checked(run_manage(env, "shell", "--no-imports", "-c", CREATE_MODERATOR))


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class SiteTemplate:
    """A migrated, seeded database with the moderator, built once and copied for each site.

    ``shared_dir`` is seen by every pytest-xdist worker of the run: the first to need the
    template builds it (holding a lock), the others wait and copy it. A PostgreSQL template
    is dropped by the worker that built it when its session ends; a worker needing it later
    builds it again.
    """

    def __init__(self, shared_dir: Path, run_id: str) -> None:
        self.shared_dir = shared_dir
        self.run_id = run_id
        self.postgres = postgres_url()
        self.lock_path = shared_dir / "live-template.lock"
        self.built_here: list[str] = []
        self._copies = 0

    @property
    def _sqlite_path(self) -> Path:
        return self.shared_dir / "live-template.sqlite3"

    @property
    def _postgres_marker(self) -> Path:
        return self.shared_dir / "live-template-postgres.ready"

    @property
    def _postgres_name(self) -> str:
        return f"live_tpl_{self.run_id}"

    def copy(self, dest_dir: Path) -> str:
        """A database of its own for a site, as a URL."""
        self._copies += 1
        with _file_lock(self.lock_path):
            if self.postgres is None:
                if not self._sqlite_path.exists():
                    building = self.shared_dir / "live-template.building.sqlite3"
                    building.unlink(missing_ok=True)
                    build_database(f"sqlite:///{building}", self.shared_dir / "template-mail")
                    building.rename(self._sqlite_path)
                dest_dir.mkdir(parents=True, exist_ok=True)
                target = dest_dir / "db.sqlite3"
                shutil.copyfile(self._sqlite_path, target)
                return f"sqlite:///{target}"
            if not self._postgres_marker.exists():
                url = create_postgres_database(self.postgres, self._postgres_name)
                build_database(url, self.shared_dir / "template-mail")
                self._postgres_marker.write_text(xdist_worker())
                self.built_here.append(self._postgres_name)
            name = f"live_{xdist_worker()}_{self.run_id}_{self._copies}_{uuid.uuid4().hex[:6]}"
            return create_postgres_database(self.postgres, name, template=self._postgres_name)

    def close(self) -> None:
        if self.postgres and self.built_here:
            with _file_lock(self.lock_path):
                self._postgres_marker.unlink(missing_ok=True)
                for name in self.built_here:
                    drop_postgres_database(self.postgres, name)
            self.built_here.clear()


class LiveSite:
    """One site: its database, its cache configuration, gunicorn and a console process."""

    def __init__(
        self,
        root: Path,
        database_url: str,
        *,
        redis_url: str | None = None,
        min_fill_seconds: int = 1,
        workers: int = 2,
        port: int | None = None,
    ) -> None:
        self.root = root
        self.database_url = database_url
        self.redis_url = redis_url
        self.min_fill_seconds = min_fill_seconds
        self.workers = workers
        self.port = port or free_port()
        self.mail_dir = root / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = root / "server.log"
        self.console_log_path = root / "console.log"
        self.env = _environment(database_url, self.mail_dir, redis_url, min_fill_seconds)
        self.server: subprocess.Popen | None = None
        self._console: subprocess.Popen | None = None
        self._console_lock = threading.Lock()
        self._http = requests.Session()
        self._http.trust_env = False  # no proxy for 127.0.0.1

    # Building ------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: Path,
        *,
        redis_url: str | None = None,
        template: SiteTemplate | None = None,
        database: str = "auto",
        min_fill_seconds: int = 1,
        workers: int = 2,
        start: bool = True,
    ) -> LiveSite:
        """A running site in ``root``. ``database``: "sqlite", "postgres", or "auto" (PostgreSQL
        when DATABASE_URL names it). With ``template``, a copy of it; otherwise migrated here."""
        root.mkdir(parents=True, exist_ok=True)
        if template is not None:
            database_url = template.copy(root)
        else:
            server = postgres_url() if database in ("auto", "postgres") else None
            if database == "postgres" and server is None:
                raise LiveSiteError("database='postgres' needs DATABASE_URL for PostgreSQL")
            if server is not None:
                name = f"live_{xdist_worker()}_{uuid.uuid4().hex[:8]}"
                database_url = create_postgres_database(server, name)
            else:
                database_url = f"sqlite:///{root / 'db.sqlite3'}"
            build_database(database_url, root / "build")
        site = cls(
            root,
            database_url,
            redis_url=redis_url,
            min_fill_seconds=min_fill_seconds,
            workers=workers,
        )
        if start:
            site.start()
        return site

    # Processes ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def start(self, timeout: float = START_TIMEOUT) -> None:
        if self.server is not None and self.server.poll() is None:
            return
        with self.log_path.open("ab") as log:
            self.server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "120",
                    "--graceful-timeout",
                    "5",
                    "--access-logfile",
                    "-",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_answering(timeout)

    def _wait_until_answering(self, timeout: float) -> None:
        """Until a worker answers (any status: a site that fails must still be seen failing),
        then a few concurrent requests, so both workers have served one."""
        deadline = time.monotonic() + timeout
        login = self.url("/admin/login/")
        while True:
            if self.server.poll() is not None:
                raise LiveSiteError(
                    f"gunicorn exited ({self.server.returncode}):\n{self.log_tail()}"
                )
            try:
                self._http.get(login, timeout=max(1, deadline - time.monotonic()))
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise LiveSiteError(
                        f"gunicorn did not answer in {timeout} s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.1)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: self._http.get(login, timeout=timeout), range(4)))

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=5)
        self.server = None

    def restart(self) -> None:
        """A new gunicorn on the same port: new workers with empty memories."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stops the server and the console; the database is left to its owner."""
        self.stop()
        if self._console is not None and self._console.poll() is None:
            self._console.stdin.close()
            try:
                self._console.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._console.kill()
                self._console.wait(timeout=5)
        self._console = None
        self._http.close()

    def drop_database(self) -> None:
        """Drops a PostgreSQL database of its own (an SQLite file goes with its folder)."""
        server = postgres_url()
        if server and not self.database_url.startswith("sqlite"):
            drop_postgres_database(server, urlsplit(self.database_url).path.lstrip("/"))

    # Management commands -----------------------------------------------------------------

    def manage(self, *args: str, timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess:
        """``manage.py *args`` in a new process, with this site's settings and database."""
        return run_manage(self.env, *args, timeout=timeout)

    def shell(self, code: str) -> str:
        """``manage.py shell -c code`` in a new process; its stdout. Fails if the code does."""
        return _checked(self.manage("shell", "--no-imports", "-c", code)).stdout

    def console(self, code: str):
        """Runs ``code`` in a management process kept running for this site (``manage.py
        shell``, started once: a new process costs seconds) and returns what it assigned
        to ``result`` (JSON). Another process than the server's, like a command or cron."""
        with self._console_lock:
            if self._console is None or self._console.poll() is not None:
                log = self.console_log_path.open("ab")
                self._console = subprocess.Popen(
                    [sys.executable, str(MANAGE), "shell", "--no-imports", "-c", CONSOLE_LOOP],
                    cwd=BASE_DIR,
                    env=self.env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=log,
                    text=True,
                )
                log.close()
                self._read_console_reply()
            self._console.stdin.write(json.dumps({"code": code}) + "\n")
            self._console.stdin.flush()
            reply = self._read_console_reply()
        if "error" in reply:
            raise LiveSiteError(f"console code failed:\n{code}\n{reply['error']}")
        return reply.get("result")

    def _read_console_reply(self) -> dict:
        line = self._console.stdout.readline()
        if not line:
            log = self.console_log_path.read_text(errors="replace")[-4000:]
            raise LiveSiteError(f"the console process ended:\n{log}")
        return json.loads(line)

    def warm_console(self) -> None:
        """Starts the console in the background, while the caller does something else."""
        threading.Thread(target=self.console, args=("result = 1",), daemon=True).start()

    # HTTP ----------------------------------------------------------------------------------

    def get(self, path: str, timeout: float = 30, **kwargs) -> requests.Response:
        """A reader's GET: no cookies, redirects not followed."""
        kwargs.setdefault("allow_redirects", False)
        with self.session() as reader:
            return reader.get(self.url(path), timeout=timeout, **kwargs)

    def post(self, path: str, data: dict, timeout: float = 30, **kwargs) -> requests.Response:
        """A reader's POST (a browser of its own), redirects not followed."""
        kwargs.setdefault("allow_redirects", False)
        with self.session() as reader:
            return reader.post(self.url(path), data=data, timeout=timeout, **kwargs)

    def get_all(self, path: str, count: int = 6) -> list[requests.Response]:
        """``count`` readers' GETs, three at a time: while one worker answers, the other
        takes the next, so every worker answers some of them."""
        with ThreadPoolExecutor(3) as pool:
            return list(pool.map(lambda _: self.get(path), range(count)))

    def session(self) -> requests.Session:
        """A browser of its own (cookies kept), e.g. for a moderator."""
        session = requests.Session()
        session.trust_env = False
        return session

    # E-mail and logs -----------------------------------------------------------------------

    def mail_messages(self) -> list[email.message.EmailMessage]:
        """Every e-mail sent so far, by any process (one file per connection)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(
                        email.message_from_bytes(chunk.lstrip(b"\r\n"), policy=email.policy.default)
                    )
        return messages

    def mail_files(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.log"))

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_text()[-chars:]


def mail_text(message: email.message.EmailMessage) -> str:
    """Subject and every text part, decoded."""
    parts = [str(message.get("Subject", ""))]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


class RedisServer:
    """A redis-server of our own (the machine's shared one is never stopped or flushed)."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        root.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        with (self.root / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    shutil.which("redis-server") or "/usr/bin/redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.root),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise LiveSiteError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def kill(self) -> None:
        """Gone at once, as in a crash: connections reset, the port closed."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


# Reading pages as a reader would --------------------------------------------------------


def soup_of(response: requests.Response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def comment_form(response: requests.Response):
    form = soup_of(response).find("form", id="commentform")
    if form is None:
        raise LiveSiteError(f"no comment form on {response.url} ({response.status_code})")
    return form


def form_stamp(response: requests.Response) -> str:
    return comment_form(response).find("input", attrs={"name": "stamp"})["value"]


def form_action(response: requests.Response) -> str:
    return comment_form(response)["action"]


def comment_element(response: requests.Response, pk: int):
    """The comment as shown on the page, or None."""
    return soup_of(response).find(id=f"comment-{pk}")


def page_text(response: requests.Response) -> str:
    return soup_of(response).get_text(" ", strip=True)


def cache_header(response: requests.Response) -> str | None:
    return response.headers.get("X-Page-Cache")


def reader_post_data(stamp: str, body: str, **fields: str) -> dict[str, str]:
    """What a reader's browser sends: the visible fields, the hidden ones as rendered."""
    data = {
        "name": "Live Reader",
        "email": "live.reader@example.com",
        "website": "",
        "body": body,
        "stamp": stamp,
        "parent": "",
        "honeypot": "",
    }
    data.update(fields)
    return data


def moderator_session(site: LiveSite) -> requests.Session:
    """A browser logged into the Wagtail admin as the moderator (CSRF as a browser does it)."""
    session = site.session()
    login = session.get(site.url("/admin/login/"), timeout=30)
    if login.status_code != 200:
        raise LiveSiteError(f"GET /admin/login/ answered {login.status_code}")
    token = soup_of(login).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    answer = session.post(
        site.url("/admin/login/"),
        data={
            "csrfmiddlewaretoken": token,
            "username": MODERATOR_USERNAME,
            "password": MODERATOR_PASSWORD,
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise LiveSiteError(f"moderator login answered {answer.status_code}:\n{answer.text[:2000]}")
    return session


def moderate_over_http(site: LiveSite, session: requests.Session, pk: int, action: str):
    """The moderator's row action in the queue (/admin/comments/): a POST with the CSRF token."""
    return session.post(
        site.url(f"/admin/comments/moderate/{pk}/{action}/"),
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/comments/",
        },
        allow_redirects=False,
        timeout=30,
    )
