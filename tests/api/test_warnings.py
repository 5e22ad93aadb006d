"""Serving a request raises no warning, not even one that a library silences as it goes.

FastAPI builds an included router's routes lazily, at the first request that reaches them, and
building them makes pydantic warn (FastAPI silences it with `warnings.catch_warnings()`, which
is not thread-safe). The app builds every route when it is made (`api.app.build_routes`), so a
request never does: these tests count the warnings issued while requests are served, silenced
or not, by watching `warnings.warn` itself.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from live import ADMIN

from api.app import create_app
from api.settings import Settings


class WarningSpy:
    """Every call of `warnings.warn`, whatever the filters then do with it."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._warn = warnings.warn

    def __call__(
        self,
        message: Any,
        category: Any = None,
        stacklevel: int = 1,
        source: Any = None,
        **options: Any,
    ) -> None:
        self.messages.append(f"{getattr(category, '__name__', category)}: {message}")
        self._warn(message, category, stacklevel + 1, source, **options)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> WarningSpy:
    watcher = WarningSpy()
    monkeypatch.setattr(warnings, "warn", watcher)
    return watcher


def _url(path: str, map_id: str) -> str:
    values = {
        "{map_id}": map_id,
        "{number}": "1",
        "{fmt}": "dot",
        "{claim_id}": "t-necessary",
        "{relation_id}": "missing",
    }
    for name, value in values.items():
        path = path.replace(name, value)
    return path


def test_routes_are_built_when_the_app_is_made(tmp_path: Path, spy: WarningSpy) -> None:
    # An event stream answers until its time is up: a tenth of a second here.
    app = create_app(Settings(data_dir=tmp_path, compiled_kernels=False, events_stream_seconds=0.1))
    built = len(spy.messages)
    assert built > 0  # building the routes is what warns (silenced by FastAPI)
    with TestClient(app, headers=ADMIN) as client:
        map_id = client.get("/api/v1/maps").json()["items"][0]["id"]
        for path, operations in app.openapi()["paths"].items():
            for method in operations:
                if method in {"get", "head"}:
                    response = client.request(method.upper(), _url(path, map_id))
                    assert response.status_code < 500, (path, response.text)
        client.post(f"/api/v1/maps/{map_id}/claims", json={"text": "A new claim."})
    assert spy.messages[built:] == []
