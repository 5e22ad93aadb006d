"""The handout: `argmap handout FILE -o handout.pdf` and GET /maps/{id}/handout.pdf."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from live import ADMIN
from pypdf import PdfReader
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.settings import Settings
from maps.handout import make_handout, outline
from maps.samples import load_sample, sample_path
from models.diagram import Paper

_spec = importlib.util.spec_from_file_location(
    "pdf_text", Path(__file__).parent / "maps" / "diagram" / "pdf_text.py"
)
assert _spec is not None
assert _spec.loader is not None
pdf_text = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pdf_text)
text_sizes: Callable[[Any], list[tuple[float, str]]] = pdf_text.text_sizes

OUTPUT = Path(__file__).resolve().parent / "output"
A4 = (595, 842)
LETTER = (612, 792)


@pytest.fixture(scope="module")
def handout() -> PdfReader:
    return PdfReader(io.BytesIO(make_handout(load_sample())))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_page_is_a4_with_no_text_under_6_pt(handout: PdfReader) -> None:
    for page in handout.pages:
        width, height = round(float(page.mediabox.width)), round(float(page.mediabox.height))
        assert (min(width, height), max(width, height)) == A4
        assert min(size for size, _ in text_sizes(page)) >= 6.0


def test_title_page_diagram_outline_and_sources(handout: PdfReader) -> None:
    content = load_sample()
    texts = [flat(page.extract_text()) for page in handout.pages]
    assert flat(content.title) in texts[0]
    assert "Thesis 1 of 3" in texts[1]
    assert "page 2" in texts[1]
    whole = " ".join(texts)
    assert "Outline" in whole
    assert "Sources [1]" in whole or "Sources" in whole
    for claim in content.claims:
        assert flat(claim.text)[:60] in whole, claim.id
    citations = {source.citation for claim in content.claims for source in claim.sources}
    for citation in citations:
        assert flat(citation)[:40] in whole
    assert "Stands." in whole or "Defeated." in whole
    assert "Rule of decision: grounded semantics" in whole


def test_the_outline_numbers_each_claim_once_in_full() -> None:
    content = load_sample()
    entries = outline(content)
    written = [entry.claim.id for entry in entries if entry.first is None]
    assert sorted(written) == sorted(claim.id for claim in content.claims)
    assert [entry.number for entry in entries if entry.relation == "thesis"] == ["1", "2", "3"]
    for entry in entries:
        if entry.first is not None:
            assert entry.first in {e.number for e in entries if e.claim.id == entry.claim.id}


def test_fonts_are_embedded(handout: PdfReader) -> None:
    for page in handout.pages:
        for font in fonts_of(page):
            if font.get("/Subtype") == "/Type3":
                continue  # drawn glyphs, nothing to embed
            descriptor = descendant_descriptor(font)
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def fonts_of(page: Any) -> list[Any]:
    found = []
    resources = [page["/Resources"]]
    while resources:
        current = resources.pop().get_object()
        for font in current.get("/Font", {}).values():
            found.append(font.get_object())
        for xobject in current.get("/XObject", {}).values():
            inner = xobject.get_object()
            if "/Resources" in inner:
                resources.append(inner["/Resources"])
    return found


def descendant_descriptor(font: Any) -> Any:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


def test_letter_on_request_and_a_screenshot() -> None:
    body = make_handout(load_sample(), paper=Paper.LETTER)
    reader = PdfReader(io.BytesIO(body))
    page = reader.pages[-1]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == LETTER
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:  # a page of the outline, for review
        a4 = make_handout(load_sample())
        texts = [page.extract_text() for page in PdfReader(io.BytesIO(a4)).pages]
        first = next(i for i, text in enumerate(texts, 1) if "\nOutline\n" in text)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        for number, name in ((1, "handout-title-page"), (first, "handout-outline-page")):
            subprocess.run(
                [pdftoppm, "-png", "-r", "60", "-f", str(number), "-l", str(number),
                 "-singlefile", "-", str(OUTPUT / name)],
                input=a4, check=True, capture_output=True,
            )  # fmt: skip


def test_the_cli_writes_a_handout(tmp_path: Path) -> None:
    out = tmp_path / "handout.pdf"
    result = CliRunner().invoke(cli, ["handout", str(sample_path()), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "handout, a4, 65 claims" in result.stderr
    assert PdfReader(out).pages


def test_the_api_serves_the_handout_to_whoever_may_view_the_map(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, load_sample=True)
    with TestClient(create_app(settings), headers=ADMIN) as client:
        sample = client.get("/api/v1/maps").json()["items"][0]["id"]
        answer = client.get(f"/api/v1/maps/{sample}/handout.pdf?paper=letter")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/pdf"
        assert (
            "for-workers-power-the-review-s-argument-handout.pdf"
            in answer.headers["content-disposition"]
        )
        again = client.get(
            f"/api/v1/maps/{sample}/handout.pdf?paper=letter",
            headers={"If-None-Match": answer.headers["etag"]},
        )
        assert again.status_code == 304
        private = client.post("/api/v1/maps", json={"title": "Private"}).json()["id"]
        assert client.get("/api/v1/maps/nope/handout.pdf").status_code == 404
        assert client.get(f"/api/v1/maps/{sample}/handout.pdf?paper=a5").status_code == 422
    with TestClient(create_app(settings)) as stranger:
        assert stranger.get(f"/api/v1/maps/{sample}/handout.pdf").status_code == 200  # public
        assert stranger.get(f"/api/v1/maps/{private}/handout.pdf").status_code == 404


def test_maps_without_theses_get_a_handout_too() -> None:
    from models import Claim, MapContent, Relation, RelationKind

    cycle = MapContent(
        title="Cycle",
        claims=[Claim(id="a", text="A holds."), Claim(id="b", text="B holds.")],
        relations=[
            Relation(id="r1", kind=RelationKind.OBJECTION, premises=["a"], target_claim="b"),
            Relation(id="r2", kind=RelationKind.OBJECTION, premises=["b"], target_claim="a"),
        ],
    )
    entries = outline(cycle)
    assert entries[0].relation == "under no thesis"
    assert {entry.claim.id for entry in entries} == {"a", "b"}
    for content in (cycle, MapContent(title="Empty")):
        reader = PdfReader(io.BytesIO(make_handout(content)))
        assert len(reader.pages) >= 2
        assert "Outline" in " ".join(page.extract_text() for page in reader.pages)
