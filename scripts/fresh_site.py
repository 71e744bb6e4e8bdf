"""CI's proof that another Wagtail site can install the comments app from its wheel alone.

In a temporary folder: a fresh virtualenv, a fresh ``wagtail start`` project (its own
``HomePage``, no blog, no page cache), then the README's steps "Add comments to your Wagtail
site", read from the README itself, so the documented steps are exactly the tested ones:

1. the ``sh`` block is run in the virtualenv, the package's name replaced by the wheel's path;
2. the settings block is appended to the project's settings;
3. the block's ``comments.urls`` line becomes the first entry of ``urlpatterns``;
4. the model block's imports are added to ``home/models.py`` and its ``class`` line replaces
   ``class HomePage(Page):``;
5. the template line goes at the end of the home page's ``content`` block;
6. the last ``sh`` block is run in the project.

Then a moderator is put in the "Comment moderators" group (what an admin does at Settings →
Users), the development server is started, and the whole loop is driven over HTTP: the form
is shown, a comment posted, held (not shown publicly, the moderator e-mailed), approved from
the admin queue by the moderator, and shown publicly.

Usage: ``python scripts/fresh_site.py dist/wagtail_reader_comments-*.whl [--keep]``. pip
resolves Wagtail and the rest with its own configuration and cache.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README_SECTION = "## Add comments to your Wagtail site"
STEP_LANGUAGES = ["sh", "python", "python", "python", "django", "sh"]
PROJECT = "mysite"
MODERATOR = ("moderator", "moderator@example.com", "fresh-site-Passw0rd")
COMMENT = "A reader's first comment on a fresh site."
MIN_FILL_SECONDS = 3  # the app's default COMMENTS_MIN_FILL_SECONDS: a human takes that long


@dataclass(frozen=True)
class Step:
    language: str
    code: str


def readme_steps(readme: Path = ROOT / "README.md") -> list[Step]:
    """The fenced code blocks of the README's install section, in order."""
    text = readme.read_text()
    start = text.index(README_SECTION)
    end = text.find("\n## ", start + len(README_SECTION))
    section = text[start : end if end != -1 else len(text)]
    steps = [
        Step(language, code)
        for language, code in re.findall(r"^```(\w+)\n(.*?)^```$", section, re.M | re.S)
    ]
    languages = [step.language for step in steps]
    if languages != STEP_LANGUAGES:
        raise SystemExit(
            f"README's install steps are {languages}, this job knows {STEP_LANGUAGES}: "
            "update scripts/fresh_site.py together with the README."
        )
    return steps


def site_requirements() -> list[str]:
    """The Django and Wagtail ranges the package declares: the fresh site starts on those."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        requirement
        for requirement in project["dependencies"]
        if re.match(r"(django|wagtail)\b(?!-)", requirement, re.I)
    ]


class Job:
    def __init__(self, wheel: Path, folder: Path) -> None:
        self.wheel = wheel
        self.folder = folder
        self.venv = folder / "venv"
        self.site = folder / "site"
        self.started = time.monotonic()
        self.env = {
            **os.environ,
            "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(self.venv),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
        for name in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "DATABASE_URL", "REDIS_URL"):
            self.env.pop(name, None)  # the fresh site has its own settings, nothing of ours

    def say(self, message: str) -> None:
        print(f"[fresh-site {time.monotonic() - self.started:5.1f}s] {message}", flush=True)

    def run(self, command: str, cwd: Path | None = None) -> str:
        """A shell line in the virtualenv (as after ``source venv/bin/activate``)."""
        self.say(f"$ {command}")
        done = subprocess.run(  # noqa: S602 - the README's own lines, run as a reader would
            command,
            shell=True,
            cwd=cwd or self.folder,
            env=self.env,
            text=True,
            capture_output=True,
        )
        if done.returncode:
            print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
            raise SystemExit(f"failed ({done.returncode}): {command}")
        return done.stdout + done.stderr

    # The site that exists before the README's steps ------------------------------------------

    def make_fresh_site(self) -> None:
        self.run(f"{sys.executable} -m venv {self.venv}")
        self.run("pip install --quiet " + " ".join(f"'{dep}'" for dep in site_requirements()))
        self.site.mkdir()
        self.run(f"wagtail start {PROJECT} {self.site}")

    # The README's steps -------------------------------------------------------------------

    def apply_readme_steps(self, steps: list[Step]) -> None:
        install, settings, urls, model, template, migrate = steps
        self.say("step 1: install")
        for line in shell_lines(install.code):
            self.run(line.replace("wagtail-reader-comments", str(self.wheel)), cwd=self.site)
        self.say("step 2: settings")
        settings_file = self.site / PROJECT / "settings" / "base.py"
        settings_file.write_text(settings_file.read_text() + "\n" + settings.code)
        self.say("step 3: URLs")
        url_line = next(line for line in urls.code.splitlines() if "comments.urls" in line)
        insert_after(self.site / PROJECT / "urls.py", "urlpatterns = [\n", url_line + "\n")
        self.say("step 4: the page model")
        self.add_mixin(model.code)
        self.say("step 5: the template")
        insert_before(
            self.site / "home" / "templates" / "home" / "home_page.html",
            "{% endblock content %}",
            template.code,
        )
        self.say("step 6: migrate")
        for line in shell_lines(migrate.code):
            self.run(line, cwd=self.site)

    def add_mixin(self, code: str) -> None:
        models_file = self.site / "home" / "models.py"
        source = models_file.read_text()
        imports = [line for line in code.splitlines() if line.startswith(("from ", "import "))]
        declaration = re.search(r"^class (\w+)\([^)]*\):", code, re.M)
        class_line, name = declaration.group(0), declaration.group(1)
        old_class_line = f"class {name}(Page):"
        if old_class_line not in source:
            raise SystemExit(f"home/models.py has no {old_class_line!r} for step 4")
        source = source.replace(old_class_line, class_line)
        anchor = "from wagtail.models import Page\n"
        models_file.write_text(source.replace(anchor, anchor + "\n".join(imports) + "\n"))

    # The loop over HTTP -------------------------------------------------------------------

    def add_moderator(self) -> None:
        """What an admin does at Settings → Users: a user in the "Comment moderators" group."""
        username, email, password = MODERATOR
        script = (
            "from django.contrib.auth.models import Group, User; "
            f"user = User.objects.create_user({username!r}, {email!r}, {password!r}); "
            "user.groups.add(Group.objects.get(name='Comment moderators'))"
        )
        self.run(f'python manage.py shell -c "{script}"', cwd=self.site)

    def check_configuration(self) -> None:
        output = self.run("python manage.py check", cwd=self.site)
        if "comments." in output:
            raise SystemExit(f"the comments app's checks complain:\n{output}")

    def serve(self) -> tuple[subprocess.Popen, str, Path]:
        port = free_port()
        log = self.folder / "runserver.log"
        self.say(f"$ python manage.py runserver 127.0.0.1:{port} --noreload")
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [
                str(self.venv / "bin" / "python"),
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=self.site,
            env={**self.env, "PYTHONUNBUFFERED": "1"},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"runserver stopped:\n{log.read_text()}")
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()  # noqa: S310 - local
                return server, base, log
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise SystemExit(f"runserver did not answer in 60 s:\n{log.read_text()}")

    def comment_loop(self, base: str, log: Path) -> None:
        reader = Browser(base)
        page = reader.get("/")
        form = find_form(page, lambda attrs: "/comments/post/" in attrs.get("action", ""))
        if form is None:
            raise SystemExit("the home page shows no comment form")
        self.say(f"form shown at /, posting to {form.action}")
        time.sleep(MIN_FILL_SECONDS + 0.5)
        fields = {**form.fields, "name": "Fresh Reader", "email": "reader@example.com"}
        fields["body"] = COMMENT
        held = reader.post(form.action, fields)
        expect("the author sees their comment is held", "awaiting moderation" in held, held)
        public = Browser(base).get("/")
        expect("a held comment is not shown publicly", COMMENT not in public, public)
        expect_within(
            "the moderator is e-mailed about the held comment",
            lambda: MODERATOR[1] in log.read_text(),
        )

        moderator = Browser(base)
        login = moderator.get("/admin/login/")
        login_form = find_form(login, lambda attrs: attrs.get("method", "").lower() == "post")
        fields = {**login_form.fields, "username": MODERATOR[0], "password": MODERATOR[2]}
        dashboard = moderator.post(login_form.action or "/admin/login/", fields)
        expect("the moderator logs into the admin", "Dashboard" in dashboard, dashboard)
        queue = moderator.get("/admin/comments/")
        approve = re.search(r'formaction="([^"]*/approve/[^"]*)"', queue)
        actions = find_form(queue, lambda attrs: attrs.get("id") == "comment-row-actions")
        expect("the queue lists the comment", "Fresh Reader" in queue and approve, queue)
        self.say(f"approving from the queue: {approve.group(1)}")
        moderator.post(approve.group(1).replace("&amp;", "&"), actions.fields)
        shown = Browser(base).get("/")
        expect("the approved comment is shown publicly", COMMENT in shown, shown)
        script = re.search(r'src="([^"]*comments\.js)"', shown)
        expect("the page loads the app's script", script and Browser(base).get(script.group(1)))

    def check_wheel(self) -> None:
        """The comments package alone, with its templates, static files and migrations."""
        names = zipfile.ZipFile(self.wheel).namelist()
        packages = {name.split("/")[0] for name in names if not name.startswith("wagtail_")}
        expect("the wheel holds the comments package only", packages == {"comments"}, str(names))
        for part in ("templates/comments/", "static/comments/", "migrations/0001_"):
            expect(f"the wheel holds {part}", any(f"comments/{part}" in n for n in names))
        for catalogue in sorted((ROOT / "comments").glob("locale/*/LC_MESSAGES/*.po")):
            compiled = catalogue.with_suffix(".mo").relative_to(ROOT).as_posix()
            expect(f"the wheel holds {compiled}", compiled in names)

    def main(self) -> None:
        self.check_wheel()
        steps = readme_steps()
        self.make_fresh_site()
        self.apply_readme_steps(steps)
        self.check_configuration()
        self.add_moderator()
        server, base, log = self.serve()
        try:
            self.comment_loop(base, log)
        finally:
            server.terminate()
            server.wait(timeout=10)
        self.say("passed: form, post, held, e-mailed, approved in the queue, shown")


# Helpers ------------------------------------------------------------------------------------


def shell_lines(code: str) -> list[str]:
    return [line for line in code.splitlines() if line.strip() and not line.startswith("#")]


def insert_after(path: Path, anchor: str, code: str) -> None:
    text = path.read_text()
    if anchor not in text:
        raise SystemExit(f"{path.name} has no {anchor!r}")
    path.write_text(text.replace(anchor, anchor + code, 1))


def insert_before(path: Path, anchor: str, code: str) -> None:
    text = path.read_text()
    if anchor not in text:
        raise SystemExit(f"{path.name} has no {anchor!r}")
    path.write_text(text.replace(anchor, code + anchor, 1))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def expect(what: str, condition: object, page: str = "") -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what}\n{page[:4000]}")
    print(f"  ok: {what}", flush=True)


def expect_within(what: str, condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    expect(what, condition())


class Browser:
    """Cookies and redirects, as a browser keeps them; pages as text."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - http://

    def post(self, path: str, fields: dict[str, str]) -> str:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")  # noqa: S310
        request.add_header("Referer", self.base + "/")
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> str:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            raise SystemExit(
                f"{request.get_method()} {request.full_url} answered {error.code}:\n"
                f"{error.read().decode(errors='replace')[:4000]}"
            ) from error


@dataclass
class Form:
    action: str
    fields: dict[str, str]


class FormParser(HTMLParser):
    """The forms of a page: their action and the values a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict, Form]] = []
        self.current: Form | None = None
        self.owners: dict[str, Form] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.current = Form(values.get("action", ""), {})
            self.forms.append((values, self.current))
            if values.get("id"):
                self.owners[values["id"]] = self.current
        elif tag in ("input", "textarea", "select") and values.get("name"):
            form = self.owners.get(values.get("form", "")) or self.current
            kind = values.get("type", "text")
            if form is not None and kind not in ("checkbox", "radio", "submit", "button"):
                form.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def find_form(page: str, matches) -> Form | None:
    parser = FormParser()
    parser.feed(page)
    return next((form for attrs, form in parser.forms if matches(attrs)), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    wheel = args.wheel.resolve()
    if not wheel.is_file() or wheel.suffix != ".whl":
        raise SystemExit(f"{args.wheel} is not a wheel: run `make package` first")
    folder = Path(tempfile.mkdtemp(prefix="fresh-site-"))
    succeeded = False
    try:
        Job(wheel, folder).main()
        succeeded = True
    finally:
        if succeeded and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"fresh site kept in {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
