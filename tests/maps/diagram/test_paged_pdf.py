"""The paged PDF as a file: fonts embedded, each drawing stored once, the same bytes anywhere."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from maps.diagram.draw import draw
from maps.samples import load_sample
from models.diagram import DiagramFormat, DiagramOptions, PageOptions, Pages

ROOT = Path(__file__).resolve().parents[3]


def paged_body(pages: str) -> bytes:
    options = PageOptions(pages=Pages(pages))
    return draw(load_sample(), DiagramOptions(), DiagramFormat.PDF, page=options).body


def fonts_in(resources: Any, seen: set[int]) -> list[Any]:
    """Every font under `resources`, looking into the form XObjects too."""
    found = []
    for font in resources.get("/Font", {}).values():
        found.append(font.get_object())
    for xobject in resources.get("/XObject", {}).values():
        ref = xobject.indirect_reference
        form = xobject.get_object()
        if ref is not None and ref.idnum in seen:
            continue
        if ref is not None:
            seen.add(ref.idnum)
        if form.get("/Subtype") == "/Form" and "/Resources" in form:
            found.extend(fonts_in(form["/Resources"].get_object(), seen))
    return found


def descriptor_of(font: Any) -> Any:
    if "/DescendantFonts" in font:
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


@pytest.mark.parametrize("pages", ["fit", "tile", "thesis"])
def test_every_font_on_every_page_is_embedded(pages: str) -> None:
    reader = PdfReader(io.BytesIO(paged_body(pages)))
    assert reader.metadata is not None
    assert reader.metadata.title == load_sample().title
    for page in reader.pages:
        found = fonts_in(page["/Resources"].get_object(), set())
        assert len(found) >= 2  # argmap's page notes and Graphviz's claim text
        for font in found:
            descriptor = descriptor_of(font)
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_each_sheet_is_stored_once_for_all_its_pages() -> None:
    reader = PdfReader(io.BytesIO(paged_body("tile")))
    assert len(reader.pages) > 1
    drawings: set[int] = set()
    for page in reader.pages:
        xobjects: Any = page["/Resources"].get_object()["/XObject"].get_object()  # type: ignore[index]
        drawings.update(ref.idnum for ref in (xobjects.raw_get(name) for name in xobjects))
    assert len(drawings) == 1


def test_a_paged_pdf_has_the_same_bytes_in_another_process() -> None:
    script = (
        "import sys\n"
        "from maps.diagram.draw import draw\n"
        "from maps.samples import load_sample\n"
        "from models.diagram import DiagramFormat, DiagramOptions, PageOptions, Pages\n"
        "body = draw(load_sample(), DiagramOptions(), DiagramFormat.PDF,\n"
        "            page=PageOptions(pages=Pages.THESIS)).body\n"
        "sys.stdout.buffer.write(body)\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True, timeout=120
    ).stdout
    assert other == paged_body("thesis")
