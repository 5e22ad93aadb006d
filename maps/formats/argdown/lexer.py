"""Argdown text cut into what the parser works with: lines, relation signs, text parts.

- `strip_comments` blanks out `//`, `/* */` and `<!-- -->` comments in one forward scan. As in
  Argdown's lexer, front matter and `{data}` blocks are read whole, so `//` inside them (a URL,
  say) is not a comment. Comment-only lines are marked: they do not end a block, as in Argdown.
- `relation_sign` tells a relation line (`+ [B]`, `<- <A>`, `_ [C]`, `>< [D]`) by its sign, and
  `SIGN_MEANING` says what each sign means.
- `text_parts` splits an element's text into plain text, `#tags` and `{yaml: data}`.

Every scan moves forward; `DataScanner` keeps the search for the end of `{data}` blocks within
a total budget, so that many unclosed `{` cannot make reading quadratic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from maps.formats.argdown.document import Sign, error_at
from maps.formats.common import load_yaml

# Argdown's tag token: `#word` or `#(several words)`; `A-z` is Argdown's own (it admits `[\]^_`).
TAG_WORD = re.compile(r"[a-zA-z0-9\-\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+")
HEADING = re.compile(r"(#+) ")
NUMBER = re.compile(r"\((\d+)\)")
LIST_ITEM = re.compile(r"(?:\*|\d+\.)(?=[ \t])")
RELATION_SIGNS = ("<+", "<-", "<_", "+>", "->", "_>", "><", "+", "-", "_")

SIGN_MEANING: dict[str, tuple[Sign, bool]] = {
    # sign: (kind, True if the child is the source of the relation)
    "+": ("support", True),
    "<+": ("support", True),
    "-": ("attack", True),
    "<-": ("attack", True),
    "_": ("undercut", True),
    "<_": ("undercut", True),
    "+>": ("support", False),
    "->": ("attack", False),
    "_>": ("undercut", False),
    "><": ("contradiction", True),
}


@dataclass
class Line:
    """A non-blank line of a block."""

    number: int
    indent: int
    body: str  # the line without its indentation

    @property
    def column(self) -> int:
        return self.indent + 1


def relation_sign(body: str) -> str | None:
    """The relation sign a line starts with, or None (`--` starts an inference, not a sign)."""
    if body.startswith("--"):
        return None
    for sign in RELATION_SIGNS:
        if body.startswith(sign):
            if sign == "_" and not (len(body) > 1 and body[1] in " \t"):
                return None
            return sign
    return None


def list_marker(body: str) -> int | None:
    """The length of the list marker (`*`, `1.`) a line starts with, or None."""
    match = LIST_ITEM.match(body)
    return match.end() if match else None


# ---------------------------------------------------------------------------- {data} blocks


class DataScanner:
    """Finds where a `{data}` block ends, within a total budget so the scan stays linear."""

    def __init__(self, max_depth: int, budget: int) -> None:
        self.max_depth = max_depth
        self.budget = budget

    def end(self, raw: str, start: int, line: int, column: int) -> int:
        """Index of the `}` closing the `{` at `start` (quotes respected), or -1."""
        depth = 0
        pos = start
        n = len(raw)
        quote: str | None = None
        while pos < n:
            ch = raw[pos]
            if quote:
                if ch == "\\" and quote == '"':
                    pos += 2
                    continue
                if ch == quote:
                    quote = None
            elif ch in "\"'":
                previous = raw[pos - 1] if pos > start else "{"
                # A quote starts a scalar only after an indicator or a space (not inside a word).
                if previous in "{[,: \t\n":
                    quote = ch
            elif ch in "{[":
                depth += 1
                if depth > self.max_depth:
                    raise error_at(
                        f"{{data}} is nested more than {self.max_depth} levels deep", line, column
                    )
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    self.budget -= pos - start
                    return pos if ch == "}" else -1
            pos += 1
        self.budget -= pos - start
        if self.budget < 0:
            raise error_at("too many unclosed '{' (escape a literal brace as \\{)", line, column)
        return -1


# ---------------------------------------------------------------------------- comments


class _CommentStripper:
    """One forward scan over the text: comments blanked, everything else copied as it is."""

    def __init__(self, text: str, scanner: DataScanner) -> None:
        self.text = text
        self.scanner = scanner
        self.out: list[str] = []
        self.pos = 0
        self.line = 1
        self.line_start = 0

    @property
    def column(self) -> int:
        return self.pos - self.line_start + 1

    def copy_until(self, end: int) -> None:
        chunk = self.text[self.pos : end]
        self.out.append(chunk)
        self.count_lines(chunk)
        self.pos = end

    def blank_until(self, end: int) -> None:
        """A comment up to `end`: only its line breaks stay, so later lines keep their numbers."""
        chunk = self.text[self.pos : end]
        self.out.append("\n" * chunk.count("\n"))
        self.count_lines(chunk)
        self.pos = end

    def count_lines(self, chunk: str) -> None:
        if "\n" in chunk:
            self.line += chunk.count("\n")
            self.line_start = self.pos + chunk.rfind("\n") + 1

    def front_matter(self) -> None:
        """Copy front matter (`===` ... `===`) whole: it holds no comments."""
        text = self.text
        opening = len(text) - len(text.lstrip(" \t\n"))
        if not text.startswith("===", opening):
            return
        close = text.find("\n===", opening + 3)
        if close >= 0:
            close = text.find("\n", close + 1)
            self.copy_until(len(text) if close < 0 else close)

    def step(self) -> None:
        """Consume what starts at the current position: an escape, a comment, data or text."""
        text, pos = self.text, self.pos
        ch = text[pos]
        if ch == "\\" and pos + 1 < len(text) and text[pos + 1] != "\n":
            self.copy_until(pos + 2)
        elif ch == "/" and text.startswith("//", pos):
            end = text.find("\n", pos)
            self.pos = len(text) if end < 0 else end
        elif ch == "/" and text.startswith("/*", pos):
            self.block_comment("/*", "*/", unclosed="a /* comment is never closed with */")
        elif ch == "<" and text.startswith("<!--", pos):
            self.block_comment("<!--", "-->", unclosed="an <!-- comment is never closed with -->")
        elif ch != "{" or not self.data_block():
            self.plain_text()

    def block_comment(self, opener: str, closer: str, *, unclosed: str) -> None:
        end = self.text.find(closer, self.pos + len(opener))
        if end < 0:
            raise error_at(unclosed, self.line, self.column)
        self.blank_until(end + len(closer))

    def data_block(self) -> bool:
        """Copy the `{data}` block starting here whole; False if it is never closed."""
        end = self.scanner.end(self.text, self.pos, self.line, self.column)
        if end < 0:
            return False
        self.copy_until(end + 1)
        return True

    def plain_text(self) -> None:
        """Copy a run of ordinary characters in one step (a line break on its own)."""
        text, pos = self.text, self.pos
        nxt = pos + 1
        if text[pos] != "\n":
            while nxt < len(text) and text[nxt] not in "\\/<{\n":
                nxt += 1
        self.copy_until(nxt)


def strip_comments(text: str, scanner: DataScanner) -> tuple[list[str], list[bool]]:
    """Lines with comments blanked out, and which lines held nothing but comments.

    Comments are cut out, so a column after a comment on the same line counts without it.
    """
    stripper = _CommentStripper(text, scanner)
    stripper.front_matter()
    while stripper.pos < len(text):
        stripper.step()
    stripped = "".join(stripper.out).split("\n")
    original = text.split("\n")
    comment_only = [
        bool(orig.strip()) and not new.strip() for orig, new in zip(original, stripped, strict=True)
    ]
    return stripped, comment_only


# ---------------------------------------------------------------------------- text of one element


def text_parts(
    raw: str, *, line: int, column: int, scanner: DataScanner
) -> tuple[str, list[str], dict[str, Any]]:
    """Split an element's text into plain text, tags and YAML data (one forward scan)."""
    out: list[str] = []
    tags: list[str] = []
    data: dict[str, Any] = {}
    pos = 0
    n = len(raw)
    next_close = -1  # the `)` after the last `#(`, found once for all of them
    while pos < n:
        ch = raw[pos]
        if ch == "\\" and pos + 1 < n:
            out.append(raw[pos + 1])
            pos += 2
            continue
        if ch == "#":
            if raw.startswith("#(", pos) and next_close < pos:
                next_close = raw.find(")", pos)
                if next_close < 0:
                    next_close = n + 1
            found = _tag_at(raw, pos, next_close)
            if found is not None:
                tag, pos = found
                if tag:
                    tags.append(tag)
                continue
        if ch == "{":
            values, pos = _data_at(raw, pos, line=line, column=column, scanner=scanner)
            data.update(values)
            continue
        nxt = pos + 1
        while nxt < n and raw[nxt] not in "\\#{":
            nxt += 1
        out.append(raw[pos:nxt])
        pos = nxt
    return "".join(out).strip(), tags, data


def _tag_at(raw: str, pos: int, next_close: int) -> tuple[str, int] | None:
    """The tag of the `#` at `pos` and where the text after it resumes; None if it is no tag."""
    n = len(raw)
    if raw.startswith("#(", pos):
        if not (next_close <= n and next_close > pos + 2):
            return None
        tag = raw[pos + 2 : next_close].strip()
        end = next_close + 1
    else:
        match = TAG_WORD.match(raw, pos + 1)
        if not match:
            return None
        tag = match.group()
        end = match.end()
    if end < n and raw[end] in " \t":
        end += 1
    return tag, end


def _data_at(
    raw: str, pos: int, *, line: int, column: int, scanner: DataScanner
) -> tuple[dict[str, Any], int]:
    """The `{data}` block at `pos` as a mapping, and where the text after it resumes."""
    end = scanner.end(raw, pos, line, column + pos)
    if end < 0:
        raise error_at("a {data} block is never closed with }", line, column + pos)
    loaded = load_yaml(raw[pos : end + 1], line_offset=line - 1, column_offset=column + pos - 1)
    if not isinstance(loaded, dict):
        raise error_at("{data} must be a mapping of keys to values", line, column + pos)
    return {str(k): v for k, v in loaded.items()}, end + 1
