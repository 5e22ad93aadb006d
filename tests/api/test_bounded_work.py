"""Heavy work is bounded: renders, evaluations and imports run a few at a time with a bounded
queue, beyond which the answer is 503 with Retry-After; a body that trickles in is cut off."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from live import ADMIN, LiveServer

from api.settings import Settings
from api.work import Workload
from models import BusyError, Claim, MapContent, Relation


def test_a_full_workload_refuses_at_once_and_a_waiter_gets_its_turn() -> None:
    work = Workload(running=1, waiting=1, wait_seconds=30)
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(30)
        return "done"

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(work.run, slow)
        assert started.wait(30)
        second = pool.submit(work.run, lambda: "second")  # waits for the place
        deadline = time.monotonic() + 30
        while work.waiting < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(BusyError) as refused:
            work.run(lambda: "third")  # the place taken, the queue full
        assert refused.value.retry_after > 0
        assert "ARGMAP_WORK_QUEUE" in refused.value.message
        release.set()
        assert first.result(30) == "done"
        assert second.result(30) == "second"
    assert (work.running, work.waiting) == (0, 0)


def test_a_turn_that_never_comes_is_refused_in_time() -> None:
    work = Workload(running=1, waiting=1, wait_seconds=0.2)
    release = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(work.run, lambda: release.wait(30))
        deadline = time.monotonic() + 30
        while work.running < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        with pytest.raises(BusyError, match=r"no turn came within 0\.2 s"):
            work.run(lambda: None)
        release.set()


def _big_map(claims: int) -> MapContent:
    return MapContent(
        title="Big",
        claims=[Claim(id=f"c{n}", text=f"Claim number {n} of a big map") for n in range(claims)],
        relations=[
            Relation(id=f"r{n}", kind="support", premises=[f"c{n}"], target_claim=f"c{n // 2}")
            for n in range(1, claims)
        ],
    )


def test_renders_beyond_the_bound_get_503_while_health_stays_prompt(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, load_sample=False, work_concurrency=1, work_queue=0)
    with LiveServer(settings) as server:
        body = _big_map(600).model_dump(mode="json")
        created = httpx.post(
            f"{server.url}/api/v1/maps/import?format=native",
            headers=ADMIN,
            json={"argmap": 1, **body},
            timeout=60,
        )
        assert created.status_code == 201, created.text
        map_id = created.json()["map"]["id"]
        urls = [
            f"{server.url}/api/v1/maps/{map_id}/diagram.svg?wrap={20 + n}" for n in range(6)
        ]  # six different renders: none from the cache
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(lambda url: httpx.get(url, headers=ADMIN, timeout=120), urls))
            health = httpx.get(f"{server.url}/api/v1/health", timeout=30)
        statuses = sorted(answer.status_code for answer in answers)
        assert 200 in statuses
        assert 503 in statuses
        assert set(statuses) <= {200, 503}
        busy = next(answer for answer in answers if answer.status_code == 503)
        assert busy.headers["Retry-After"] == "5"
        assert "ARGMAP_WORK_CONCURRENCY" in busy.json()["detail"]
        assert health.status_code == 200


def test_a_body_that_trickles_in_is_cut_off_with_408(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, load_sample=False, body_timeout_seconds=1)
    with (
        LiveServer(settings) as server,
        socket.create_connection(("127.0.0.1", server.port)) as raw,
    ):
        raw.sendall(
            b"POST /api/v1/maps HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: " + ADMIN["Authorization"].encode() + b"\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        raw.settimeout(30)
        answer = b""
        while b"\r\n\r\n" not in answer:  # a byte now and then would not help: the deadline holds
            chunk = raw.recv(4096)
            if not chunk:
                break
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
