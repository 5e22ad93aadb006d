"""The server loads the bundled sample map into an empty database, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from live import ADMIN
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.settings import Settings


def test_first_start_loads_the_sample_once(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, load_sample=True)
    with TestClient(create_app(settings), headers=ADMIN) as client:
        listing = client.get("/api/v1/maps").json()
        assert listing["total"] == 1
        sample = listing["items"][0]
        assert sample["claim_count"] >= 40
        body = client.get(f"/api/v1/maps/{sample['id']}").json()
        theses = {c["id"] for c in body["claims"] if c["role"] == "thesis"}
        assert theses == {"t-necessary", "t-coordinator", "t-third-way"}
        claim_ids = {c["id"] for c in body["claims"]}
        relation_ids = {r["id"] for r in body["relations"]}
        for relation in body["relations"]:
            assert set(relation["premises"]) <= claim_ids
            assert (
                relation["target_claim"] in claim_ids or relation["target_relation"] in relation_ids
            )
    with TestClient(
        create_app(settings), headers=ADMIN
    ) as client:  # a restart does not load it again
        assert client.get("/api/v1/maps").json()["total"] == 1


def test_cli_samples_load_and_db_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGMAP_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    upgraded = runner.invoke(cli, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "up to date" in upgraded.output
    loaded = runner.invoke(cli, ["samples", "load"])
    assert loaded.exit_code == 0, loaded.output
    assert "claims" in loaded.output
    again = runner.invoke(cli, ["samples", "load"])
    assert again.exit_code == 0
    with TestClient(
        create_app(Settings(data_dir=tmp_path, load_sample=True)), headers=ADMIN
    ) as client:
        assert client.get("/api/v1/maps").json()["total"] == 2
    missing = runner.invoke(cli, ["samples", "load", "no-such-sample"])
    assert missing.exit_code != 0
    assert "no-such-sample" in missing.output
