"""Import and export over HTTP: formats, reports, download names, limits, nothing half-stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from maps.formats import argdown, native
from maps.samples import load_sample

FIXTURES = Path(__file__).resolve().parent.parent / "maps" / "formats" / "fixtures"


def map_count(client: TestClient) -> int:
    total: int = client.get("/api/v1/maps").json()["total"]
    return total


def test_import_argdown_as_raw_body(client: TestClient) -> None:
    body = (FIXTURES / "all_constructs.argdown").read_bytes()
    response = client.post(
        "/api/v1/maps/import?format=argdown",
        content=body,
        headers={"X-Author": "Ann", "Content-Type": "text/plain"},
    )
    assert response.status_code == 201, response.text
    result = response.json()
    created = result["map"]
    assert response.headers["Location"] == f"/api/v1/maps/{created['id']}"
    assert created["title"] == "Four-day week"
    assert len(created["claims"]) == 18
    assert all(claim["role"] for claim in created["claims"])
    report = result["report"]
    assert report["format"] == "argdown"
    assert report["carried"]["claims"] == 18
    assert {"what": "contradiction", "line": 27} in [
        {"what": item["what"], "line": item["line"]} for item in report["not_carried"]
    ]
    stored = client.get(response.headers["Location"]).json()
    assert stored["claims"] == created["claims"]
    revisions = client.get(f"/api/v1/maps/{created['id']}/revisions").json()
    first = revisions[0] if isinstance(revisions, list) else revisions["items"][0]
    assert first["description"] == "import from argdown"
    assert first["author"] == "Admin"  # the signed-in person (X-Author is ignored)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("aifdb.json", "aif"),
        ("ova3.json", "aif"),
        ("museums.kialo.txt", "kialo"),
        ("all_constructs.argdown", "argdown"),
    ],
)
def test_import_multipart_upload_detects_the_format(
    client: TestClient, name: str, expected: str
) -> None:
    response = client.post(
        "/api/v1/maps/import",
        files={"file": (name, (FIXTURES / name).read_bytes())},
        params={"title": "Uploaded"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["report"]["format"] == expected
    title = response.json()["map"]["title"]
    assert title == "Uploaded"


def test_import_native_round_trip_through_export(client: TestClient) -> None:
    sample = load_sample()
    created = client.post("/api/v1/maps/import", content=native.dumps(sample).encode())
    assert created.status_code == 201, created.text
    map_id = created.json()["map"]["id"]
    exported = client.get(f"/api/v1/maps/{map_id}/export", params={"format": "native"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/json")
    assert native.loads(exported.text) == sample


@pytest.mark.parametrize(
    ("format", "content_type", "extension"),
    [
        ("native", "application/json", ".json"),
        ("argdown", "text/x-argdown", ".argdown"),
        ("aif", "application/json", ".aif.json"),
        ("kialo", "text/plain", ".kialo.txt"),
        ("graphml", "application/graphml+xml", ".graphml"),
        ("markdown", "text/markdown", ".md"),
        ("dot", "text/vnd.graphviz", ".gv"),
    ],
)
def test_export_every_format_with_type_and_file_name(
    client: TestClient, format: str, content_type: str, extension: str
) -> None:
    created = client.post("/api/v1/maps/import", content=native.dumps(load_sample()).encode())
    map_id = created.json()["map"]["id"]
    response = client.get(f"/api/v1/maps/{map_id}/export", params={"format": format})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(content_type)
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert f'filename="for-workers-power-the-review-s-argument{extension}"' in disposition
    assert int(response.headers["x-argmap-not-carried"]) >= 0
    assert len(response.content) > 1000
    report = client.get(f"/api/v1/maps/{map_id}/export/report", params={"format": format}).json()
    assert report["format"] == format
    assert report["direction"] == "export"


def test_export_of_an_old_revision_and_errors(client: TestClient) -> None:
    created = client.post("/api/v1/maps/import", content=b"[A]: first\n").json()["map"]
    map_id = created["id"]
    client.patch(f"/api/v1/maps/{map_id}", json={"title": "Renamed"})
    old = client.get(f"/api/v1/maps/{map_id}/export", params={"format": "argdown", "version": 1})
    assert old.status_code == 200
    content, _ = argdown.loads(old.text)
    assert content.title == "Imported Argdown map"
    assert client.get("/api/v1/maps/nope/export").status_code == 404
    bad = client.get(f"/api/v1/maps/{map_id}/export", params={"format": "pdf"})
    assert bad.status_code == 422
    assert "graphml" in bad.json()["detail"]


def test_schema_and_formats(client: TestClient) -> None:
    schema = client.get("/api/v1/schema/map.json")
    assert schema.status_code == 200
    assert schema.headers["content-type"].startswith("application/schema+json")
    assert schema.json()["properties"]["argmap"]["const"] == 1
    formats = {f["name"]: f for f in client.get("/api/v1/formats").json()}
    assert {n for n, f in formats.items() if f["can_import"]} == {
        "native",
        "argdown",
        "aif",
        "kialo",
    }
    assert formats["graphml"]["can_export"]
    assert not formats["graphml"]["can_import"]


@pytest.mark.parametrize(
    ("body", "params", "status", "loc"),
    [
        (b"[A]: a\n  + [B: never closed\n", {}, 422, ["line", 2, "column", 5]),
        ("[A]: café".encode("latin-1"), {}, 422, ["line", 1]),
        (b"\x00\x01\x02binary junk\xff\xfe", {"format": "argdown"}, 422, None),
        (b'{"hello": "world"}', {}, 422, None),
        (
            b'{"nodes": [{"nodeID": "1", "text": "a", "type": "I"}], "edges": [{"fromID": "1", "toID": "2"}]}',
            {"format": "aif"},
            422,
            ["edges", 0, "toID"],
        ),
        (b"===\na: &x [1]\nb: *x\n===\n\n[A]: a\n", {}, 422, ["line", 3]),
        (b'{"title": "x", "claims": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", {}, 422, ["line", 1]),
        (b"   ", {}, 422, ["body"]),
        (b"[A]: a\n", {"format": "graphml"}, 422, ["format"]),
    ],
)
def test_bad_files_are_4xx_with_a_location_and_nothing_is_stored(
    client: TestClient, body: bytes, params: dict[str, str], status: int, loc: list[object] | None
) -> None:
    before = map_count(client)
    response = client.post("/api/v1/maps/import", content=body, params=params)
    assert response.status_code == status, response.text
    if loc is not None:
        assert response.json()["loc"] == loc
    assert map_count(client) == before


def test_a_map_that_breaks_a_rule_late_is_not_half_stored(client: TestClient) -> None:
    document = json.loads(native.dumps(load_sample()))
    document["relations"][-1]["premises"] = ["no-such-claim"]
    before = map_count(client)
    response = client.post("/api/v1/maps/import", content=json.dumps(document).encode())
    assert response.status_code == 422
    assert response.json()["loc"][:2] == ["relations", len(document["relations"]) - 1]
    assert map_count(client) == before


def test_oversized_upload_is_413(app_factory) -> None:  # type: ignore[no-untyped-def]
    small = app_factory(import_max_bytes=2048)
    big = b"[A]: " + b"x" * 5000 + b"\n"
    assert small.post("/api/v1/maps/import", content=big).status_code == 413
    multipart = small.post("/api/v1/maps/import", files={"file": ("big.argdown", big)})
    assert multipart.status_code == 413


def test_claim_limit_applies_to_imports(app_factory) -> None:  # type: ignore[no-untyped-def]
    limited = app_factory(max_claims_per_map=3)
    text = "".join(f"[C{i}]: claim {i}\n\n" for i in range(10)).encode()
    response = limited.post("/api/v1/maps/import", content=text)
    assert response.status_code == 413


def test_an_uploaded_argdown_include_is_reported_not_read(client: TestClient) -> None:
    body = b"[A]: a\n\n@include(../../etc/passwd)\n\n[B]: b\n  + [A]\n"
    response = client.post("/api/v1/maps/import?format=argdown", content=body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert sorted(c["text"] for c in result["map"]["claims"]) == ["a", "b"]
    [item] = result["report"]["not_carried"]
    assert (item["what"], item["line"]) == ("include", 3)
    assert "not read from an upload" in item["reason"]
