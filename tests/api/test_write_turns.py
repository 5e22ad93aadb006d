"""SQLite writers of one process take turns (api/store/database.py `Turns`), in the order they
asked, held from BEGIN IMMEDIATE until the connection goes back to the pool, whatever way the
transaction ends."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from api.settings import Settings
from api.store import Store, open_store
from api.store.database import Turns, write_lock
from api.store.repository import PreconditionFailed
from maps import edit
from models import ClaimCreate, MapContent


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Store:
    return open_store(Settings(data_dir=tmp_path, load_sample=False))


def _free(lock: Turns) -> bool:
    if lock.acquire(blocking=False):
        lock.release()
        return True
    return False


def test_a_write_holds_the_turn_until_it_ends(sqlite_store: Store) -> None:
    lock = write_lock(sqlite_store.engine)
    assert lock is not None
    made = sqlite_store.create_map(MapContent(title="Turns"))
    assert _free(lock)
    held_inside: list[bool] = []

    def apply(content: MapContent, now: datetime) -> edit.Edit:
        held_inside.append(not _free(lock))
        return edit.add_claim(content, ClaimCreate(text="one"), now=now, limits=sqlite_store.limits)

    sqlite_store.change(made.id, apply)
    assert held_inside == [True]
    assert _free(lock)


def test_the_turn_is_given_back_when_a_write_fails(sqlite_store: Store) -> None:
    lock = write_lock(sqlite_store.engine)
    assert lock is not None
    made = sqlite_store.create_map(MapContent(title="Turns"))

    def broken(content: MapContent, now: datetime) -> edit.Edit:
        raise RuntimeError("the edit failed")

    with pytest.raises(RuntimeError):
        sqlite_store.change(made.id, broken)
    assert _free(lock)
    with pytest.raises(PreconditionFailed):
        sqlite_store.change(made.id, broken, if_match=made.version + 5)
    assert _free(lock)


def test_writers_in_threads_each_get_a_turn(sqlite_store: Store) -> None:
    made = sqlite_store.create_map(MapContent(title="Turns"))

    def write(number: int) -> None:
        body = ClaimCreate(text=f"writer {number}'s claim")
        for _ in range(5):
            sqlite_store.change(
                made.id,
                lambda content, now: edit.add_claim(
                    content, body, now=now, limits=sqlite_store.limits
                ),
            )

    threads = [threading.Thread(target=write, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = sqlite_store.get_map(made.id)
    assert final.version == 31
    assert len(final.claims) == 30


def test_postgresql_has_no_such_lock(postgres_store: Store) -> None:
    assert write_lock(postgres_store.engine) is None


def _wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(6000):
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError("the condition was not met within 30 s")


def test_turns_are_granted_in_the_order_they_were_asked_for() -> None:
    turns = Turns()
    assert turns.acquire()
    order: list[int] = []

    def writer(number: int) -> None:
        assert turns.acquire(timeout=60)
        order.append(number)
        turns.release()

    threads = []
    for number in range(6):
        thread = threading.Thread(target=writer, args=(number,))
        thread.start()
        threads.append(thread)
        _wait_until(lambda count=number + 1: turns.waiting() == count)  # in line before the next
    turns.release()
    for thread in threads:
        thread.join(60)
    assert order == [0, 1, 2, 3, 4, 5]
    assert turns.acquire(blocking=False)  # free again
    assert not turns.acquire(blocking=False)


def test_a_writer_who_gives_up_leaves_the_line() -> None:
    turns = Turns()
    assert turns.acquire()
    assert not turns.acquire(timeout=0.01)
    assert turns.waiting() == 0
    later: list[bool] = []
    thread = threading.Thread(target=lambda: later.append(turns.acquire(timeout=60)))
    thread.start()
    _wait_until(lambda: turns.waiting() == 1)
    turns.release()
    thread.join(60)
    assert later == [True]  # the turn went to the one still waiting
    turns.release()
    assert turns.acquire(blocking=False)
