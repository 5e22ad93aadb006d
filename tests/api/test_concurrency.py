"""Concurrent writers over a real server: nobody loses anybody's claims."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from live import ADMIN, LiveServer

pytestmark = pytest.mark.slow


def test_eight_writers_add_25_claims_each(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=60, headers=ADMIN) as client:
        map_id = client.post("/api/v1/maps", json={"title": "Crowded"}).json()["id"]

    def writer(number: int) -> list[int]:
        versions = []
        with httpx.Client(base_url=live_server.url, timeout=60, headers=ADMIN) as client:
            for index in range(25):
                response = client.post(
                    f"/api/v1/maps/{map_id}/claims", json={"text": f"writer {number} claim {index}"}
                )
                assert response.status_code == 201, response.text
                versions.append(response.json()["version"])
        return versions

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(writer, range(8)))

    for versions in results:
        assert versions == sorted(versions)
        assert len(set(versions)) == len(versions)
    every_version = sorted(v for versions in results for v in versions)
    assert every_version == list(range(2, 202))  # each change got its own version
    with httpx.Client(base_url=live_server.url, timeout=60, headers=ADMIN) as client:
        body = client.get(f"/api/v1/maps/{map_id}").json()
        revisions = client.get(f"/api/v1/maps/{map_id}/revisions").json()
    assert len(body["claims"]) == 200
    assert len({c["text"] for c in body["claims"]}) == 200
    assert body["version"] == 201
    assert revisions["total"] == 201
    assert [r["number"] for r in revisions["items"]] == list(range(201, 0, -1))
