"""The broker of one server process: notices in, events out to the open streams of each map.

    broker = Broker(builder.build, settings)        # builder: api/events/build.py
    await broker.start()                            # in the app's lifespan
    stream = broker.open("m1", person_id="u1")      # GET /maps/m1/events
    broker.publish(Notice("m1", "change", {"version": 8}))    # from any thread, after a write
    event = await stream.next(timeout=15)           # Event("change", {...}, id="8")
    broker.close(stream)

Notices are turned into events one at a time, in the order they arrive, by one task; each event
is built once however many streams receive it. A stream whose queue is full (a client that does
not read) is marked behind and gets a `reset` instead of what it missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from models import BusyError, TooManyRequestsError

log = logging.getLogger("argmap")
Kind = Literal["change", "comment", "presence", "reset"]


@dataclass(frozen=True)
class Notice:
    """What happened, small enough for a PostgreSQL NOTIFY (at most 8000 bytes)."""

    map_id: str
    kind: Kind
    ref: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"map": self.map_id, "kind": self.kind, "ref": self.ref})

    @classmethod
    def from_json(cls, text: str) -> Notice:
        value = json.loads(text)
        return cls(map_id=value["map"], kind=value["kind"], ref=value.get("ref", {}))


@dataclass(frozen=True)
class Event:
    """One server-sent event; `version` is the map version it was made at (None: any)."""

    kind: Kind
    data: dict[str, Any]
    version: int | None = None


class Stream:
    """One open event stream of one map: a bounded queue of events."""

    def __init__(self, map_id: str, person_id: str | None, size: int) -> None:
        self.map_id = map_id
        self.person_id = person_id
        self.behind = False
        self._queue: asyncio.Queue[Event] = asyncio.Queue(size)

    def offer(self, event: Event) -> None:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.behind = True

    async def next(self, timeout: float) -> Event | None:
        """The next event, or None when none came within `timeout` seconds."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


Build = Callable[[Notice], Event | None]


class Broker:
    """Streams of this process by map, and the one task that feeds them."""

    def __init__(
        self, build: Build, *, max_streams: int, max_per_person: int, queue_size: int
    ) -> None:
        self.build = build
        self.max_streams = max_streams
        self.max_per_person = max_per_person
        self.queue_size = queue_size
        self.streams: dict[str, set[Stream]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._inbox: asyncio.Queue[Notice] | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._inbox = asyncio.Queue()
        self._task = asyncio.create_task(self._dispatch(), name="argmap-events")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._loop = None

    @property
    def started(self) -> bool:
        return self._loop is not None

    def publish(self, notice: Notice) -> None:
        """Tell this process's streams (PostgreSQL: every process's, see postgres.py)."""
        self.deliver(notice)

    def deliver(self, notice: Notice) -> None:
        """Hand a notice to the dispatching task; safe from any thread; a no-op before start."""
        loop, inbox = self._loop, self._inbox
        if loop is None or inbox is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(inbox.put_nowait, notice)

    async def _dispatch(self) -> None:
        assert self._inbox is not None
        while True:
            notice = await self._inbox.get()
            if not self.streams.get(notice.map_id):
                continue  # nobody watches this map here: nothing to build
            try:
                event = await asyncio.to_thread(self.build, notice)
            except Exception:
                log.exception("could not build the %s event of map %s", notice.kind, notice.map_id)
                continue
            for stream in list(self.streams.get(notice.map_id, ())):
                if event is not None:
                    stream.offer(event)

    def reset_all(self) -> None:
        """Mark every stream behind (the notices may have been lost): each gets a reset."""
        for streams in self.streams.values():
            for stream in streams:
                stream.behind = True
                stream.offer(Event("reset", {}))

    def open(self, map_id: str, person_id: str | None) -> Stream:
        """A new stream of `map_id`; refused when this process holds too many."""
        held = [stream for streams in self.streams.values() for stream in streams]
        if len(held) >= self.max_streams:
            raise BusyError(
                f"this server holds the most event streams it may, {self.max_streams} "
                "(ARGMAP_EVENTS_MAX_STREAMS); try again later",
                loc=("events",),
                retry_after=30,
            )
        if person_id is not None:
            own = sum(1 for stream in held if stream.person_id == person_id)
            if own >= self.max_per_person:
                raise TooManyRequestsError(
                    f"you have {own} event streams open, the most allowed "
                    "(ARGMAP_EVENTS_MAX_STREAMS_PER_PERSON): close a tab",
                    loc=("events",),
                    retry_after=30,
                )
        stream = Stream(map_id, person_id, self.queue_size)
        self.streams.setdefault(map_id, set()).add(stream)
        return stream

    def close(self, stream: Stream) -> None:
        streams = self.streams.get(stream.map_id)
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del self.streams[stream.map_id]
