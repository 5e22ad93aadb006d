"""The event stream of a map, against real server processes: what a change says, order, resume
with Last-Event-ID, presence, comments, limits, and the fan-out between two processes on one
PostgreSQL database."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import BACKENDS, empty_database
from httpx_sse import connect_sse
from live import ADMIN, LiveServer

from api.settings import Settings
from api.store import Store, open_store
from api.store.people import People
from api.store.presence import PresenceStore
from models import MapContent
from models.people import Person

WAIT = 20.0  # generous: a condition is waited for, never timed


@dataclass
class Reader:
    """Reads one event stream in a thread; `wait_for` waits until an event matches."""

    url: str
    headers: dict[str, str]
    events: list[tuple[str, str, Any]] = field(default_factory=list)
    status: int | None = None
    opened: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    response: httpx.Response | None = None
    seen: int = 0  # events before this one were matched already

    def start(self) -> Reader:
        threading.Thread(target=self._read, daemon=True).start()
        assert self.opened.wait(WAIT), "the stream did not open"
        return self

    def _read(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(WAIT, read=None)) as client,
                connect_sse(client, "GET", self.url, headers=self.headers) as source,
            ):
                self.response = source.response
                self.status = source.response.status_code
                self.opened.set()
                for sse in source.iter_sse():
                    if sse.event == "message" and not sse.data:
                        continue  # a heartbeat (a comment line)
                    with self.lock:
                        self.events.append((sse.event, sse.id, json.loads(sse.data)))
        except (httpx.HTTPError, RuntimeError):
            pass
        finally:
            self.opened.set()

    def wait_for(self, match: Callable[[str, Any], bool]) -> tuple[str, str, Any]:
        """The next event (after the last one matched) that matches."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            with self.lock:
                for index in range(self.seen, len(self.events)):
                    if match(self.events[index][0], self.events[index][2]):
                        self.seen = index + 1
                        return self.events[index]
            time.sleep(0.02)
        raise AssertionError(f"no such event came; got {self.kinds()}")

    def kinds(self) -> list[str]:
        with self.lock:
            return [kind for kind, _, _ in self.events]

    def changes(self) -> list[tuple[str, Any]]:
        with self.lock:
            return [(id_, data) for kind, id_, data in self.events if kind == "change"]

    def close(self) -> None:
        if self.response is not None:
            self.response.close()


@dataclass
class Group:
    """A map with people on it, and their bearer headers."""

    map_id: str
    headers: dict[str, dict[str, str]]
    ids: dict[str, str]


def _group(store: Store, base: str, names: tuple[str, ...] = ("ana", "ben")) -> Group:
    people = People(store.engine)
    created = httpx.post(f"{base}/api/v1/maps", headers=ADMIN, json={"title": "Ours"})
    assert created.status_code == 201, created.text
    map_id = created.json()["id"]
    headers, ids = {"admin": ADMIN}, {"admin": "admin"}
    for name in names:
        found = people.find_username(name)
        user = found[0] if found else people.create_user(name, name.title(), password_hash=None)
        people.set_member(map_id, user.id, "editor")
        token = people.create_token(user.id, "events test").token
        headers[name] = {"Authorization": f"Bearer {token}"}
        ids[name] = user.id
    return Group(map_id, headers, ids)


def _events(base: str, group: Group, who: str, last: str | None = None) -> Reader:
    headers = dict(group.headers[who])
    if last is not None:
        headers["Last-Event-ID"] = last
    return Reader(f"{base}/api/v1/maps/{group.map_id}/events", headers).start()


def _add(base: str, group: Group, who: str, text: str, **relation: str) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text}
    if relation:
        body["relation"] = relation
    answer = httpx.post(
        f"{base}/api/v1/maps/{group.map_id}/claims", headers=group.headers[who], json=body
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.fixture(scope="module", params=BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store for the module's tests (each makes a map and people of its own)."""
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path_factory.mktemp("events"), load_sample=False)
        sqlite_store = open_store(settings)
        yield sqlite_store
        sqlite_store.engine.dispose()
        return
    pg_store: Store = request.getfixturevalue("postgres_store")
    empty_database(pg_store)
    yield pg_store


@pytest.fixture(scope="module")
def server(backend: Store) -> Iterator[LiveServer]:
    """One server process on each backend for the tests that need no settings of their own."""
    settings = backend.settings.model_copy(
        update={"events_heartbeat_seconds": 1.0, "events_replay_max": 3}
    )
    with LiveServer(settings) as live:
        yield live


@pytest.fixture
def store(backend: Store) -> Store:
    return backend


def test_a_change_reaches_the_other_viewer_in_words(server: LiveServer, store: Store) -> None:
    group = _group(store, server.url)
    ana = _events(server.url, group, "ana")
    assert ana.status == 200
    thesis = _add(server.url, group, "ben", "Workers can run the factories")
    objection = _add(
        server.url,
        group,
        "ben",
        "Nobody would coordinate",
        kind="objection",
        target_claim=thesis["claim"]["id"],
    )
    _, event_id, data = ana.wait_for(lambda kind, d: kind == "change" and d["version"] == 3)
    assert event_id == "3"
    assert data["author"] == {"id": group.ids["ben"], "display_name": "Ben"}
    assert data["summary"] == "Ben added an objection to “Workers can run the factories”"
    assert sorted(data["added"]) == sorted([objection["claim"]["id"], objection["relation"]["id"]])
    assert data["changed"] == []
    assert data["removed"] == []
    assert [id_ for id_, _ in ana.changes()] == ["2", "3"]  # in order, each once
    ana.close()


def test_a_reconnect_gets_what_it_missed_or_a_reset(server: LiveServer, store: Store) -> None:
    group = _group(store, server.url)
    for number in range(3):
        _add(server.url, group, "ben", f"Claim {number}")  # versions 2, 3, 4
    resumed = _events(server.url, group, "ana", last="2")
    resumed.wait_for(lambda kind, d: kind == "presence")
    assert [id_ for id_, _ in resumed.changes()] == ["3", "4"]
    assert resumed.changes()[0][1]["summary"] == "Ben added the claim “Claim 1”"
    resumed.close()
    for last in ("0", "99", "not-a-version"):  # too far behind (replay max 3), ahead, not ours
        reader = _events(server.url, group, "ana", last=last)
        _kind, event_id, data = reader.wait_for(lambda kind, d: kind == "reset")
        assert (event_id, data) == ("4", {"version": 4})
        assert reader.changes() == []
        reader.close()
    up_to_date = _events(server.url, group, "ana", last="4")
    up_to_date.wait_for(lambda kind, d: kind == "presence")
    assert "reset" not in up_to_date.kinds()
    assert up_to_date.changes() == []
    up_to_date.close()


def test_presence_shows_who_is_here_and_what_they_edit(server: LiveServer, store: Store) -> None:
    group = _group(store, server.url)
    claim = _add(server.url, group, "admin", "A claim")["claim"]["id"]
    ben = _events(server.url, group, "ben")
    ana = _events(server.url, group, "ana")
    url = f"{server.url}/api/v1/maps/{group.map_id}/presence"
    ben.wait_for(lambda kind, d: kind == "presence" and len(d["people"]) == 2)
    answer = httpx.put(url, headers=group.headers["ana"], json={"editing": claim})
    assert answer.status_code == 200, answer.text
    ana_editing = {"id": group.ids["ana"], "display_name": "Ana", "editing": claim}
    ben.wait_for(lambda kind, d: kind == "presence" and ana_editing in d["people"])
    people = httpx.get(url, headers=group.headers["ben"]).json()["people"]
    assert ana_editing in people
    assert (
        httpx.put(url, headers=group.headers["ana"], json={"editing": "c-nope"}).status_code == 422
    )
    ana.close()  # Ana leaves: gone, and what she edited with her
    ben.wait_for(
        lambda kind, d: (
            kind == "presence" and group.ids["ana"] not in [p["id"] for p in d["people"]]
        )
    )
    people = httpx.get(url, headers=group.headers["ben"]).json()["people"]
    assert [p["display_name"] for p in people] == ["Ben"]
    ben.close()


def test_comments_are_pushed(server: LiveServer, store: Store) -> None:
    group = _group(store, server.url)
    claim = _add(server.url, group, "admin", "A claim")["claim"]["id"]
    ana = _events(server.url, group, "ana")
    comments = f"{server.url}/api/v1/maps/{group.map_id}/comments"
    made = httpx.post(
        comments, headers=group.headers["ben"], json={"target": claim, "text": "Why so?"}
    ).json()
    _, _, data = ana.wait_for(lambda kind, d: kind == "comment" and d["action"] == "added")
    assert data["target"] == claim
    assert data["comment_id"] == made["id"]
    assert data["comment"]["text"] == "Why so?"
    assert data["author"]["display_name"] == "Ben"
    httpx.patch(f"{comments}/{made['id']}", headers=group.headers["ben"], json={"resolved": True})
    ana.wait_for(lambda kind, d: kind == "comment" and d["action"] == "resolved")
    httpx.delete(f"{comments}/{made['id']}", headers=group.headers["ben"])
    _, _, data = ana.wait_for(lambda kind, d: kind == "comment" and d["action"] == "deleted")
    assert data["comment"] is None
    ana.close()


def test_streams_per_person_are_bounded(sqlite_store: Store) -> None:
    store = sqlite_store
    settings = store.settings.model_copy(update={"events_max_streams_per_person": 1})
    with LiveServer(settings) as server:
        group = _group(store, server.url)
        first = _events(server.url, group, "ana")
        second = httpx.get(
            f"{server.url}/api/v1/maps/{group.map_id}/events", headers=group.headers["ana"]
        )
        assert second.status_code == 429
        assert "Retry-After" in second.headers
        assert "ARGMAP_EVENTS_MAX_STREAMS_PER_PERSON" in second.json()["detail"]
        other = _events(server.url, group, "ben")  # someone else still gets in
        assert other.status == 200
        first.close()
        other.close()


def test_a_stream_ends_on_time_and_a_public_map_streams_to_anyone(sqlite_store: Store) -> None:
    store = sqlite_store
    settings = store.settings.model_copy(update={"events_stream_seconds": 1.0})
    with LiveServer(settings) as server:
        group = _group(store, server.url)
        People(store.engine).set_visibility(group.map_id, "public")
        url = f"{server.url}/api/v1/maps/{group.map_id}/events"
        with httpx.stream("GET", url, timeout=WAIT) as answer:  # anonymous
            assert answer.status_code == 200
            text = "".join(answer.iter_text())  # ends by itself after a second
        assert "event: presence" in text
        assert "retry: 2000" in text
        nobody = httpx.put(
            f"{server.url}/api/v1/maps/{group.map_id}/presence", json={"editing": None}
        )
        assert nobody.status_code == 200
        assert nobody.json() == {"people": []}


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """An SQLite store of its own, for a test that starts a server with its own settings
    (what it checks does not depend on the database)."""
    sqlite = open_store(Settings(data_dir=tmp_path, load_sample=False))
    yield sqlite
    sqlite.engine.dispose()


def test_presence_expires_when_a_client_falls_silent(store: Store) -> None:
    now = [datetime(2026, 12, 1, 12, tzinfo=UTC)]
    presence = PresenceStore(store.engine, timeout_seconds=45, clock=lambda: now[0])
    created = store.create_map(MapContent(title="Here"))
    ana = Person(id="admin", display_name="Admin")
    presence.arrive("s-1", created.id, ana)
    presence.editing(created.id, ana, None)
    assert [p.id for p in presence.people(created.id)] == ["admin"]
    now[0] += timedelta(seconds=30)
    presence.seen("s-1")  # the stream is alive
    now[0] += timedelta(seconds=30)
    assert [p.id for p in presence.people(created.id)] == ["admin"]
    now[0] += timedelta(seconds=46)  # silent for longer than the timeout
    assert presence.people(created.id) == []
    now[0] += timedelta(seconds=450)
    assert presence.forget_stale() >= 2  # hers, and any other test's left behind


def test_two_processes_on_one_postgresql_share_their_events(request: pytest.FixtureRequest) -> None:
    pg_store: Store = request.getfixturevalue("postgres_store")
    settings = pg_store.settings.model_copy(update={"events_heartbeat_seconds": 1.0})
    with LiveServer(settings) as first, LiveServer(settings) as second:
        group = _group(pg_store, first.url)
        ana = _events(second.url, group, "ana")  # Ana reads from the second process
        ben = _events(first.url, group, "ben")  # Ben from the first
        thesis = _add(first.url, group, "ben", "Written through the first")
        _, event_id, data = ana.wait_for(lambda kind, d: kind == "change")
        assert event_id == "2"
        assert data["added"] == [thesis["claim"]["id"]]
        httpx.put(
            f"{second.url}/api/v1/maps/{group.map_id}/presence",
            headers=group.headers["ana"],
            json={"editing": thesis["claim"]["id"]},
        )
        ben.wait_for(
            lambda kind, d: (
                kind == "presence"
                and {
                    "id": group.ids["ana"],
                    "display_name": "Ana",
                    "editing": thesis["claim"]["id"],
                }
                in d["people"]
            )
        )
        httpx.post(
            f"{second.url}/api/v1/maps/{group.map_id}/comments",
            headers=group.headers["ana"],
            json={"target": thesis["claim"]["id"], "text": "From the second"},
        )
        ben.wait_for(
            lambda kind, d: kind == "comment" and d["comment"]["text"] == "From the second"
        )
        assert [id_ for id_, _ in ben.changes()] == ["2"]
        ana.close()
        ben.close()
