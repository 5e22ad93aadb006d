"""A Graphviz PDF (one page of any size) laid on paper: fitted, tiled, or one thesis per sheet.

Graphviz cannot page for us (`-Tps2` pages but refuses text outside Latin-1; the cairo PDF is
one page), so pikepdf (qpdf) does: the drawing becomes a form XObject, stored once, and each
page of the result shows a window of it under a transformation (scale, then move), clipped to
the window. reportlab draws what argmap adds on each page (heading,
page number, a locator of where a tile lies, a note when text gets small) with embedded fonts.

Each sheet (the whole drawing, or one thesis tree) is planned on its own: with
`orientation=auto` on the paper turned the way that takes fewer pages (a tie: larger text), so
a document may mix portrait and landscape pages.

Sizes are in PDF points (1/72 in). `min_font` is the smallest font size the DOT source asks for,
so `min_font * scale` is the smallest text on a page.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf

from maps.diagram.pdffonts import fonts
from models.diagram import Orientation, PageOptions, Pages

MARGIN = 36.0
HEADER = 20.0
FOOTER = 22.0
OVERLAP = 36.0
MIN_TEXT_PT = 6.0
READABLE_PT = 7.0
_FONT_SIZE = re.compile(r'(?:fontsize=|POINT-SIZE=")(\d+(?:\.\d+)?)')


def smallest_font(dot_source: str) -> float:
    """The smallest font size (pt) a DOT source asks for (Graphviz's default is 14)."""
    sizes = [float(size) for size in _FONT_SIZE.findall(dot_source)]
    return min(sizes, default=14.0)


@dataclass(frozen=True)
class Sheet:
    """One drawing to lay on paper: its Graphviz PDF, a heading and its smallest font (pt)."""

    pdf: bytes
    heading: str
    min_font: float


@dataclass(frozen=True)
class Tile:
    """A window of a sheet's drawing (x, y, width, height in drawing points, y up) on a page."""

    sheet: int
    window: tuple[float, float, float, float]
    scale: float
    paper: tuple[float, float]
    offset: tuple[float, float]
    grid: tuple[int, int, int, int]  # columns, rows, this column, this row


@dataclass(frozen=True)
class Paged:
    """The paged PDF, what its pages say about text size, and the smallest text on them."""

    body: bytes
    notes: tuple[str, ...]
    pages: int
    smallest_text: float


@dataclass(frozen=True)
class TextSizes:
    """Text sizes on paper, in pt: no page shows text under `smallest` without a note saying so
    (only `fit` can), and tiles aim to print the smallest text of the drawing at `readable`."""

    smallest: float = MIN_TEXT_PT
    readable: float = READABLE_PT


TEXT_SIZES = TextSizes()


def paper_for(size: tuple[float, float], options: PageOptions) -> tuple[float, float]:
    """The paper's width and height, turned as asked or (`auto`) the way the drawing is longer."""
    short, long = options.paper.size
    landscape = options.orientation is Orientation.LANDSCAPE or (
        options.orientation is Orientation.AUTO and size[0] > size[1]
    )
    return (long, short) if landscape else (short, long)


def papers_for(size: tuple[float, float], options: PageOptions) -> list[tuple[float, float]]:
    """The paper turned as asked, or with `auto` both ways (the way the drawing is longer
    first, which wins a tie)."""
    paper = paper_for(size, options)
    if options.orientation is not Orientation.AUTO:
        return [paper]
    return [paper, (paper[1], paper[0])]


def content_area(paper: tuple[float, float]) -> tuple[float, float]:
    """Width and height on a page left for the drawing, inside margins, heading and footer."""
    return paper[0] - 2 * MARGIN, paper[1] - 2 * MARGIN - HEADER - FOOTER


def plan_fit(sheet: int, size: tuple[float, float], options: PageOptions) -> list[Tile]:
    """One page with the whole drawing, scaled down to fit (never up); with `auto` the paper
    is turned the way that shows it larger."""
    best = max(papers_for(size, options), key=lambda paper: _fit_scale(size, paper))
    return [_one_page(sheet, size, best)]


def _fit_scale(size: tuple[float, float], paper: tuple[float, float]) -> float:
    width, height = content_area(paper)
    return min(1.0, width / size[0], height / size[1])


def _one_page(sheet: int, size: tuple[float, float], paper: tuple[float, float]) -> Tile:
    scale = _fit_scale(size, paper)
    offset = ((content_area(paper)[0] - size[0] * scale) / 2, 0.0)
    return Tile(sheet, (0.0, 0.0, size[0], size[1]), scale, paper, offset, (1, 1, 0, 0))


def plan_tiles(
    sheet: int,
    size: tuple[float, float],
    min_font: float,
    options: PageOptions,
    text: TextSizes = TEXT_SIZES,
) -> list[Tile]:
    """Pages at a scale where the smallest text reads (`text.readable`), overlapping by
    `OVERLAP`; with `auto` the paper turned the way that takes fewer pages (then: larger text).

    A last row or column that would show less than `SLIVER` of a page of new drawing is saved
    by scaling down a little, never under `text.smallest`; a drawing that fits one page at the
    readable scale gets one page."""
    plans = [_tiles(sheet, size, min_font, paper, text) for paper in papers_for(size, options)]
    return min(plans, key=lambda tiles: (len(tiles), -tiles[0].scale))


# A last row or column of tiles holding less than this share of a page of new drawing is
# not worth its paper: the drawing is scaled down instead (never under the smallest text).
SLIVER = 0.25


def _tiles(
    sheet: int,
    size: tuple[float, float],
    min_font: float,
    paper: tuple[float, float],
    text: TextSizes,
) -> list[Tile]:
    area = content_area(paper)
    fit = _fit_scale(size, paper)
    scale = min(1.0, max(fit, max(text.readable, text.smallest) / min_font))
    floor = max(fit, text.smallest / min_font)
    for axis in (0, 1):
        count = _count(size[axis] * scale, area[axis], OVERLAP)
        if count > 1 and _last_share(size[axis] * scale, area[axis], count) < SLIVER:
            saved = ((count - 1) * area[axis] - (count - 2) * OVERLAP) / size[axis]
            if saved >= floor:
                scale = min(scale, saved)
    if scale <= fit:
        return [_one_page(sheet, size, paper)]
    counts = [_count(size[axis] * scale, area[axis], OVERLAP) for axis in (0, 1)]
    window = (area[0] / scale, area[1] / scale)
    steps = [
        (size[axis] - window[axis]) / (counts[axis] - 1) if counts[axis] > 1 else 0.0
        for axis in (0, 1)
    ]
    tiles = []
    for row in range(counts[1]):
        for column in range(counts[0]):
            x = column * steps[0]
            top = size[1] - row * steps[1]
            y = top - window[1] if counts[1] > 1 else size[1] - window[1]
            tiles.append(
                Tile(
                    sheet,
                    (x, y, window[0], window[1]),
                    scale,
                    paper,
                    (0.0, 0.0),
                    (counts[0], counts[1], column, row),
                )
            )
    return tiles


def _count(length: float, window: float, overlap: float) -> int:
    """Pages of `window` overlapping by `overlap` that cover `length` (all on paper)."""
    if length <= window * (1 + 1e-9):
        return 1
    return math.ceil((length - overlap) / (window - overlap) - 1e-9)


def _last_share(length: float, window: float, count: int) -> float:
    """How much of a page's new drawing the last of `count` pages holds (0 to 1)."""
    return (length - OVERLAP) / (window - OVERLAP) - (count - 1)


def page_sheets(
    sheets: Sequence[Sheet],
    options: PageOptions,
    *,
    title: str,
    first_page: int | None = None,
    text: TextSizes = TEXT_SIZES,
) -> Paged:
    """The sheets laid on paper as `options.pages` asks: one page (`fit`), or tiles.

    Pages say "page i of n"; with `first_page` (inside a longer document) "page <first_page + i>".
    """
    pager = Pager()
    for sheet in sheets:
        pager.add(sheet)
    return pager.finish(options, title=title, first_page=first_page, text=text)


class Pager:
    """`page_sheets` a sheet at a time: `add` reads each Graphviz PDF as it comes (so the
    reading can overlap with Graphviz drawing the next), `finish` plans and writes the pages.

    pikepdf (qpdf) does the PDF work: it reads a sheet, copies its drawing with the fonts into
    the result and writes it in C++, streams untouched (pypdf parsed and wrote the ~500 numbers
    of each sheet's font widths in Python: about two thirds of the paging time)."""

    def __init__(self) -> None:
        self._pdf = pikepdf.Pdf.new()
        self._sheets: list[Sheet] = []
        self._sizes: list[tuple[float, float]] = []
        self._drawings: list[pikepdf.Object] = []
        self._sources: list[pikepdf.Pdf] = []  # open until written: qpdf copies data lazily
        self._version = self._pdf.pdf_version

    def add(self, sheet: Sheet) -> None:
        source = pikepdf.Pdf.open(io.BytesIO(sheet.pdf))
        page = pikepdf.Page(source.pages[0])
        box = [float(value) for value in page.mediabox]
        self._sheets.append(sheet)
        self._sizes.append((box[2] - box[0], box[3] - box[1]))
        self._drawings.append(self._pdf.copy_foreign(_drawing_form(source, page)))
        self._sources.append(source)
        self._version = max(self._version, source.pdf_version, key=version_key)

    def finish(
        self,
        options: PageOptions,
        *,
        title: str,
        first_page: int | None = None,
        text: TextSizes = TEXT_SIZES,
    ) -> Paged:
        sheets, sizes, pdf = self._sheets, self._sizes, self._pdf
        tiles: list[Tile] = []
        for index, sheet in enumerate(sheets):
            if options.pages is Pages.FIT:
                tiles.extend(plan_fit(index, sizes[index], options))
            else:
                tiles.extend(plan_tiles(index, sizes[index], sheet.min_font, options, text))
        smallest = min(sheets[t.sheet].min_font * t.scale for t in tiles)
        notes: tuple[str, ...] = ()
        if smallest < text.smallest - 1e-6:
            notes = (
                f"Scaled to {tiles[0].scale:.0%} to fit one page: the smallest text is "
                f"{smallest:.1f} pt. Ask for pages=tile or pages=thesis to print it readable.",
            )
        overlays = pikepdf.Pdf.open(
            io.BytesIO(_overlays(tiles, sheets, notes, title=title, first_page=first_page))
        )
        self._sources.append(overlays)
        pdf.pages.extend(overlays.pages)
        for number, tile in enumerate(tiles):
            _place(pdf, pdf.pages[number], self._drawings[tile.sheet], tile,
                   name=f"/ArgmapDrawing{tile.sheet}")  # fmt: skip
        pdf.docinfo[pikepdf.Name.Title] = pikepdf.String(title)
        pdf.docinfo[pikepdf.Name.Producer] = pikepdf.String("argmap")
        out = io.BytesIO()
        # Streams as Graphviz and reportlab compressed them: none is decoded and compressed
        # again (only the few bytes that place each window are left plain, which saves qpdf a
        # third of its time); an id from the content: the same map gives the same bytes.
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            min_version=self._version,
        )
        for source in self._sources:
            source.close()
        pdf.close()
        return Paged(out.getvalue(), notes, len(tiles), smallest)


def version_key(version: str) -> tuple[int, ...]:
    """A PDF version ("1.7") as numbers, to compare."""
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _drawing_form(source: pikepdf.Pdf, page: pikepdf.Page) -> pikepdf.Stream:
    """A Graphviz page as a Form XObject: stored once, shown through a window on each page.

    Merging the page itself onto every page would copy the drawing's content stream each time;
    a form is referenced instead, and drawn under a transformation matrix and a clip. Graphviz
    writes one content stream: it becomes the form as it is, still compressed."""
    contents = page.obj.Contents
    if isinstance(contents, pikepdf.Stream):
        form = contents
    else:
        form = pikepdf.Stream(source, b"")
        joined = b"\n".join(part.read_bytes() for part in contents)
        form.write(zlib.compress(joined), filter=pikepdf.Name.FlateDecode)
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = pikepdf.Array(page.mediabox)
    form.Resources = page.obj.Resources
    return form


def _place(
    pdf: pikepdf.Pdf, page: pikepdf.Page, drawing: pikepdf.Object, tile: Tile, *, name: str
) -> None:
    """Draw the tile's window of `drawing` under what is already on `page` (the overlay)."""
    x, y, width, height = tile.window
    left = MARGIN + tile.offset[0]
    top = tile.paper[1] - MARGIN - HEADER
    scale = tile.scale
    # Move the window's top left corner to the origin, scale, then move it to (left, top).
    matrix = (scale, 0.0, 0.0, scale, left - x * scale, top - (y + height) * scale)
    clip = (left, top - height * scale, width * scale, height * scale)
    stream = (
        f"q {' '.join(f'{v:.3f}' for v in clip)} re W n "
        f"{' '.join(f'{v:.6f}' for v in matrix)} cm {name} Do Q\n"
    )
    page.add_resource(drawing, pikepdf.Name.XObject, pikepdf.Name(name), replace_existing=True)
    page.contents_add(pdf.make_stream(stream.encode("ascii")), prepend=True)


def _overlays(
    tiles: Sequence[Tile],
    sheets: Sequence[Sheet],
    notes: Sequence[str],
    *,
    title: str,
    first_page: int | None,
) -> bytes:
    """One reportlab page per tile with its heading, page number, locator and notes."""
    from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

    names = fonts()
    out = io.BytesIO()
    canvas = Canvas(out, invariant=True, pageCompression=1, initialFontName=names.regular)
    canvas.setTitle(title)
    for number, tile in enumerate(tiles, start=1):
        paper_width, paper_height = tile.paper
        canvas.setPageSize(tile.paper)
        canvas.setFillColorRGB(0.1, 0.1, 0.1)
        canvas.setFont(names.regular, 9)  # one embedded font for all the notes: smaller, faster
        canvas.drawString(MARGIN, paper_height - MARGIN - 9, _fit_text(sheets[tile.sheet].heading))
        canvas.setFont(names.regular, 8)
        numbered = (
            f"page {number} of {len(tiles)}"
            if first_page is None
            else f"page {first_page + number - 1}"
        )
        canvas.drawRightString(paper_width - MARGIN, paper_height - MARGIN - 9, numbered)
        columns, rows, column, row = tile.grid
        if columns * rows > 1:
            _locator(canvas, tile, paper_width - MARGIN)
            canvas.setFont(names.regular, 7)
            canvas.drawString(
                MARGIN,
                MARGIN + 4,
                f"Part {row * columns + column + 1} of {columns * rows} of this drawing: "
                f"row {row + 1} of {rows}, column {column + 1} of {columns}; "
                f"neighbouring parts overlap by {OVERLAP / 72:.1f} in.",
            )
        canvas.setFont(names.regular, 8)
        for line, note in enumerate(notes):
            canvas.drawString(MARGIN, MARGIN + 4 + 10 * line, note)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _locator(canvas: object, tile: Tile, right: float) -> None:
    """A small grid of the drawing's parts in the bottom right corner, this one filled."""
    columns, rows, column, row = tile.grid
    cell = min(8.0, 40.0 / max(columns, rows))
    left = right - columns * cell
    for r in range(rows):
        for c in range(columns):
            filled = 1 if (r, c) == (row, column) else 0
            canvas.setFillColorRGB(0.35, 0.35, 0.35)  # type: ignore[attr-defined]
            canvas.rect(  # type: ignore[attr-defined]
                left + c * cell, MARGIN + (rows - 1 - r) * cell, cell, cell, fill=filled, stroke=1
            )


def _fit_text(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
