"""Who calls and their access to a map are read in the event loop on an SQLite file, and in a
worker thread on PostgreSQL (api/store/database.py `loop_reader`): same answers either way, a
read in the loop does not wait for a writer that holds the write lock, and the one write of an
identification (noting a token's use) is never made in the loop."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from live import ADMIN
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from api.app import create_app
from api.auth.passwords import hash_password
from api.store import Store
from api.store.people import Access, People
from models import MapContent
from models.people import User


@pytest.fixture
def watched(store: Store) -> Iterator[tuple[TestClient, list[str]]]:
    """The admin's client, and the name of the thread each access check of a map ran in."""
    threads: list[str] = []
    original = People.access

    def access(self: People, map_id: str, user: User | None, **options: object) -> Access | None:
        threads.append(f"access: {threading.current_thread().name}")
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


def _in_worker(threads: list[str], read: str) -> list[bool]:
    """For each `read` (a People method) made, whether it ran in a worker thread."""
    return ["AnyIO worker thread" in name for name in threads if name.startswith(f"{read}: ")]


def test_the_check_runs_in_the_loop_on_sqlite_and_in_a_worker_thread_on_postgresql(
    store: Store, watched: tuple[TestClient, list[str]]
) -> None:
    client, threads = watched
    made = client.post("/api/v1/maps", json={"title": "Where"}).json()
    threads.clear()
    assert client.get(f"/api/v1/maps/{made['id']}").status_code == 200
    assert client.get(f"/api/v1/maps/{made['id']}/evaluation").status_code == 200
    on_postgresql = store.engine.dialect.name == "postgresql"
    assert _in_worker(threads, "access") == [on_postgresql] * 2, threads


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
    """While another connection holds an uncommitted change of the map (and with it SQLite's
    write lock, or PostgreSQL's row lock), a GET of the map is answered with the version before
    it, on SQLite from the event loop."""
    client, threads = watched
    made = client.post("/api/v1/maps", json={"title": "Busy"}).json()
    threads.clear()
    with store.engine.connect() as writer:
        writer.execute(
            text("UPDATE maps SET title = 'Changed', version = version + 1 WHERE id = :id"),
            {"id": made["id"]},
        )
        assert writer.in_transaction()
        answer = client.get(f"/api/v1/maps/{made['id']}")
        writer.rollback()
    assert answer.status_code == 200
    assert (answer.json()["title"], answer.json()["version"]) == ("Busy", 1)
    on_postgresql = store.engine.dialect.name == "postgresql"
    assert _in_worker(threads, "access") == [on_postgresql], threads
    assert _in_worker(threads, "find_token") == [on_postgresql], threads


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # PostgreSQL: always in a thread
def test_a_busy_file_sends_the_read_to_a_worker_thread(
    store: Store, watched: tuple[TestClient, list[str]]
) -> None:
    """When the loop's read finds the SQLite file busy, the check is made in a worker thread."""
    client, threads = watched
    made = client.post("/api/v1/maps", json={"title": "Locked"}).json()
    people: People = client.app.state.people  # type: ignore[attr-defined]
    original = People.access

    def busy(self: People, map_id: str, user: User | None, **options: Any) -> Access | None:
        if options.get("engine") is people.loop_reader:
            threads.append(f"access: {threading.current_thread().name}")
            error = sqlite3.OperationalError("database is locked")
            raise OperationalError("SELECT ...", None, error)
        return original(self, map_id, user, **options)

    threads.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(People, "access", busy)
        answer = client.get(f"/api/v1/maps/{made['id']}")
    assert answer.status_code == 200
    assert answer.json()["title"] == "Locked"
    assert _in_worker(threads, "access") == [False, True], threads  # the loop's, then a thread's


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
    on_postgresql = store.engine.dialect.name == "postgresql"
    assert _in_worker(threads, "find_token") == [on_postgresql] * 2, threads
    assert _in_worker(threads, "note_token_use") == [True], threads  # a write: never in the loop
    found = people.find_token(token)
    assert found is not None
    assert found[2] is False  # its use was noted just now
    wrong = client.get("/api/v1/auth/tokens", headers={"Authorization": "Bearer am_wrong"})
    assert wrong.status_code == 401
    people.close()


def test_a_session_is_read_in_the_loop_on_sqlite_and_its_writes_still_need_the_csrf_token(
    store: Store, watched: tuple[TestClient, list[str]]
) -> None:
    client, threads = watched
    people = People(store.engine)
    people.create_user("ida", "Ida", password_hash=hash_password("a long enough password"))
    with TestClient(client.app) as browser:
        signed_in = browser.post(
            "/api/v1/auth/login", json={"username": "ida", "password": "a long enough password"}
        )
        assert signed_in.status_code == 200
        threads.clear()
        assert browser.get("/api/v1/auth/session").json()["user"]["username"] == "ida"
        assert browser.post("/api/v1/maps", json={"title": "No token"}).status_code == 403
        csrf = {"X-CSRF-Token": signed_in.json()["csrf_token"]}
        assert (
            browser.post("/api/v1/maps", json={"title": "Ida's"}, headers=csrf).status_code == 201
        )
    assert _in_worker(threads, "session_user") == [store.engine.dialect.name == "postgresql"] * 3
    people.close()
