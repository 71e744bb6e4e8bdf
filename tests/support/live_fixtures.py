"""Fixtures running the site in real processes (see ``live_site.py``); a test module imports
the ones it uses:

    from tests.support.live_fixtures import *  # noqa: F403

- ``live_template``: the migrated, seeded database with the moderator, built once per run
  (shared by the xdist workers) and copied for every site.
- ``live_site``: a running site, one per worker per cache configuration for the session,
  parametrized: ``locmem`` (no REDIS_URL: the default local-memory cache, one per process),
  and ``redis`` when the environment has REDIS_URL (that server's database 10 + worker number,
  flushed before and after; never any other database).
- ``live_sites``: a factory for sites of a module's own (``live_sites("name", redis_url=...)``),
  stopped and dropped when the module ends.
- ``redis_servers``: a factory for redis-servers of the module's own, killed when it ends.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from .live_site import LiveSite, RedisServer, SiteTemplate, worker_number, xdist_worker

SHARED_REDIS_FIRST_DB = 10


def cache_configurations() -> list[str]:
    return ["locmem", "redis"] if os.environ.get("REDIS_URL") else ["locmem"]


def shared_redis_url() -> str:
    """This worker's database (10 + worker number) on the machine's shared Redis."""
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{SHARED_REDIS_FIRST_DB + worker_number()}"))


def flush_redis_database(url: str) -> None:
    """FLUSHDB on that one database (a database of ours: 10 or above, or our own server)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        assert client.connection_pool.connection_kwargs.get("db", 0) >= SHARED_REDIS_FIRST_DB
        client.flushdb()
    finally:
        client.close()


@pytest.fixture(scope="session")
def live_template(tmp_path_factory) -> Iterator[SiteTemplate]:
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if xdist_worker() != "master" else base
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:10].lower()
    template = SiteTemplate(shared, run_id)
    yield template
    template.close()


def _start(tmp_path_factory, template: SiteTemplate, name: str, **options) -> LiveSite:
    site = LiveSite.create(tmp_path_factory.mktemp(name), template=template, start=False, **options)
    site.warm_console()  # the console process starts while gunicorn does
    try:
        site.start()
    except BaseException:
        site.close()
        site.drop_database()
        raise
    return site


@pytest.fixture(scope="session", params=cache_configurations())
def live_site(request, tmp_path_factory, live_template) -> Iterator[LiveSite]:
    redis_url = shared_redis_url() if request.param == "redis" else None
    if redis_url:
        flush_redis_database(redis_url)
    site = _start(tmp_path_factory, live_template, f"live-{request.param}", redis_url=redis_url)
    site.cache_configuration = request.param
    yield site
    site.close()
    site.drop_database()
    if redis_url:
        flush_redis_database(redis_url)


@pytest.fixture(scope="module")
def live_sites(tmp_path_factory, live_template) -> Iterator[Callable[..., LiveSite]]:
    sites: list[LiveSite] = []

    def make(name: str, **options) -> LiveSite:
        site = _start(tmp_path_factory, live_template, name, **options)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.close()
        site.drop_database()


@pytest.fixture(scope="module")
def redis_servers(tmp_path_factory) -> Iterator[Callable[..., RedisServer]]:
    if not shutil.which("redis-server") and not os.path.exists("/usr/bin/redis-server"):
        pytest.skip("redis-server is not installed")
    servers: list[RedisServer] = []

    def make(name: str = "redis", port: int | None = None) -> RedisServer:
        server = RedisServer(tmp_path_factory.mktemp(name), port=port)
        server.start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.kill()
