"""GETs over HTTP as a browser sends them (Accept-Encoding), with the body's bytes as sent
(the transfer bytes) and as read once decoded.

No Django here: plain ``http.client``, one connection per GET, so a timed GET includes
connecting, as a new reader's would.
"""

from __future__ import annotations

import http.client
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from .options import ACCEPT_ENCODING

USER_AGENT = "clinic-bench/1"
GZIP_WBITS = 31  # zlib's window bits for the gzip container


@dataclass(frozen=True)
class Fetched:
    status: int  # 0: no HTTP answer at all (connection refused, reset, timeout)
    encoding: str  # the Content-Encoding answered ("" when none)
    transfer_bytes: int  # the body's length as sent
    body: bytes  # the body decoded
    seconds: float  # from connecting to the body's last byte
    gzip_members: int = 0  # gzip streams one after another in the body (1 for one stream)
    error: str = ""  # why the body could not be decoded (or no answer)


def gunzip(raw: bytes) -> tuple[bytes, int]:
    """The body of a gzip answer and how many gzip members it is made of (a browser expects
    one stream; some read no further than the first member)."""
    parts, members, rest = [], 0, raw
    while rest:
        stream = zlib.decompressobj(wbits=GZIP_WBITS)
        parts.append(stream.decompress(rest))
        parts.append(stream.flush())
        if not stream.eof:
            raise ValueError("truncated gzip stream")
        members += 1
        rest = stream.unused_data
    return b"".join(parts), members


def decode(raw: bytes, encoding: str) -> tuple[bytes, int]:
    """The decoded body and its gzip member count (0 when not gzip)."""
    if encoding in ("", "identity"):
        return raw, 0
    if encoding in ("gzip", "x-gzip"):
        return gunzip(raw)
    if encoding == "deflate":
        try:
            return zlib.decompress(raw), 0
        except zlib.error:  # some servers send raw deflate without the zlib wrapper
            return zlib.decompress(raw, -zlib.MAX_WBITS), 0
    if encoding == "br":
        try:
            import brotli  # optional: needed only if a server answers br
        except ImportError as error:
            raise ValueError("answered br but the brotli module is not installed") from error
        return brotli.decompress(raw), 0
    raise ValueError(f"unknown Content-Encoding {encoding!r}")


def get(url: str, accept_encoding: str | None = ACCEPT_ENCODING, timeout: float = 30.0) -> Fetched:
    """One GET; ``accept_encoding=None`` asks for the body uncompressed (``identity``).
    Connection errors are answered as status 0 rather than raised."""
    target = urlsplit(url)
    path = target.path + (f"?{target.query}" if target.query else "")
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": accept_encoding or "identity"}
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        seconds = time.perf_counter() - started
        encoding = (response.getheader("Content-Encoding") or "").strip().lower()
        status = response.status
    except OSError as error:
        return Fetched(0, "", 0, b"", 0.0, error=f"{error.__class__.__name__}: {error}")
    finally:
        connection.close()
    try:
        body, members = decode(raw, encoding)
    except (ValueError, zlib.error) as error:
        return Fetched(status, encoding, len(raw), b"", seconds, error=str(error))
    return Fetched(status, encoding, len(raw), body, seconds, members)
