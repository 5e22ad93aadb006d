"""A database that cannot be reached answers 503 JSON with Retry-After, and the server recovers by
itself when it is back: a real server on a PostgreSQL server of the test's own, stopped (as in a
crash, and as in a shutdown) and started again while writers and a reader keep at it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from _postgres import PostgresServer, PostgresUnavailable, start_postgres
from live import ADMIN, LiveServer

from api.settings import Settings
from api.store import make_engine, upgrade

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WRITERS = 4
OUTAGE_SECONDS = 3


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server this module may stop and start (not the session's shared one)."""
    try:
        server = start_postgres()
    except PostgresUnavailable as error:
        pytest.fail(f"PostgreSQL could not be started: {error}", pytrace=False)
    engine = make_engine(Settings(database_url=server.url).sqlalchemy_url)
    upgrade(engine)
    engine.dispose()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(own_postgres: PostgresServer) -> Iterator[LiveServer]:
    settings = Settings(database_url=own_postgres.url, load_sample=False)
    with LiveServer(settings) as live:
        yield live


class Traffic:
    """Writers adding claims to one map and a reader of it, until stopped. Each response is kept
    with the phase its request started in: before the outage, during it, or after it."""

    def __init__(self, url: str, map_id: str) -> None:
        self.url = url
        self.map_id = map_id
        self.phase = "before"
        self.stop = threading.Event()
        self.responses: list[tuple[str, httpx.Response]] = []
        self._lock = threading.Lock()
        self._wanted: tuple[str, int, threading.Event] | None = None

    def wait_for(self, count: int, phase: str) -> None:
        """Wait until `count` requests started in `phase` have been answered."""
        reached = threading.Event()
        with self._lock:
            self._wanted = (phase, count, reached)
            self._check()
        assert reached.wait(timeout=120), f"no {count} answers {phase} the outage"

    def _check(self) -> None:
        if self._wanted is not None:
            phase, count, reached = self._wanted
            if sum(1 for started, _ in self.responses if started == phase) >= count:
                reached.set()

    def _send(self, client: httpx.Client, request: httpx.Request) -> None:
        phase = self.phase
        response = client.send(request)
        with self._lock:
            self.responses.append((phase, response))
            self._check()

    def write(self, number: int) -> None:
        with httpx.Client(base_url=self.url, timeout=60, headers=ADMIN) as client:
            index = 0
            while not self.stop.is_set():
                body = {"text": f"writer {number} claim {index}"}
                path = f"/api/v1/maps/{self.map_id}/claims"
                self._send(client, client.build_request("POST", path, json=body))
                index += 1

    def read(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60, headers=ADMIN) as client:
            while not self.stop.is_set():
                self._send(client, client.build_request("GET", f"/api/v1/maps/{self.map_id}"))

    def started(self, phase: str) -> list[httpx.Response]:
        return [response for started, response in self.responses if started == phase]


def _outage(server: LiveServer, postgres: PostgresServer, map_id: str, mode: str) -> Traffic:
    """Run the traffic, stop the database for a few seconds under it, start it again."""
    traffic = Traffic(server.url, map_id)
    with ThreadPoolExecutor(max_workers=WRITERS + 1) as pool:
        workers = [pool.submit(traffic.write, n) for n in range(WRITERS)]
        workers.append(pool.submit(traffic.read))
        try:
            traffic.wait_for(4 * WRITERS, "before")
            postgres.halt(mode)
            traffic.phase = "during"
            traffic.stop.wait(OUTAGE_SECONDS)
            postgres.resume()
            traffic.phase = "after"
            traffic.wait_for(4 * WRITERS, "after")
        finally:
            traffic.stop.set()
            if postgres.halted:
                postgres.resume()
        for worker in workers:
            worker.result()
    return traffic


def _new_map(url: str) -> str:
    response = httpx.post(
        f"{url}/api/v1/maps", json={"title": "Through an outage"}, timeout=60, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    map_id: str = response.json()["id"]
    return map_id


@pytest.mark.parametrize("mode", ["immediate", "fast"])
def test_an_unreachable_database_answers_503_json_and_the_server_recovers(
    server: LiveServer, own_postgres: PostgresServer, mode: str
) -> None:
    map_id = _new_map(server.url)

    traffic = _outage(server, own_postgres, map_id, mode)

    every = [response for _, response in traffic.responses]
    assert {r.status_code for r in every} <= {200, 201, 503}, [
        (r.status_code, r.text[:200]) for r in every if r.status_code not in (200, 201, 503)
    ]
    assert {200, 201} <= {r.status_code for r in traffic.started("before")}
    unavailable = [r for r in every if r.status_code == 503]
    assert unavailable, "the database was down, yet no request noticed"
    for response in unavailable:
        assert response.headers["content-type"] == "application/json"
        assert response.headers["retry-after"].isdigit()
        body = response.json()
        assert set(body) == {"detail", "loc"}
        assert "database" in body["detail"]
    # Back up: the pool has dropped its dead connections, every request succeeds again.
    assert {r.status_code for r in traffic.started("after")} <= {200, 201}

    with httpx.Client(base_url=server.url, timeout=60, headers=ADMIN) as client:
        added = client.post(f"/api/v1/maps/{map_id}/claims", json={"text": "after the outage"})
        assert added.status_code == 201, added.text
        read = client.get(f"/api/v1/maps/{map_id}")
        assert read.status_code == 200, read.text
        assert read.json()["claims"][-1]["text"] == "after the outage"
        assert client.get("/api/v1/health").status_code == 200
