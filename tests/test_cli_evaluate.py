"""`argmap evaluate` and `argmap attacks` on files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from maps.formats import native
from maps.samples import sample_path
from models import Claim, MapContent, Relation, RelationKind


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ARGMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARGMAP_LOAD_SAMPLE", "false")
    return CliRunner()


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    content = MapContent(
        title="Cycle",
        claims=[
            Claim(id="t", text="Cities should ban cars."),
            Claim(id="a", text="Shops lose customers."),
            Claim(id="b", text="Footfall rises."),
        ],
        relations=[
            Relation(id="r1", kind=RelationKind.OBJECTION, premises=["a"], target_claim="t"),
            Relation(id="r2", kind=RelationKind.OBJECTION, premises=["b"], target_claim="a"),
            Relation(id="r3", kind=RelationKind.OBJECTION, premises=["a"], target_claim="b"),
        ],
    )
    path = tmp_path / "cycle.json"
    path.write_text(native.dumps(content), encoding="utf-8")
    return path


def test_table(runner: CliRunner, map_file: Path) -> None:
    result = runner.invoke(cli, ["evaluate", str(map_file)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["claim", "verdict", "standard", "text"]
    row = next(line for line in lines if line.startswith("t "))
    assert row.split()[1] == "Open"
    assert "Cities should ban cars." in row
    assert "3 claims: 0 stand, 0 defeated, 3 open (under grounded semantics" in result.stdout


def test_the_table_reads_in_the_plain_words(runner: CliRunner, tmp_path: Path) -> None:
    content = MapContent(
        title="Museums",
        claims=[
            Claim(id="t", text="Museums should be free.", title="Free museums"),
            Claim(id="s", text="Poorer visitors come."),
            Claim(id="o", text="Fees fund repairs."),
        ],
        relations=[
            Relation(id="r1", kind=RelationKind.SUPPORT, premises=["s"], target_claim="t"),
            Relation(id="r2", kind=RelationKind.OBJECTION, premises=["o"], target_claim="t"),
        ],
    )
    path = tmp_path / "museums.json"
    path.write_text(native.dumps(content), encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(path), "--explain"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()[2:] if line[:1] in "tso"]
    verdicts = {row[0]: row[1] for row in rows if len(row) > 1}
    assert verdicts == {"t": "Defeated", "s": "Stands", "o": "Stands"}
    assert "“Free museums” is defeated: the objection “Fees fund repairs.” stands" in (
        result.stdout
    )
    assert "(Support balance 50%: base 50%, raised by one support" in result.stdout
    assert "What would change it:" in result.stdout
    assert "Answer the objection “Fees fund repairs.” with an objection to it" in result.stdout
    assert "3 claims: 2 stand, 1 defeated, 0 open" in result.stdout
    explanations = result.stdout.split("\n3 claims:")[0]
    for formal in (" is in", " is out", "undecided", " r1", " r2"):
        assert formal not in explanations


def test_preferred_table_has_acceptance_columns_and_explanations(
    runner: CliRunner, map_file: Path
) -> None:
    result = runner.invoke(
        cli, ["evaluate", str(map_file), "--semantics", "preferred", "--explain"]
    )
    assert result.exit_code == 0, result.output
    assert "credulous" in result.stdout.splitlines()[0]
    assert "circle of objections" in result.stdout
    assert "is open: it stands in some preferred readings but not all" in result.stdout


def test_json(runner: CliRunner, map_file: Path) -> None:
    result = runner.invoke(
        cli, ["evaluate", str(map_file), "--format", "json", "--support", "evidential"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["support"] == "evidential"
    assert body["claims"]["t"]["label"] == "out"


def test_sample_map(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["evaluate", str(sample_path("for_workers_power"))])
    assert result.exit_code == 0, result.output
    assert "t-coordinator" in result.stdout


def test_bad_input_exits_non_zero_with_a_location(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"title": "x", "claims": [{"id": "a", "text": "A"}], "relations": '
        '[{"id": "r", "kind": "objection", "premises": ["zz"], "target_claim": "a"}]}',
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["evaluate", str(bad)])
    assert result.exit_code != 0
    assert "bad.json" in result.stderr
    assert "zz" in result.stderr
    missing = runner.invoke(cli, ["evaluate", str(tmp_path / "missing.json")])
    assert missing.exit_code != 0
    assert "missing.json" in missing.stderr
    broken = tmp_path / "broken.i23"
    broken.write_text("p af 2\n1 5\n", encoding="utf-8")
    result = runner.invoke(cli, ["evaluate", str(broken)])
    assert result.exit_code != 0
    assert "broken.i23:2:" in result.stderr
    wrong = runner.invoke(cli, ["evaluate", str(bad), "--semantics", "ideal"])
    assert wrong.exit_code != 0


def test_attacks_and_evaluate_an_iccma_file(
    runner: CliRunner, map_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cycle.i23"
    result = runner.invoke(cli, ["attacks", str(map_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "p af " in out.read_text(encoding="utf-8")
    evaluated = runner.invoke(cli, ["evaluate", str(out)])
    assert evaluated.exit_code == 0, evaluated.output
    assert "claim t" in evaluated.stdout
    apx = runner.invoke(cli, ["attacks", str(map_file), "--format", "apx"])
    assert apx.exit_code == 0
    assert "att(" in apx.stdout
