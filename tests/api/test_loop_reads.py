"""Who calls and their access to a map are read in the event loop on an SQLite file, and in a
worker thread on PostgreSQL (api/store/database.py `loop_reader`): same answers either way, a
read in the loop does not wait for a writer that holds the write lock, and the one write of an
identification (noting a token's use) is never made in the loop."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from live import ADMIN

from api.app import create_app
from api.store import Store
from api.store.people import Access, People
from maps import edit
from models import ClaimCreate, MapContent
from models.people import User


@pytest.fixture
def watched(store: Store) -> Iterator[tuple[TestClient, list[str]]]:
    """The admin's client, and the name of the thread each access check of a map ran in."""
    threads: list[str] = []
    original = People.access

    def access(self: People, map_id: str, user: User | None, **options: object) -> Access | None:
        threads.append(threading.current_thread().name)
        return original(self, map_id, user, **options)  # type: ignore[arg-type]

    def watch(name: str) -> None:
        original = getattr(People, name)

        def wrapped(self: People, *args: Any, **options: Any) -> Any:
            threads.append(f"{name}: {threading.current_thread().name}")
            return original(self, *args, **options)

        patch.setattr(People, name, wrapped)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(People, "access", access)
        for name in ("find_token", "session_user", "note_token_use"):
            watch(name)
        with TestClient(create_app(store.settings, store=store), headers=ADMIN) as client:
            yield client, threads


def test_the_check_runs_in_the_loop_on_sqlite_and_in_a_worker_thread_on_postgresql(
    store: Store, watched: tuple[TestClient, list[str]]
) -> None:
    client, threads = watched
    made = client.post("/api/v1/maps", json={"title": "Where"}).json()
    threads.clear()
    assert client.get(f"/api/v1/maps/{made['id']}").status_code == 200
    assert client.get(f"/api/v1/maps/{made['id']}/evaluation").status_code == 200
    threads[:] = [name for name in threads if not name.startswith(("find_token", "note_"))]
    workers = [name.startswith("AnyIO worker thread") for name in threads]
    assert len(workers) == 2
    if store.engine.dialect.name == "sqlite":
        assert workers == [False, False], threads  # the event loop's own thread
    else:
        assert workers == [True, True], threads


def test_the_loop_reader_is_only_made_for_an_sqlite_file(store: Store) -> None:
    people = People(store.engine)
    if store.engine.dialect.name == "sqlite":
        assert people.loop_reader is not None
        assert people.loop_reader.url == store.engine.url
    else:
        assert people.loop_reader is None
    people.close()


def test_both_ways_give_the_same_access(store: Store) -> None:
    people = People(store.engine)
    made = store.create_map(MapContent(title="Same"), owner_id="admin")
    admin = people.get_user("admin")
    through = [None] if people.loop_reader is None else [None, people.loop_reader]
    for user in (None, admin):
        found = [people.access(made.id, user, engine=engine) for engine in through]
        assert all(access == found[0] for access in found)
    assert people.access(made.id, admin) == Access(made.id, "owner", "private", "admin", 1)
    assert people.access(made.id, None) == Access(made.id, None, "private", "admin", 1)
    assert people.access("nosuchmap", admin) is None
    people.close()


def test_a_read_in_the_loop_does_not_wait_for_a_writer(
    store: Store, watched: tuple[TestClient, list[str]]
) -> None:
    """While a write holds the write lock (and has changed the map, uncommitted), a GET of the
    map is answered at once with the version before it."""
    client, _ = watched
    made = client.post("/api/v1/maps", json={"title": "Busy"}).json()
    inside, release = threading.Event(), threading.Event()
    seen: list[tuple[int, int]] = []

    def slow_apply(content: MapContent, now: datetime) -> edit.Edit:
        changed = edit.add_claim(content, ClaimCreate(text="later"), now=now, limits=store.limits)
        inside.set()
        release.wait(60)
        return changed

    writer = threading.Thread(target=lambda: store.change(made["id"], slow_apply))
    writer.start()
    try:
        assert inside.wait(60)
        answer = client.get(f"/api/v1/maps/{made['id']}")
        seen.append((answer.status_code, answer.json()["version"]))
    finally:
        release.set()
        writer.join(60)
    assert seen == [(200, 1)]
    assert client.get(f"/api/v1/maps/{made['id']}").json()["version"] == 2


def test_the_caller_is_read_in_the_loop_on_sqlite_and_a_tokens_use_noted_in_a_thread(
    store: Store, watched: tuple[TestClient, list[str]]
) -> None:
    client, threads = watched
    people = People(store.engine)
    token = client.post("/api/v1/auth/tokens", json={"name": "loop"}).json()["token"]
    threads.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    for _ in range(2):  # the first use is noted, the second (within a minute) is not
        assert client.get("/api/v1/auth/tokens", headers=bearer).status_code == 200
    lookups = [name for name in threads if name.startswith("find_token")]
    notes = [name for name in threads if name.startswith("note_token_use")]
    assert len(lookups) == 2, threads
    assert notes == ["note_token_use: " + notes[0].split(": ")[1]], threads
    assert "AnyIO worker thread" in notes[0]
    in_workers = ["AnyIO worker thread" in name for name in lookups]
    assert in_workers == [store.engine.dialect.name == "postgresql"] * 2, threads
    found = people.find_token(token)
    assert found is not None
    assert found[2] is False  # its use was noted just now
    wrong = client.get("/api/v1/auth/tokens", headers={"Authorization": "Bearer am_wrong"})
    assert wrong.status_code == 401
    people.close()
