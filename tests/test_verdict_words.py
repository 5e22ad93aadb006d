"""One vocabulary wherever a person reads: every claim of the sample map has the same verdict word
(Stands, Defeated, Open) in the CLI table, the diagram SVG and the Markdown export, under the
map's rule of decision and under a changed one. (The outline's words: tests/e2e.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from maps.diagram.draw import draw
from maps.evaluation import evaluate
from maps.formats import markdown, native
from maps.formats.outline import build_outline
from maps.samples import load_sample
from models import DecisionRule, MapContent
from models.diagram import DiagramFormat, DiagramOptions

SVG = "{http://www.w3.org/2000/svg}"
WORDS = {"Stands", "Defeated", "Open"}


@pytest.fixture(scope="module", params=["loose", "evidential"])
def content(request: pytest.FixtureRequest) -> MapContent:
    sample = load_sample()
    return sample.model_copy(update={"rule": DecisionRule(support=request.param)})


def _cli_words(content: MapContent, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "map.json"
    path.write_text(native.dumps(content), encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    ids = {claim.id for claim in content.claims}
    rows = (line.split() for line in result.stdout.splitlines())
    return {row[0]: row[1] for row in rows if len(row) > 1 and row[0] in ids}


def _svg_words(content: MapContent) -> dict[str, str]:
    status = evaluate(content, explanation_depth=1).claims
    body = draw(content, DiagramOptions(status=True), DiagramFormat.SVG, status=status).body
    root = ET.fromstring(body)
    found = {}
    for group in root.iter(f"{SVG}g"):
        if "claim" not in group.get("class", "").split():
            continue
        said = {(t.text or "").strip() for t in group.iter(f"{SVG}text")} & WORDS
        assert len(said) == 1, (group.get("id"), said)
        found[group.get("id", "").removeprefix("claim-")] = said.pop()
    return found


def _markdown_words(content: MapContent) -> dict[str, str]:
    text, _ = markdown.dumps(content)
    order = [entry.claim.id for entry in build_outline(content).walk()]
    word = "(Stands|Defeated|Open)"
    marks = re.findall(rf"^(?:\*{word}\*:.*|.* — \*{word}\*)$", text, re.M)
    words = [a or b for a, b in marks]
    assert len(words) == len(order)  # one per claim and per place it is referred to again
    found: dict[str, str] = {}
    for claim_id, said in zip(order, words, strict=True):
        assert found.setdefault(claim_id, said) == said
    return found


def test_the_same_verdict_words_in_the_cli_the_diagram_and_markdown(
    content: MapContent, tmp_path: Path
) -> None:
    expected = {cid: result.verdict_label for cid, result in evaluate(content).claims.items()}
    assert set(expected.values()) <= WORDS
    assert _cli_words(content, tmp_path) == expected
    assert _svg_words(content) == expected
    assert _markdown_words(content) == expected
