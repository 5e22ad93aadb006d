"""`@include(file)` read as Argdown's include plugin reads it: the file's text in its place.

Argdown (`@argdown/node` IncludePlugin) replaces each `@include(name)` with the text of `name`,
resolved against the folder of the file that holds the directive, includes within it in turn,
and each file only once (a second `@include` of the same file becomes nothing). argmap does the
same, with two bounds: includes nest at most `MAX_INCLUDE_DEPTH` deep, and what a file may
include is decided by a `Loader` that the caller gives. The CLI's loader reads files in the
imported file's folder and below, never outside it. An upload has no folder: without a loader
each directive is taken out and reported as not carried.

After splicing, a line of the text may come from another file. `Spliced.place` says where,
and `locate` and `place_report` turn the places of errors and report items back into the place
the user can find: the directive's line in the imported file, then the included file and its
line. For example, with `main.argdown`:

    @include(costs.argdown)

    [A]: a

and `costs.argdown` holding `[C]: c {note: }`, the error in `C`'s data is reported at line 1 of
`main.argdown` as `costs.argdown:1:11: ...`, with `loc` `("line", 1, "include",
"costs.argdown", "line", 1, "column", 11)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from models import ArgmapError, InvalidInputError, LimitExceededError
from models.report import ConversionReport

INCLUDE = re.compile(r"@include\(([^)]+)\)")
MAX_INCLUDE_DEPTH = 8

# (name as written, key of the including file; "" for the imported file) -> (key, text).
# A key names a file for `seen` and for places; the CLI uses its path within the folder.
Loader = Callable[[str, str], tuple[str, str]]


@dataclass(frozen=True)
class Origin:
    """Where one line of the spliced text comes from."""

    line: int  # its line in the imported file, or that of the directive that brought it in
    file: str | None = None  # the included file, None for the imported file itself
    file_line: int = 0  # its line in `file`


@dataclass
class Spliced:
    """The text with every include in place, and where each of its lines comes from (None when
    nothing was included: every line is where it was)."""

    text: str
    origins: list[Origin] | None = None

    def place(self, line: int) -> Origin:
        if self.origins is None or not 1 <= line <= len(self.origins):
            return Origin(line)
        return self.origins[line - 1]

    def locate(self, error: ArgmapError) -> ArgmapError:
        """The error with its place in the imported file, and in the included file if any."""
        loc = error.loc
        if self.origins is None or len(loc) < 2 or loc[0] != "line" or not isinstance(loc[1], int):
            return error
        origin = self.place(loc[1])
        if origin.file is None:
            moved: ArgmapError = type(error)(error.message, loc=("line", origin.line, *loc[2:]))
            return moved
        position = f"{origin.file}:{origin.file_line}"
        if len(loc) >= 4 and loc[2] == "column":
            position += f":{loc[3]}"
        return type(error)(
            f"{position}: {error.message}",
            loc=("line", origin.line, "include", origin.file, "line", origin.file_line, *loc[2:]),
        )

    def place_report(self, report: ConversionReport) -> None:
        """Report items at the lines of the imported file, naming the included file if any."""
        if self.origins is None:
            return
        for item in report.not_carried:
            if item.line is None:
                continue
            origin = self.place(item.line)
            if origin.file is not None:
                column = f", column {item.column}" if item.column else ""
                item.reason += f" (in {origin.file}, line {origin.file_line}{column})"
                item.column = None
            item.line = origin.line


def splice(text: str, load: Loader | None, report: ConversionReport, *, max_bytes: int) -> Spliced:
    """The text with its includes in place (or taken out and reported, without a loader)."""
    if INCLUDE.search(text) is None:
        return Spliced(text)
    splicer = _Splicer(load, report, max_bytes - len(text.encode("utf-8")))
    lines = splicer.lines(text, "", 0, None)
    return Spliced("\n".join(line for line, _ in lines), [origin for _, origin in lines])


class _Splicer:
    def __init__(self, load: Loader | None, report: ConversionReport, budget: int) -> None:
        self.load = load
        self.report = report
        self.budget = budget  # bytes the included files may still add
        self.seen: set[str] = set()

    def lines(
        self, text: str, key: str, depth: int, top_line: int | None
    ) -> list[tuple[str, Origin]]:
        out: list[tuple[str, Origin]] = []
        for number, line in enumerate(text.split("\n"), start=1):
            origin = Origin(number) if top_line is None else Origin(top_line, key, number)
            out += self.line(line, origin, key, depth)
        return out

    def line(self, line: str, origin: Origin, key: str, depth: int) -> list[tuple[str, Origin]]:
        """One line, each directive on it replaced by the included lines."""
        match = INCLUDE.search(line)
        if match is None:
            return [(line, origin)]
        included = self.included(match.group(1).strip(), origin, key, depth) or [("", origin)]
        rest = self.line(line[match.end() :], origin, key, depth)
        spliced = [(line[: match.start()] + included[0][0], included[0][1]), *included[1:]]
        last_text, last_origin = spliced[-1]
        spliced[-1] = (last_text + rest[0][0], last_origin)
        return spliced + rest[1:]

    def included(self, name: str, origin: Origin, key: str, depth: int) -> list[tuple[str, Origin]]:
        if self.load is None:
            self.report.drop(
                "include",
                f"@include({name}) is not read from an upload; import the file with the CLI "
                "(argmap import or argmap convert), which reads it from the file's folder",
                line=origin.line,
            )
            return []
        loc = _loc(origin)
        if depth >= MAX_INCLUDE_DEPTH:
            raise InvalidInputError(
                f"@include({name}): includes are nested more than {MAX_INCLUDE_DEPTH} deep",
                loc=loc,
            )
        try:
            new_key, text = self.load(name, key)
        except ArgmapError as error:
            raise type(error)(f"@include({name}): {error.message}", loc=loc) from None
        if new_key in self.seen:
            self.report.drop(
                "include",
                f"{new_key} is included already; Argdown includes each file once",
                line=origin.line,
            )
            return []
        self.seen.add(new_key)
        self.budget -= len(text.encode("utf-8"))
        if self.budget < 0:
            raise LimitExceededError(
                f"@include({name}): the file and its includes exceed the import size limit",
                loc=loc,
            )
        return self.lines(
            text.replace("\r\n", "\n").lstrip("\ufeff"), new_key, depth + 1, origin.line
        )


def _loc(origin: Origin) -> tuple[str | int, ...]:
    if origin.file is None:
        return ("line", origin.line)
    return ("line", origin.line, "include", origin.file, "line", origin.file_line)
