"""`argmap evaluate --format json` on chained undercuts: defence trees bounded by size."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import undercut_ladder
from typer.testing import CliRunner

from api.cli import app as cli
from maps.formats import native

MB = 1024 * 1024


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ARGMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARGMAP_LOAD_SAMPLE", "false")
    return CliRunner()


@pytest.fixture
def ladder_file(tmp_path: Path) -> Path:
    path = tmp_path / "ladder.json"
    path.write_text(native.dumps(undercut_ladder()), encoding="utf-8")
    return path


def _largest_tree(document: dict[str, Any]) -> int:
    def count(nodes: list[dict[str, Any]]) -> int:
        return sum(1 + count(node["children"]) for node in nodes)

    elements = {**document["claims"], **document["relations"]}
    return max(count(element["why"]["defence"]) for element in elements.values())


def test_json_at_depth_32_is_small_and_marks_the_cuts(runner: CliRunner, ladder_file: Path) -> None:
    result = runner.invoke(cli, ["evaluate", str(ladder_file), "--format", "json", "--depth", "32"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.encode()) < 5 * MB
    document = json.loads(result.stdout)
    assert _largest_tree(document) == 100
    assert document["relations"]["b0_0"]["why"]["truncated"]


def test_the_node_budget_comes_from_the_environment(
    runner: CliRunner, ladder_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGMAP_EXPLANATION_MAX_NODES", "9")
    result = runner.invoke(cli, ["evaluate", str(ladder_file), "--format", "json", "--depth", "32"])
    assert result.exit_code == 0, result.output
    assert _largest_tree(json.loads(result.stdout)) == 9
