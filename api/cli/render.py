"""`argmap render`: a diagram of a map file, offline (no server, no database)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError

from api.settings import Settings
from maps.diagram import dot, render
from maps.formats import registry
from models import ArgmapError, MapContent
from models.diagram import (
    DEPTH_DEFAULT,
    DEPTH_MAX,
    WRAP_DEFAULT,
    WRAP_MAX,
    WRAP_MIN,
    DiagramFormat,
    DiagramOptions,
    Direction,
    Theme,
)

FORMATS = ", ".join(fmt.value for fmt in DiagramFormat)


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"argmap: error: {message}", err=True)
    raise typer.Exit(code)


def _where(path: Path, error: ArgmapError) -> str:
    """`file:line: message` where the error names a line, else `file: message (at loc)`."""
    loc = list(error.loc)
    if len(loc) >= 2 and loc[0] == "line":
        position = str(loc[1])
        if len(loc) >= 4 and loc[2] == "column":
            position += f":{loc[3]}"
        return f"{path}:{position}: {error.message}"
    where = f" (at {'.'.join(str(p) for p in loc)})" if loc else ""
    return f"{path}: {error.message}{where}"


def _output_format(output: Path, fmt: DiagramFormat | None) -> DiagramFormat:
    if fmt is not None:
        return fmt
    if str(output) == "-":
        return DiagramFormat.SVG
    suffix = output.suffix.lower().lstrip(".")
    try:
        return DiagramFormat(suffix)
    except ValueError:
        _fail(
            f"{output}: cannot tell the format from the extension {output.suffix or '(none)'!r}; "
            f"name the file .svg, .png, .pdf or .dot, or pass --format ({FORMATS})"
        )


def _evaluate(content: MapContent, *, budget_seconds: float) -> dot.Status:
    from maps.evaluation import evaluate  # numpy and the solvers load only when asked for

    return evaluate(content, budget_seconds=budget_seconds, explanation_depth=1).claims


def render_command(
    map_file: Path = typer.Argument(
        ..., help="A map file in the native format or any import format ('-' reads stdin)."
    ),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Where to write the diagram ('-' writes to stdout)."
    ),
    fmt: DiagramFormat | None = typer.Option(
        None, "--format", "-f", help=f"{FORMATS}; taken from the -o extension when left out."
    ),
    input_format: str | None = typer.Option(
        None, "--input-format", help="Format of MAP_FILE; detected when left out."
    ),
    direction: Direction = typer.Option(
        Direction.TB, help="TB: theses at the top, premises below; LR, BT, RL likewise."
    ),
    focus: str | None = typer.Option(
        None, help="Draw only what lies within --depth relations of this claim id."
    ),
    depth: int = typer.Option(
        DEPTH_DEFAULT, min=0, max=DEPTH_MAX, help="Relations away from --focus."
    ),
    wrap: int = typer.Option(
        WRAP_DEFAULT, min=WRAP_MIN, max=WRAP_MAX, help="Characters per label line."
    ),
    theme: Theme = typer.Option(Theme.LIGHT, help="light, dark, or print (black on white)."),
    legend: bool = typer.Option(True, "--legend/--no-legend", help="Explain colours and marks."),
    status: bool = typer.Option(False, "--status", help="Colour claims by their evaluation."),
    engine: str | None = typer.Option(
        None, help="auto, dot or pygraphviz (default: ARGMAP_RENDER_ENGINE or auto)."
    ),
    timeout: float | None = typer.Option(
        None,
        min=0.001,
        help="Seconds before rendering gives up (default: ARGMAP_RENDER_TIMEOUT_SECONDS).",
    ),
    max_claims: int | None = typer.Option(
        None, min=1, help="Most claims in one diagram (default: ARGMAP_RENDER_MAX_CLAIMS)."
    ),
) -> None:
    """Draw a map file as a diagram (svg, png, pdf or Graphviz dot)."""
    settings = Settings()
    chosen_format = _output_format(output, fmt)
    if str(map_file) == "-":
        data = sys.stdin.buffer.read()
        name = None
    else:
        try:
            data = map_file.read_bytes()
        except OSError as error:
            _fail(f"{map_file}: {error.strerror or error}")
        name = map_file.name
    try:
        content = registry.read_map(data, format=input_format, filename=name)
    except ArgmapError as error:
        _fail(_where(map_file, error))
    try:
        options = DiagramOptions(
            direction=direction,
            focus=focus,
            depth=depth,
            wrap=wrap,
            theme=theme,
            legend=legend,
            status=status,
        )
    except ValidationError as error:
        first = error.errors()[0]
        _fail(f"--{first['loc'][0]}: {first['msg']}" if first["loc"] else str(error))
    limit = max_claims if max_claims is not None else settings.render_max_claims
    try:
        dot.check_size(dot.focus_content(content, options), limit)
        claim_status = (
            _evaluate(content, budget_seconds=settings.evaluation_budget_seconds)
            if status
            else None
        )
        source = dot.build_dot(content, options, status=claim_status, max_claims=limit)
        body = render.render(
            source,
            chosen_format,
            engine=engine or settings.render_engine,
            timeout=timeout if timeout is not None else settings.render_timeout_seconds,
        )
    except ArgmapError as error:
        message = error.message.replace(
            "focus=<claim id> and depth=<relations>", "--focus and --depth"
        )
        _fail(f"{map_file}: {message}")
    if str(output) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(body)
    except OSError as error:
        _fail(f"{output}: {error.strerror or error}")
    typer.echo(
        f"wrote {output} ({chosen_format.value}, {len(content.claims)} claims, {len(body)} bytes)",
        err=True,
    )


def register(app: typer.Typer) -> None:
    """Add `argmap render` to the CLI."""
    app.command("render")(render_command)
