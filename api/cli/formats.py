"""`argmap import`, `argmap export` and the offline `argmap convert`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from api.cli.errors import fail, where
from api.settings import Settings
from maps.formats import registry
from maps.formats.argdown import Loader
from maps.formats.common import ImportLimits
from maps.quote import element_names
from models import ArgmapError, InvalidInputError, LimitExceededError, MapContent
from models.report import ConversionReport

IMPORT_HELP = f"Import format ({', '.join(registry.IMPORT_FORMATS)}); detected when left out."
EXPORT_HELP = f"Export format ({', '.join(registry.EXPORT_FORMATS)})."


def _limits(settings: Settings) -> ImportLimits:
    from api.routes.formats import import_limits

    return import_limits(settings)


def _read(path: Path, limits: ImportLimits) -> bytes:
    if str(path) == "-":
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
    else:
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                fail(
                    f"{path}: {size} bytes exceed the import limit of {limits.max_bytes} bytes "
                    "(ARGMAP_IMPORT_MAX_BYTES)"
                )
            data = path.read_bytes()
        except OSError as error:
            fail(f"{path}: {error.strerror or error}")
    return data


def _includes(path: Path, limits: ImportLimits) -> Loader | None:
    """Reads the files an Argdown `@include(file)` names: beside `path` or in folders below it,
    never outside its folder (a symbolic link is followed, then checked)."""
    if str(path) == "-":
        return None
    folder = path.resolve().parent

    def load(name: str, including: str) -> tuple[str, str]:
        base = (folder / including).parent if including else folder
        target = (base / name).resolve()
        if not target.is_relative_to(folder):
            raise InvalidInputError(f"{name} lies outside the folder of {path.name}")
        try:
            if target.stat().st_size > limits.max_bytes:
                raise LimitExceededError(
                    f"{name} exceeds the import limit of {limits.max_bytes} bytes"
                )
            data = target.read_bytes()
        except OSError as error:
            raise InvalidInputError(f"{name}: {error.strerror or error}") from None
        return target.relative_to(folder).as_posix(), registry.decode(data)

    return load


def _print_report(
    report: ConversionReport, *, quiet: bool, content: MapContent | None = None
) -> None:
    """The report on stderr; an export's items name their element as a person reads it (from
    `content`), an import's by the file's own label."""
    names = element_names(content) if content is not None else {}
    carried = ", ".join(f"{n} {kind}" for kind, n in report.carried.items() if n)
    typer.echo(f"{report.direction} {report.format}: {carried or 'nothing'}", err=True)
    if quiet:
        return
    total = len(report.not_carried) + report.omitted
    if total:
        typer.echo(f"not carried over ({total}):", err=True)
    for item in report.not_carried:
        where = f"line {item.line}: " if item.line else ""
        element = f"{names.get(item.element, item.element)}: " if item.element else ""
        typer.echo(f"  {where}{element}{item.what}: {item.reason}", err=True)
    if report.omitted:
        typer.echo(f"  ... and {report.omitted} more", err=True)


def _import_file(
    path: Path, format: str | None, title: str | None, limits: ImportLimits
) -> tuple[MapContent, ConversionReport]:
    """Read and convert a map file (its includes spliced in); a CLI error with the location."""
    data = _read(path, limits)
    try:
        return registry.import_map(
            data,
            format=format,
            filename=path.name,
            limits=limits,
            title=title,
            includes=_includes(path, limits),
        )
    except ArgmapError as error:
        fail(where(path, error))


def _write(data: bytes, output: Path | None) -> None:
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        fail(f"{output}: {error.strerror or error}")


def _export_format(name: str | None, output: Path | None) -> str:
    if name:
        return name
    if output is not None and str(output) != "-":
        suffix = output.name.lower()
        for fmt in registry.FORMATS.values():
            if fmt.writer is not None and suffix.endswith("." + fmt.extension):
                return fmt.name
        by_suffix = {
            "ad": "argdown",
            "json": "native",
            "md": "markdown",
            "dot": "dot",
            "txt": "kialo",
            "graphml": "graphml",
            "argdown": "argdown",
            "gv": "dot",
        }
        found = by_suffix.get(suffix.rsplit(".", 1)[-1])
        if found:
            return found
    fail(f"say which format to write with --to ({', '.join(registry.EXPORT_FORMATS)})")


def import_command(
    file: Path = typer.Argument(..., help="The file to import ('-' reads standard input)."),
    format: str | None = typer.Option(None, "--format", "-f", help=IMPORT_HELP),
    title: str | None = typer.Option(None, "--title", help="Title of the new map."),
    author: str | None = typer.Option(None, "--author", help="Recorded in the revision."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only print the new map's id."),
) -> None:
    """Import a map file into the database and print the new map's id."""
    from api.store import open_store

    settings = Settings()
    content, report = _import_file(file, format, title, _limits(settings))
    store = open_store(settings)
    try:
        created = store.create_map(
            content, author=author, description=f"import from {report.format}"
        )
    except ArgmapError as error:
        fail(where(file, error))
    finally:
        store.engine.dispose()
    _print_report(report, quiet=quiet)
    typer.echo(created.id)


def export_command(
    map_id: str = typer.Argument(..., help="The map to export."),
    format: str = typer.Option("native", "--format", "-f", help=EXPORT_HELP),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here (default: stdout)."
    ),
    version: int | None = typer.Option(None, "--version", min=1, help="Export this revision."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not list what was left out."),
) -> None:
    """Write a stored map in an interchange format."""
    from api.store import open_store

    store = open_store(Settings())
    try:
        argument_map = (
            store.get_map(map_id) if version is None else store.get_revision(map_id, version)
        )
        content = argument_map.content()
        data, _found, report = registry.export_map(content, format)
    except ArgmapError as error:
        fail(str(error))
    finally:
        store.engine.dispose()
    _write(data, output)
    _print_report(report, quiet=quiet, content=content)


def convert_command(
    source: Path = typer.Argument(..., help="The file to read ('-' for standard input)."),
    target: Path = typer.Argument(..., help="The file to write ('-' for standard output)."),
    from_format: str | None = typer.Option(None, "--from", help=IMPORT_HELP),
    to_format: str | None = typer.Option(
        None, "--to", help=EXPORT_HELP + " Default: from OUT's name."
    ),
    title: str | None = typer.Option(None, "--title", help="Title of the map."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not list what was left out."),
) -> None:
    """Convert a map file from one format to another, without a database."""
    name = _export_format(to_format, target)
    content, imported = _import_file(source, from_format, title, _limits(Settings()))
    try:
        written, _found, exported = registry.export_map(content, name)
    except ArgmapError as error:
        fail(str(error))
    _write(written, target)
    _print_report(imported, quiet=quiet)
    _print_report(exported, quiet=quiet, content=content)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `argmap` CLI."""
    app.command("import")(import_command)
    app.command("export")(export_command)
    app.command("convert")(convert_command)
