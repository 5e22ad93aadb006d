"""Which formats exist, how to tell them apart, and one entry point to read or write any of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from maps.formats import aif, argdown, graphml, kialo, markdown, native
from maps.formats.common import ImportLimits, check_size, count_content, load_json
from models import InvalidInputError, MapContent
from models.report import ConversionReport, FormatInfo

Reader = Callable[..., tuple[MapContent, ConversionReport]]
Writer = Callable[[MapContent], tuple[str, ConversionReport]]


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    content_type: str
    extension: str  # written files: `<slug>.<extension>`
    read_extensions: tuple[str, ...]
    reader: Reader | None
    writer: Writer | None

    def info(self) -> FormatInfo:
        return FormatInfo(
            name=self.name,
            label=self.label,
            content_type=self.content_type,
            extensions=[self.extension, *(e for e in self.read_extensions if e != self.extension)],
            can_import=self.reader is not None,
            can_export=self.writer is not None,
        )


def _dot(content: MapContent) -> tuple[str, ConversionReport]:
    from maps.diagram.dot import build_dot

    report = ConversionReport(format="dot", direction="export")
    count_content(report, content)
    for claim in content.claims:
        if claim.sources:
            report.drop(
                "sources", "the diagram shows claim text, roles and relations", element=claim.id
            )
    report.carried["sources"] = 0
    return build_dot(content), report


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "native",
            "argmap JSON",
            "application/json",
            "json",
            ("json", "yaml", "yml"),
            native.read,
            native.write,
        ),
        Format(
            "argdown",
            "Argdown",
            "text/x-argdown; charset=utf-8",
            "argdown",
            ("argdown", "ad"),
            argdown.loads,
            argdown.dumps,
        ),
        Format(
            "aif",
            "AIF JSON (AIFdb, OVA)",
            "application/json",
            "aif.json",
            ("aif", "json"),
            aif.loads,
            aif.dumps,
        ),
        Format(
            "kialo",
            "Kialo text export",
            "text/plain; charset=utf-8",
            "kialo.txt",
            ("txt",),
            kialo.loads,
            kialo.dumps,
        ),
        Format(
            "graphml",
            "GraphML (yEd, Gephi)",
            "application/graphml+xml",
            "graphml",
            ("graphml",),
            None,
            graphml.dumps,
        ),
        Format(
            "markdown",
            "Markdown handout",
            "text/markdown; charset=utf-8",
            "md",
            ("md",),
            None,
            markdown.dumps,
        ),
        Format(
            "dot",
            "Graphviz DOT",
            "text/vnd.graphviz; charset=utf-8",
            "gv",
            ("gv", "dot"),
            None,
            _dot,
        ),
    )
}
IMPORT_FORMATS = [name for name, f in FORMATS.items() if f.reader is not None]
EXPORT_FORMATS = [name for name, f in FORMATS.items() if f.writer is not None]


def formats() -> list[FormatInfo]:
    return [f.info() for f in FORMATS.values()]


def get_format(name: str, *, for_import: bool = False) -> Format:
    found = FORMATS.get(name.strip().lower())
    names = IMPORT_FORMATS if for_import else EXPORT_FORMATS
    if (
        found is None
        or (for_import and found.reader is None)
        or (not for_import and found.writer is None)
    ):
        raise InvalidInputError(
            f"unknown {'import' if for_import else 'export'} format {name!r}; "
            f"use one of {', '.join(names)}",
            loc=("format",),
        )
    return found


# --------------------------------------------------------------------------- bytes to text


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM) or UTF-16 with BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InvalidInputError(
                f"invalid UTF-16 at byte {error.start}", loc=("byte", error.start)
            ) from None
        return _no_binary(text.lstrip("\ufeff"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InvalidInputError(
            f"the file is not UTF-8 (invalid byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); save it as UTF-8 or UTF-16 with a byte order mark",
            loc=("line", line),
        ) from None
    return _no_binary(text)


def _no_binary(text: str) -> str:
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InvalidInputError(
            "the file holds a NUL character; it looks like a binary file, not a map",
            loc=("line", line),
        )
    return text


# --------------------------------------------------------------------------- detection

_JSON_ARRAY = re.compile(r"\[\s*([\[{\"\d\-\]]|true|false|null)")
_KIALO = re.compile(r"\s*(Discussion Title:|Discussion Name:|1\.[ \t])")
_NATIVE_YAML = re.compile(r"^(argmap|claims|relations):", re.MULTILINE)
_ARGDOWN = re.compile(
    r"^\s*(===|\[[^\]\n]+\]|<[^>\n]+>|[+\-_]>?\s|<[+\-_]\s|\(\d+\)\s|#+ )", re.MULTILINE
)


def json_format(document: Any) -> str | None:
    """Which JSON format a parsed document is in, by its shape."""
    if not isinstance(document, dict):
        return None
    if aif.wrapper_key(document) is not None or ("nodes" in document and "claims" not in document):
        return "aif"
    if native.FORMAT_MARKER in document or "claims" in document or "title" in document:
        return "native"
    return None


def detect(text: str, filename: str | None = None) -> str:
    """The import format of a file, from its name and its first characters."""
    head = text[:4096].lstrip("\ufeff")
    stripped = head.lstrip()
    suffix = filename.rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if suffix in ("argdown", "ad"):
        return "argdown"
    if suffix in ("yaml", "yml"):
        return "native"
    if stripped.startswith("{") or _JSON_ARRAY.match(stripped):
        return "json"
    if _KIALO.match(head):
        return "kialo"
    if _NATIVE_YAML.search(head):
        return "native"
    if suffix == "txt" and not _ARGDOWN.search(head):
        return "kialo"
    if _ARGDOWN.search(head) or suffix in ("argdown", "ad"):
        return "argdown"
    raise InvalidInputError(
        f"cannot tell the format of this file; name it with ?format= ({', '.join(IMPORT_FORMATS)})",
        loc=("format",),
    )


# --------------------------------------------------------------------------- reading and writing


def import_map(
    data: bytes | str,
    *,
    format: str | None = None,
    filename: str | None = None,
    limits: ImportLimits | None = None,
    title: str | None = None,
    includes: argdown.Loader | None = None,
) -> tuple[MapContent, ConversionReport]:
    """Read a map file in any import format (detected when `format` is None), with its report.

    `includes` reads the files an Argdown `@include(file)` names (the CLI gives it, an upload
    does not)."""
    limits = limits or ImportLimits()
    check_size(data, limits)
    text = decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    name = get_format(format, for_import=True).name if format else detect(text, filename)
    body = text.lstrip()
    if name in ("json", "native", "aif") and (body.startswith("{") or _JSON_ARRAY.match(body)):
        document = load_json(body, limits)
        shape = json_format(document)
        if name == "json":
            if shape is None:
                raise InvalidInputError(
                    "this JSON is neither an argmap map (title, claims, relations) nor AIF "
                    "(nodes, edges)",
                    loc=(),
                )
            name = shape
        if name == "aif":
            return aif.from_document(document, limits=limits, title=title)
        return native.finish(native.from_document(document), limits=limits, title=title)
    if name == "argdown":
        return argdown.loads(text, limits=limits, title=title, includes=includes)
    reader = FORMATS[name].reader
    assert reader is not None
    return reader(text, limits=limits, title=title)


def read_map(data: bytes, *, format: str | None = None, filename: str | None = None) -> MapContent:
    """Read a map file in any import format (detected when `format` is None)."""
    content, _report = import_map(data, format=format, filename=filename)
    return content


def export_map(content: MapContent, format: str) -> tuple[bytes, Format, ConversionReport]:
    """The map in an export format: bytes, the format (content type, extension) and the report."""
    found = get_format(format)
    assert found.writer is not None
    text, report = found.writer(content)
    return text.encode("utf-8"), found, report


def file_name(title: str, found: Format) -> str:
    """A safe download name from a map title, e.g. `four-day-week.argdown`."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].strip("-") or "map"
    return f"{base}.{found.extension}"
