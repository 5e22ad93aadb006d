"""The OpenAPI document tells the truth: error bodies, statuses, header formats, bounds, types,
and the methods of each path (OPTIONS 204 and other methods 405, both with `Allow`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.responses import IF_MATCH_PATTERN

Document = dict[str, Any]


@pytest.fixture
def document(sqlite_client: TestClient) -> Document:
    body: Document = sqlite_client.get("/openapi.json").json()
    return body


def _map_id(client: TestClient) -> str:
    response = client.post("/api/v1/maps", json={"title": "t"})
    assert response.status_code == 201
    map_id: str = response.json()["id"]
    return map_id


def test_422_is_the_apps_error_body_not_fastapis(document: Document) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    claims = document["paths"]["/api/v1/maps/{map_id}/claims"]["post"]["responses"]
    assert claims["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvalidRequest"
    }
    assert set(schemas["InvalidRequest"]["required"]) == {"detail", "loc"}
    assert set(schemas["StaleVersion"]["required"]) == {"detail", "loc", "current_version"}


def test_a_change_documents_every_refusal(document: Document) -> None:
    responses = document["paths"]["/api/v1/maps/{map_id}/claims/{claim_id}"]["patch"]["responses"]
    assert {"400", "404", "409", "412", "413", "422", "503"} <= set(responses)
    assert responses["412"]["headers"]["ETag"]["required"] is True
    assert "Retry-After" in responses["503"]["headers"]


def test_if_match_format_is_documented_and_enforced(
    document: Document, sqlite_client: TestClient
) -> None:
    operation = document["paths"]["/api/v1/maps/{map_id}"]["patch"]
    (if_match,) = [p for p in operation["parameters"] if p["name"].lower() == "if-match"]
    assert if_match["schema"]["pattern"] == IF_MATCH_PATTERN
    map_id = _map_id(sqlite_client)
    for value in ['"1"', 'W/"1"', "1", "*", '"2"', '""1""', "1, 2", "-1", " 1", "1" * 19]:
        response = sqlite_client.patch(
            f"/api/v1/maps/{map_id}", json={"title": "u"}, headers={"If-Match": value}
        )
        if re.fullmatch(IF_MATCH_PATTERN, value):
            assert response.status_code in (200, 412), (value, response.text)
        else:
            assert response.status_code == 422, (value, response.text)
            assert response.json()["loc"] == ["header", "If-Match"]


def test_limit_maximum_is_the_page_size_setting(app_factory: Any) -> None:
    client: TestClient = app_factory(page_size_max=30)
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/v1/maps", "/api/v1/trash"):
        (limit,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "limit"]
        assert limit["schema"]["anyOf"][0]["maximum"] == 30
    assert client.get("/api/v1/maps?limit=30").status_code == 200
    assert client.get("/api/v1/maps?limit=31").status_code == 422


def test_content_types_are_the_served_ones(document: Document, sqlite_client: TestClient) -> None:
    paths = document["paths"]
    schema = sqlite_client.get("/api/v1/schema/map.json")
    assert schema.headers["content-type"] == "application/schema+json"
    assert set(paths["/api/v1/schema/map.json"]["get"]["responses"]["200"]["content"]) == {
        "application/schema+json"
    }
    diagram = paths["/api/v1/maps/{map_id}/diagram.{fmt}"]["get"]["responses"]["200"]["content"]
    assert set(diagram) == {"image/svg+xml", "image/png", "application/pdf", "text/vnd.graphviz"}
    export = paths["/api/v1/maps/{map_id}/export"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/x-argdown", "application/graphml+xml"} <= set(export)
    attacks = paths["/api/v1/maps/{map_id}/evaluation/attacks.{fmt}"]["get"]["responses"]
    assert set(attacks["200"]["content"]) == {"text/plain"}
    assert set(attacks["404"]["content"]) == {"application/json"}


def test_options_lists_the_methods_of_the_path(sqlite_client: TestClient) -> None:
    map_id = _map_id(sqlite_client)
    response = sqlite_client.options(f"/api/v1/maps/{map_id}")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, GET, OPTIONS, PATCH"
    assert sqlite_client.options("/api/v1/maps").headers["allow"] == "GET, OPTIONS, POST"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/v1/maps/{map_id}", "DELETE, GET, OPTIONS, PATCH"),
        ("HEAD", "/api/v1/maps", "GET, OPTIONS, POST"),
        ("DELETE", "/api/v1/maps", "GET, OPTIONS, POST"),
        # The concrete path wins over /maps/{map_id}: not a lookup of a map named "import".
        ("GET", "/api/v1/maps/import", "OPTIONS, POST"),
        ("PATCH", "/api/v1/maps/import", "OPTIONS, POST"),
        ("POST", "/api/v1/maps/{map_id}/claims/c1", "DELETE, GET, OPTIONS, PATCH"),
    ],
)
def test_other_methods_are_405_with_the_paths_allow(
    method: str, path: str, allow: str, sqlite_client: TestClient
) -> None:
    url = path.replace("{map_id}", _map_id(sqlite_client))
    response = sqlite_client.request(method, url)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert set(response.json()) == {"detail", "loc"}


def test_the_document_has_options_for_every_path(document: Document) -> None:
    for path, item in document["paths"].items():
        assert "204" in item["options"]["responses"], path


def test_links_name_real_operations(document: Document) -> None:
    operation_ids = {
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
    }
    created = document["paths"]["/api/v1/maps"]["post"]["responses"]["201"]["links"]
    assert created["get_map"]["parameters"] == {"map_id": "$response.body#/id"}
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                assert set(response.get("links", {})) <= operation_ids


def test_a_body_over_the_size_limit_gets_the_documented_413(app_factory: Any) -> None:
    client: TestClient = app_factory(max_body_bytes=1024)
    response = client.post("/api/v1/maps", json={"title": "t", "description": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["loc"] == ["body"]
    assert isinstance(response.json()["detail"], str)
