"""Engines for SQLite (WAL, foreign keys, writers queued in-process) and PostgreSQL, and migrations."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections import deque
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import SingletonThreadPool

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_SECONDS = 30  # how long a writer waits for SQLite's write lock before "database is locked"
# How long a read in the event loop waits for a busy SQLite file (a WAL reader rarely does)
# before it is made in a worker thread instead (api/auth/caller.py `read_soon`).
LOOP_READ_BUSY_SECONDS = 0.05
HOLDS_WRITE_LOCK = "argmap_holds_write_lock"  # in a pooled connection's info while it does


class Turns:
    """A lock granted in the order it was asked for: each writer waits on a gate of its own,
    which the writer before it opens as it hands the turn over.

    A `threading.Lock` lets a thread that comes along as the lock is released take it ahead of
    those already waiting: with 8 writers, POST claim p99 was twice its p50 (1.4-1.6 times with
    turns in order), and with 16 some writers waited for several turns in a row.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()  # the gates of the writers waiting
        self._held = False

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        with self._mutex:
            if not self._held and not self._waiting:
                self._held = True
                return True
            if not blocking:
                return False
            gate = threading.Lock()
            gate.acquire()
            self._waiting.append(gate)
        try:
            if gate.acquire(timeout=timeout):
                return True  # handed over: the turn is ours
        except BaseException:  # interrupted: leave the line, or pass on a turn just handed over
            if not self._leave(gate):
                self.release()
            raise
        return not self._leave(gate)  # False unless handed over just as the wait ran out

    def _leave(self, gate: threading.Lock) -> bool:
        """Leave the line; False when the turn was handed over (the gate is no longer in it)."""
        with self._mutex:
            if gate in self._waiting:
                self._waiting.remove(gate)
                return True
            return False

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                raise RuntimeError("release of a turn that nobody holds")
            if self._waiting:
                self._waiting.popleft().release()  # still held: by the next in line
            else:
                self._held = False

    def waiting(self) -> int:
        with self._mutex:
            return len(self._waiting)


_write_locks: weakref.WeakKeyDictionary[Engine, Turns] = weakref.WeakKeyDictionary()


def write_lock(engine: Engine) -> Turns | None:
    """The turns this process's writers of an SQLite engine take (None otherwise)."""
    return _write_locks.get(engine)


def make_engine(url: str) -> Engine:
    """An engine for `url`; an SQLite file's folder is created when missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pool_pre_ping: a connection the server dropped (restart, failover) is replaced on
        # checkout instead of failing the request that draws it.
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        _flag_failed_connects(engine)
        return engine
    if parsed.database and _on_file(parsed):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = _sqlite_engine(url, busy_seconds=BUSY_SECONDS)
    # Writers of this process queue here for their turn instead of in SQLite's busy handler,
    # which retries by sleeping (up to 100 ms a try): with 8 writers at once, POST claim p99
    # was 1.2 s, nearly all of it waiting for BEGIN IMMEDIATE. Other processes still wait in
    # SQLite's busy handler.
    turn = _write_locks[engine] = Turns()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front: no deadlock upgrading a read lock later.
        if not connection.get_execution_options().get("argmap_write"):
            _begin(connection, "BEGIN")
            return
        # After as long as SQLite would wait, go on without the turn (SQLite then refuses).
        if turn.acquire(timeout=BUSY_SECONDS):
            connection.info[HOLDS_WRITE_LOCK] = True
        try:
            _begin(connection, "BEGIN IMMEDIATE")
        except BaseException:
            _release(connection.info)
            raise

    def _release(info: dict[Any, Any]) -> None:
        if info.pop(HOLDS_WRITE_LOCK, False):
            turn.release()

    # The turn ends when the connection goes back to the pool: after its commit or rollback
    # (SQLAlchemy's commit event fires before the COMMIT itself), or when it is thrown away.
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection: Any, record: Any, _error: Any) -> None:
        _release(record.info)

    return engine


def loop_reader(engine: Engine) -> Engine | None:
    """An engine for the small reads made in the event loop itself (who calls, and whether they
    may see a map), or None where they go to a worker thread like every other query.

    Only on an SQLite file. There such a read is one indexed lookup in a local file, and in WAL
    a reader never waits for a writer; it costs less than the hop to a worker thread, which
    under load was 0.6 ms of the 1.6 ms of CPU a GET of the sample took. Only the event loop's
    thread reads through it, on a connection of its own (so it never waits for the pool), and
    a busy file is waited for only briefly (`LOOP_READ_BUSY_SECONDS`). A PostgreSQL query is a
    round trip to a server that may be busy: it stays in a worker thread.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or not _on_file(url):
        return None
    reader = _sqlite_engine(url, busy_seconds=LOOP_READ_BUSY_SECONDS, poolclass=SingletonThreadPool)
    event.listen(reader, "begin", lambda connection: _begin(connection, "BEGIN"))
    return reader


def _on_file(url: URL) -> bool:
    """Whether an SQLite URL names a file (not a database in memory)."""
    return url.database not in (None, "", ":memory:") and url.query.get("mode") != "memory"


def _sqlite_engine(url: str | URL, *, busy_seconds: float, **options: Any) -> Engine:
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": busy_seconds}, **options
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, open transactions (so BEGIN IMMEDIATE works).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _begin(connection: Any, statement: str) -> None:
    # Through the driver itself: SQLAlchemy's execute path cost a tenth of a cached map read's
    # CPU (it does not track these statements: see _sqlite_engine). Its errors are wrapped as
    # SQLAlchemy's would be, for the handlers that catch DBAPIError.
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as error:
        raise DBAPIError.instance(statement, None, error, sqlite3.Error) from error


def _flag_failed_connects(engine: Engine) -> None:
    """Mark a connection that could not be opened as a disconnect, as a lost one is marked.

    SQLAlchemy sets `connection_invalidated` on an error that lost the connection mid-statement,
    but not on one raised while connecting (server down, starting up, out of connection slots):
    both mean the database cannot be reached, which api/errors.py answers with 503.
    """

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        connecting = context.connection is None  # no Connection yet: the pool was opening one
        if connecting and isinstance(context.sqlalchemy_exception, OperationalError):
            context.is_disconnect = True


def snapshot_reader(engine: Engine) -> Engine:
    """`engine` for reads in which every statement of a transaction sees the same snapshot.

    PostgreSQL's default, READ COMMITTED, gives each statement its own snapshot: a map row, its
    claims and its relations read in three statements could come from three versions. SQLite's
    transactions (WAL) hold one snapshot from their first read already.
    """
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)


def upgrade(engine: Engine, to: str = "head") -> None:
    """Apply every alembic migration not yet applied (up to revision `to`)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, to)
