"""API latency and throughput: GET a map and POST a claim, against a bare FastAPI endpoint on
the same server (the framework's own ceiling). Prints p50/p99 latency, requests per second, and
the ratio to the bare endpoint. Then `/health` while large renders wait in the bounded pool
(api/work.py). Not a pass/fail test.

    .venv/bin/python bench/api.py [--requests 2000] [--concurrency 8] [--writers 16]
                                  [--renders 48] [--render-claims 2000]

The bare endpoint and GET of the sample run in alternating rounds, once the compiled kernels
are loaded. POST claim is measured three ways, each on a new map: as the admin (no quotas), as
a person (the quotas are counted on each write), and with `--writers` concurrent writers on one
map.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def make_app():  # type: ignore[no-untyped-def]
    """The real app plus one bare endpoint that does nothing (used via uvicorn --factory)."""
    sys.path.insert(0, str(ROOT))
    from api.app import create_app

    app = create_app()

    @app.get("/bench/bare")
    def bare() -> dict[str, bool]:
        return {"ok": True}

    # Mounted last in create_app, the frontend would shadow this route: move it to the front.
    app.router.routes.insert(0, app.router.routes.pop())
    return app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(
    url: str,
    method: str,
    requests: int,
    concurrency: int,
    body: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[list[float], float]:
    per_worker = requests // concurrency

    def worker(_: int) -> list[float]:
        times = []
        with httpx.Client(timeout=30, headers=headers) as client:
            for _ in range(per_worker):
                start = time.perf_counter()
                response = client.request(method, url, json=body)
                times.append(time.perf_counter() - start)
                assert response.status_code < 300, response.text
        return times

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = [t for chunk in pool.map(worker, range(concurrency)) for t in chunk]
    return latencies, len(latencies) / (time.perf_counter() - started)


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def person_token(base: str, admin: dict[str, str]) -> dict[str, str]:
    """A bearer token of a new person (not the admin): their writes count against quotas."""
    password = secrets.token_urlsafe(12)
    person = {"username": "bench-writer", "password": password}
    httpx.post(f"{base}/api/v1/users", json=person, headers=admin).raise_for_status()
    with httpx.Client(base_url=base) as browser:
        session = browser.post("/api/v1/auth/login", json=person)
        session.raise_for_status()
        made = browser.post(
            "/api/v1/auth/tokens",
            json={"name": "bench"},
            headers={"X-CSRF-Token": session.json()["csrf_token"]},
        )
        made.raise_for_status()
    return {"Authorization": f"Bearer {made.json()['token']}"}


def health_while_rendering(
    base: str, admin: dict[str, str], renders: int, claims: int
) -> tuple[list[float], list[int]]:
    """`/health` every 20 ms while `renders` uncached SVGs of a `claims`-claim map are asked
    for at once; the health latencies and the renders' statuses."""
    tree = {
        "argmap": 1,
        "title": "Render load",
        "claims": [
            {"id": f"c{n}", "text": f"Claim {n} of the render load, long enough to wrap twice"}
            for n in range(claims)
        ],
        "relations": [
            {"id": f"r{n}", "kind": "support", "premises": [f"c{n}"], "target_claim": f"c{n // 2}"}
            for n in range(1, claims)
        ],
    }
    made = httpx.post(
        f"{base}/api/v1/maps/import?format=native", json=tree, headers=admin, timeout=120
    )
    made.raise_for_status()
    where = f"{base}/api/v1/maps/{made.json()['map']['id']}/diagram.svg"
    done = threading.Event()
    health: list[float] = []

    def poll() -> None:
        with httpx.Client(timeout=60) as client:
            while not done.is_set():
                start = time.perf_counter()
                client.get(f"{base}/api/v1/health").raise_for_status()
                health.append(time.perf_counter() - start)
                time.sleep(0.02)

    # One client for the renders, made before the polling starts: making a client costs this
    # process tens of milliseconds of CPU (its TLS context), and 48 made at once held up the
    # poller's own timing by up to 300 ms (the client's GIL, not the server).
    renderer = httpx.Client(
        headers=admin, timeout=600, limits=httpx.Limits(max_connections=renders)
    )

    def render(number: int) -> int:  # each width of line is a render of its own (uncached)
        return renderer.get(where, params={"wrap": 20 + number}).status_code

    poller = threading.Thread(target=poll)
    poller.start()
    with renderer, ThreadPoolExecutor(renders) as pool:
        statuses = list(pool.map(render, range(renders)))
    done.set()
    poller.join()
    return health, statuses


def wait_for_kernels(base: str, admin: dict[str, str]) -> None:
    """Wait until the server has loaded its compiled evaluation kernels (a thread compiling
    after start-up would take CPU from whichever row ran first)."""
    for _ in range(600):
        if httpx.get(f"{base}/api/v1/health", headers=admin).json().get("compiled_kernels"):
            return
        time.sleep(0.1)


def bare_and_get(
    base: str, map_id: str, requests: int, concurrency: int, rounds: int = 4
) -> tuple[list[float], list[float], float, float]:
    """The bare endpoint and the map's GET in alternating rounds, so that the ratio compares
    the two under the same conditions on a shared machine."""
    bare: list[float] = []
    get: list[float] = []
    rates: dict[str, list[float]] = {"bare": [], "get": []}
    for _ in range(rounds):
        for name, url, into in (
            ("bare", f"{base}/bench/bare", bare),
            ("get", f"{base}/api/v1/maps/{map_id}", get),
        ):
            latencies, rate = measure(url, "GET", requests // rounds, concurrency)
            into.extend(latencies)
            rates[name].append(rate)
    return bare, get, statistics.mean(rates["bare"]), statistics.mean(rates["get"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--renders", type=int, default=48)
    parser.add_argument("--render-claims", type=int, default=2000)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        token = secrets.token_urlsafe(24)
        admin = {"Authorization": f"Bearer {token}"}  # writes are the signed-in admin's
        env = {
            **os.environ,
            "ARGMAP_DATA_DIR": data,
            "ARGMAP_LOAD_SAMPLE": "true",
            "ARGMAP_ADMIN_TOKEN": token,
            "ARGMAP_RATE_WRITES": "1000000/minute",  # the person writes faster than people do
            # Room in the pool for every render: 2 run, the others wait their turn.
            "ARGMAP_WORK_QUEUE": str(max(0, args.renders - 2)),
            "ARGMAP_WORK_WAIT_SECONDS": "600",
            "PYTHONPATH": str(ROOT),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.api:make_app",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/v1/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            maps = httpx.get(f"{base}/api/v1/maps").json()["items"]
            sample = maps[0]
            print(
                f"server: uvicorn, 1 worker; sample map {sample['id']} "
                f"({sample['claim_count']} claims); {args.requests} requests per endpoint, "
                f"{args.concurrency} concurrent clients\n"
            )
            # Warm up.
            measure(f"{base}/bench/bare", "GET", 100, 4)
            measure(f"{base}/api/v1/maps/{sample['id']}", "GET", 100, 4)
            wait_for_kernels(base, admin)
            bare, get, bare_rps, get_rps = bare_and_get(
                base, sample["id"], args.requests, args.concurrency
            )
            rows = [
                ("GET /bench/bare (baseline)", bare, bare_rps),
                ("GET /api/v1/maps/{sample}", get, get_rps),
            ]
            person = person_token(base, admin)
            for label, headers, clients in (
                ("POST claims (admin)", admin, args.concurrency),
                ("POST claims (a person: quotas)", person, args.concurrency),
                (f"POST claims ({args.writers} writers)", admin, args.writers),
            ):
                # Each row grows a map of its own, made by the one who writes to it.
                grown = httpx.post(
                    f"{base}/api/v1/maps", json={"title": "bench"}, headers=headers
                ).json()["id"]
                post, post_rps = measure(
                    f"{base}/api/v1/maps/{grown}/claims",
                    "POST",
                    args.requests // 4,
                    clients,
                    body={"text": "A claim added by the benchmark"},
                    headers=headers,
                )
                rows.append((label, post, post_rps))
            health, statuses = health_while_rendering(base, admin, args.renders, args.render_claims)
        finally:
            server.terminate()
            server.wait(10)
    print(f"{'endpoint':36} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'p50 vs bare':>12}")
    bare_p50 = statistics.median(bare)
    for name, latencies, rps in rows:
        median = statistics.median(latencies)
        print(
            f"{name:36} {median * 1000:8.2f} {p(latencies, 0.99) * 1000:8.2f} {rps:8.0f} "
            f"{median / bare_p50:11.2f}x"
        )
    print(
        "\nEach POST row grows its own map (to requests/4 claims): each write changes the map "
        "and records a revision in one transaction."
    )
    answered = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(
        f"\nGET /api/v1/health while {args.renders} renders of a {args.render_claims}-claim map "
        f"wait in the pool ({len(health)} polls): p50 {statistics.median(health) * 1000:.1f} ms, "
        f"p99 {p(health, 0.99) * 1000:.1f} ms, max {max(health) * 1000:.1f} ms; "
        f"the renders answered {answered}"
    )


if __name__ == "__main__":
    main()
