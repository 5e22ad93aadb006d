"""API latency and throughput: GET a map and POST a claim, against a bare FastAPI endpoint on
the same server (the framework's own ceiling). Prints p50/p99 latency, requests per second, and
the ratio to the bare endpoint. Not a pass/fail test.

    .venv/bin/python bench/api.py [--requests 2000] [--concurrency 8]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
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
            rows = []
            bare, bare_rps = measure(f"{base}/bench/bare", "GET", args.requests, args.concurrency)
            rows.append(("GET /bench/bare (baseline)", bare, bare_rps))
            get, get_rps = measure(
                f"{base}/api/v1/maps/{sample['id']}", "GET", args.requests, args.concurrency
            )
            rows.append(("GET /api/v1/maps/{sample}", get, get_rps))
            scratch = httpx.post(
                f"{base}/api/v1/maps", json={"title": "bench"}, headers=admin
            ).json()["id"]
            post, post_rps = measure(
                f"{base}/api/v1/maps/{scratch}/claims",
                "POST",
                args.requests // 4,
                args.concurrency,
                body={"text": "A claim added by the benchmark"},
                headers=admin,
            )
            rows.append(("POST /api/v1/maps/{new}/claims", post, post_rps))
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
        "\nPOST grows the map as it runs (to requests/4 claims): each write loads the map, "
        "writes the change and a compressed snapshot revision in one transaction."
    )


if __name__ == "__main__":
    main()
