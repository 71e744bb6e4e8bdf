"""A cache backend whose server is never there: every call raises, as a client library does
when it cannot connect (a backend that does not turn errors into misses itself)."""

from django.core.cache.backends.base import BaseCache


class UnreachableCache(BaseCache):
    calls = 0

    def __init__(self, server, params) -> None:
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        type(self).calls += 1
        raise ConnectionError("Connection refused")

    add = get = set = touch = delete = clear = get_many = set_many = delete_many = _fail
    has_key = incr = decr = _fail
