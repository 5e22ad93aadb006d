"""Fixtures: a fresh app on a real database (SQLite file, or the session's PostgreSQL server)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from _postgres import PostgresServer, PostgresUnavailable, start_postgres
from fastapi.testclient import TestClient
from live import ADMIN, ADMIN_TOKEN, LiveServer
from sqlalchemy import text

from api.app import create_app
from api.settings import Settings
from api.store import Store, make_engine, open_store, upgrade

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

# Every app a test makes (and every server process it starts) has this admin token, and answers
# the hosts test clients use; the `client` fixture talks to the app as the signed-in admin.
os.environ["ARGMAP_ADMIN_TOKEN"] = ADMIN_TOKEN
os.environ["ARGMAP_ALLOWED_HOSTS"] = "localhost,127.0.0.1,testserver"
PEOPLE_TABLES = (
    "sessions, api_tokens, share_links, map_members, group_members, map_groups, groups, comments, "
    "presence"
)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, started on first use."""
    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        if os.environ.get("ARGMAP_TEST_POSTGRES") == "skip":
            pytest.skip(f"PostgreSQL tests skipped on request (ARGMAP_TEST_POSTGRES=skip): {error}")
        pytest.fail(
            f"PostgreSQL is required for the postgres tests and could not be started: {error}",
            pytrace=False,
        )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_store(postgres: PostgresServer) -> Iterator[Store]:
    settings = Settings(database_url=postgres.url, load_sample=False)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine)
    yield Store(engine, settings)
    engine.dispose()


def empty_database(store: Store) -> None:
    """Empty the PostgreSQL database of everything but the admin."""
    with store.engine.begin() as connection:
        connection.execute(text("TRUNCATE maps, claims, relations, revisions CASCADE"))
        connection.execute(text(f"TRUNCATE {PEOPLE_TABLES} CASCADE"))
        connection.execute(text("DELETE FROM users WHERE id <> 'admin'"))
        # A test (the fuzzer's PATCH /auth/me, say) may have renamed the admin: as migrated.
        connection.execute(
            text(
                "UPDATE users SET username = 'admin', display_name = 'Admin', "
                "password_hash = NULL WHERE id = 'admin'"
            )
        )


@pytest.fixture
def emptied_postgres(postgres_store: Store) -> Store:
    """The session's PostgreSQL store, emptied of everything but the admin."""
    empty_database(postgres_store)
    return postgres_store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store on an empty database: an SQLite file, or the PostgreSQL server (emptied)."""
    if request.param == "sqlite":
        settings = Settings(data_dir=tmp_path, load_sample=False)
        sqlite_store = open_store(settings)
        yield sqlite_store
        sqlite_store.engine.dispose()
        return
    pg_store: Store = request.getfixturevalue("postgres_store")
    empty_database(pg_store)
    yield pg_store


@pytest.fixture
def settings(store: Store) -> Settings:
    return store.settings


@pytest.fixture
def app_factory(store: Store):  # type: ignore[no-untyped-def]
    """Make an app on the test's store with some settings changed (limits, say)."""

    def make(**overrides: object) -> TestClient:
        settings = store.settings.model_copy(update=overrides)
        return TestClient(create_app(settings, store=store), headers=ADMIN)

    return make


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    """The admin's client of a fresh app on an empty database (each backend in turn)."""
    with TestClient(create_app(store.settings, store=store), headers=ADMIN) as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client of a fresh app on an empty SQLite file (for tests that need one backend)."""
    settings = Settings(data_dir=tmp_path, load_sample=False)
    with TestClient(create_app(settings), headers=ADMIN) as test_client:
        yield test_client


@pytest.fixture
def live_server(store: Store) -> Iterator[LiveServer]:
    """A real uvicorn server, in its own process, on the test's database."""
    with LiveServer(store.settings) as server:
        yield server
