"""How the CLI reports a failure: one `argmap: error:` line on stderr and a non-zero exit."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

from models import ArgmapError


def fail(message: str, code: int = 2) -> NoReturn:
    """Print an error to stderr and exit non-zero."""
    typer.echo(f"argmap: error: {message}", err=True)
    raise typer.Exit(code)


def where(path: Path, error: ArgmapError) -> str:
    """`file:line[:column]: message` where the error names a line, else `file: message (at loc)`."""
    loc = list(error.loc)
    if len(loc) >= 2 and loc[0] == "line":
        position = str(loc[1])
        if len(loc) >= 4 and loc[2] == "column":
            position += f":{loc[3]}"
        return f"{path}:{position}: {error.message}"
    at = f" (at {'.'.join(str(p) for p in loc)})" if loc else ""
    return f"{path}: {error.message}{at}"
