"""The one way user text enters a Graphviz diagram: as escaped text of an HTML-like label.

Every piece of user text (claim texts, tags, the map title) goes into DOT only through
`escape_label`, and only inside HTML-like labels (`label=<...>`), never in a quoted string.
Why HTML-like labels: in a quoted string Graphviz reads `"`, `\\` and the escapes `\\N`, `\\G`,
`\\L`, `\\l`, `\\n`, `\\r`; an HTML-like label is parsed as XML, so entity-escaping `&`, `<`, `>`
(and quotes, for good measure) leaves no way to close the label, open an element or start an
attribute. One Graphviz quirk remains: after decoding entities it still substitutes `\\N`, `\\G`,
`\\E`, `\\H`, `\\T`, `\\L` in label text (even `&#92;N`), and turns `\\\\` into `\\`; so every
backslash is doubled. Another: Graphviz 2.43's label lexer fails on a line that is just `]` and
silently drops a `]` that starts a line after `<BR/>`; `&#93;` avoids both (found by the
property test). Characters XML cannot carry (controls, lone surrogates, U+FFFE/U+FFFF) are
replaced by U+FFFD; tabs become spaces; line breaks become `<BR/>`.

Attribute values that are not user text (internal node names, colours, element ids built from
validated claim ids) go through `attribute`, which refuses anything outside a small safe
alphabet instead of escaping it.
"""

from __future__ import annotations

import functools
import re

# What XML 1.0 allows, minus the C1 controls (legal in XML, but meaningless in a label).
_NOT_XML = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ATTRIBUTE = re.compile("[A-Za-z0-9 _.:#,=%+\u2212-]*")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _NOT_XML.sub("\ufffd", text)


def escape_label(text: str) -> str:
    """User text as content of a Graphviz HTML-like label; line breaks become `<BR/>`."""
    text = (
        _clean(text)
        .replace("\\", "\\\\")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("]", "&#93;")
    )
    return "<BR/>".join(text.split("\n"))


def escape_text(text: str) -> str:
    """User text as XML character data (an SVG `<title>`): no markup, no invalid characters."""
    return _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=4096)
def attribute(value: str) -> str:
    """A quoted DOT attribute value for internal, non-user text (ids, colours, names)."""
    if not _ATTRIBUTE.fullmatch(value):
        raise ValueError(f"not a safe DOT attribute value: {value!r}")
    return f'"{value}"'


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters: greedy on spaces, long words cut, breaks kept."""
    lines: list[str] = []
    for paragraph in _clean(text).split("\n"):
        words = paragraph.split()
        if sum(map(len, words)) + len(words) - 1 <= width:  # the common case: one short line
            lines.append(" ".join(words))
            continue
        line: list[str] = []
        length = -1  # of the line so far, counting a space before each word
        for word in words:
            while len(word) > width:
                if line:
                    lines.append(" ".join(line))
                    line, length = [], -1
                lines.append(word[:width])
                word = word[width:]
            if length + 1 + len(word) > width:
                lines.append(" ".join(line))
                line, length = [], -1
            line.append(word)
            length += 1 + len(word)
        lines.append(" ".join(line))
    return lines


ELLIPSIS = "\u2026"


def shorten(lines: list[str], *, max_lines: int, width: int) -> list[str]:
    """At most `max_lines` of wrapped `lines`; a cut ends at a word with an ellipsis."""
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    words = kept[-1].split(" ")
    while len(words) > 1 and len(" ".join(words)) + 1 > width:
        words.pop()
    kept[-1] = " ".join(words)[: width - 1] + ELLIPSIS
    return kept
