"""A new claim as one more linked premise of a relation, in one request and one revision
(`premise_of` in POST /maps/{id}/claims)."""

from __future__ import annotations

from factories import add_claim, debate
from fastapi.testclient import TestClient


def test_a_new_co_premise_is_one_request_and_one_revision(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    url = f"/api/v1/maps/{map_id}"
    before = client.get(url).json()
    response = client.post(
        f"{url}/claims",
        json={"text": "Delivery vans still need access.", "premise_of": ids["objection_relation"]},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    claim = body["claim"]
    relation = body["relation"]
    assert relation["id"] == ids["objection_relation"]
    assert relation["premises"] == [ids["objection"], claim["id"]]
    assert claim["role"] == "objection"
    assert body["version"] == before["version"] + 1
    assert response.headers["etag"] == f'"{body["version"]}"'
    after = client.get(url).json()
    assert len(after["relations"]) == len(before["relations"])
    stored = {r["id"]: r for r in after["relations"]}
    assert stored[ids["objection_relation"]]["premises"] == [ids["objection"], claim["id"]]
    revisions = client.get(f"{url}/revisions").json()["items"]
    assert revisions[0]["description"] == (
        "add “Delivery vans still need access.” as a linked premise of the objection to "
        "“Cities should ban cars from their centres.”"
    )
    assert revisions[0]["number"] == body["version"]


def test_premise_of_is_refused_with_its_field(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    url = f"/api/v1/maps/{map_id}/claims"
    version = client.get(f"/api/v1/maps/{map_id}").json()["version"]
    missing = client.post(url, json={"text": "x", "premise_of": "r-nope"})
    assert missing.status_code == 422
    assert missing.json()["loc"] == ["premise_of"]
    assert "r-nope" in missing.json()["detail"]
    both = client.post(
        url,
        json={
            "text": "x",
            "premise_of": ids["objection_relation"],
            "relation": {"kind": "support", "target_claim": ids["thesis"]},
        },
    )
    assert both.status_code == 422
    assert both.json()["loc"] == ["body", "premise_of"]
    # A claim is not a relation.
    not_relation = client.post(url, json={"text": "x", "premise_of": ids["thesis"]})
    assert not_relation.status_code == 422
    assert client.get(f"/api/v1/maps/{map_id}").json()["version"] == version


def test_a_co_premise_of_an_undercut_and_the_premise_limit(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    undercut = add_claim(
        client,
        map_id,
        "Shops adapt.",
        kind="objection",
        target_relation=ids["objection_relation"],
    )["relation"]["id"]
    joined = client.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": "Trade moved online.", "premise_of": undercut},
    )
    assert joined.status_code == 201, joined.text
    assert len(joined.json()["relation"]["premises"]) == 2
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ClaimCreate"]
    assert "premise_of" in schema["properties"]
