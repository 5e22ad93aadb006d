"""Which database errors mean "the database cannot be reached" (503, Retry-After) and which are
bugs that stay a 500: real errors from real databases, through the app's error handlers."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from _postgres import PostgresServer
from fastapi import FastAPI
from fastapi.testclient import TestClient
from live import ADMIN
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError

from api import errors
from api.settings import Settings
from api.store import Store, make_engine


def _run(engine: Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _error_of(engine: Engine, *statements: str) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught:
        _run(engine, *statements)
    return caught.value


def _unreachable_postgres() -> Engine:
    with socket.socket() as sock:  # a port nobody listens on once it is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return make_engine(f"postgresql+psycopg://argmap@127.0.0.1:{port}/argmap")


def _answer(error: Exception) -> TestClient:
    """A client of an app with argmap's error handlers and one route, raising `error`."""
    app = FastAPI()
    errors.install(app)

    def fail() -> None:
        raise error

    app.add_api_route("/fail", fail)
    return TestClient(app, raise_server_exceptions=False, headers=ADMIN)


def test_a_connection_that_cannot_be_opened_is_flagged_as_a_disconnect() -> None:
    engine = _unreachable_postgres()
    error = _error_of(engine, "SELECT 1")
    assert isinstance(error, OperationalError)
    assert error.connection_invalidated


@pytest.mark.postgres
def test_a_connection_lost_mid_statement_is_a_disconnect(postgres: PostgresServer) -> None:
    engine = make_engine(Settings(database_url=postgres.url).sqlalchemy_url)
    try:
        error = _error_of(engine, "SELECT pg_terminate_backend(pg_backend_pid())")
        assert isinstance(error, OperationalError)
        assert error.connection_invalidated
        _run(engine, "SELECT 1")  # and the next connection is a fresh one
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("statement", "kind"),
    [
        ("INSERT INTO maps (id) VALUES (NULL)", IntegrityError),
        ("SELECT * FROM no_such_table", ProgrammingError),
        ("SELECT pg_sleep(1)", OperationalError),  # cancelled by the statement timeout below
    ],
)
def test_a_statement_the_database_refuses_is_not_a_disconnect(
    postgres_store: Store, statement: str, kind: type[DBAPIError]
) -> None:
    error = _error_of(postgres_store.engine, "SET LOCAL statement_timeout = 10", statement)
    assert isinstance(error, kind)
    assert not error.connection_invalidated


def test_sqlite_operational_errors_of_statements_are_not_disconnects(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    error = _error_of(engine, "SELECT * FROM no_such_table")
    assert isinstance(error, OperationalError)
    assert not error.connection_invalidated


def test_an_unreachable_database_answers_503_json_with_retry_after() -> None:
    error = _error_of(_unreachable_postgres(), "SELECT 1")
    response = _answer(error).get("/fail")
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    body = response.json()
    assert body["loc"] == []
    assert "database cannot be reached" in body["detail"]


BUGS: list[Callable[[Path], Exception]] = [
    lambda tmp_path: _error_of(make_engine(f"sqlite:///{tmp_path / 'b.db'}"), "SELECT nonsense"),
    lambda tmp_path: IntegrityError("INSERT ...", {}, Exception("duplicate key")),
    lambda tmp_path: OperationalError("SELECT ...", {}, Exception("disk I/O error")),
]


@pytest.mark.parametrize("make_error", BUGS)
def test_other_database_errors_stay_a_500(
    tmp_path: Path, make_error: Callable[[Path], Exception]
) -> None:
    response = _answer(make_error(tmp_path)).get("/fail")
    assert response.status_code == 500
    assert "retry-after" not in response.headers
