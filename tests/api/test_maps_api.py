"""CRUD of maps, claims and relations over the real app and database."""

from __future__ import annotations

from typing import Any

from factories import add_claim, create_map, debate
from fastapi.testclient import TestClient


def test_health(client: TestClient) -> None:
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"] in ("sqlite", "postgresql")


def test_create_map_returns_location_and_etag(client: TestClient) -> None:
    response = client.post("/api/v1/maps", json={"title": "  Free museums  ", "description": "d"})
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Free museums"
    assert body["version"] == 1
    assert response.headers["location"] == f"/api/v1/maps/{body['id']}"
    assert response.headers["etag"] == '"1"'
    fetched = client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json()["claims"] == []


def test_get_map_etag_and_304(client: TestClient) -> None:
    map_id = create_map(client)["id"]
    first = client.get(f"/api/v1/maps/{map_id}")
    assert first.headers["etag"] == '"1"'
    again = client.get(f"/api/v1/maps/{map_id}", headers={"If-None-Match": '"1"'})
    assert again.status_code == 304
    add_claim(client, map_id, "A claim")
    changed = client.get(f"/api/v1/maps/{map_id}", headers={"If-None-Match": '"1"'})
    assert changed.status_code == 200
    assert changed.headers["etag"] == '"2"'


def test_list_search_and_paging(client: TestClient) -> None:
    first = create_map(client, "Museums")["id"]
    second = create_map(client, "Four-day week")["id"]
    add_claim(client, first, "Entry fees pay for CONSERVATION.")
    listing = client.get("/api/v1/maps").json()
    assert listing["total"] == 2
    assert [item["id"] for item in listing["items"]] == [first, second]  # most recent change
    assert listing["items"][0]["claim_count"] == 1
    assert listing["items"][0]["relation_count"] == 0
    by_title = client.get("/api/v1/maps", params={"q": "four-DAY"}).json()
    assert [i["id"] for i in by_title["items"]] == [second]
    by_claim = client.get("/api/v1/maps", params={"q": "conservation"}).json()
    assert [i["id"] for i in by_claim["items"]] == [first]
    assert client.get("/api/v1/maps", params={"q": "100%_"}).json()["total"] == 0
    page = client.get("/api/v1/maps", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2
    assert [i["id"] for i in page["items"]] == [second]


def test_patch_map(client: TestClient) -> None:
    map_id = create_map(client)["id"]
    response = client.patch(f"/api/v1/maps/{map_id}", json={"title": "New title"})
    assert response.status_code == 200
    assert response.json()["title"] == "New title"
    assert response.json()["version"] == 2
    assert response.headers["etag"] == '"2"'


def test_debate_roles(client: TestClient) -> None:
    ids = debate(client)
    claims = {c["id"]: c for c in client.get(f"/api/v1/maps/{ids['map_id']}").json()["claims"]}
    assert claims[ids["thesis"]]["role"] == "thesis"
    assert claims[ids["support"]]["role"] == "support"
    assert claims[ids["objection"]]["role"] == "objection"
    assert claims[ids["rebuttal"]]["role"] == "rebuttal"


def test_claim_with_all_fields_round_trips(client: TestClient) -> None:
    map_id = create_map(client)["id"]
    body = {
        "text": "Workers must control production.",
        "note": "Brinton's central claim",
        "tags": ["control", "production", "control"],
        "sources": [
            {
                "citation": "Brinton, The Bolsheviks and Workers' Control",
                "url": "https://example.org/brinton",
                "quote": "a quote",
                "locator": "p. 12",
            }
        ],
        "author": "Ana",
    }
    created = client.post(f"/api/v1/maps/{map_id}/claims", json=body)
    assert created.status_code == 201
    claim = created.json()["claim"]
    assert claim["tags"] == ["control", "production"]
    assert created.headers["location"].endswith(f"/claims/{claim['id']}")
    fetched = client.get(f"/api/v1/maps/{map_id}/claims/{claim['id']}").json()
    assert fetched["sources"][0]["locator"] == "p. 12"
    assert fetched["author"] == "Admin"  # the signed-in person, whatever the body says
    assert fetched["role"] == "thesis"


def test_patch_claim_and_clear_optional_fields(client: TestClient) -> None:
    map_id = create_map(client)["id"]
    claim = add_claim(client, map_id, "Old", note="n", tags=["a"])["claim"]
    response = client.patch(
        f"/api/v1/maps/{map_id}/claims/{claim['id']}",
        json={"text": "New", "note": None, "tags": ["b"]},
    )
    assert response.status_code == 200
    updated = response.json()["claim"]
    assert (updated["text"], updated["note"], updated["tags"]) == ("New", None, ["b"])
    assert response.json()["version"] == 3


def test_linked_premises_and_undercut(client: TestClient) -> None:
    map_id = create_map(client)["id"]
    conclusion = add_claim(client, map_id, "Socrates is mortal")["claim"]["id"]
    major = add_claim(client, map_id, "All men are mortal")["claim"]["id"]
    minor = add_claim(client, map_id, "Socrates is a man")["claim"]["id"]
    linked = client.post(
        f"/api/v1/maps/{map_id}/relations",
        json={"kind": "support", "premises": [major, minor], "target_claim": conclusion},
    )
    assert linked.status_code == 201, linked.text
    relation = linked.json()["relation"]
    assert relation["premises"] == [major, minor]
    undercut = add_claim(
        client,
        map_id,
        "The syllogism equivocates",
        kind="objection",
        target_relation=relation["id"],
    )
    assert undercut["relation"]["target_relation"] == relation["id"]
    body = client.get(f"/api/v1/maps/{map_id}").json()
    roles = {c["id"]: c["role"] for c in body["claims"]}
    assert roles[major] == roles[minor] == "support"
    assert roles[undercut["claim"]["id"]] == "objection"
    # An objection aimed at an objection relation is a rebuttal.
    objection = add_claim(
        client, map_id, "Socrates is a god", kind="objection", target_claim=conclusion
    )
    rebut = add_claim(
        client,
        map_id,
        "Gods do not drink hemlock",
        kind="objection",
        target_relation=objection["relation"]["id"],
    )
    body = client.get(f"/api/v1/maps/{map_id}").json()
    roles = {c["id"]: c["role"] for c in body["claims"]}
    assert roles[rebut["claim"]["id"]] == "rebuttal"


def test_mutual_attack_is_accepted(client: TestClient) -> None:
    map_id = create_map(client)["id"]
    a = add_claim(client, map_id, "A")["claim"]["id"]
    b = add_claim(client, map_id, "B", kind="objection", target_claim=a)["claim"]["id"]
    response = client.post(
        f"/api/v1/maps/{map_id}/relations",
        json={"kind": "objection", "premises": [a], "target_claim": b},
    )
    assert response.status_code == 201


def test_relation_rules(client: TestClient) -> None:
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/relations"
    duplicate = client.post(
        url, json={"kind": "support", "premises": [ids["support"]], "target_claim": ids["thesis"]}
    )
    assert duplicate.status_code == 409
    assert ids["support_relation"] in duplicate.json()["detail"]
    own_target = client.post(
        url, json={"kind": "support", "premises": [ids["thesis"]], "target_claim": ids["thesis"]}
    )
    assert own_target.status_code == 422
    missing = client.post(
        url, json={"kind": "support", "premises": ["nope"], "target_claim": ids["thesis"]}
    )
    assert missing.status_code == 422
    assert "nope" in missing.json()["detail"]
    both = client.post(
        url,
        json={
            "kind": "support",
            "premises": [ids["support"]],
            "target_claim": ids["thesis"],
            "target_relation": ids["objection_relation"],
        },
    )
    assert both.status_code == 422
    # A relation may not target itself.
    relation_id = ids["objection_relation"]
    self_target = client.patch(f"{url}/{relation_id}", json={"target_relation": relation_id})
    assert self_target.status_code == 422
    version = client.get(f"/api/v1/maps/{ids['map_id']}").json()["version"]
    assert version == 5  # nothing was written by the refused requests


def test_patch_relation(client: TestClient) -> None:
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/relations/{ids['support_relation']}"
    response = client.patch(url, json={"kind": "objection", "note": "changed my mind"})
    assert response.status_code == 200
    assert response.json()["relation"]["kind"] == "objection"
    assert client.get(url).json()["note"] == "changed my mind"


def test_delete_claim_needs_cascade(client: TestClient) -> None:
    ids = debate(client)
    url = f"/api/v1/maps/{ids['map_id']}/claims/{ids['objection']}"
    refused = client.delete(url)
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "is used by 2 relations: the objection from “Shops lose customers" in detail
    assert ids["objection_relation"] not in detail  # named in words, not by id
    assert client.get(url).status_code == 200
    deleted = client.delete(url, params={"cascade": "true"})
    assert deleted.status_code == 200
    body = deleted.json()
    assert body["deleted_claims"] == [ids["objection"]]
    assert set(body["deleted_relations"]) == {ids["objection_relation"], ids["rebuttal_relation"]}
    assert client.get(url).status_code == 404
    remaining = client.get(f"/api/v1/maps/{ids['map_id']}").json()
    assert {r["id"] for r in remaining["relations"]} == {ids["support_relation"]}
    # The rebuttal claim survives, now a thesis of its own.
    roles = {c["id"]: c["role"] for c in remaining["claims"]}
    assert roles[ids["rebuttal"]] == "thesis"


def test_delete_unused_claim_and_relation(client: TestClient) -> None:
    ids = debate(client)
    base = f"/api/v1/maps/{ids['map_id']}"
    response = client.delete(f"{base}/relations/{ids['support_relation']}")
    assert response.status_code == 200
    assert response.json()["deleted_relations"] == [ids["support_relation"]]
    assert client.delete(f"{base}/claims/{ids['support']}").status_code == 200


def test_delete_relation_with_undercut_needs_cascade(client: TestClient) -> None:
    ids = debate(client)
    base = f"/api/v1/maps/{ids['map_id']}"
    undercut = add_claim(
        client,
        ids["map_id"],
        "Air is not the point",
        kind="objection",
        target_relation=ids["support_relation"],
    )
    assert client.delete(f"{base}/relations/{ids['support_relation']}").status_code == 409
    response = client.delete(f"{base}/relations/{ids['support_relation']}?cascade=true")
    assert set(response.json()["deleted_relations"]) == {
        ids["support_relation"],
        undercut["relation"]["id"],
    }


def test_trash_and_restore(client: TestClient) -> None:
    map_id = create_map(client, "Doomed")["id"]
    add_claim(client, map_id, "Keep me")
    deleted = client.delete(f"/api/v1/maps/{map_id}")
    assert deleted.status_code == 200
    assert deleted.json()["deleted_at"] is not None
    assert client.get(f"/api/v1/maps/{map_id}").status_code == 404
    assert client.get("/api/v1/maps").json()["total"] == 0
    trash = client.get("/api/v1/trash").json()
    assert [i["id"] for i in trash["items"]] == [map_id]
    assert client.delete(f"/api/v1/maps/{map_id}").status_code == 404
    restored = client.post(f"/api/v1/trash/{map_id}/restore")
    assert restored.status_code == 200
    body = client.get(f"/api/v1/maps/{map_id}").json()
    assert [c["text"] for c in body["claims"]] == ["Keep me"]
    assert client.get("/api/v1/trash").json()["total"] == 0
    assert client.post(f"/api/v1/trash/{map_id}/restore").status_code == 404


def test_the_signed_in_person_is_the_author_whatever_the_request_says(
    client: TestClient,
) -> None:
    map_id = create_map(client)["id"]
    response = client.post(
        f"/api/v1/maps/{map_id}/claims",
        json={"text": "Mine", "author": "Prof. Smith (admin)"},
        headers={"X-Author": "Rosa"},
    )
    assert response.json()["claim"]["author"] == "Admin"
    revisions = client.get(f"/api/v1/maps/{map_id}/revisions").json()["items"]
    assert (revisions[0]["author"], revisions[0]["author_id"]) == ("Admin", "admin")
    claim_id = response.json()["claim"]["id"]
    patched = client.patch(
        f"/api/v1/maps/{map_id}/claims/{claim_id}",
        json={"text": "Changed", "author": "Someone else"},
    )
    assert patched.json()["claim"]["author"] == "Admin"  # an edit never changes who wrote it


def test_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/maps/{map_id}/claims" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_health_names_the_diagram_engine(client: TestClient, app_factory: Any) -> None:
    engine = client.get("/api/v1/health").json()["diagram_engine"]
    assert engine["engine"] in ("dot", "pygraphviz")
    assert engine["graphviz_version"]
    bundled = app_factory(render_engine="pygraphviz").get("/api/v1/health").json()
    assert bundled["diagram_engine"]["engine"] == "pygraphviz"


def test_search_is_full_text_ranked_and_finds_word_starts(client: TestClient) -> None:
    plenty = create_map(client, "Workers' control")["id"]  # the title and a claim match
    add_claim(client, plenty, "Workers can run factories without bosses.")
    once = create_map(client, "Shop floors")["id"]
    add_claim(client, once, "Some workers would rather not decide.")
    other = create_map(client, "Cafés and bakeries")["id"]
    add_claim(client, other, "The café opens at dawn.")

    found = client.get("/api/v1/maps", params={"q": "work"}).json()  # "work…" finds "workers"
    assert sorted(i["id"] for i in found["items"]) == sorted([plenty, once])
    assert found["total"] == 2
    both = client.get("/api/v1/maps", params={"q": "workers factories"}).json()
    assert [i["id"] for i in both["items"]] == [plenty]  # every word, in one claim or title
    assert client.get("/api/v1/maps", params={"q": "café"}).json()["total"] == 1
    edited = client.get(f"/api/v1/maps/{other}").json()["claims"][0]["id"]
    client.patch(f"/api/v1/maps/{other}/claims/{edited}", json={"text": "Bread at dawn."})
    assert client.get("/api/v1/maps", params={"q": "opens"}).json()["total"] == 0  # in step
    client.delete(
        f"/api/v1/maps/{once}/claims/{client.get(f'/api/v1/maps/{once}').json()['claims'][0]['id']}"
    )
    assert [
        i["id"] for i in client.get("/api/v1/maps", params={"q": "rather"}).json()["items"]
    ] == []
    assert client.get("/api/v1/maps", params={"q": "%%%"}).json()["total"] == 0  # no word
