"""Paged PDF diagrams: fit on one page (and say when text gets small), tiles, thesis pages."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_text import text_sizes
from pypdf import PdfReader

from maps.diagram.draw import draw, shared_notes, thesis_trees
from maps.diagram.paging import (
    MIN_TEXT_PT,
    READABLE_PT,
    TextSizes,
    content_area,
    paper_for,
    plan_tiles,
)
from maps.samples import load_sample
from models import Claim, MapContent, Relation, RelationKind
from models.diagram import (
    DiagramFormat,
    DiagramOptions,
    PageOptions,
    Pages,
    Paper,
)

OUTPUT = Path(__file__).resolve().parents[2] / "output"


def paged(content: MapContent, **page: str) -> tuple[PdfReader, tuple[str, ...]]:
    options = PageOptions.model_validate(page)
    drawing = draw(content, DiagramOptions(), DiagramFormat.PDF, page=options)
    reader = PdfReader(io.BytesIO(drawing.body))
    assert drawing.pages == len(reader.pages)
    return reader, drawing.notes


def page_text(reader: PdfReader) -> list[str]:
    return [" ".join(text for _, text in text_sizes(page)) for page in reader.pages]


def sizes(reader: PdfReader) -> tuple[float, float]:
    """Width and height of every page; all pages must be the same paper."""
    found = {
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    }
    assert len(found) == 1
    return found.pop()


def small_map() -> MapContent:
    return MapContent(
        title="Small",
        claims=[Claim(id="t", text="A thesis.", title="Thesis"), Claim(id="s", text="A reason.")],
        relations=[Relation(id="r", kind=RelationKind.SUPPORT, premises=["s"], target_claim="t")],
    )


def test_fit_puts_the_sample_on_one_a4_page_and_says_the_text_is_small() -> None:
    reader, notes = paged(load_sample())
    assert len(reader.pages) == 1
    assert sizes(reader) in {(842, 595), (595, 842)}
    assert notes
    assert "pages=tile" in notes[0]
    assert "Scaled to" in page_text(reader)[0]
    assert min(size for size, _ in text_sizes(reader.pages[0])) < MIN_TEXT_PT


def test_fit_of_a_small_map_needs_no_note() -> None:
    reader, notes = paged(small_map(), paper="letter", orientation="portrait")
    assert sizes(reader) == (612, 792)
    assert notes == ()
    assert min(size for size, _ in text_sizes(reader.pages[0])) >= MIN_TEXT_PT


@pytest.mark.parametrize("paper", ["a4", "a3", "letter"])
def test_tiles_keep_every_text_readable_with_numbers_and_a_locator(paper: str) -> None:
    reader, notes = paged(load_sample(), paper=paper, pages="tile")
    assert notes == ()
    count = len(reader.pages)
    assert count > 1
    for number, (page, text) in enumerate(zip(reader.pages, page_text(reader), strict=True), 1):
        assert min(size for size, _ in text_sizes(page)) >= MIN_TEXT_PT
        assert f"page {number} of {count}" in text
        assert f"Part {number} of {count} of this drawing" in text
    if paper == "a4":
        write_png(reader, "diagram-tile-page")


def test_tiles_cover_the_drawing_with_overlap() -> None:
    size = (3000.0, 1400.0)
    options = PageOptions(paper=Paper.A4, pages=Pages.TILE)
    tiles = plan_tiles(0, size, 9.0, options)
    columns, rows = tiles[0].grid[:2]
    assert len(tiles) == columns * rows
    xs = sorted({tile.window[0] for tile in tiles})
    width = tiles[0].window[2]
    assert xs[0] == 0
    assert xs[-1] + width == pytest.approx(size[0])
    assert all(b - a < width for a, b in itertools.pairwise(xs))  # they overlap
    assert paper_for(size, options)[0] > paper_for(size, options)[1]  # longer across
    assert tiles[0].paper[0] > tiles[0].paper[1]  # and fewer pages so: landscape
    assert content_area(tiles[0].paper)[0] == pytest.approx(width * tiles[0].scale)


def test_orientation_can_be_forced() -> None:
    reader, _ = paged(load_sample(), orientation="portrait")
    assert sizes(reader) == (595, 842)


def test_thesis_pages_give_each_thesis_its_pages_and_mark_shared_claims() -> None:
    content = load_sample()
    reader, notes = paged(content, pages="thesis")
    texts = page_text(reader)
    theses = len(thesis_trees(content))
    assert theses == 3
    for number in range(1, theses + 1):
        assert any(f"Thesis {number} of {theses}:" in text for text in texts)
    for page in reader.pages:
        assert min(size for size, _ in text_sizes(page)) >= MIN_TEXT_PT
    assert notes == ()
    shared = [n for notes_of_tree in shared_notes(thesis_trees(content)) for n in notes_of_tree]
    if shared:
        assert any("also under thesis" in text for text in texts)
    write_png(reader, "diagram-thesis-page")


def test_thesis_trees_hold_everything_below_each_thesis() -> None:
    content = load_sample()
    trees = dict(thesis_trees(content))
    below = {claim.id for tree in trees.values() for claim in tree.claims}
    assert below == {claim.id for claim in content.claims}
    for thesis, tree in trees.items():
        assert thesis in {claim.id for claim in tree.claims}
        ids = {claim.id for claim in tree.claims}
        assert all(set(r.premises) <= ids for r in tree.relations)


def test_a_shared_claim_is_noted_under_each_thesis() -> None:
    content = MapContent(
        title="Shared",
        claims=[Claim(id=i, text=f"Claim {i}.") for i in ("t1", "t2", "s")],
        relations=[
            Relation(id="a", kind=RelationKind.SUPPORT, premises=["s"], target_claim="t1"),
            Relation(id="b", kind=RelationKind.OBJECTION, premises=["s"], target_claim="t2"),
        ],
    )
    notes = shared_notes(thesis_trees(content))
    assert notes == [{"s": "also under thesis 2"}, {"s": "also under thesis 1"}]
    reader, _ = paged(content, pages="thesis")
    assert sum("also under thesis" in text for text in page_text(reader)) == 2


def test_paged_pdf_is_deterministic() -> None:
    first = draw(load_sample(), DiagramOptions(), DiagramFormat.PDF, page=PageOptions())
    again = draw(load_sample(), DiagramOptions(), DiagramFormat.PDF, page=PageOptions())
    assert first.body == again.body


def write_png(reader: PdfReader, name: str) -> None:
    """The first page as a PNG for review (needs poppler's pdftoppm; skipped without it)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return
    OUTPUT.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_page(reader.pages[0])
    writer.write(out)
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-singlefile", "-", str(OUTPUT / name)],
        input=out.getvalue(),
        check=True,
        capture_output=True,
    )


def test_the_pygraphviz_engine_pages_too() -> None:
    from maps.diagram.render import Engine, EngineUnavailableError, choose_engine

    try:
        choose_engine(Engine.PYGRAPHVIZ.value)
    except EngineUnavailableError:
        pytest.skip("pygraphviz not installed")
    drawing = draw(
        small_map(),
        DiagramOptions(),
        DiagramFormat.PDF,
        page=PageOptions(pages=Pages.THESIS),
        engine=Engine.PYGRAPHVIZ.value,
    )
    reader = PdfReader(io.BytesIO(drawing.body))
    assert "Thesis 1 of 1" in page_text(reader)[0]


def test_auto_turns_each_sheet_the_way_that_takes_fewer_pages() -> None:
    # 1160 x 660 pt at 7 pt text: landscape A4 needs 2 x 2 pages (2 x 1 at 6.6 pt), portrait
    # 2 x 1 at 7 pt.
    tiles = plan_tiles(0, (1160.0, 660.0), 9.0, PageOptions(pages=Pages.THESIS))
    assert len(tiles) == 2
    assert tiles[0].paper[0] < tiles[0].paper[1]  # portrait, though the drawing is wider
    assert tiles[0].scale * 9.0 == pytest.approx(READABLE_PT)


def test_a_sliver_of_a_page_is_saved_by_scaling_down_never_under_the_smallest_text() -> None:
    options = PageOptions(pages=Pages.TILE, orientation="landscape")
    width, _ = content_area(paper_for((1.0, 0.0), options))
    readable = READABLE_PT / 9.0
    # A little wider than a page at 7 pt: one page at a little under 7 pt.
    tiles = plan_tiles(0, (width / readable * 1.05, 300.0), 9.0, options)
    assert len(tiles) == 1
    assert MIN_TEXT_PT <= tiles[0].scale * 9.0 < READABLE_PT
    # So much wider that one page would need text under 6 pt: two pages at 7 pt.
    tiles = plan_tiles(0, (width / readable * 1.2, 300.0), 9.0, options)
    assert len(tiles) == 2
    assert tiles[0].scale * 9.0 == pytest.approx(READABLE_PT)


def test_the_text_sizes_are_settings() -> None:
    size, options = (3000.0, 1400.0), PageOptions(pages=Pages.TILE)
    larger = plan_tiles(0, size, 9.0, options, TextSizes(smallest=8.0, readable=9.0))
    assert len(larger) > len(plan_tiles(0, size, 9.0, options))
    assert min(tile.scale for tile in larger) * 9.0 >= 8.0
    fitted = draw(
        load_sample(),
        DiagramOptions(),
        DiagramFormat.PDF,
        page=PageOptions(),
        text=TextSizes(smallest=2.0, readable=7.0),
    )
    assert fitted.notes == ()  # 3 pt on one page is fine by that setting


def test_no_thesis_page_shows_only_a_sliver_of_new_drawing() -> None:
    reader, _ = paged(load_sample(), pages="thesis")
    assert len(reader.pages) <= 6  # three theses; it was 10 pages, some nearly repeated
    for page, text in zip(reader.pages, page_text(reader), strict=True):
        assert min(size for size, _ in text_sizes(page)) >= MIN_TEXT_PT
        assert "page " in text
