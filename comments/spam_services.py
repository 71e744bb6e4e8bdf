"""Spam services: outside judges asked about a stored comment, and told what moderators decided.

A service is a class named in ``COMMENTS_SPAM_SERVICES`` (dotted paths) with ``check()``,
``submit_spam()`` and ``submit_ham()``. Only the configured ones run (``is_configured()``):
with none, nothing is asked and a comment goes exactly where the moderation policy sends it.
They are called from background tasks (``spam_verdicts.py``, ``spam_reports.py``), never
while a reader waits. A service that cannot answer raises ``ServiceUnavailable``; the task
then asks again later, and the comment stays held meanwhile.

``Akismet`` uses the maintained ``akismet`` package (an optional dependency: ``pip install
akismet``), configured by ``COMMENTS_AKISMET_API_KEY`` and ``COMMENTS_AKISMET_BLOG_URL`` or
the package's own ``PYTHON_AKISMET_API_KEY`` and ``PYTHON_AKISMET_BLOG_URL``.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.utils.module_loading import import_string

from .conf import app_setting
from .models import Comment, SpamVerdict

try:  # optional: the comments work without it, and a system check says when it is missing
    import akismet
    import httpx
except ImportError:  # pragma: no cover - exercised by the system check's test
    akismet = None
    httpx = None

logger = logging.getLogger(__name__)

AKISMET_KEY_ENV = "PYTHON_AKISMET_API_KEY"
AKISMET_URL_ENV = "PYTHON_AKISMET_BLOG_URL"
URL_SCHEMES = ("http://", "https://")  # Akismet wants the site's whole URL


class ServiceUnavailable(Exception):
    """The service gave no verdict: down, too slow, or an answer it should not give.

    ``retry`` is False when asking again cannot help (a rejected key): the comment is then
    left to the moderators at once."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class SpamService:
    """What a spam service offers. Subclass it, name the subclass in COMMENTS_SPAM_SERVICES.

    ``name`` is what moderators read in the queue ("Akismet: spam, 14:02") and the history.
    """

    name = ""

    def is_configured(self) -> bool:
        """False turns the service off (no key): it is then never called."""
        return True

    def check(self, comment: Comment) -> str:
        """``SpamVerdict.HAM``, ``SPAM`` or ``BLATANT``; raises ``ServiceUnavailable``."""
        raise NotImplementedError

    def submit_spam(self, comment: Comment) -> None:
        """A moderator marked the comment as spam; raises ``ServiceUnavailable``."""
        raise NotImplementedError

    def submit_ham(self, comment: Comment) -> None:
        """A moderator took the comment out of spam; raises ``ServiceUnavailable``."""
        raise NotImplementedError


def akismet_key() -> str:
    return app_setting("AKISMET_API_KEY") or os.environ.get(AKISMET_KEY_ENV, "")


def akismet_blog_url() -> str:
    return app_setting("AKISMET_BLOG_URL") or os.environ.get(AKISMET_URL_ENV, "")


class Akismet(SpamService):
    """Akismet's comment-check, submit-spam and submit-ham, through the ``akismet`` package.

    "Blatant" is Akismet's discard advice (its ``X-akismet-pro-tip: discard`` header): spam
    so obvious that nobody needs to read it."""

    name = "Akismet"

    def is_configured(self) -> bool:
        url = akismet_blog_url()
        return akismet is not None and bool(akismet_key()) and url.startswith(URL_SCHEMES)

    def http_client(self) -> httpx.Client:
        """The HTTP client the package calls through (a test gives it a mock transport)."""
        return httpx.Client(
            headers={"User-Agent": akismet.USER_AGENT}, timeout=app_setting("AKISMET_TIMEOUT")
        )

    def arguments(self, comment: Comment) -> dict:
        """What Akismet is told of the comment: who sent it from where, and what it says."""
        arguments = {
            "user_ip": comment.ip_address,
            "user_agent": comment.user_agent,
            "comment_type": "reply" if comment.parent_id else "comment",
            "comment_author": comment.name,
            "comment_author_email": comment.email,
            "comment_author_url": comment.website,
            "comment_content": comment.body,
            "comment_date_gmt": comment.created.isoformat(),
            "blog_lang": settings.LANGUAGE_CODE,
            "blog_charset": "UTF-8",
        }
        if permalink := comment.page.full_url:
            arguments["permalink"] = permalink
        if app_setting("AKISMET_IS_TEST"):
            arguments["is_test"] = True
        return arguments

    def _call(self, method: str, comment: Comment):
        # The plain constructor: validated_client() would spend a verify-key call per comment;
        # a wrong key still shows, as APIKeyError on the call itself.
        config = akismet.Config(key=akismet_key(), url=akismet_blog_url())
        with self.http_client() as http_client:
            client = akismet.SyncClient(config=config, http_client=http_client)
            try:
                return getattr(client, method)(**self.arguments(comment))
            except akismet.ConfigurationError as error:  # APIKeyError: a wrong key or URL
                message = f"Akismet refused the key: {error}"
                raise ServiceUnavailable(message, retry=False) from error
            except akismet.AkismetError as error:  # RequestError (timeouts, 5xx), ProtocolError
                raise ServiceUnavailable(f"Akismet did not answer: {error}") from error

    def check(self, comment: Comment) -> str:
        if not comment.ip_address:  # Akismet requires it: the moderators decide at once
            raise ServiceUnavailable("no IP address to send to Akismet", retry=False)
        answer = self._call("comment_check", comment)
        if answer == akismet.CheckResponse.DISCARD:
            return SpamVerdict.BLATANT
        return SpamVerdict.SPAM if answer == akismet.CheckResponse.SPAM else SpamVerdict.HAM

    def submit_spam(self, comment: Comment) -> None:
        if comment.ip_address:  # forgotten (COMMENTS_IP_RETENTION_DAYS): Akismet takes none
            self._call("submit_spam", comment)

    def submit_ham(self, comment: Comment) -> None:
        if comment.ip_address:
            self._call("submit_ham", comment)


def configured_services() -> list[SpamService]:
    """The services of COMMENTS_SPAM_SERVICES that are configured, in order."""
    services = [import_string(path)() for path in app_setting("SPAM_SERVICES")]
    return [service for service in services if service.is_configured()]


def service_names(services: list[SpamService]) -> str:
    return ", ".join(service.name for service in services)
