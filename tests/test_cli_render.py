"""`argmap render MAP_FILE -o out.svg`: offline diagrams of map files, no server, no database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml import ElementTree
from typer.testing import CliRunner

from api.cli import app
from maps.diagram.render import Engine, EngineUnavailableError, choose_engine
from maps.samples import load_sample, sample_path

SVG = "{http://www.w3.org/2000/svg}"
SAMPLE = sample_path()
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-", "dot": b"digraph argmap {"}

runner = CliRunner()


def claim_ids(svg: bytes) -> set[str]:
    root = ElementTree.fromstring(svg)
    return {g.get("id", "") for g in root.iter(f"{SVG}g") if "claim" in g.get("class", "").split()}


def run(*args: str) -> tuple[int, str, bytes]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stderr, result.stdout_bytes


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "dot"])
def test_the_sample_renders_with_the_format_taken_from_the_extension(
    tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"sample.{fmt}"
    code, err, _ = run(str(SAMPLE), "-o", str(out))
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(MAGIC[fmt])
    assert f"wrote {out} ({fmt}, {len(load_sample().claims)} claims" in err
    if fmt == "svg":
        assert claim_ids(data) == {f"claim-{c.id}" for c in load_sample().claims}


def test_format_option_and_stdout(tmp_path: Path) -> None:
    code, err, stdout = run(str(SAMPLE), "-o", "-", "--format", "dot")
    assert code == 0, err
    assert stdout.startswith(MAGIC["dot"])
    out = tmp_path / "diagram.bin"
    code, err, _ = run(str(SAMPLE), "-o", str(out), "-f", "pdf")
    assert code == 0, err
    assert out.read_bytes().startswith(MAGIC["pdf"])


def test_options_are_applied(tmp_path: Path) -> None:
    content = load_sample()
    thesis = content.relations[0].target_claim
    assert thesis is not None
    out = tmp_path / "part.svg"
    code, err, _ = run(
        str(SAMPLE), "-o", str(out), "--focus", thesis, "--depth", "1", "--theme", "dark",
        "--no-legend", "--direction", "LR", "--wrap", "25", "--status",
    )  # fmt: skip
    assert code == 0, err
    svg = out.read_bytes()
    drawn = claim_ids(svg)
    assert f"claim-{thesis}" in drawn
    assert len(drawn) < len(content.claims)
    root = ElementTree.fromstring(svg)
    classes = [g.get("class", "").split() for g in root.iter(f"{SVG}g")]
    assert "theme-dark" in classes[0]
    assert any("status-in" in c for c in classes)
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "supports" not in " ".join(texts)


def test_titles_groups_and_paged_pdf(tmp_path: Path) -> None:
    svg = tmp_path / "groups.svg"
    code, err, _ = run(str(SAMPLE), "-o", str(svg), "--groups", "--label", "both")
    assert code == 0, err
    root = ElementTree.fromstring(svg.read_bytes())
    assert any("group" in g.get("class", "").split() for g in root.iter(f"{SVG}g"))
    pdf = tmp_path / "tiles.pdf"
    code, err, _ = run(str(SAMPLE), "-o", str(pdf), "--pages", "tile", "--paper", "letter")
    assert code == 0, err
    assert "pages" in err
    fitted = tmp_path / "fit.pdf"
    code, err, _ = run(str(SAMPLE), "-o", str(fitted))
    assert code == 0, err
    assert "note: Scaled to" in err


def test_the_same_file_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    assert run(str(SAMPLE), "-o", str(first))[0] == 0
    assert run(str(SAMPLE), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_other_import_formats_are_read(tmp_path: Path) -> None:
    kialo = tmp_path / "museums.txt"
    kialo.write_text(
        "Discussion Title: Should museums be free to enter?\n\n"
        "1. Museums should be free to enter.\n"
        "1.1. Pro: More people from poorer areas visit.\n"
        "1.2. Con: Entry fees pay for conservation.\n",
        encoding="utf-8",
    )
    out = tmp_path / "museums.svg"
    code, err, _ = run(str(kialo), "-o", str(out))
    assert code == 0, err
    assert len(claim_ids(out.read_bytes())) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("title: x\nclaims:\n  - {id: a, text: hi\n", ":4:1: invalid YAML"),
        ("title: x\nclaims: [{id: a}]\n", "claims.0.text"),
        (
            "title: x\nclaims: [{id: a, text: hi}]\nrelations: "
            "[{id: r, kind: support, premises: [a], target_claim: zz}]\n",
            "'zz' does not exist",
        ),
    ],
)
def test_bad_map_files_fail_with_their_location(
    tmp_path: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    code, err, _ = run(str(bad), "-o", str(tmp_path / "out.svg"))
    assert code != 0
    assert err.startswith(f"argmap: error: {bad}")
    assert expected in err
    assert not (tmp_path / "out.svg").exists()


def test_bad_arguments_fail_clearly(tmp_path: Path) -> None:
    code, err, _ = run(str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.svg"))
    assert code != 0
    assert "No such file" in err
    code, err, _ = run(str(SAMPLE), "-o", str(tmp_path / "x.gif"))
    assert code != 0
    assert "--format" in err
    code, err, _ = run(str(SAMPLE), "-o", str(tmp_path / "x.svg"), "--focus", "nope")
    assert code != 0
    assert "'nope' does not exist" in err
    code, err, _ = run(str(SAMPLE), "-o", str(tmp_path / "x.svg"), "--focus", "a b")
    assert code != 0
    assert "--focus" in err
    code, err, _ = run(str(SAMPLE), "-o", str(tmp_path / "no-such-dir" / "x.svg"))
    assert code != 0
    assert "No such file" in err


def test_limits_say_what_to_do(tmp_path: Path) -> None:
    code, err, _ = run(str(SAMPLE), "-o", str(tmp_path / "x.svg"), "--max-claims", "3")
    assert code != 0
    assert "--focus and --depth" in err
    code, err, _ = run(str(SAMPLE), "-o", str(tmp_path / "x.svg"), "--timeout", "0.001")
    assert code != 0  # no Graphviz run finishes in 1 ms
    assert "longer than the limit of 0.001 s" in err
    assert "--focus and --depth" in err
    assert not (tmp_path / "x.svg").exists()


def engine_available(engine: Engine) -> bool:
    try:
        return choose_engine(engine.value) is engine
    except EngineUnavailableError:
        return False


@pytest.mark.parametrize(
    "engine",
    [
        pytest.param(e, marks=pytest.mark.skipif(not engine_available(e), reason="not installed"))
        for e in Engine
    ],
)
def test_both_engines(tmp_path: Path, engine: Engine) -> None:
    out = tmp_path / "x.svg"
    code, err, _ = run(str(SAMPLE), "-o", str(out), "--engine", engine.value)
    assert code == 0, err
    assert len(claim_ids(out.read_bytes())) == len(load_sample().claims)


def test_the_installed_command_needs_no_server_or_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    environment = {**os.environ, "ARGMAP_DATA_DIR": str(data_dir)}
    environment.pop("ARGMAP_DATABASE_URL", None)
    argmap = Path(sys.executable).with_name("argmap")
    command = [str(argmap)] if argmap.exists() else [sys.executable, "-m", "api.cli"]
    done = subprocess.run(
        [*command, "render", str(SAMPLE), "-o", str(tmp_path / "out.pdf")],
        capture_output=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(MAGIC["pdf"])
    assert list(data_dir.iterdir()) == []  # no database was created
