"""`argmap serve --workers N`: several processes on one PostgreSQL database, refused on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from live import ADMIN, ADMIN_TOKEN, ROOT, free_port, settings_environment

from api.store import Store


def _serve(port: int, environment: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "argmap"), "serve", "--port", str(port), *args],
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_several_workers_need_postgresql(tmp_path: Path) -> None:
    environment = {"ARGMAP_DATA_DIR": str(tmp_path), "ARGMAP_ADMIN_TOKEN": ADMIN_TOKEN}
    server = _serve(free_port(), environment, "--workers", "2")
    _, stderr = server.communicate(timeout=120)
    assert server.returncode == 2
    assert "--workers above 1 needs PostgreSQL" in stderr.decode()


def test_two_workers_on_postgresql_serve_one_map_and_its_events(emptied_postgres: Store) -> None:
    store = emptied_postgres
    port = free_port()
    environment = settings_environment(store.settings.model_copy(update={"load_sample": True}))
    server = _serve(port, environment, "--workers", "2")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        maps = httpx.get(f"{base}/api/v1/maps", headers=ADMIN).json()["items"]
        assert len(maps) == 1  # the sample, loaded once, not once per worker
        map_id = maps[0]["id"]
        # Streams and writes land on whichever worker accepts them; each stream hears each write.
        with httpx.Client(timeout=httpx.Timeout(30, read=30)) as client:
            streams = [
                client.stream("GET", f"{base}/api/v1/maps/{map_id}/events", headers=ADMIN)
                for _ in range(4)
            ]
            lines = []
            for stream in streams:
                response = stream.__enter__()
                lines.append(response.iter_lines())
                assert next(line for line in lines[-1] if line.startswith("event:")) == (
                    "event: presence"
                )
            written = httpx.post(
                f"{base}/api/v1/maps/{map_id}/claims", headers=ADMIN, json={"text": "New"}
            )
            assert written.status_code == 201
            for reader in lines:
                data = next(
                    line for line in reader if line.startswith("data:") and '"version"' in line
                )
                assert json.loads(data.removeprefix("data:"))["added"] == [
                    written.json()["claim"]["id"]
                ]
            for stream in streams:
                stream.__exit__(None, None, None)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "Traceback" not in stderr.decode(), stderr.decode()
