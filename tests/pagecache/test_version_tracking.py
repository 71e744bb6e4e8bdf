"""Versions kept in each process until Redis reports a change (pagecache/tracking.py).

Against a redis-server of the test's own (never the shared one): another client stands for
another process (a management command, the other gunicorn worker) changing a version.
"""

from __future__ import annotations

import pytest
import redis
from django.core.cache import caches

from pagecache import tracking, versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(own_redis, settings):
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.PooledRedisCache", "LOCATION": own_redis.url},
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.PAGECACHE_VERSION_STORE = "cache"
    tracking.reset()
    cache = caches["default"]
    cache.clear()
    yield cache
    tracking.reset()


@pytest.fixture
def other_process(own_redis, redis_cache):
    """Writes as another process would: its own connection, the cache's key format."""
    client = redis.Redis.from_url(own_redis.url)

    def write(key: str, value: str) -> None:
        raw = redis_cache._cache._serializer.dumps(value)
        client.set(redis_cache.make_and_validate_key(key), raw)
        client.ping()  # as write_versions does (tracking.settle): the messages are sent

    yield write
    client.close()


def commands_sent(monkeypatch) -> list[tuple]:
    """The commands the tracking connection sends from now on."""
    sent: list[tuple] = []
    reader = tracking.tracked_reader(caches["default"])
    original = reader.connection.send_command

    def spy(*args, **kwargs):
        sent.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(reader.connection, "send_command", spy)
    return sent


def test_a_version_read_again_costs_no_round_trip(redis_cache, monkeypatch):
    versions.write_versions({"pagecache:v:site": "one"})
    assert versions.read_versions(["pagecache:v:site"]) == {"pagecache:v:site": "one"}
    sent = commands_sent(monkeypatch)
    for _ in range(5):
        assert versions.read_versions(["pagecache:v:site"]) == {"pagecache:v:site": "one"}
    assert sent == []


def test_a_version_another_process_replaces_is_read_at_once(redis_cache, other_process):
    versions.write_versions({"pagecache:v:site": "one"})
    assert versions.read_versions(["pagecache:v:site"])["pagecache:v:site"] == "one"
    other_process("pagecache:v:site", "two")
    assert versions.read_versions(["pagecache:v:site"])["pagecache:v:site"] == "two"
    other_process("pagecache:v:site", "three")
    assert versions.read_versions(["pagecache:v:site"])["pagecache:v:site"] == "three"


def test_a_version_created_by_another_process_after_a_miss_is_seen(redis_cache, other_process):
    key = versions.path_key("/blog/never-stored/")
    assert versions.read_versions([key], create=False) == {}
    other_process(key, "made-elsewhere")
    assert versions.read_versions([key], create=False) == {key: "made-elsewhere"}


def test_this_processs_own_write_is_read_back_at_once(redis_cache):
    versions.write_versions({"pagecache:v:site": "one"})
    versions.read_versions(["pagecache:v:site"])
    versions.invalidate_site()
    assert versions.read_versions(["pagecache:v:site"])["pagecache:v:site"] != "one"


def test_a_flushed_cache_forgets_every_version(redis_cache):
    versions.write_versions({"pagecache:v:site": "one"})
    versions.read_versions(["pagecache:v:site"])
    redis_cache.clear()
    found = versions.read_versions(["pagecache:v:site"], create=False)
    assert found == {}


def test_a_dropped_connection_forgets_and_reads_again(redis_cache, own_redis, other_process):
    versions.write_versions({"pagecache:v:site": "one"})
    versions.read_versions(["pagecache:v:site"])
    admin = redis.Redis.from_url(own_redis.url)
    admin.execute_command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
    other_process("pagecache:v:site", "two")  # the invalidation has nowhere to go
    assert versions.read_versions(["pagecache:v:site"])["pagecache:v:site"] == "two"
    admin.close()


def test_a_cache_that_is_not_redis_is_read_as_before(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert tracking.tracked_reader(caches["default"]) is None


def test_a_silent_connection_is_asked_once_a_second_and_dropped_if_it_stays_silent(
    redis_cache, other_process, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(tracking.time, "monotonic", lambda: clock[0])
    versions.write_versions({"pagecache:v:site": "one"})
    versions.read_versions(["pagecache:v:site"])
    sent = commands_sent(monkeypatch)
    clock[0] += 0.5
    versions.read_versions(["pagecache:v:site"])
    assert sent == []
    clock[0] += 1
    versions.read_versions(["pagecache:v:site"])
    assert sent == [("PING",)]
    # A connection that lost its messages (a firewall dropped it) and cannot answer.
    reader = tracking.tracked_reader(caches["default"])

    def silent(*args, **kwargs):
        raise redis.TimeoutError("no answer")

    monkeypatch.setattr(reader.connection, "read_response", silent)
    monkeypatch.setattr(reader.connection, "can_read", lambda timeout=0: False)
    other_process("pagecache:v:site", "two")
    clock[0] += 2
    assert versions.read_versions(["pagecache:v:site"])["pagecache:v:site"] == "two"
    assert reader.connection is None  # dropped; a new one after the back-off


def test_every_write_another_process_settled_is_read_at_once(redis_cache, other_process):
    """Many times over, so the few microseconds Redis may hold its messages would show."""
    key = "pagecache:v:site"
    for number in range(300):
        other_process(key, f"v{number}")
        assert versions.read_versions([key])[key] == f"v{number}"
