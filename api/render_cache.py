"""Bounded, thread-safe LRU caches of rendered diagrams and of evaluations, one each per app.

Keys name everything the bytes depend on (map id, version or revision, format, options, engine
and its version, the drawing's style version), so an entry never goes stale: a changed map has
a new version and so a new key. The ETag is a hash of the key, which lets a request carrying a
matching `If-None-Match` get its 304 without rendering, even after the entry was evicted.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from fastapi import FastAPI, Response

from api.store import Store
from api.work import Workload
from models import ArgumentMap

DEFAULT_MAX_BYTES = 256 * 1024 * 1024

_create_lock = threading.Lock()


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    title: str = ""


def etag_for(key: Hashable, kind: str = "d") -> str:
    """A strong ETag for what a key describes (`kind`: d for diagrams, e for evaluations)."""
    return f'"{kind}-' + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` header names this ETag (or is `*`)."""
    if not if_none_match:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag in tags


def not_modified(etag: str) -> Response:
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})


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


def cached_or_made(
    cache: RenderCache,
    store: Store,
    map_id: str,
    revision: int | None,
    *,
    current: int,
    key_for: Callable[[int], Hashable],
    make: Callable[[ArgumentMap, Hashable], Rendered],
    if_none_match: str | None,
    kind: str,
    work: Workload | None = None,
) -> Rendered | Response:
    """What `make` gives for a map's version (or a revision): cached, made on a miss, or a 304.
    `current` is the map's version as the access check read it (`Access.version`).

    The key of a version names everything the bytes depend on, so a client whose
    `If-None-Match` names its ETag gets the 304 without anything being loaded or made, even
    after the entry was evicted. Loading the map and making the bytes take a turn of `work`
    (bounded, api/work.py); one made by another request while this one waited is served.
    """
    if revision is not None and revision > current:
        store.get_revision(map_id, revision)  # raises the store's 404 with the valid range
    key = key_for(current if revision is None else revision)
    found = cache.get(key)
    if found is None and matches(if_none_match, etag_for(key, kind)):
        return not_modified(etag_for(key, kind))
    if found is None:
        # Loaded in the turn too: requests waiting for one do not each load the map at once.
        def load_and_make() -> tuple[Hashable, Rendered]:
            if revision is None:
                loaded = store.get_map(map_id)
            else:
                loaded = store.get_revision(map_id, revision)
            made = key_for(loaded.version)  # the map may have changed since access read it
            return made, cache.get(made) or make(loaded, made)

        key, found = load_and_make() if work is None else work.run(load_and_make)
        cache.put(key, found)
    if matches(if_none_match, found.etag):
        return not_modified(found.etag)
    return found


def app_cache(
    app: FastAPI,
    *,
    max_entries: int,
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str = "render_cache",
) -> RenderCache:
    """The app's cache called `name` (diagrams by default), created on first use."""
    cache: RenderCache | None = getattr(app.state, name, None)
    if cache is None:
        with _create_lock:
            cache = getattr(app.state, name, None)
            if cache is None:
                cache = RenderCache(max_entries=max_entries, max_bytes=max_bytes)
                setattr(app.state, name, cache)
    return cache
