"""The group's rule of decision: stored on the map, changed as a revision, used by every viewer
(evaluation, diagram status colours, Markdown and native exports, the handout's words)."""

from __future__ import annotations

import re

import sqlalchemy as sa
from factories import debate
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app as cli
from api.store import Store
from api.store.tables import MapRow
from maps.formats import native

DEFAULT = {
    "semantics": "grounded",
    "support": "loose",
    "proof_standard": "preponderance",
    "gradual": "dfquad",
}


def _evidential(client: TestClient, map_id: str) -> dict[str, object]:
    response = client.patch(f"/api/v1/maps/{map_id}", json={"rule": {"support": "evidential"}})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_a_new_map_has_the_default_rule_and_a_change_is_a_revision(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    before = client.get(f"/api/v1/maps/{map_id}").json()
    assert before["rule"] == DEFAULT
    changed = _evidential(client, map_id)
    assert changed["rule"] == {**DEFAULT, "support": "evidential"}  # the rest kept
    assert changed["version"] == before["version"] + 1
    revisions = client.get(f"/api/v1/maps/{map_id}/revisions").json()
    items = revisions["items"] if isinstance(revisions, dict) else revisions
    newest = max(items, key=lambda r: r["number"])
    assert newest["description"] == (
        "change the rule of decision to grounded semantics, evidential support, the "
        "preponderance standard, DF-QuAD strength"
    )
    # The same rule again is no change.
    again = client.patch(f"/api/v1/maps/{map_id}", json={"rule": {"support": "evidential"}})
    assert again.json()["version"] == changed["version"]


def test_the_evaluation_follows_the_rule_unless_asked_otherwise(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    loose = client.get(f"/api/v1/maps/{map_id}/evaluation").json()
    assert (loose["support"], loose["proof_standard"]) == ("loose", "preponderance")
    assert loose["claims"][ids["thesis"]]["verdict"] == "stands"
    _evidential(client, map_id)
    evidential = client.get(f"/api/v1/maps/{map_id}/evaluation").json()
    assert evidential["support"] == "evidential"
    # Nothing in the map is accepted as a starting point: no support of the thesis stands.
    assert evidential["claims"][ids["thesis"]]["verdict"] == "defeated"
    asked = client.get(f"/api/v1/maps/{map_id}/evaluation", params={"support": "loose"}).json()
    assert asked["support"] == "loose"
    assert asked["claims"][ids["thesis"]]["verdict"] == "stands"


def test_the_proof_standard_of_the_rule_is_answered_for_every_claim(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    client.patch(f"/api/v1/maps/{map_id}", json={"rule": {"proof_standard": "scintilla"}})
    body = client.get(f"/api/v1/maps/{map_id}/evaluation").json()
    assert body["proof_standard"] == "scintilla"
    for claim in body["claims"].values():
        assert claim["meets_standard"] == claim["proof_standards"]["scintilla"]
    assert body["claims"][ids["thesis"]]["meets_standard"] == "yes"  # its support stands


def test_a_bad_rule_is_refused_with_its_location(client: TestClient) -> None:
    ids = debate(client)
    response = client.patch(
        f"/api/v1/maps/{ids['map_id']}", json={"rule": {"semantics": "majority"}}
    )
    assert response.status_code == 422
    assert "semantics" in response.text
    response = client.patch(f"/api/v1/maps/{ids['map_id']}", json={"rule": {"votes": 3}})
    assert response.status_code == 422


def test_restoring_a_revision_restores_its_rule(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    version = client.get(f"/api/v1/maps/{map_id}").json()["version"]
    _evidential(client, map_id)
    response = client.post(f"/api/v1/maps/{map_id}/revisions/{version}/restore")
    assert response.status_code in (200, 201), response.text
    assert client.get(f"/api/v1/maps/{map_id}").json()["rule"] == DEFAULT
    was = client.get(f"/api/v1/maps/{map_id}/revisions/{version + 1}").json()
    assert was["rule"]["support"] == "evidential"


def test_the_diagram_colours_by_the_rule(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    url = f"/api/v1/maps/{map_id}/diagram.svg"
    loose = client.get(url, params={"status": "true"}).text
    _evidential(client, map_id)
    evidential = client.get(url, params={"status": "true"}).text
    assert loose.count("Stands") > evidential.count("Stands")
    assert "Defeated" in evidential


def test_markdown_and_native_exports_carry_the_rule(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    _evidential(client, map_id)
    markdown = client.get(f"/api/v1/maps/{map_id}/export", params={"format": "markdown"})
    assert markdown.status_code == 200, markdown.text
    assert "*Rule of decision:* grounded semantics, evidential support" in markdown.text
    assert "*Defeated*" in markdown.text
    exported = client.get(f"/api/v1/maps/{map_id}/export", params={"format": "native"})
    assert native.loads(exported.text).rule.support == "evidential"
    created = client.post("/api/v1/maps/import", params={"format": "native"}, content=exported.text)
    assert created.status_code == 201, created.text
    new_id = created.json()["map"]["id"]
    assert client.get(f"/api/v1/maps/{new_id}").json()["rule"]["support"] == "evidential"


def test_a_map_stored_before_rules_reads_with_the_default_rule(
    client: TestClient, store: Store
) -> None:
    ids = debate(client)
    with store.engine.begin() as connection:
        connection.execute(sa.update(MapRow).where(MapRow.id == ids["map_id"]).values(rule=None))
    fresh = Store(store.engine, store.settings)
    assert fresh.get_map(ids["map_id"]).rule.model_dump() == DEFAULT


def test_the_cli_reads_the_rule_from_the_file(tmp_path: object, client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    _evidential(client, map_id)
    text = client.get(f"/api/v1/maps/{map_id}/export", params={"format": "native"}).text
    path = tmp_path / "map.json"  # type: ignore[operator]
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    assert "under grounded semantics with evidential support" in result.stdout
    overridden = CliRunner().invoke(cli, ["evaluate", str(path), "--support", "loose"])
    assert "with loose support" in overridden.stdout
    assert re.search(r"Standard: whether a claim meets the preponderance", result.stdout)


def test_a_null_part_of_the_rule_changes_nothing(client: TestClient) -> None:
    ids = debate(client)
    map_id = ids["map_id"]
    version = client.get(f"/api/v1/maps/{map_id}").json()["version"]
    nulls = {"semantics": None, "support": None, "proof_standard": None, "gradual": None}
    response = client.patch(f"/api/v1/maps/{map_id}", json={"rule": nulls})
    assert response.status_code == 200, response.text
    assert response.json()["rule"] == DEFAULT
    assert response.json()["version"] == version
    mixed = client.patch(
        f"/api/v1/maps/{map_id}", json={"rule": {**nulls, "support": "evidential"}}
    )
    assert mixed.json()["rule"] == {**DEFAULT, "support": "evidential"}
