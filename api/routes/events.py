"""The live side of a map: its event stream, and who is on it.

`GET /maps/{id}/events` is a stream of server-sent events (sse-starlette):

    event: change
    id: 8
    data: {"version": 8, "author": {"id": "u1", "display_name": "Ben"},
           "summary": "Ben added an objection to “…”", "added": ["c9", "r9"], ...}

Kinds: `change`, `comment`, `presence` and `reset` (too far behind: read the map again). Every
event's id is the map version the client is up to date with once it has the event, so the
browser's automatic reconnect (which sends `Last-Event-ID`) gets exactly the changes it missed,
rebuilt from the revisions, or a `reset` when it missed more than ARGMAP_EVENTS_REPLAY_MAX.
Comments are not replayed: a client that reconnects reads the threads it shows again. A comment
line is sent every ARGMAP_EVENTS_HEARTBEAT_SECONDS; a stream is closed after
ARGMAP_EVENTS_STREAM_SECONDS (the browser reconnects and misses nothing).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy.exc import DBAPIError
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.auth.access import CanView
from api.deps import SettingsDep, StoreDep
from api.events import Broker, Event, Notice, Stream
from api.events.build import Builder
from api.responses import answers, operation_id
from api.routes.comments import targets
from api.settings import Settings
from api.store.presence import PresenceStore
from models import InvalidInputError
from models.events import Presence, PresenceUpdate
from models.people import Person

log = logging.getLogger("argmap")
router = APIRouter(tags=["events"], generate_unique_id_function=operation_id)
RETRY_MILLISECONDS = 2000  # how soon a browser reconnects after a stream ends
EVENT_SCHEMA = {
    "description": "One event. `data` is JSON: ChangeEvent, CommentEvent, Presence or "
    "ResetEvent (models/events.py) by `event`.",
    "type": "object",
    "required": ["event", "id", "data"],
    "properties": {
        "event": {"enum": ["change", "comment", "presence", "reset"]},
        "id": {"type": "string", "pattern": "^[0-9]+$", "description": "A map version."},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "retry": {"type": "integer", "minimum": 0},
    },
}


def _broker(request: Request) -> Broker:
    broker: Broker = request.app.state.broker
    return broker


def _builder(request: Request) -> Builder:
    builder: Builder = request.app.state.builder
    return builder


def _presence(request: Request) -> PresenceStore:
    presence: PresenceStore = request.app.state.presence
    return presence


BrokerDep = Annotated[Broker, Depends(_broker)]
BuilderDep = Annotated[Builder, Depends(_builder)]
PresenceDep = Annotated[PresenceStore, Depends(_presence)]


def _last_seen(header: str | None) -> int | None:
    """The version a reconnecting client had; -1 for an id that is not one of ours."""
    if header is None or not header.strip():
        return None
    return int(header) if header.strip().isdigit() and len(header) < 12 else -1


def _sse(event: Event, version: int) -> ServerSentEvent:
    data = json.dumps(event.data, ensure_ascii=False, separators=(",", ":"))
    return ServerSentEvent(data=data, event=event.kind, id=str(version), retry=RETRY_MILLISECONDS)


class _Viewer:
    """One open stream: what it has sent, and the presence row it keeps fresh."""

    def __init__(self, map_id: str, person: Person | None, stream: Stream, version: int) -> None:
        self.map_id = map_id
        self.person = person
        self.stream = stream
        self.version = version  # the latest map version this client has been told of
        self.client = "s-" + secrets.token_hex(12)
        self.people: dict[str, Any] | None = None  # the presence it was last told


async def _opening(
    viewer: _Viewer, last: int | None, builder: Builder, replay_max: int
) -> list[ServerSentEvent]:
    """What a new stream says first: the changes it missed (or a reset), and who is here."""
    events: list[ServerSentEvent] = []
    if last is not None and last != viewer.version:
        behind = viewer.version - last
        if last < 0 or behind < 0 or behind > replay_max:
            events.append(_sse(Event("reset", {"version": viewer.version}), viewer.version))
        else:
            missed = await anyio.to_thread.run_sync(
                builder.replay, viewer.map_id, last, viewer.version
            )
            events.extend(_sse(event, event.version or viewer.version) for event in missed)
    here = await anyio.to_thread.run_sync(builder.people, viewer.map_id)
    viewer.people = here.data
    events.append(_sse(here, viewer.version))
    return events


async def _follow(
    viewer: _Viewer, builder: Builder, presence: PresenceStore, settings: Settings
) -> AsyncIterator[ServerSentEvent]:
    """Pass on the events of the map until the stream's time is up or it falls behind."""
    deadline = anyio.current_time() + settings.events_stream_seconds
    refresh = settings.presence_timeout_seconds / 3
    while (left := deadline - anyio.current_time()) > 0:
        event = await viewer.stream.next(timeout=min(refresh, left))
        if viewer.stream.behind:
            version = await anyio.to_thread.run_sync(builder.store.get_version, viewer.map_id)
            yield _sse(Event("reset", {"version": version}), version)
            return
        if event is None:  # quiet: say we are still here, and notice who fell silent
            if viewer.person is not None:
                await anyio.to_thread.run_sync(presence.seen, viewer.client)
            event = await anyio.to_thread.run_sync(builder.people, viewer.map_id)
        if event.kind == "presence":
            if event.data == viewer.people:
                continue
            viewer.people = event.data
        if event.kind == "change":
            if event.version is None or event.version <= viewer.version:
                continue  # already replayed
            viewer.version = event.version
        yield _sse(event, viewer.version)


def _leave(viewer: _Viewer, presence: PresenceStore, broker: Broker) -> None:
    """Take the viewer off the map; if the database cannot be reached, the row times out."""
    try:
        presence.leave(viewer.client)
        broker.publish(Notice(viewer.map_id, "presence"))
    except DBAPIError as error:
        log.info("could not take stream %s off map %s: %s", viewer.client, viewer.map_id, error)


@router.get(
    "/maps/{map_id}/events",
    response_class=EventSourceResponse,
    responses={
        200: {
            "description": "A stream of server-sent events: change, comment, presence, reset.",
            "content": {"text/event-stream": {"schema": EVENT_SCHEMA}},
        },
        **answers(401, 404, 422, 429, 503),
    },
)
async def map_events(
    map_id: str,
    allowed: CanView,
    store: StoreDep,
    settings: SettingsDep,
    broker: BrokerDep,
    builder: BuilderDep,
    presence: PresenceDep,
    last_event_id: Annotated[
        str | None,
        Header(max_length=40, description="The id of the last event received (a map version)."),
    ] = None,
) -> EventSourceResponse:
    """Changes, comments and presence of the map as they happen (server-sent events)."""
    person = allowed.caller.person
    stream = broker.open(map_id, person.id if person else None)
    try:
        version = await anyio.to_thread.run_sync(store.get_version, map_id)
        viewer = _Viewer(map_id, person, stream, version)
        if person is not None:
            await anyio.to_thread.run_sync(presence.arrive, viewer.client, map_id, person)
            await anyio.to_thread.run_sync(broker.publish, Notice(map_id, "presence"))
        opening = await _opening(
            viewer, _last_seen(last_event_id), builder, settings.events_replay_max
        )
    except BaseException:
        broker.close(stream)
        raise

    async def events() -> AsyncIterator[ServerSentEvent]:
        try:
            for event in opening:
                yield event
            async for event in _follow(viewer, builder, presence, settings):
                yield event
        finally:
            broker.close(stream)
            if person is not None:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(_leave, viewer, presence, broker)

    return EventSourceResponse(
        events(),
        ping=settings.events_heartbeat_seconds,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        send_timeout=settings.events_heartbeat_seconds * 2,
    )


@router.get(
    "/maps/{map_id}/presence", response_model=Presence, responses=answers(401, 404, 422, 503)
)
def get_presence(map_id: str, allowed: CanView, presence: PresenceDep) -> Presence:
    """Who has the map open now (signed-in people), and what each edits."""
    return Presence(people=presence.people(map_id))


@router.put(
    "/maps/{map_id}/presence",
    response_model=Presence,
    responses=answers(400, 401, 404, 422, 429, 503),
)
def put_presence(
    map_id: str,
    body: PresenceUpdate,
    allowed: CanView,
    store: StoreDep,
    broker: BrokerDep,
    presence: PresenceDep,
) -> Presence:
    """Say what you edit now (a claim or relation id, or null): others see it as a soft lock
    that never blocks. Someone not signed in is not shown, and this changes nothing for them."""
    person = allowed.caller.person
    if person is None:
        return Presence(people=presence.people(map_id))
    if body.editing is not None and body.editing not in targets(store.get_map(map_id)):
        raise InvalidInputError(
            f"no claim or relation {body.editing!r} in this map", loc=("body", "editing")
        )
    presence.editing(map_id, person, body.editing)
    broker.publish(Notice(map_id, "presence"))
    return Presence(people=presence.people(map_id))
