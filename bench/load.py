"""A bounded mixed load: readers, writers, event-stream viewers and renders at once, against one
process (SQLite) and against two processes on one PostgreSQL database. Prints requests per
second, p50 and p99 per kind, errors, and the servers' memory growth. Not a pass/fail test.

    .venv/bin/python bench/load.py [--seconds 20] [--readers 8] [--writers 4] [--viewers 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path[:1] = [str(Path(__file__).resolve().parent.parent)]  # the repository, not bench/
from bench.events import (  # noqa: E402
    ADMIN,
    LiveServer,
    Viewer,
    p,
    postgres_url,
    rss_kib,
    settings,
)

KINDS = ("read", "write", "render", "health")


class Load:
    """Clients of each kind, in threads, until the time is up; what each request took."""

    def __init__(self, bases: list[str], map_id: str, seconds: float) -> None:
        self.bases = bases
        self.map_id = map_id
        self.until = time.monotonic() + seconds
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.lock = threading.Lock()

    def _request(self, client: httpx.Client, number: int, kind: str) -> httpx.Response:
        base = self.bases[number % len(self.bases)]
        where = f"{base}/api/v1/maps/{self.map_id}"
        if kind == "read":
            return client.get(where)
        if kind == "write":
            return client.post(f"{where}/claims", json={"text": f"Load claim {number}"})
        if kind == "render":  # a new version keeps most renders uncached
            return client.get(f"{where}/diagram.svg", params={"wrap": 20 + number % 20})
        return client.get(f"{base}/api/v1/health")

    def client(self, kind: str, index: int) -> None:
        number = index
        with httpx.Client(headers=ADMIN, timeout=60) as client:
            while time.monotonic() < self.until:
                started = time.perf_counter()
                try:
                    answer = self._request(client, number, kind)
                    failed = answer.status_code >= 400
                except httpx.HTTPError:
                    failed = True
                with self.lock:
                    self.times[kind].append(time.perf_counter() - started)
                    self.errors[kind] += failed
                number += 7
                if kind == "health":
                    time.sleep(0.05)

    def run(self, counts: dict[str, int]) -> None:
        threads = [
            threading.Thread(target=self.client, args=(kind, index), daemon=True)
            for kind, count in counts.items()
            for index in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def measure(
    servers: list[LiveServer], args: argparse.Namespace
) -> tuple[Load, float, float, float]:
    base = servers[0].url
    map_id = httpx.post(f"{base}/api/v1/maps/import?format=native", headers=ADMIN, json={
        "argmap": 1, "title": "Load", "claims": [
            {"id": f"c{n}", "text": f"Claim {n} of the load map"} for n in range(300)
        ], "relations": [
            {"id": f"r{n}", "kind": "support", "premises": [f"c{n}"], "target_claim": f"c{n // 2}"}
            for n in range(1, 300)
        ]}, timeout=60).json()["map"]["id"]  # fmt: skip
    viewers = [
        Viewer(f"{servers[-1].url}/api/v1/maps/{map_id}/events") for _ in range(args.viewers)
    ]
    for viewer in viewers:
        viewer.start()
    for viewer in viewers:
        viewer.ready.wait(60)
    before = sum(rss_kib(server) for server in servers)
    load = Load([server.url for server in servers], map_id, args.seconds)
    started = time.monotonic()
    load.run({"read": args.readers, "write": args.writers, "render": 2, "health": 1})
    elapsed = time.monotonic() - started
    for _ in range(100):  # let the streams catch up before counting what they heard
        heard_before = sum(len(viewer.arrived) for viewer in viewers)
        time.sleep(0.2)
        if sum(len(viewer.arrived) for viewer in viewers) == heard_before:
            break
    growth = (sum(rss_kib(server) for server in servers) - before) / 1024
    writes = len(load.times["write"]) - load.errors["write"]
    heard = statistics.mean(len(viewer.arrived) for viewer in viewers) if viewers else 0.0
    return load, elapsed, growth, heard / max(1, writes)


def show(name: str, load: Load, elapsed: float, growth: float, heard: float) -> None:
    print(
        f"{name}: {elapsed:.0f} s, memory growth {growth:+.1f} MiB, "
        f"viewers heard {heard:.0%} of the writes"
    )
    print(f"  {'kind':<7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in KINDS:
        times = load.times[kind]
        if times:
            print(
                f"  {kind:<7} {len(times):>8} {len(times) / elapsed:>7.1f} "
                f"{statistics.median(times) * 1000:>8.1f} {p(times, 0.99) * 1000:>8.1f} "
                f"{load.errors[kind]:>7}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--viewers", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data, LiveServer(settings(data_dir=Path(data))) as one:
        show("one process (SQLite)", *measure([one], args))
    with postgres_url() as url, ExitStack() as stack:
        two = [stack.enter_context(LiveServer(settings(database_url=url))) for _ in range(2)]
        show("two processes (PostgreSQL)", *measure(two, args))


if __name__ == "__main__":
    main()
