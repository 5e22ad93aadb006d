"""GET /maps/{id}/evaluation on chained undercuts: defence trees bounded by size (issue 10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from factories import undercut_ladder
from fastapi.testclient import TestClient

from maps.formats import native

MB = 1024 * 1024


def _import_ladder(client: TestClient) -> str:
    response = client.post("/api/v1/maps/import", content=native.dumps(undercut_ladder()).encode())
    assert response.status_code == 201, response.text
    map_id: str = response.json()["map"]["id"]
    return map_id


def _tree_sizes(body: dict[str, Any]) -> dict[str, int]:
    def count(nodes: list[dict[str, Any]]) -> int:
        return sum(1 + count(node["children"]) for node in nodes)

    elements = {**body["claims"], **body["relations"]}
    return {
        element_id: count(element["why"]["defence"]) for element_id, element in elements.items()
    }


def test_depth_32_on_chained_undercuts_answers_a_small_marked_body(client: TestClient) -> None:
    map_id = _import_ladder(client)
    response = client.get(f"/api/v1/maps/{map_id}/evaluation", params={"depth": 32})
    assert response.status_code == 200, response.text
    assert len(response.content) < 5 * MB
    body = response.json()
    sizes = _tree_sizes(body)
    assert max(sizes.values()) == 100  # the default ARGMAP_EXPLANATION_MAX_NODES
    top = body["relations"]["b0_0"]["why"]
    assert top["truncated"]
    assert top["defence"][0]["truncated"] is False  # the first levels are whole


def test_the_node_budget_is_a_setting(app_factory: Callable[..., TestClient]) -> None:
    with app_factory(explanation_max_nodes=12) as client:
        map_id = _import_ladder(client)
        response = client.get(f"/api/v1/maps/{map_id}/evaluation", params={"depth": 32})
    assert response.status_code == 200, response.text
    assert max(_tree_sizes(response.json()).values()) == 12
