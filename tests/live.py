"""A real uvicorn server on a free port, in a process of its own, for tests that need one.

The server runs as `python -m uvicorn api.main:app` with the test's settings in its environment
(`ARGMAP_*`), so it opens the same database as the test (an SQLite file, or the session's
PostgreSQL server) and nothing in it depends on pytest's warning filter. It reports warnings
with Python's default filter on its stderr; when the test is over, any warning or traceback the
server printed fails the test with its text, so a warning raised while a request is served fails
that test, every time, instead of turning into a 500 somewhere else.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

import httpx

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# The admin's token in every test (conftest.py puts it in the environment). Kept here, in a
# module of its own name: `from conftest import` is ambiguous beside tests/e2e/conftest.py.
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
TROUBLE = ("Warning:", "Traceback (most recent call last)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings_environment(settings: Settings) -> dict[str, str]:
    """The environment variables (ARGMAP_*) that give a server process these settings."""
    variables = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        if isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, list):
            text = ",".join(str(item) for item in value)
        else:
            text = str(value)
        variables[f"ARGMAP_{name.upper()}"] = text
    return variables


class LiveServer:
    """`with LiveServer(settings) as server:` a server at `server.url` until the block ends."""

    def __init__(self, settings: Settings, *, start_timeout: float = 60.0) -> None:
        self.settings = settings
        self.admin_token = settings.admin_token
        self.admin_headers = {"Authorization": f"Bearer {settings.admin_token}"}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def __enter__(self) -> LiveServer:
        self._stderr = tempfile.TemporaryFile()
        environment = {
            **os.environ,
            **settings_environment(self.settings),
            "PYTHONWARNINGS": "default",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        try:
            self._wait_until_up()
        except BaseException:
            self._stop()
            raise
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the test server exited at start:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(
            f"the test server did not start in {self.start_timeout} s:\n{self.output()}"
        )

    def output(self) -> str:
        """What the server printed on stderr so far."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def _stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc: object) -> None:
        self._stop()
        printed = self.output()
        if self._stderr is not None:
            self._stderr.close()
        if any(marker in printed for marker in TROUBLE):
            raise AssertionError(f"the test server printed a warning or an error:\n{printed}")
