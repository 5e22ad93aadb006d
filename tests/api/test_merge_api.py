"""Edits based on an older version are merged field by field; a clash is a 409 that says how."""

from __future__ import annotations

from typing import Any

from factories import add_claim, create_map, debate
from fastapi.testclient import TestClient


def _version(client: TestClient, map_id: str) -> int:
    version: int = client.get(f"/api/v1/maps/{map_id}").json()["version"]
    return version


def _patch(client: TestClient, url: str, body: dict[str, Any], version: int | None) -> Any:
    headers = {"If-Match": f'"{version}"'} if version is not None else {}
    return client.patch(url, json=body, headers=headers)


def test_edits_of_different_fields_of_a_claim_merge(client: TestClient) -> None:
    ids = debate(client)
    map_id, url = ids["map_id"], f"/api/v1/maps/{ids['map_id']}/claims/{ids['thesis']}"
    base = _version(client, map_id)
    theirs = _patch(client, url, {"note": "see the 2019 study"}, base)
    assert theirs.status_code == 200
    assert theirs.json()["merged"] is False
    mine = _patch(client, url, {"text": "Cities should ban most cars.", "note": None}, base)
    assert mine.status_code == 200, mine.text
    assert mine.json()["merged"] is True
    assert mine.json()["version"] == base + 2
    assert mine.headers["etag"] == f'"{base + 2}"'
    claim = client.get(url).json()
    # The note was not changed by me (null as at base): theirs stays.
    assert (claim["text"], claim["note"]) == ("Cities should ban most cars.", "see the 2019 study")


def test_a_clash_on_one_field_is_409_with_all_three_values(client: TestClient) -> None:
    ids = debate(client)
    map_id, url = ids["map_id"], f"/api/v1/maps/{ids['map_id']}/claims/{ids['support']}"
    base = _version(client, map_id)
    assert _patch(client, url, {"text": "Their text", "tags": ["air"]}, base).status_code == 200
    clash = _patch(client, url, {"text": "My text", "accepted": True}, base)
    assert clash.status_code == 409
    body = clash.json()
    assert body["conflicts"] == {
        "text": {
            "base": "Car-free centres have cleaner air.",
            "theirs": "Their text",
            "yours": "My text",
        }
    }
    assert body["current_version"] == base + 1
    assert body["loc"] == ["body"]
    assert "text" in body["detail"]
    assert clash.headers["etag"] == f'"{base + 1}"'
    # Nothing written, not even the field that did not clash.
    assert _version(client, map_id) == base + 1
    claim = client.get(url).json()
    assert (claim["text"], claim["accepted"]) == ("Their text", False)
    # Sent again on the current version, the edit applies as it is.
    again = _patch(client, url, {"text": "My text", "accepted": True}, body["current_version"])
    assert again.status_code == 200
    assert again.json()["merged"] is False
    assert again.json()["claim"]["text"] == "My text"


def test_the_same_change_on_both_sides_is_no_clash(client: TestClient) -> None:
    ids = debate(client)
    map_id, url = ids["map_id"], f"/api/v1/maps/{ids['map_id']}/claims/{ids['thesis']}"
    base = _version(client, map_id)
    assert _patch(client, url, {"tags": ["cities"]}, base).status_code == 200
    same = _patch(client, url, {"tags": ["cities"]}, base)
    assert same.status_code == 200
    assert same.json()["merged"] is True
    assert _version(client, map_id) == base + 1  # nothing left to change


def test_without_if_match_the_last_write_wins(client: TestClient) -> None:
    ids = debate(client)
    map_id, url = ids["map_id"], f"/api/v1/maps/{ids['map_id']}/claims/{ids['thesis']}"
    base = _version(client, map_id)
    assert _patch(client, url, {"text": "Their text"}, base).status_code == 200
    mine = _patch(client, url, {"text": "My text"}, None)
    assert mine.status_code == 200
    assert mine.json()["merged"] is False
    assert client.get(url).json()["text"] == "My text"


def test_an_edit_of_a_claim_deleted_since_is_409(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    base = _version(client, map_id)
    deleted = client.delete(f"/api/v1/maps/{map_id}/claims/{ids['rebuttal']}?cascade=true")
    assert deleted.status_code == 200
    late = _patch(client, f"/api/v1/maps/{map_id}/claims/{ids['rebuttal']}", {"text": "x"}, base)
    assert late.status_code == 409
    assert "deleted" in late.json()["detail"]
    assert late.json()["loc"] == ["claim_id"]
    assert late.json()["current_version"] == base + 1
    assert _version(client, map_id) == base + 1


def test_relation_edits_merge_and_clash(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    url = f"/api/v1/maps/{map_id}/relations/{ids['objection_relation']}"
    base = _version(client, map_id)
    assert _patch(client, url, {"note": "theirs"}, base).status_code == 200
    moved = _patch(client, url, {"target_claim": ids["support"]}, base)
    assert moved.status_code == 200, moved.text
    relation = moved.json()["relation"]
    assert moved.json()["merged"] is True
    assert (relation["target_claim"], relation["note"]) == (ids["support"], "theirs")
    clash = _patch(client, url, {"note": "mine"}, base)
    assert clash.status_code == 409
    assert clash.json()["conflicts"] == {
        "note": {"base": None, "theirs": "theirs", "yours": "mine"}
    }
    deleted = client.delete(f"/api/v1/maps/{map_id}/relations/{ids['support_relation']}")
    assert deleted.status_code == 200
    gone = _patch(
        client,
        f"/api/v1/maps/{map_id}/relations/{ids['support_relation']}",
        {"kind": "objection"},
        base,
    )
    assert gone.status_code == 409
    assert gone.json()["loc"] == ["relation_id"]


def test_map_edits_merge_and_clash(client: TestClient) -> None:
    map_id = create_map(client, "Old title")["id"]
    url = f"/api/v1/maps/{map_id}"
    assert _patch(client, url, {"description": "theirs"}, 1).status_code == 200
    add_claim(client, map_id, "A claim added meanwhile")
    merged = _patch(client, url, {"title": "New title"}, 1)
    assert merged.status_code == 200
    body = merged.json()
    assert body["merged"] is True
    assert (body["title"], body["description"], len(body["claims"])) == ("New title", "theirs", 1)
    clash = _patch(client, url, {"description": "mine"}, 1)
    assert clash.status_code == 409
    assert clash.json()["conflicts"]["description"] == {
        "base": "",
        "theirs": "theirs",
        "yours": "mine",
    }
    assert clash.json()["current_version"] == 4
    assert _version(client, map_id) == 4


def test_other_stale_changes_are_still_412(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    stale = client.post(
        f"/api/v1/maps/{map_id}/claims", json={"text": "late"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    future = _patch(client, f"/api/v1/maps/{map_id}", {"title": "x"}, 99)
    assert future.status_code == 412
