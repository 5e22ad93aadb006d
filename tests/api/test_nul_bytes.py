"""A NUL byte (or another control character) in a path or query string gets the same 4xx on
every backend: PostgreSQL cannot even compare text with NUL, so the store answers first.

The choice: an id holding a control character can never exist (404, like any unknown id); a
search for one is refused (422 at ["query", "q"]), since no stored text can hold it."""

from __future__ import annotations

import pytest
from factories import debate
from fastapi.testclient import TestClient

BAD = ["a%00b", "%00", "a%0Ab", "a%7Fb", "a%C2%85b"]  # NUL, LF, DEL, NEL (a C1 control)

MAP_URLS = [
    ("GET", "/api/v1/maps/{bad}"),
    ("PATCH", "/api/v1/maps/{bad}"),
    ("DELETE", "/api/v1/maps/{bad}"),
    ("GET", "/api/v1/maps/{bad}/revisions"),
    ("GET", "/api/v1/maps/{bad}/revisions/1"),
    ("POST", "/api/v1/maps/{bad}/revisions/1/restore"),
    ("GET", "/api/v1/maps/{bad}/evaluation"),
    ("GET", "/api/v1/maps/{bad}/diagram.dot"),
    ("GET", "/api/v1/maps/{bad}/export"),
    ("POST", "/api/v1/maps/{bad}/claims"),
    ("GET", "/api/v1/maps/{bad}/claims/c1"),
    ("POST", "/api/v1/maps/{bad}/relations"),
    ("POST", "/api/v1/trash/{bad}/restore"),
]

ELEMENT_URLS = [
    ("GET", "/api/v1/maps/{map_id}/claims/{bad}", "claim_id"),
    ("PATCH", "/api/v1/maps/{map_id}/claims/{bad}", "claim_id"),
    ("DELETE", "/api/v1/maps/{map_id}/claims/{bad}", "claim_id"),
    ("GET", "/api/v1/maps/{map_id}/relations/{bad}", "relation_id"),
    ("PATCH", "/api/v1/maps/{map_id}/relations/{bad}", "relation_id"),
    ("DELETE", "/api/v1/maps/{map_id}/relations/{bad}", "relation_id"),
]

BODIES = {
    "PATCH /api/v1/maps/{bad}": {"title": "Renamed"},
    "POST /api/v1/maps/{bad}/claims": {"text": "A claim"},
    "POST /api/v1/maps/{bad}/relations": {
        "kind": "support",
        "premises": ["a"],
        "target_claim": "b",
    },
    "PATCH /api/v1/maps/{map_id}/claims/{bad}": {"text": "Changed"},
    "PATCH /api/v1/maps/{map_id}/relations/{bad}": {"note": "Changed"},
}


def _send(client: TestClient, method: str, template: str, **values: str) -> tuple[int, dict]:
    body = BODIES.get(f"{method} {template}")
    response = client.request(method, template.format(**values), json=body)
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.status_code, response.json()


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(("method", "template"), MAP_URLS)
def test_a_map_id_with_a_control_character_is_not_found(
    client: TestClient, method: str, template: str, bad: str
) -> None:
    status, body = _send(client, method, template, bad=bad)
    assert status == 404, body
    assert body["loc"] == ["map_id"]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(("method", "template", "loc"), ELEMENT_URLS)
def test_a_claim_or_relation_id_with_a_control_character_is_not_found(
    client: TestClient, method: str, template: str, loc: str, bad: str
) -> None:
    map_id = debate(client)["map_id"]
    status, body = _send(client, method, template, map_id=map_id, bad=bad)
    assert status == 404, body
    assert body["loc"] == [loc]
    assert client.get(f"/api/v1/maps/{map_id}").json()["version"] == 5  # nothing changed


@pytest.mark.parametrize("q", ["%00", "a%00", "%00b", "a%1Fb", "%7F", "%C2%9F"])
def test_a_search_for_a_control_character_is_refused(client: TestClient, q: str) -> None:
    debate(client)
    response = client.get(f"/api/v1/maps?q={q}")
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["loc"] == ["query", "q"]
    assert "control character" in body["detail"]


def test_a_search_may_hold_a_newline_as_claim_text_may(client: TestClient) -> None:
    map_id = debate(client)["map_id"]
    debate(client)
    client.post(f"/api/v1/maps/{map_id}/claims", json={"text": "first line\nsecond line"})
    found = client.get("/api/v1/maps", params={"q": "line\nsecond"}).json()
    assert [item["id"] for item in found["items"]] == [map_id]


def test_the_maps_are_still_there_after_bad_requests(client: TestClient) -> None:
    map_id = debate(client)["map_id"]
    client.get("/api/v1/maps?q=%00")
    client.get("/api/v1/maps/a%00b")
    assert client.get("/api/v1/maps").json()["total"] == 1
    assert client.get(f"/api/v1/maps/{map_id}").status_code == 200
