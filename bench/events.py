"""Change-to-other-viewer latency of the event stream, and memory per open stream.

20 viewers hold `GET /maps/{id}/events` open while one writer adds claims, one at a time. For
each change, the latency is from the moment the writer sends its POST to the moment a viewer
reads the change event (so it includes the write itself; the write's own response time is
printed beside it as the baseline). Run against one process (SQLite), and against two processes
on one PostgreSQL database, viewers on the second, the writer on the first. Memory per stream:
the server's resident memory before and after opening 200 more streams. Not a pass/fail test.

    .venv/bin/python bench/events.py [--viewers 20] [--changes 100]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import connect_sse

ROOT = Path(__file__).resolve().parent.parent
sys.path[:1] = [str(ROOT), str(ROOT / "tests")]  # not bench/: its api.py is not the package
from _postgres import start_postgres  # type: ignore[import-not-found]  # noqa: E402
from live import LiveServer  # type: ignore[import-not-found]  # noqa: E402

from api.settings import Settings  # noqa: E402

__all__ = ["ADMIN", "LiveServer", "Viewer", "p", "postgres_url", "rss_kib", "settings"]

TOKEN = "bench-" + "x" * 26
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Viewer(threading.Thread):
    """Reads one stream; notes when each change event (by version) arrived."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.arrived: dict[int, float] = {}
        self.ready = threading.Event()

    def run(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(30, read=None)) as client,
                connect_sse(client, "GET", self.url, headers=ADMIN) as source,
            ):
                for sse in source.iter_sse():
                    if sse.event == "presence":
                        self.ready.set()
                    elif sse.event == "change":
                        self.arrived[json.loads(sse.data)["version"]] = time.perf_counter()
        except httpx.HTTPError:
            pass  # the server stopped at the end of its part


def settings(**changed: Any) -> Settings:
    base = {
        "admin_token": TOKEN,
        "load_sample": False,
        "events_max_streams_per_person": 1000,
        "rate_writes": "100000/minute",
    }
    return Settings(**{**base, **changed})


def rss_kib(server: LiveServer) -> int:
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))


def run(writer: str, reader: str, viewers: int, changes: int) -> dict[str, float]:
    map_id = httpx.post(f"{writer}/api/v1/maps", headers=ADMIN, json={"title": "bench"}).json()[
        "id"
    ]
    streams = [Viewer(f"{reader}/api/v1/maps/{map_id}/events") for _ in range(viewers)]
    for stream in streams:
        stream.start()
    for stream in streams:
        stream.ready.wait(30)
    sent: dict[int, float] = {}
    writes: list[float] = []
    with httpx.Client(headers=ADMIN) as client:
        for number in range(changes):
            started = time.perf_counter()
            answer = client.post(
                f"{writer}/api/v1/maps/{map_id}/claims", json={"text": f"C{number}"}
            )
            writes.append(time.perf_counter() - started)
            sent[int(answer.headers["ETag"].strip('"'))] = started
            time.sleep(0.02)
    time.sleep(1.0)
    latencies = [
        stream.arrived[version] - started
        for stream in streams
        for version, started in sent.items()
        if version in stream.arrived
    ]
    return {
        "p50": statistics.median(latencies) * 1000,
        "p99": p(latencies, 0.99) * 1000,
        "write_p50": statistics.median(writes) * 1000,
        "write_p99": p(writes, 0.99) * 1000,
        "delivered": len(latencies) / (len(sent) * viewers),
    }


def memory_per_stream(server: LiveServer, count: int = 200) -> float:
    map_id = httpx.post(f"{server.url}/api/v1/maps", headers=ADMIN, json={"title": "m"}).json()[
        "id"
    ]
    before = rss_kib(server)
    streams = [Viewer(f"{server.url}/api/v1/maps/{map_id}/events") for _ in range(count)]
    for stream in streams:
        stream.start()
    for stream in streams:
        stream.ready.wait(30)
    time.sleep(0.5)
    return (rss_kib(server) - before) / count


@contextmanager
def postgres_url() -> Iterator[str]:
    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()


def show(name: str, figures: dict[str, float]) -> None:
    print(
        f"{name:<34} p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms   "
        f"(the write alone: p50 {figures['write_p50']:5.1f} ms, p99 {figures['write_p99']:5.1f} ms; "
        f"ratio p99/write p99 {figures['p99'] / figures['write_p99']:.2f}; "
        f"delivered {figures['delivered']:.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--changes", type=int, default=100)
    args = parser.parse_args()
    print(f"{args.viewers} viewers, {args.changes} changes, one at a time\n")
    with tempfile.TemporaryDirectory() as data, LiveServer(settings(data_dir=Path(data))) as one:
        run(one.url, one.url, 2, 5)  # warm up
        show("one process (SQLite)", run(one.url, one.url, args.viewers, args.changes))
        per_stream = memory_per_stream(one)
    with postgres_url() as url, ExitStack() as servers:
        first = servers.enter_context(LiveServer(settings(database_url=url)))
        second = servers.enter_context(LiveServer(settings(database_url=url)))
        run(first.url, second.url, 2, 5)
        show("two processes (PostgreSQL)", run(first.url, second.url, args.viewers, args.changes))
    print(f"\nmemory per open stream: {per_stream:.1f} KiB (200 streams, resident memory)")


if __name__ == "__main__":
    main()
