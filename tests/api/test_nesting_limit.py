"""One nesting limit for claim data: the API refuses deeper data with a 422 naming `data`, and
whatever it accepts exports, imports and restores again (issue 10, defect 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from typer.testing import CliRunner

from api.cli import app as cli
from maps.formats import native
from models.map import DATA_MAX_DEPTH, ArgumentMap, Claim, MapContent
from tests.factories import add_claim, create_map

ROUND_TRIP_FORMATS = ["native", "argdown", "aif"]
TOO_DEEP = [DATA_MAX_DEPTH + 1, 300]


def nested(levels: int) -> dict[str, Any]:
    """Claim data nesting exactly `levels` objects deep (`{"leaf": 1}` is one level)."""
    data: dict[str, Any] = {"leaf": 1}
    for _ in range(levels - 1):
        data = {"inner": data}
    return data


def the_map(client: TestClient, map_id: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/maps/{map_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def send_data(client: TestClient, how: str, levels: int) -> tuple[str, dict[str, Any], Response]:
    """Send data `levels` deep as a new claim (POST) or as an existing claim's data (PATCH);
    returns the map's id, the map as it was before, and the response."""
    map_id = create_map(client)["id"]
    claim_id = add_claim(client, map_id, "Cities should ban cars.", data={"note": "plain"})[
        "claim"
    ]["id"]
    before = the_map(client, map_id)
    if how == "post":
        body = {"text": "Deep data", "data": nested(levels)}
        response = client.post(f"/api/v1/maps/{map_id}/claims", json=body)
    else:
        response = client.patch(
            f"/api/v1/maps/{map_id}/claims/{claim_id}", json={"data": nested(levels)}
        )
    return map_id, before, response


def export_and_import(
    client: TestClient, map_id: str, export_format: str, version: int | None = None
) -> ArgumentMap:
    """Export a map (or one of its revisions) over HTTP and import the file as a new map."""
    params: dict[str, Any] = {"format": export_format}
    if version is not None:
        params["version"] = version
    exported = client.get(f"/api/v1/maps/{map_id}/export", params=params)
    assert exported.status_code == 200, exported.text
    imported = client.post(
        "/api/v1/maps/import", params={"format": export_format}, content=exported.content
    )
    assert imported.status_code == 201, imported.text
    return ArgumentMap.model_validate(imported.json()["map"])


@pytest.mark.parametrize("how", ["post", "patch"])
def test_data_at_the_limit_is_kept_and_every_export_imports_again(
    client: TestClient, how: str
) -> None:
    map_id, _before, response = send_data(client, how, DATA_MAX_DEPTH)
    assert response.status_code in (200, 201), response.text
    deep = nested(DATA_MAX_DEPTH)
    assert response.json()["claim"]["data"] == deep
    stored = the_map(client, map_id)
    assert deep in [claim["data"] for claim in stored["claims"]]
    for export_format in ROUND_TRIP_FORMATS:
        again = export_and_import(client, map_id, export_format)
        assert len(again.claims) == len(stored["claims"])
        if export_format != "aif":  # AIF has no place for claim data (its report says so)
            assert deep in [claim.data for claim in again.claims], export_format


@pytest.mark.parametrize("how", ["post", "patch"])
def test_a_revision_with_data_at_the_limit_reads_back_and_restores(
    client: TestClient, how: str
) -> None:
    map_id, _before, response = send_data(client, how, DATA_MAX_DEPTH)
    assert response.status_code in (200, 201), response.text
    deep_version = the_map(client, map_id)["version"]
    export_and_import(client, map_id, "native", version=deep_version)
    renamed = client.patch(f"/api/v1/maps/{map_id}", json={"title": "Renamed"})
    assert renamed.status_code == 200, renamed.text
    revision = client.get(f"/api/v1/maps/{map_id}/revisions/{deep_version}")
    assert revision.status_code == 200, revision.text
    restored = client.post(f"/api/v1/maps/{map_id}/revisions/{deep_version}/restore")
    assert restored.status_code == 200, restored.text
    assert nested(DATA_MAX_DEPTH) in [claim["data"] for claim in restored.json()["claims"]]


@pytest.mark.parametrize("levels", TOO_DEEP)
@pytest.mark.parametrize("how", ["post", "patch"])
def test_data_deeper_than_the_limit_is_refused_naming_data(
    client: TestClient, how: str, levels: int
) -> None:
    map_id, before, response = send_data(client, how, levels)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["loc"] == ["body", "data"]
    assert body["detail"].startswith("data: ")
    assert f"more than {DATA_MAX_DEPTH} levels deep" in body["detail"]
    after = the_map(client, map_id)
    assert after["version"] == before["version"]
    assert after["claims"] == before["claims"]


def native_file(levels: int) -> str:
    """A native map file whose second claim's data nests `levels` deep."""
    document = {
        "argmap": 1,
        "title": "Deep",
        "claims": [{"id": "c1", "text": "A claim"}, {"id": "c2", "text": "Deep data"}],
        "relations": [],
    }
    text = json.dumps(document, indent=1)
    # Spliced in as text: json.dumps itself recurses, and the file is what a user would send.
    data = '{"inner": ' * (levels - 1) + '{"leaf": 1}' + "}" * (levels - 1)
    return text.replace('"text": "Deep data"', f'"text": "Deep data",\n  "data": {data}')


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_native_file_with_data_at_the_limit_imports(client: TestClient) -> None:
    response = client.post("/api/v1/maps/import", content=native_file(DATA_MAX_DEPTH).encode())
    assert response.status_code == 201, response.text
    assert response.json()["map"]["claims"][1]["data"] == nested(DATA_MAX_DEPTH)


@pytest.mark.parametrize("levels", [*TOO_DEEP, 5000])
def test_a_native_file_with_too_deep_data_is_refused_at_its_line(
    client: TestClient, levels: int
) -> None:
    maps_before = client.get("/api/v1/maps").json()["total"]
    text = native_file(levels)
    response = client.post("/api/v1/maps/import", content=text.encode())
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["loc"] == ["line", line_of(text, '"data"')]
    assert "nested more than" in body["detail"]
    assert client.get("/api/v1/maps").json()["total"] == maps_before


def native_yaml_file(levels: int) -> str:
    """The native YAML twin of `native_file`, its deep data written in YAML's flow style."""
    content = MapContent(title="Deep", claims=[Claim(id="c1", text="Deep data", data={"leaf": 1})])
    data = '{"inner": ' * (levels - 1) + '{"leaf": 1}' + "}" * (levels - 1)
    return native.dumps_yaml(content).replace("leaf: 1", data)


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_the_cli_refuses_a_native_file_with_too_deep_data_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setenv("ARGMAP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARGMAP_LOAD_SAMPLE", "false")
    levels = DATA_MAX_DEPTH + 1
    text = native_file(levels) if suffix == "json" else native_yaml_file(levels)
    path = tmp_path / f"deep.{suffix}"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert result.exit_code != 0
    data_line = line_of(text, '{"inner"')
    assert f"{path}:{data_line}" in result.stderr
    assert "nested more than" in result.stderr
