"""`argmap import`, `argmap export` and `argmap convert`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from maps.formats import aif, argdown, native
from maps.samples import load_sample

FIXTURES = Path(__file__).parent / "maps" / "formats" / "fixtures"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ARGMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ARGMAP_LOAD_SAMPLE", "false")
    (tmp_path / "data").mkdir()
    return CliRunner()


def test_import_then_export(runner: CliRunner, tmp_path: Path) -> None:
    imported = runner.invoke(
        cli, ["import", str(FIXTURES / "all_constructs.argdown"), "--title", "Week"]
    )
    assert imported.exit_code == 0, imported.output
    map_id = imported.stdout.strip().splitlines()[-1]
    assert "import argdown: 18 claims" in imported.stderr
    assert "contradiction" in imported.stderr  # what was not carried over is listed
    out = tmp_path / "week.argdown"
    exported = runner.invoke(cli, ["export", map_id, "--format", "argdown", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    content, _ = argdown.loads(out.read_text(encoding="utf-8"))
    assert content.title == "Week"
    assert len(content.claims) == 18
    to_stdout = runner.invoke(cli, ["export", map_id, "--format", "aif", "--quiet"])
    assert to_stdout.exit_code == 0
    assert len(aif.loads(to_stdout.stdout)[0].claims) == 18


def test_convert_offline_between_formats(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "sample.json"
    source.write_text(native.dumps(load_sample()), encoding="utf-8")
    target = tmp_path / "sample.argdown"
    result = runner.invoke(cli, ["convert", str(source), str(target)])
    assert result.exit_code == 0, result.output
    content, _ = argdown.loads(target.read_text(encoding="utf-8"))
    assert len(content.claims) == len(load_sample().claims)
    kialo_out = tmp_path / "sample.txt"
    result = runner.invoke(cli, ["convert", str(target), str(kialo_out), "--to", "kialo"])
    assert result.exit_code == 0, result.output
    assert kialo_out.read_text(encoding="utf-8").startswith("Discussion Title: ")
    assert "linked premises" in result.stderr  # the report says what Kialo drops
    md = runner.invoke(
        cli, ["convert", str(FIXTURES / "aifdb.json"), "-", "--to", "markdown", "-q"]
    )
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Imported AIF map")


def test_errors_print_file_line_and_column_and_exit_non_zero(
    runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.argdown"
    bad.write_text("[A]: a\n  + [B: never closed\n", encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(bad), str(tmp_path / "out.json")])
    assert result.exit_code != 0
    assert f"{bad}:2:5: '[' opens a title that is never closed" in result.stderr
    assert not (tmp_path / "out.json").exists()
    missing = runner.invoke(cli, ["import", str(tmp_path / "missing.argdown")])
    assert missing.exit_code != 0
    assert "missing.argdown" in missing.stderr
    latin = tmp_path / "latin.argdown"
    latin.write_bytes("[A]: a\n\n[B]: café\n".encode("latin-1"))
    result = runner.invoke(cli, ["import", str(latin)])
    assert result.exit_code != 0
    assert f"{latin}:3: the file is not UTF-8" in result.stderr
    unknown = runner.invoke(cli, ["convert", str(FIXTURES / "aifdb.json"), str(tmp_path / "x.pdf")])
    assert unknown.exit_code != 0
    assert "--to" in unknown.stderr
    no_map = runner.invoke(cli, ["export", "nope"])
    assert no_map.exit_code != 0


def test_import_refuses_files_over_the_limit(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARGMAP_IMPORT_MAX_BYTES", "2048")
    big = tmp_path / "big.argdown"
    big.write_text("[A]: " + "x" * 4000 + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(big)])
    assert result.exit_code != 0
    assert "limit" in result.stderr


def test_convert_reads_argdown_includes_from_the_files_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "debate"
    (folder / "parts").mkdir(parents=True)
    (folder / "parts" / "costs.argdown").write_text("[C]: costs\n\n@include(more.argdown)\n")
    (folder / "parts" / "more.argdown").write_text("[M]: more\n")
    main = folder / "main.argdown"
    main.write_text("[A]: a\n  - [C]\n\n@include(parts/costs.argdown)\n")
    out = tmp_path / "out.json"
    result = runner.invoke(cli, ["convert", str(main), str(out)])
    assert result.exit_code == 0, result.output
    content = native.loads(out.read_text(encoding="utf-8"))
    assert sorted(c.text for c in content.claims) == ["a", "costs", "more"]


def test_an_include_outside_the_files_folder_is_refused_at_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "debate"
    folder.mkdir()
    (tmp_path / "secret.argdown").write_text("[S]: secret\n")
    (folder / "link.argdown").symlink_to(tmp_path / "secret.argdown")
    for name in ("../secret.argdown", "link.argdown"):
        main = folder / "main.argdown"
        main.write_text(f"[A]: a\n\n@include({name})\n")
        result = runner.invoke(cli, ["convert", str(main), str(tmp_path / "out.json")])
        assert result.exit_code != 0
        assert f"main.argdown:3: @include({name}): {name} lies outside the folder" in result.stderr


def test_an_export_report_names_claims_as_a_person_reads_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "sample.json"
    source.write_text(native.dumps(load_sample()), encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(source), str(tmp_path / "out.json"), "--to", "aif"])
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert listed
    ids = {element.id for element in [*load_sample().claims, *load_sample().relations]}
    for line in listed:
        named = line.strip().split(": ", 1)[0]
        assert named not in ids, line
    assert any(line.strip().startswith("“") for line in listed)
