"""Bad input of every kind gets a clear 4xx naming what is wrong, never a 500, and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from factories import add_claim, create_map, debate
from fastapi.testclient import TestClient


@pytest.fixture
def ids(client: TestClient) -> dict[str, str]:
    return debate(client)


def _cases(ids: dict[str, str], other_map: str) -> list[tuple[str, str, dict[str, Any], int, str]]:
    m = ids["map_id"]
    claims = f"/api/v1/maps/{m}/claims"
    relations = f"/api/v1/maps/{m}/relations"
    return [
        # (method, url, request kwargs, status, a word the detail must contain)
        (
            "post",
            "/api/v1/maps",
            {"content": b"{bad json", "headers": {"content-type": "application/json"}},
            422,
            "JSON",
        ),
        ("post", "/api/v1/maps", {"json": {"title": 42}}, 422, "title"),
        ("post", "/api/v1/maps", {"json": {"title": ""}}, 422, "title"),
        ("post", "/api/v1/maps", {"json": {"title": "x" * 201}}, 422, "title"),
        ("post", "/api/v1/maps", {"json": {"title": "a\nb"}}, 422, "title"),
        ("post", "/api/v1/maps", {"json": {"title": "ok", "colour": "red"}}, 422, "colour"),
        ("post", "/api/v1/maps", {"json": ["title"]}, 422, "body"),
        ("post", claims, {"json": {"text": "   "}}, 422, "text"),
        ("post", claims, {"json": {"text": "x" * 2001}}, 422, "text"),
        ("post", claims, {"json": {"text": "nul \x00 here"}}, 422, "U+0000"),
        ("post", claims, {"json": {"text": "bell \x07"}}, 422, "U+0007"),
        ("post", claims, {"json": {"text": "ok", "tags": ["a" * 65]}}, 422, "tags"),
        ("post", claims, {"json": {"text": "ok", "tags": "notalist"}}, 422, "tags"),
        ("post", claims, {"json": {"text": "ok", "weight": 1e308}}, 422, "weight"),
        ("post", claims, {"json": {"text": "ok", "accepted": "maybe"}}, 422, "accepted"),
        (
            "post",
            claims,
            {"json": {"text": "ok", "sources": [{"citation": "c", "url": "javascript:alert(1)"}]}},
            422,
            "url",
        ),
        (
            "post",
            claims,
            {"json": {"text": "ok", "sources": [{"url": "https://a.b"}]}},
            422,
            "citation",
        ),
        (
            "post",
            claims,
            {"json": {"text": "ok", "relation": {"kind": "support", "target_claim": "ghost"}}},
            422,
            "ghost",
        ),
        (
            "post",
            claims,
            {"json": {"text": "ok", "relation": {"kind": "agree", "target_claim": ids["thesis"]}}},
            422,
            "kind",
        ),
        ("post", claims, {"json": {"text": "ok", "relation": {"kind": "support"}}}, 422, "target"),
        (
            "post",
            relations,
            {"json": {"kind": "support", "premises": [], "target_claim": ids["thesis"]}},
            422,
            "premises",
        ),
        (
            "post",
            relations,
            {
                "json": {
                    "kind": "support",
                    "premises": [ids["support"]] * 2,
                    "target_claim": ids["rebuttal"],
                }
            },
            422,
            "premises",
        ),
        (
            "post",
            relations,
            {"json": {"kind": "support", "premises": ["../../etc"], "target_claim": ids["thesis"]}},
            422,
            "premises",
        ),
        (
            "post",
            relations,
            {
                "json": {
                    "kind": "objection",
                    "premises": [ids["rebuttal"]],
                    "target_relation": "r-nowhere",
                }
            },
            422,
            "r-nowhere",
        ),
        (
            "post",
            f"/api/v1/maps/{other_map}/relations",
            {
                "json": {
                    "kind": "support",
                    "premises": [ids["support"]],
                    "target_claim": ids["thesis"],
                }
            },
            422,
            ids["support"],
        ),
        ("patch", f"{claims}/{ids['thesis']}", {"json": {"text": ""}}, 422, "text"),
        ("patch", f"{claims}/nope", {"json": {"text": "x"}}, 404, "nope"),
        ("delete", f"{relations}/nope", {}, 404, "nope"),
        ("get", "/api/v1/maps/does-not-exist", {}, 404, "does-not-exist"),
        ("get", f"/api/v1/maps/{other_map}/claims/{ids['thesis']}", {}, 404, ids["thesis"]),
        ("get", "/api/v1/maps?limit=100000000000000000000000", {}, 422, "limit"),
        ("get", "/api/v1/maps?limit=5000", {}, 422, "limit"),
        ("get", "/api/v1/maps?offset=-1", {}, 422, "offset"),
        ("get", f"/api/v1/maps/{m}/revisions/99999999999999999999", {}, 422, "number"),
        (
            "post",
            claims,
            {"json": {"text": "ok"}, "headers": {"If-Match": "banana"}},
            422,
            "If-Match",
        ),
        (
            "post",
            "/api/v1/maps",
            {"content": b"\xff\xfe\x00garbage", "headers": {"content-type": "application/json"}},
            422,
            "",
        ),
    ]


def test_bad_input_table(client: TestClient, ids: dict[str, str]) -> None:
    other_map = create_map(client, "Other")["id"]
    version = client.get(f"/api/v1/maps/{ids['map_id']}").json()["version"]
    maps_before = client.get("/api/v1/maps").json()["total"]
    for method, url, kwargs, status, word in _cases(ids, other_map):
        response = client.request(method, url, **kwargs)
        assert response.status_code == status, (method, url, kwargs, response.text)
        body = response.json()
        assert isinstance(body["detail"], str), (url, body)
        assert body["detail"], (url, body)
        assert word.lower() in response.text.lower(), (url, word, body)
    assert client.get(f"/api/v1/maps/{ids['map_id']}").json()["version"] == version
    assert client.get("/api/v1/maps").json()["total"] == maps_before


def test_oversize_body_is_413(app_factory: Any) -> None:
    client = app_factory(max_body_bytes=4096)
    map_id = create_map(client)["id"]
    big = {"text": "ok", "note": "n" * 9000}
    response = client.post(f"/api/v1/maps/{map_id}/claims", json=big)
    assert response.status_code == 413
    assert "4096" in response.json()["detail"]

    def chunks():  # no Content-Length: the limit holds for streamed bodies too
        yield b'{"text": "ok", "note": "'
        for _ in range(10):
            yield b"n" * 1000
        yield b'"}'

    streamed = client.post(
        f"/api/v1/maps/{map_id}/claims",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert streamed.status_code == 413
    assert client.get(f"/api/v1/maps/{map_id}").json()["claims"] == []


def test_claim_limit_is_413(app_factory: Any) -> None:
    client = app_factory(max_claims_per_map=3)
    map_id = create_map(client)["id"]
    for index in range(3):
        add_claim(client, map_id, f"claim {index}")
    response = client.post(f"/api/v1/maps/{map_id}/claims", json={"text": "one too many"})
    assert response.status_code == 413
    assert "3 claims" in response.json()["detail"]


def test_unicode_is_welcome(client: TestClient) -> None:
    map_id = create_map(client, "Ünïcödé — עברית 🙂")["id"]
    texts = ["Arbeiterräte 🛠️", "العمال يديرون الإنتاج", "工人自治", "tab\tand\nnewline"]
    for text in texts:
        add_claim(client, map_id, text)
    body = client.get(f"/api/v1/maps/{map_id}").json()
    assert [c["text"] for c in body["claims"]] == texts
    assert body["title"] == "Ünïcödé — עברית 🙂"
