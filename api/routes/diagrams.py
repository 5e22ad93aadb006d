"""Diagrams of a map (or of one of its revisions) as SVG, PNG, PDF or DOT."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from pydantic import ValidationError

from api.auth.access import CanView
from api.deps import SettingsDep, StoreDep
from api.render_cache import RenderCache, Rendered, app_cache, cached_or_made, etag_for
from api.responses import answers, operation_id
from api.settings import Settings
from api.store import Store
from maps.diagram import dot, render
from maps.diagram.draw import draw
from maps.diagram.paging import TextSizes
from maps.diagram.pdffonts import FontMissingError
from maps.evaluation import evaluate
from maps.handout import make_handout
from models import ArgumentMap, InvalidInputError, MapContent
from models.diagram import (
    DEPTH_DEFAULT,
    DEPTH_MAX,
    MAX_LINES_DEFAULT,
    MAX_LINES_MAX,
    MAX_LINES_MIN,
    WRAP_DEFAULT,
    WRAP_MAX,
    WRAP_MIN,
    DiagramFormat,
    DiagramOptions,
    Direction,
    LabelMode,
    Orientation,
    PageOptions,
    Pages,
    Paper,
    Theme,
)

router = APIRouter(tags=["diagrams"], generate_unique_id_function=operation_id)
# SVG and DOT are text, PNG and PDF bytes; a 304 when `If-None-Match` names the drawing.
BINARY = (DiagramFormat.PNG, DiagramFormat.PDF)
NOTE_HEADER = "X-Diagram-Note"
DIAGRAM_RESPONSES = {
    200: {
        "headers": {
            NOTE_HEADER: {
                "description": "PDF only: what the reader should know, such as text under 6 pt "
                "on a page fitted with pages=fit.",
                "schema": {"type": "string"},
            }
        },
        "content": {
            fmt.media_type.split(";")[0]: {
                "schema": {"type": "string", **({"format": "binary"} if fmt in BINARY else {})}
            }
            for fmt in DiagramFormat
        },
    },
    **answers(304, 404, 413, 422, 503),
}

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"

FormatPath = Annotated[DiagramFormat, Path(description="svg, png, pdf or dot (Graphviz source).")]
DirectionQuery = Annotated[
    Direction,
    Query(
        description="auto: chosen from the map's shape to fit a screen; TB: theses at the top, "
        "premises below; LR, BT, RL likewise."
    ),
]
LabelQuery = Annotated[
    LabelMode,
    Query(description="title: a claim's title (its text, cut short, without one); text; both."),
]
MaxLinesQuery = Annotated[
    int,
    Query(ge=MAX_LINES_MIN, le=MAX_LINES_MAX, description="Lines of claim text in a box."),
]
GroupsQuery = Annotated[bool, Query(description="Draw the claims' groups as boxes.")]
PaperQuery = Annotated[Paper, Query(description="PDF only: a4, a3 or letter.")]
OrientationQuery = Annotated[
    Orientation, Query(description="PDF only: portrait, landscape, or auto (as the drawing).")
]
PagesQuery = Annotated[
    Pages,
    Query(
        description="PDF only: fit (one page), tile (readable pages with overlap and a "
        "locator) or thesis (each thesis with its tree on its own pages)."
    ),
]
FocusQuery = Annotated[
    str | None,
    Query(description="Draw only what lies within `depth` relations of this claim id."),
]
DepthQuery = Annotated[
    int, Query(ge=0, le=DEPTH_MAX, description="Relations away from `focus` (with `focus`).")
]
WrapQuery = Annotated[int, Query(ge=WRAP_MIN, le=WRAP_MAX, description="Characters per line.")]
ThemeQuery = Annotated[Theme, Query(description="light, dark, or print (black on white).")]
LegendQuery = Annotated[bool, Query(description="Explain colours, lines and marks.")]
StatusQuery = Annotated[bool, Query(description="Colour claims by their evaluation label.")]
DownloadQuery = Annotated[bool, Query(description="Serve as an attachment to save.")]
IfNoneMatch = Annotated[str | None, Header()]


def diagram_options(
    direction: DirectionQuery = Direction.AUTO,
    focus: FocusQuery = None,
    depth: DepthQuery = DEPTH_DEFAULT,
    wrap: WrapQuery = WRAP_DEFAULT,
    theme: ThemeQuery = Theme.LIGHT,
    legend: LegendQuery = True,
    status: StatusQuery = False,
    label: LabelQuery = LabelMode.TITLE,
    max_lines: MaxLinesQuery = MAX_LINES_DEFAULT,
    groups: GroupsQuery = False,
) -> DiagramOptions:
    """The drawing options from the query string."""
    if focus is not None and not re.match(_ID_PATTERN, focus):
        raise InvalidInputError(
            "focus must be a claim id (1-64 letters, digits and _ . : -)", loc=("query", "focus")
        )
    try:
        return DiagramOptions(
            direction=direction,
            focus=focus,
            depth=depth,
            wrap=wrap,
            theme=theme,
            legend=legend,
            status=status,
            label=label,
            max_lines=max_lines,
            groups=groups,
        )
    except ValidationError as error:  # the Query bounds mirror the model; this is a safety net
        first = error.errors()[0]
        raise InvalidInputError(
            first["msg"], loc=("query", *(str(p) for p in first["loc"]))
        ) from None


OptionsDep = Annotated[DiagramOptions, Depends(diagram_options)]


def page_options(
    paper: PaperQuery = Paper.A4,
    orientation: OrientationQuery = Orientation.AUTO,
    pages: PagesQuery = Pages.FIT,
) -> PageOptions:
    """How a PDF is laid on paper, from the query string."""
    return PageOptions(paper=paper, orientation=orientation, pages=pages)


PageDep = Annotated[PageOptions, Depends(page_options)]


@dataclass(frozen=True)
class Diagram(Rendered):
    """A rendered diagram with the notes its response carries in `X-Diagram-Note`."""

    notes: tuple[str, ...] = ()


@router.get("/maps/{map_id}/diagram.{fmt}", response_class=Response, responses=DIAGRAM_RESPONSES)
def map_diagram(
    allowed: CanView,
    map_id: str,
    fmt: FormatPath,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    options: OptionsDep,
    page: PageDep,
    download: DownloadQuery = False,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The map drawn as a diagram (svg, png, pdf on paper, or its Graphviz dot source)."""
    return _diagram(
        request, store, settings, map_id, None, fmt, options, page, download=download,
        if_none_match=if_none_match, current=allowed.access.version,
    )  # fmt: skip


@router.get(
    "/maps/{map_id}/revisions/{number}/diagram.{fmt}",
    response_class=Response,
    responses=DIAGRAM_RESPONSES,
)
def revision_diagram(
    allowed: CanView,
    map_id: str,
    number: Annotated[int, Path(ge=1, le=2**31 - 1)],
    fmt: FormatPath,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    options: OptionsDep,
    page: PageDep,
    download: DownloadQuery = False,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The map as of revision `number`, drawn as a diagram."""
    return _diagram(
        request, store, settings, map_id, number, fmt, options, page, download=download,
        if_none_match=if_none_match, current=allowed.access.version,
    )  # fmt: skip


def _cache(request: Request, settings: Settings) -> RenderCache:
    return app_cache(
        request.app,
        max_entries=settings.render_cache_entries,
        max_bytes=settings.render_cache_bytes,
    )


def _diagram(
    request: Request,
    store: Store,
    settings: Settings,
    map_id: str,
    revision: int | None,
    fmt: DiagramFormat,
    options: DiagramOptions,
    page: PageOptions,
    *,
    download: bool,
    if_none_match: str | None,
    current: int,
) -> Response:
    # The engine is part of the key (a new Graphviz gives new bytes); DOT needs none.
    engine = _engine(settings) if fmt is not DiagramFormat.DOT else ("", "")

    def key_for(version: int) -> Hashable:
        which = "map" if revision is None else "revision"
        paper = page.cache_key() if fmt is DiagramFormat.PDF else ()
        return (map_id, which, version, fmt.value, options.cache_key(), paper, engine,
                dot.STYLE_VERSION)  # fmt: skip

    def make(loaded: ArgumentMap, key: Hashable) -> Rendered:
        return _render(loaded, fmt, options, page, settings, engine_name=engine[0], key=key)

    rendered = cached_or_made(
        _cache(request, settings),
        store,
        map_id,
        revision,
        key_for=key_for,
        make=make,
        if_none_match=if_none_match,
        kind="d",
        work=request.app.state.work,
        current=current,
    )
    if isinstance(rendered, Response):
        return rendered
    filename = _filename(rendered.title, map_id, revision, fmt)
    headers = _headers(rendered.etag, filename, fmt, download=download)
    if isinstance(rendered, Diagram) and rendered.notes:
        headers[NOTE_HEADER] = " ".join(rendered.notes)
    return Response(content=rendered.body, media_type=fmt.media_type, headers=headers)


def _render(
    loaded: ArgumentMap,
    fmt: DiagramFormat,
    options: DiagramOptions,
    page: PageOptions,
    settings: Settings,
    *,
    engine_name: str,
    key: Hashable,
) -> Rendered:
    content = loaded.content()
    status = _status(content, options, settings)
    try:
        drawing = draw(
            content,
            options,
            fmt,
            status=status,
            page=page,
            engine=engine_name or "auto",
            timeout=settings.render_timeout_seconds,
            max_claims=settings.render_max_claims,
            text=TextSizes(settings.paper_min_text_pt, settings.paper_readable_text_pt),
            parallel=settings.render_parallel,
        )
    except (render.EngineUnavailableError, render.RenderError, FontMissingError) as error:
        raise HTTPException(status_code=503, detail=str(error)) from None
    return Diagram(body=drawing.body, etag=etag_for(key), title=loaded.title, notes=drawing.notes)


def _status(content: MapContent, options: DiagramOptions, settings: Settings) -> dot.Status | None:
    """The evaluation to colour claims by, if asked; an oversized diagram is refused first."""
    dot.check_size(dot.focus_content(content, options), settings.render_max_claims)
    if not options.status:
        return None
    return evaluate(
        content, budget_seconds=settings.evaluation_budget_seconds, explanation_depth=1
    ).claims


def _filename(title: str, map_id: str, revision: int | None, fmt: DiagramFormat) -> str:
    stem = _slug(title) or f"map-{_slug(map_id) or 'diagram'}"
    if revision is not None:
        stem += f"-revision-{revision}"
    return f"{stem}.{fmt.value}"


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].rstrip("-")


def _headers(etag: str, filename: str, fmt: DiagramFormat, *, download: bool) -> dict[str, str]:
    disposition = "attachment" if download else "inline"
    headers = {
        "ETag": etag,
        "Cache-Control": "no-cache",
        "Content-Disposition": f'{disposition}; filename="{filename}"; '
        f"filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
    }
    if fmt is DiagramFormat.SVG:
        # Defence in depth for an SVG opened on its own: no scripts, no external loads.
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return headers


HANDOUT_RESPONSES = {
    200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    **answers(304, 404, 413, 422, 503),
}
HANDOUT_STYLE = "1"


@router.get("/maps/{map_id}/handout.pdf", response_class=Response, responses=HANDOUT_RESPONSES)
def map_handout(
    allowed: CanView,
    map_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    paper: Annotated[Paper, Query(description="a4 (the default), a3 or letter.")] = Paper.A4,
    download: DownloadQuery = False,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """A handout of the map: title page, diagram by thesis, outline with verdicts, sources."""
    engine = _engine(settings)

    def key_for(version: int) -> Hashable:
        return (map_id, "handout", version, paper.value, engine, dot.STYLE_VERSION, HANDOUT_STYLE)

    def make(loaded: ArgumentMap, key: Hashable) -> Rendered:
        content = loaded.content()
        dot.check_size(content, settings.render_max_claims)
        try:
            body = make_handout(
                content,
                paper=paper,
                engine=engine[0],
                timeout=settings.render_timeout_seconds,
                max_claims=settings.render_max_claims,
                budget_seconds=settings.evaluation_budget_seconds,
                text=TextSizes(settings.paper_min_text_pt, settings.paper_readable_text_pt),
                parallel=settings.render_parallel,
            )
        except (render.EngineUnavailableError, render.RenderError, FontMissingError) as error:
            raise HTTPException(status_code=503, detail=str(error)) from None
        return Rendered(body=body, etag=etag_for(key), title=loaded.title)

    rendered = cached_or_made(
        _cache(request, settings), store, map_id, None, key_for=key_for, make=make,
        if_none_match=if_none_match, kind="d", work=request.app.state.work,
        current=allowed.access.version,
    )  # fmt: skip
    if isinstance(rendered, Response):
        return rendered
    stem = _slug(rendered.title) or f"map-{_slug(map_id) or 'map'}"
    headers = _headers(rendered.etag, f"{stem}-handout.pdf", DiagramFormat.PDF, download=download)
    return Response(content=rendered.body, media_type="application/pdf", headers=headers)


def _engine(settings: Settings) -> tuple[str, str]:
    """The Graphviz engine and its version (part of cache keys), or a 503."""
    try:
        chosen = render.choose_engine(settings.render_engine)
        return chosen.value, render.engine_version(chosen)
    except render.EngineUnavailableError as error:
        raise HTTPException(status_code=503, detail=str(error)) from None
