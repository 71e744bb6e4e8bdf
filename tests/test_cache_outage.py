"""The Redis cache backend degrades to misses while Redis is down, and recovers by itself.

Each test starts its own redis-server on a free port (never the shared one on 6379) and
kills only that process. Time is a fake clock given to the backend, so the once-a-minute
warning and the back-off are tested without sleeping.
"""

import logging
import socket
import subprocess
import time

import pytest
import redis

from config import cache as cache_module
from config.cache import PooledRedisCache

REDIS_SERVER = "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One redis-server of this test's own, which the test may stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--save", "", "--appendonly", "no"]
            + ["--bind", "127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        probe = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 5
        while True:
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.02)
            finally:
                probe.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def no_outage_state(monkeypatch):
    """Outage state is per process and LOCATION; a port may come round again in a later test."""
    monkeypatch.setattr(cache_module, "_outages", {})


@pytest.fixture
def redis_server():
    server = RedisServer(free_port())
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def clock():
    return FakeClock()


def backend(port: int, clock: FakeClock | None = None, **options) -> PooledRedisCache:
    cache = PooledRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options})
    if clock is not None:
        cache.clock = clock
    return cache


def assert_every_operation_misses(cache: PooledRedisCache) -> None:
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("a") is False
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("a") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.touch("a") is False
    assert not cache.clear()
    with pytest.raises(ValueError):
        cache.incr("a")
    with pytest.raises(ValueError):
        cache.decr("a")
    assert cache.get_or_set("a", lambda: "computed") == "computed"
    assert cache.get("a") is None  # get_or_set stored nothing


def test_operations_work_while_redis_answers(redis_server):
    cache = backend(redis_server.port)
    cache.set("a", {"x": 1})
    assert cache.get("a") == {"x": 1}
    assert cache.set_many({"b": 2, "c": 3}) == []
    assert cache.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": 2, "c": 3}
    assert cache.incr("b") == 3
    assert cache.add("a", "other") is False
    assert cache.get_or_set("d", "computed") == "computed"
    assert cache.has_key("d")
    assert cache.delete("d") is True
    assert cache.is_available()
    assert cache.last_failure is None


def test_every_operation_is_a_miss_when_nothing_listens(caplog):
    # No back-off: each operation really tries to connect, and each must answer as a miss.
    cache = backend(free_port(), outage_backoff=0)
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert_every_operation_misses(cache)
    assert cache.last_failure is not None
    assert "Cache unreachable" in caplog.text


def test_killed_redis_means_misses(redis_server):
    cache = backend(redis_server.port, outage_backoff=0)
    cache.set("a", "value")
    assert cache.get("a") == "value"  # the pool now holds a live connection
    redis_server.kill()
    assert_every_operation_misses(cache)


def test_programming_errors_still_raise(redis_server):
    cache = backend(redis_server.port)
    cache.set("text", "not a number")
    with pytest.raises(redis.ResponseError):
        cache.incr("text")
    assert cache.is_available()


def test_warning_logged_once_a_minute_without_password(caplog, clock):
    port = free_port()
    cache = PooledRedisCache(
        f"redis://:s3cret@127.0.0.1:{port}/0?password=s3cret", {"OPTIONS": {"outage_backoff": 0}}
    )
    cache.clock = clock
    with caplog.at_level(logging.INFO, logger="config.cache"):
        for _ in range(500):  # 500 failed connects within 50 s
            assert cache.get("a") is None
            clock.now += 0.1
        assert len(caplog.records) == 1
        clock.now += 11  # a minute after the first warning
        cache.get("a")
    assert [record.levelno for record in caplog.records] == [logging.WARNING] * 2
    message = caplog.records[0].getMessage()
    assert f"redis://127.0.0.1:{port}/0" in message
    assert "unreachable" in message and "served uncached" in message
    assert "s3cret" not in caplog.text


def test_backoff_means_no_connect_attempt(monkeypatch, clock):
    cache = backend(free_port(), clock)
    pool = cache._cache._get_connection_pool(True)
    calls = []
    get_connection = pool.get_connection
    monkeypatch.setattr(pool, "get_connection", lambda *a, **k: calls.append(1) or get_connection())

    assert cache.get("a") is None
    assert len(calls) == 1
    assert not cache.is_available()
    for _ in range(100):
        clock.now += 0.019  # 1.9 s in all, within the 2 s back-off
        assert cache.get("a") is None
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.last_failure == clock.now  # a lost write is on record
    assert len(calls) == 1

    clock.now += 0.2
    assert cache.is_available()
    assert cache.get("a") is None
    assert len(calls) == 2  # tried again, failed again
    assert not cache.is_available()


def test_recovers_by_itself_after_restart(redis_server, caplog, clock):
    cache = backend(redis_server.port, clock)
    cache.set("a", "before")
    redis_server.kill()
    with caplog.at_level(logging.INFO, logger="config.cache"):
        assert cache.get("a") is None
        redis_server.start()  # same port
        assert cache.get("a") is None  # still in the back-off: Redis not asked
        clock.now += cache.outage_backoff
        cache.set("a", "after")
        assert cache.get("a") == "after"
        assert cache.is_available()
    assert [record.levelno for record in caplog.records] == [logging.WARNING, logging.INFO]
    assert "cache reachable again" in caplog.records[1].getMessage()


def test_set_many_while_down_returns_all_keys(redis_server, clock):
    cache = backend(redis_server.port, clock)
    redis_server.kill()
    data = {"a": 1, "b": 2, "c": 3}
    assert cache.set_many(data) == ["a", "b", "c"]  # the attempt that failed
    assert cache.set_many(data, version=2) == ["a", "b", "c"]  # the back-off after it


def test_default_timeouts_bound_a_blackholed_host():
    cache = backend(free_port())
    assert cache._cache._pool_options["socket_connect_timeout"] == 0.5
    assert cache._cache._pool_options["socket_timeout"] == 1.0
    assert "outage_backoff" not in cache._cache._pool_options
    own = backend(free_port(), socket_timeout=3, outage_backoff=5)
    assert own._cache._pool_options["socket_timeout"] == 3
    assert own.outage_backoff == 5
