"""gzip for cached pages, without compressing the page again for every reader.

A page from the cache is the same shared bytes with a few per-reader values (form stamps)
between them. Each shared chunk is deflated once, ending on a byte boundary (a full flush),
and kept; a response is those segments in order with the per-reader values as stored
(uncompressed) blocks, a final empty block and gzip's trailer. The result is one ordinary
gzip stream. A shared chunk that follows another may refer back into it (the compressor is
primed with the previous chunk as its dictionary: the decompressor has just written those
bytes), so a page kept as many chunks compresses as well as one, and a change in one chunk
(a comment approved in one thread) deflates that chunk and the next again, not the page.
A per-reader value is never compressed with the rest of the page, so its bytes cannot be
guessed from the response's length (BREACH); the header also carries random padding, as
Django's GZipMiddleware does.
"""

from __future__ import annotations

import re
import secrets
import struct
import threading
import zlib
from collections import OrderedDict

from django.http import HttpRequest

from .conf import app_setting
from .holes import Chunks, Fresh, joined

GZIP_MAGIC = b"\x1f\x8b\x08"
FLAG_FNAME = 0x08
FINAL_EMPTY_BLOCK = b"\x03\x00"
STORED_BLOCK_MAX = 0xFFFF
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class _SegmentMemo:
    """Deflated chunks, and the CRC after each, keyed by the chunk and what came before: the
    same cached bytes object costs one dictionary lookup."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, build) -> object:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        value = build()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


segments = _SegmentMemo()


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")))


def encoded(chunks: Chunks, accept_encoding: str) -> tuple[bytes, str | None]:
    """A cached page's body as this browser accepts it, and its Content-Encoding."""
    level = app_setting("COMPRESS_LEVEL")
    if level and ACCEPTS_GZIP.search(accept_encoding):
        return gzip_chunks(chunks, level), "gzip"
    return joined(chunks), None


WINDOW = 1 << zlib.MAX_WBITS


def _deflated(chunk: bytes, level: int, previous: bytes | None = None) -> bytes:
    """``chunk`` deflated, referring back into ``previous`` (the shared bytes sent just
    before it) if given: never into a per-reader value."""
    if previous:
        compressor = zlib.compressobj(
            level, zlib.DEFLATED, -zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, previous[-WINDOW:]
        )
    else:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, 9)
    return compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)


def _stored(value: bytes) -> bytes:
    blocks = []
    for start in range(0, len(value), STORED_BLOCK_MAX):
        block = value[start : start + STORED_BLOCK_MAX]
        size = len(block)
        blocks.append(b"\x00" + struct.pack("<HH", size, size ^ 0xFFFF) + block)
    return b"".join(blocks)


def _header() -> bytes:
    padding = secrets.token_hex(secrets.randbelow(50) + 1).encode()  # random length, no NUL
    return GZIP_MAGIC + bytes([FLAG_FNAME]) + b"\x00\x00\x00\x00\x00\xff" + padding + b"\x00"


def gzip_chunks(chunks: Chunks, level: int) -> bytes:
    """One gzip stream of ``chunks``: shared chunks deflated once, fresh values stored."""
    out = [_header()]
    crc = 0
    size = 0
    before_fresh = True  # until then the running CRC is the same for every reader: kept
    previous = None  # the shared chunk just before, unless a per-reader value came between
    for chunk in chunks:
        if isinstance(chunk, Fresh):
            before_fresh = False
            previous = None
            out.append(_stored(chunk.value))
            crc = zlib.crc32(chunk.value, crc)
            size += len(chunk.value)
            continue
        out.append(
            segments.get(
                ("z", level, previous, chunk),
                lambda c=chunk, p=previous: _deflated(c, level, p),
            )
        )
        previous = chunk
        if before_fresh:
            crc = segments.get(("crc", crc, chunk), lambda c=chunk, p=crc: zlib.crc32(c, p))
        else:
            crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    out.append(FINAL_EMPTY_BLOCK)
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)
