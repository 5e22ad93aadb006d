"""A bounded, thread-safe LRU cache of rendered diagrams, one per app.

Keys name everything the bytes depend on (map id, version or revision, format, options, engine
and its version, the drawing's style version), so an entry never goes stale: a changed map has
a new version and so a new key. The ETag is a hash of the key, which lets a request carrying a
matching `If-None-Match` get its 304 without rendering, even after the entry was evicted.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from fastapi import FastAPI

DEFAULT_MAX_BYTES = 256 * 1024 * 1024

_create_lock = threading.Lock()


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    title: str = ""


def etag_for(key: Hashable) -> str:
    """A strong ETag for the diagram a key describes."""
    return '"d-' + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32] + '"'


class RenderCache:
    """Least-recently-used diagrams, bounded by entry count and by total bytes."""

    def __init__(self, *, max_entries: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, rendered: Rendered) -> None:
        size = len(rendered.body)
        if self.max_entries <= 0 or size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = rendered
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes


def app_cache(app: FastAPI, *, max_entries: int, max_bytes: int = DEFAULT_MAX_BYTES) -> RenderCache:
    """The app's diagram cache, created on first use."""
    cache: RenderCache | None = getattr(app.state, "render_cache", None)
    if cache is None:
        with _create_lock:
            cache = getattr(app.state, "render_cache", None)
            if cache is None:
                cache = RenderCache(max_entries=max_entries, max_bytes=max_bytes)
                app.state.render_cache = cache
    return cache
