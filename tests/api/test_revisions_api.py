"""Revisions: every change is recorded and the map as of any revision can be restored."""

from __future__ import annotations

from factories import add_claim, debate
from fastapi.testclient import TestClient


def _content(body: dict) -> tuple:  # type: ignore[type-arg]
    claims = tuple((c["id"], c["text"], tuple(c["tags"])) for c in body["claims"])
    relations = tuple(
        (r["id"], r["kind"], tuple(r["premises"]), r["target_claim"], r["target_relation"])
        for r in body["relations"]
    )
    return body["title"], body["description"], claims, relations


def test_every_change_is_a_revision(client: TestClient) -> None:
    ids = debate(client)
    revisions = client.get(f"/api/v1/maps/{ids['map_id']}/revisions").json()
    assert revisions["total"] == 5
    numbers = [item["number"] for item in revisions["items"]]
    assert numbers == [5, 4, 3, 2, 1]
    assert revisions["items"][-1]["description"] == "create map"
    assert "objection" in revisions["items"][0]["description"]
    assert revisions["items"][0]["claim_count"] == 4


def test_read_back_and_restore_every_revision(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    snapshots = {}
    for number in range(1, 6):
        snapshots[number] = client.get(f"/api/v1/maps/{map_id}/revisions/{number}").json()
        assert snapshots[number]["version"] == number
    assert len(snapshots[3]["claims"]) == 2
    current = client.get(f"/api/v1/maps/{map_id}").json()
    assert _content(snapshots[5]) == _content(current)
    restored = client.post(f"/api/v1/maps/{map_id}/revisions/3/restore")
    assert restored.status_code == 200
    assert restored.json()["version"] == 6
    assert restored.headers["etag"] == '"6"'
    assert _content(client.get(f"/api/v1/maps/{map_id}").json()) == _content(snapshots[3])
    # Restoring is itself a revision, and the later state can be restored again.
    client.post(f"/api/v1/maps/{map_id}/revisions/5/restore")
    assert _content(client.get(f"/api/v1/maps/{map_id}").json()) == _content(snapshots[5])
    assert client.get(f"/api/v1/maps/{map_id}/revisions").json()["total"] == 7


def test_missing_revision_is_404(client: TestClient) -> None:
    ids = debate(client)
    assert client.get(f"/api/v1/maps/{ids['map_id']}/revisions/99").status_code == 404
    assert client.get(f"/api/v1/maps/{ids['map_id']}/revisions/0").status_code == 422
    assert client.post(f"/api/v1/maps/{ids['map_id']}/revisions/99/restore").status_code == 404


def test_stale_if_match_is_412_and_writes_nothing(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    stale = client.post(
        f"/api/v1/maps/{map_id}/claims", json={"text": "late"}, headers={"If-Match": '"2"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 5
    assert stale.headers["etag"] == '"5"'
    assert client.get(f"/api/v1/maps/{map_id}").json()["version"] == 5
    assert client.get(f"/api/v1/maps/{map_id}/revisions").json()["total"] == 5
    fresh = client.post(
        f"/api/v1/maps/{map_id}/claims", json={"text": "on time"}, headers={"If-Match": '"5"'}
    )
    assert fresh.status_code == 201
    assert fresh.headers["etag"] == '"6"'
    # (A stale PATCH is merged instead: tests/api/test_merge_api.py.)
    for method, url in [
        ("delete", f"/api/v1/maps/{map_id}/claims/{ids['rebuttal']}"),
        ("post", f"/api/v1/maps/{map_id}/revisions/1/restore"),
        ("delete", f"/api/v1/maps/{map_id}"),
    ]:
        response = client.request(method, url, headers={"If-Match": '"1"'})
        assert response.status_code == 412, (method, url)
    assert client.get(f"/api/v1/maps/{map_id}").json()["version"] == 6
    add_claim(client, map_id, "no If-Match applies to the current state")


def test_a_change_that_changes_nothing_makes_no_revision(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    title = client.get(f"/api/v1/maps/{map_id}").json()["title"]
    for method, url, body in [
        ("patch", f"/api/v1/maps/{map_id}", {}),
        ("patch", f"/api/v1/maps/{map_id}", {"title": title}),
        ("patch", f"/api/v1/maps/{map_id}/claims/{ids['thesis']}", {}),
        ("post", f"/api/v1/maps/{map_id}/revisions/5/restore", None),
    ]:
        response = client.request(method, url, json=body)
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"5"'
    assert client.get(f"/api/v1/maps/{map_id}/revisions").json()["total"] == 5


def test_the_changes_of_a_revision_with_a_word_diff(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    edited = client.patch(
        f"/api/v1/maps/{map_id}/claims/{ids['thesis']}",
        json={"text": "Cities should ban most cars from their centres."},
    )
    assert edited.status_code == 200
    changes = client.get(f"/api/v1/maps/{map_id}/revisions/6/changes")
    assert changes.status_code == 200, changes.text
    body = changes.json()
    assert body["number"] == 6
    (changed,) = body["claims"]["changed"]
    assert changed["id"] == ids["thesis"]
    assert changed["fields"]["text"]["words"] == [
        {"op": "same", "text": "Cities should ban"},
        {"op": "added", "text": " most"},
        {"op": "same", "text": " cars from their centres."},
    ]
    added = client.get(f"/api/v1/maps/{map_id}/revisions/2/changes").json()
    assert [c["id"] for c in added["claims"]["added"]] == [ids["thesis"]]
    assert client.get(f"/api/v1/maps/{map_id}/revisions/99/changes").status_code == 404
