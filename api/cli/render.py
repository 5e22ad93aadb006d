"""`argmap render`: a diagram of a map file, offline (no server, no database)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from api.cli.errors import fail, where
from api.settings import Settings
from maps.diagram import dot
from maps.diagram.draw import Drawing, draw
from maps.diagram.paging import TextSizes
from maps.formats import registry
from models import ArgmapError, MapContent
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

FORMATS = ", ".join(fmt.value for fmt in DiagramFormat)
MapFile = Annotated[
    Path,
    typer.Argument(help="A map file in the native format or any import format ('-' reads stdin)."),
]
InputFormat = Annotated[
    str | None, typer.Option("--input-format", help="Format of MAP_FILE; detected when left out.")
]
Engine = Annotated[
    str | None,
    typer.Option(help="auto, dot or pygraphviz (default: ARGMAP_RENDER_ENGINE or auto)."),
]


# The options of `argmap render`, one per line of its signature.
OutputOption = Annotated[
    Path,
    typer.Option("--output", "-o", help="Where to write the diagram ('-' writes to stdout)."),
]
FmtOption = Annotated[
    DiagramFormat | None,
    typer.Option("--format", "-f", help=f"{FORMATS}; taken from the -o extension when left out."),
]
DirectionOption = Annotated[
    Direction,
    typer.Option(
        help="auto: from the map's shape; TB: theses at the top, premises below; LR, BT, RL."
    ),
]
FocusOption = Annotated[
    str | None,
    typer.Option(help="Draw only what lies within --depth relations of this claim id."),
]
DepthOption = Annotated[
    int, typer.Option(min=0, max=DEPTH_MAX, help="Relations away from --focus.")
]
WrapOption = Annotated[
    int, typer.Option(min=WRAP_MIN, max=WRAP_MAX, help="Characters per label line.")
]
ThemeOption = Annotated[Theme, typer.Option(help="light, dark, or print (black on white).")]
LegendOption = Annotated[
    bool, typer.Option("--legend/--no-legend", help="Explain colours and marks.")
]
StatusOption = Annotated[bool, typer.Option("--status", help="Colour claims by their evaluation.")]
LabelOption = Annotated[
    LabelMode, typer.Option(help="title (the text cut short without one), text or both.")
]
MaxLinesOption = Annotated[
    int, typer.Option(min=MAX_LINES_MIN, max=MAX_LINES_MAX, help="Lines of claim text.")
]
GroupsOption = Annotated[bool, typer.Option("--groups", help="Draw the claims' groups as boxes.")]
PaperOption = Annotated[Paper, typer.Option(help="PDF: a4, a3 or letter.")]
OrientationOption = Annotated[Orientation, typer.Option(help="PDF: portrait, landscape or auto.")]
PagesOption = Annotated[Pages, typer.Option(help="PDF: fit (one page), tile or thesis.")]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        min=0.001,
        help="Seconds before rendering gives up (default: ARGMAP_RENDER_TIMEOUT_SECONDS).",
    ),
]
MaxClaimsOption = Annotated[
    int | None,
    typer.Option(min=1, help="Most claims in one diagram (default: ARGMAP_RENDER_MAX_CLAIMS)."),
]


def _output_format(output: Path, fmt: DiagramFormat | None) -> DiagramFormat:
    if fmt is not None:
        return fmt
    if str(output) == "-":
        return DiagramFormat.SVG
    suffix = output.suffix.lower().lstrip(".")
    try:
        return DiagramFormat(suffix)
    except ValueError:
        fail(
            f"{output}: cannot tell the format from the extension {output.suffix or '(none)'!r}; "
            f"name the file .svg, .png, .pdf or .dot, or pass --format ({FORMATS})"
        )


def _read_map(map_file: Path, input_format: str | None) -> MapContent:
    """The map in `map_file` ('-': stdin), in `input_format` or the one detected."""
    if str(map_file) == "-":
        data = sys.stdin.buffer.read()
        name = None
    else:
        try:
            data = map_file.read_bytes()
        except OSError as error:
            fail(f"{map_file}: {error.strerror or error}")
        name = map_file.name
    try:
        return registry.read_map(data, format=input_format, filename=name)
    except ArgmapError as error:
        fail(where(map_file, error))


def _options(
    *,
    direction: Direction,
    focus: str | None,
    depth: int,
    wrap: int,
    theme: Theme,
    legend: bool,
    status: bool,
    label: LabelMode = LabelMode.TITLE,
    max_lines: int = MAX_LINES_DEFAULT,
    groups: bool = False,
) -> DiagramOptions:
    """The drawing options from the command's arguments; a bad value names its option."""
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
    except ValidationError as error:
        first = error.errors()[0]
        fail(f"--{first['loc'][0]}: {first['msg']}" if first["loc"] else str(error))


def _evaluate(content: MapContent, *, budget_seconds: float) -> dot.Status:
    from maps.evaluation import evaluate  # numpy and the solvers load only when asked for

    return evaluate(content, budget_seconds=budget_seconds, explanation_depth=1).claims


def _draw(
    content: MapContent,
    options: DiagramOptions,
    fmt: DiagramFormat,
    *,
    settings: Settings,
    engine: str | None,
    timeout: float | None,
    max_claims: int | None,
    page: PageOptions | None = None,
) -> Drawing:
    """The diagram; an option left out takes its setting."""
    limit = max_claims if max_claims is not None else settings.render_max_claims
    # Refuse an oversized diagram before spending time on evaluation.
    dot.check_size(dot.focus_content(content, options), limit)
    status = (
        _evaluate(content, budget_seconds=settings.evaluation_budget_seconds)
        if options.status
        else None
    )
    return draw(
        content,
        options,
        fmt,
        status=status,
        page=page,
        engine=engine or settings.render_engine,
        timeout=timeout if timeout is not None else settings.render_timeout_seconds,
        max_claims=limit,
        text=TextSizes(settings.paper_min_text_pt, settings.paper_readable_text_pt),
        parallel=settings.render_parallel,
    )


def _write(body: bytes, output: Path, *, summary: str) -> None:
    """Write the diagram to `output` ('-': stdout), then say what was written on stderr."""
    if str(output) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(body)
    except OSError as error:
        fail(f"{output}: {error.strerror or error}")
    typer.echo(f"wrote {output} ({summary}, {len(body)} bytes)", err=True)


def render_command(
    map_file: MapFile,
    output: OutputOption,
    fmt: FmtOption = None,
    input_format: InputFormat = None,
    direction: DirectionOption = Direction.AUTO,
    focus: FocusOption = None,
    depth: DepthOption = DEPTH_DEFAULT,
    wrap: WrapOption = WRAP_DEFAULT,
    theme: ThemeOption = Theme.LIGHT,
    legend: LegendOption = True,
    status: StatusOption = False,
    label: LabelOption = LabelMode.TITLE,
    max_lines: MaxLinesOption = MAX_LINES_DEFAULT,
    groups: GroupsOption = False,
    paper: PaperOption = Paper.A4,
    orientation: OrientationOption = Orientation.AUTO,
    pages: PagesOption = Pages.FIT,
    engine: Engine = None,
    timeout: TimeoutOption = None,
    max_claims: MaxClaimsOption = None,
) -> None:
    """Draw a map file as a diagram (svg, png, pdf or Graphviz dot)."""
    settings = Settings()
    chosen_format = _output_format(output, fmt)
    content = _read_map(map_file, input_format)
    options = _options(
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
    try:
        drawing = _draw(
            content,
            options,
            chosen_format,
            settings=settings,
            engine=engine,
            timeout=timeout,
            max_claims=max_claims,
            page=PageOptions(paper=paper, orientation=orientation, pages=pages),
        )
    except ArgmapError as error:
        message = error.message.replace(
            "focus=<claim id> and depth=<relations>", "--focus and --depth"
        )
        fail(f"{map_file}: {message}")
    for note in drawing.notes:
        typer.echo(f"note: {note}", err=True)
    summary = f"{chosen_format.value}, {len(content.claims)} claims"
    if chosen_format is DiagramFormat.PDF:
        summary += f", {drawing.pages} page{'s' if drawing.pages != 1 else ''}"
    _write(drawing.body, output, summary=summary)


def handout_command(
    map_file: MapFile,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the PDF ('-' writes to stdout).")
    ],
    input_format: InputFormat = None,
    paper: Annotated[Paper, typer.Option(help="a4, a3 or letter.")] = Paper.A4,
    engine: Engine = None,
) -> None:
    """Write a seminar handout of a map file: title page, diagram, outline, sources (PDF)."""
    from maps.handout import make_handout

    settings = Settings()
    content = _read_map(map_file, input_format)
    try:
        dot.check_size(content, settings.render_max_claims)
        body = make_handout(
            content,
            paper=paper,
            engine=engine or settings.render_engine,
            timeout=settings.render_timeout_seconds,
            max_claims=settings.render_max_claims,
            budget_seconds=settings.evaluation_budget_seconds,
            text=TextSizes(settings.paper_min_text_pt, settings.paper_readable_text_pt),
            parallel=settings.render_parallel,
        )
    except ArgmapError as error:
        fail(f"{map_file}: {error.message}")
    _write(body, output, summary=f"handout, {paper.value}, {len(content.claims)} claims")


def register(app: typer.Typer) -> None:
    """Add `argmap render` and `argmap handout` to the CLI."""
    app.command("render")(render_command)
    app.command("handout")(handout_command)
