"""Argdown text: import and export.

How Argdown maps onto argmap (and back):

- A statement (`[Title]: text`, every `[Title]` the same one) is a claim; its id is the title
  made into an id (`Four days` -> `Four-days`). Untitled statements get an id from their words.
- An argument without a premise-conclusion structure (`<Title>: text`) is a claim too: its gist
  is what supports or attacks. An argument *with* a premise-conclusion structure is a relation:
  the premises of its last inference, linked, support its conclusion (relation id = the
  argument's title); intermediate inferences become supports of their own. Its description is
  the relation's note. The argument's own outgoing relations (`<A>` with `-> [T]`) become
  relations from the same linked premises.
- `+`/`<+` and `+>` are supports, `-`/`<-` and `->` objections, `_`/`<_` and `_>` undercuts
  (an objection aimed at the relation that the undercut argument stands for). An attack on an
  argument with a premise-conclusion structure is read as an objection to its inference
  (argmap has no attack on "some premise"; the report says so).
- A contradiction `A >< B` becomes two objections, A against B and B against A (the report says
  so). The export writes `><` again where two plain claims object to each other.
- `#tag` and `#(multi word tag)` are tags (taken out of the text). `{yaml: data}` is the
  claim's `data`, except the keys `note`, `author`, `accepted`, `weight` and `sources`, which fill
  the claim fields of the same name. The innermost heading above a statement's definition is the
  claim's `group`. Front matter `title` and `description` are the map's.
- The export writes every claim once, as a top-level definition under its group's heading, with
  its plain supports and objections as references below it. A relation that plain tree syntax
  cannot hold (linked premises, a note or author, an undercut aimed at it, a relation aimed at a
  relation, an objection with linked premises) becomes an argument `<relation-id>` with a
  premise-conclusion structure. Objections and relations aimed at relations have no conclusion
  of their own in argmap; the export writes an *implied conclusion* marked `{"argmap":
  "implied"}` and states the argument's relation on the argument (`-> [T]`, `_> <R>`), which is
  also what Argdown's own tools draw. The import skips statements so marked.

The parser is line-based and linear in the size of the input; every scan moves forward.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from maps.formats.common import (
    Deadline,
    IdPool,
    ImportLimits,
    check_size,
    count_content,
    drop_timestamps,
    load_yaml,
    slug,
)
from maps.validation import relation_key, validate_content
from models import (
    ArgmapError,
    Claim,
    InvalidInputError,
    LimitExceededError,
    MapContent,
    Relation,
    RelationKind,
    Source,
)
from models.report import ConversionReport

FORMAT = "argdown"
IMPLIED_KEY = "argmap"
IMPLIED_VALUE = "implied"
CLAIM_DATA_FIELDS = ("note", "author", "accepted", "weight", "sources")
DEFAULT_TITLE = "Imported Argdown map"

# Argdown's tag token: `#word` or `#(several words)`; `A-z` is Argdown's own (it admits `[\]^_`).
_TAG_WORD = re.compile(r"[a-zA-z0-9\-\u00A0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+")
_TAG_WORD_EXPORT = re.compile(r"[A-Za-z0-9\-\u00C0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+")
_HEADING = re.compile(r"(#+) ")
_NUMBER = re.compile(r"\((\d+)\)")
_RELATION_SIGNS = ("<+", "<-", "<_", "+>", "->", "_>", "><", "+", "-", "_")

Sign = Literal["support", "attack", "undercut", "contradiction"]
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

# Argdown replaces these `.name.` / `:name:` shortcodes with symbols; the export escapes them.
_SHORTCODES = frozenset(
    ["A", "E", "O", "P", "->", "<->", "~", "^", "v", "v_", "<>", "[]", "happy", "smile", "smiley", "laugh", "lol", "rofl", "joy", "heart", "sad", "cry", "angry", "thumbsup", "thumbsdown", "ok", "wink", "kiss", "star", "check", "cross", "x", "y", "n", "question", "exclamation", "warning", "+", "-", "=", "!=", "<", ">", "<=", ">=", "*", "/", "neg", "and", "or", "not", "all", "exists", "forall", "implies", "iff", "box", "diamond"]
)
_SPECIAL = re.compile(r"(?:\.[^\s.]+?\.)|(?::[^\s:]+?:)")


# ============================================================================ the document model


@dataclass
class Ref:
    """A statement or argument as written at one place in the file."""

    kind: Literal["statement", "argument"]
    title: str
    line: int
    column: int
    text_column: int = 0  # where the text after the title starts


@dataclass
class Member:
    """One occurrence of a statement or argument that brings text, tags or data."""

    text: str | None
    tags: list[str]
    data: dict[str, Any]
    line: int
    column: int
    group: str | None


@dataclass
class Element:
    kind: Literal["statement", "argument"]
    title: str
    untitled: bool
    first_line: int
    members: list[Member] = field(default_factory=list)


@dataclass
class RawRelation:
    kind: Sign
    source: Ref
    target: Ref
    line: int
    column: int


@dataclass
class PcsStatement:
    number: int
    ref: Ref


@dataclass
class Inference:
    uses: list[int] | None
    line: int
    column: int
    conclusion: PcsStatement | None = None
    premises: list[PcsStatement] = field(default_factory=list)


@dataclass
class Reconstruction:
    """A premise-conclusion structure of one argument."""

    argument: str
    line: int
    statements: list[PcsStatement] = field(default_factory=list)
    inferences: list[Inference] = field(default_factory=list)


@dataclass
class Document:
    front: dict[str, Any] = field(default_factory=dict)
    elements: dict[tuple[str, str], Element] = field(default_factory=dict)
    relations: list[RawRelation] = field(default_factory=list)
    reconstructions: dict[str, Reconstruction] = field(default_factory=dict)
    untitled: int = 0
    untitled_arguments: int = 0


# ============================================================================ reading


def _error(message: str, line: int, column: int | None = None) -> InvalidInputError:
    """An error at a place in the file (the place is in `loc`; `str()` shows it first)."""
    if column is None:
        return InvalidInputError(message, loc=("line", line))
    return InvalidInputError(message, loc=("line", line, "column", column))


def _strip_comments(text: str, scanner: _DataScanner) -> tuple[list[str], list[bool]]:
    """Lines with comments blanked out, and which lines held nothing but comments.

    Comment-only lines are skipped (they do not end a block, as in Argdown). Comments are cut
    out, so a column after a comment on the same line counts without it. As in Argdown's lexer, front matter and `{data}` blocks are
    read whole, so `//` inside them (a URL, say) is not a comment.
    """
    out: list[str] = []
    pos = 0
    n = len(text)
    line = 1
    line_start = 0
    opening = len(text) - len(text.lstrip(" \t\n"))
    if text.startswith("===", opening):
        close = text.find("\n===", opening + 3)
        if close >= 0:
            close = text.find("\n", close + 1)
            close = n if close < 0 else close
            chunk = text[:close]
            out.append(chunk)
            line += chunk.count("\n")
            line_start = chunk.rfind("\n") + 1
            pos = close
    while pos < n:
        # Find the next comment opener or newline from pos, without backtracking.
        ch = text[pos]
        if ch == "\\" and pos + 1 < n and text[pos + 1] != "\n":
            out.append(text[pos : pos + 2])
            pos += 2
            continue
        if ch == "/" and text.startswith("//", pos):
            end = text.find("\n", pos)
            end = n if end < 0 else end
            pos = end
            continue
        if ch == "/" and text.startswith("/*", pos):
            end = text.find("*/", pos + 2)
            if end < 0:
                raise _error("a /* comment is never closed with */", line, pos - line_start + 1)
            chunk = text[pos : end + 2]
            out.append("\n" * chunk.count("\n"))
            line += chunk.count("\n")
            if "\n" in chunk:
                line_start = pos + chunk.rfind("\n") + 1
            pos = end + 2
            continue
        if ch == "<" and text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                raise _error("an <!-- comment is never closed with -->", line, pos - line_start + 1)
            chunk = text[pos : end + 3]
            out.append("\n" * chunk.count("\n"))
            line += chunk.count("\n")
            if "\n" in chunk:
                line_start = pos + chunk.rfind("\n") + 1
            pos = end + 3
            continue
        if ch == "{":
            end = scanner.end(text, pos, line, pos - line_start + 1)
            if end >= 0:
                chunk = text[pos : end + 1]
                out.append(chunk)
                if "\n" in chunk:
                    line += chunk.count("\n")
                    line_start = pos + chunk.rfind("\n") + 1
                pos = end + 1
                continue
        # Copy a run of ordinary characters in one step.
        nxt = pos + 1
        while nxt < n and text[nxt] not in "\\/<{\n":
            nxt += 1
        if ch == "\n":
            line += 1
            line_start = pos + 1
            nxt = pos + 1
        out.append(text[pos:nxt])
        pos = nxt
    stripped = "".join(out).split("\n")
    original = text.split("\n")
    comment_only = [
        bool(orig.strip()) and not new.strip() for orig, new in zip(original, stripped, strict=True)
    ]
    return stripped, comment_only


@dataclass
class Line:
    number: int
    indent: int
    body: str  # the line without its indentation

    @property
    def column(self) -> int:
        return self.indent + 1


def _relation_sign(body: str) -> str | None:
    if body.startswith("--"):
        return None
    for sign in _RELATION_SIGNS:
        if body.startswith(sign):
            if sign == "_" and not (len(body) > 1 and body[1] in " \t"):
                return None
            return sign
    return None


class Parser:
    def __init__(self, limits: ImportLimits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        self.doc = Document()
        self.headings: list[tuple[int, str]] = []
        self.report_items: list[tuple[str, str, int, int | None]] = []
        self.max_raw = limits.max_text * 10 + 10_000
        self.scanner = _DataScanner(limits.max_depth, 4 * limits.max_bytes)

    # ---------------------------------------------------------------- text of one element

    def text_parts(
        self, raw: str, line: int, column: int
    ) -> tuple[str, list[str], dict[str, Any]]:
        """Split an element's text into plain text, tags and YAML data (one forward scan)."""
        out: list[str] = []
        tags: list[str] = []
        data: dict[str, Any] = {}
        pos = 0
        n = len(raw)
        next_close = -1
        while pos < n:
            ch = raw[pos]
            if ch == "\\" and pos + 1 < n:
                out.append(raw[pos + 1])
                pos += 2
                continue
            if ch == "#":
                if pos + 1 < n and raw[pos + 1] == "(":
                    if next_close < pos:
                        next_close = raw.find(")", pos)
                        if next_close < 0:
                            next_close = n + 1
                    if next_close <= n and next_close > pos + 2:
                        tag = raw[pos + 2 : next_close].strip()
                        if tag:
                            tags.append(tag)
                        pos = next_close + 1
                        if pos < n and raw[pos] in " \t":
                            pos += 1
                        continue
                else:
                    match = _TAG_WORD.match(raw, pos + 1)
                    if match:
                        tags.append(match.group())
                        pos = match.end()
                        if pos < n and raw[pos] in " \t":
                            pos += 1
                        continue
            if ch == "{":
                end = self.scanner.end(raw, pos, line, column + pos)
                if end < 0:
                    raise _error("a {data} block is never closed with }", line, column + pos)
                loaded = load_yaml(raw[pos : end + 1], line_offset=line - 1, column_offset=column + pos - 1)
                if not isinstance(loaded, dict):
                    raise _error("{data} must be a mapping of keys to values", line, column + pos)
                data.update({str(k): v for k, v in loaded.items()})
                pos = end + 1
                continue
            nxt = pos + 1
            while nxt < n and raw[nxt] not in "\\#{":
                nxt += 1
            out.append(raw[pos:nxt])
            pos = nxt
        return "".join(out).strip(), tags, data

    # ---------------------------------------------------------------- elements

    def element(self, kind: Literal["statement", "argument"], title: str, line: int) -> Element:
        key = (kind, title)
        found = self.doc.elements.get(key)
        if found is None:
            if len(self.doc.elements) >= self.limits.max_claims + self.limits.max_relations:
                raise LimitExceededError(
                    "more statements and arguments than a map may hold "
                    f"({self.limits.max_claims} claims, {self.limits.max_relations} relations)",
                    loc=("line", line),
                )
            found = Element(kind=kind, title=title, untitled=False, first_line=line)
            self.doc.elements[key] = found
        return found

    def parse_head(self, body: str, line: int, column: int) -> tuple[Ref, str | None, str, bool]:
        """The element a line starts with: (reference, defining text or None, rest of the line,
        whether it is an untitled statement)."""
        for opener, closer, kind in (("[", "]", "statement"), ("<", ">", "argument")):
            if body.startswith(opener) and not body.startswith("<!--"):
                definition = body.find(closer + ":", 1)
                close = body.find(closer, 1)
                if definition > 1 and definition == close:
                    title = " ".join(body[1:definition].split())
                    ref = Ref(kind, title, line, column, column + definition + 2)  # type: ignore[arg-type]
                    return ref, body[definition + 2 :], "", False
                if close > 1 and not body.startswith(opener + "-"):
                    title = " ".join(body[1:close].split())
                    ref = Ref(kind, title, line, column, column + close + 1)  # type: ignore[arg-type]
                    return ref, None, body[close + 1 :], False
                if close < 0 and kind == "statement":
                    raise _error(f"'{opener}' opens a title that is never closed with '{closer}'", line, column)
        # An untitled statement.
        self.doc.untitled += 1
        title = f"Untitled {self.doc.untitled}"
        return Ref("statement", title, line, column, column), body, "", True

    def add_member(self, ref: Ref, raw: str | None, rest: str, *, untitled: bool = False) -> None:
        element = self.element(ref.kind, ref.title, ref.line)
        element.untitled = element.untitled or untitled
        if raw is not None:
            text, tags, data = self.text_parts(raw, ref.line, ref.text_column)
            element.members.append(
                Member(text, tags, data, ref.line, ref.column, self.group())
            )
        elif rest.strip():
            text, tags, data = self.text_parts(rest, ref.line, ref.text_column)
            if text:
                raise _error(
                    f"text after the reference {_show(ref)}; write {_show(ref)}: text to define it",
                    ref.line,
                    ref.column,
                )
            element.members.append(Member(None, tags, data, ref.line, ref.column, None))

    def group(self) -> str | None:
        return self.headings[-1][1] if self.headings else None

    # ---------------------------------------------------------------- blocks

    def parse(self, text: str) -> Document:
        text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        stripped, comment_only = _strip_comments(text, self.scanner)
        start = self.front_matter(stripped, comment_only)
        block: list[Line] = []
        previous_root: Ref | None = None
        for index in range(start, len(stripped)):
            if (index - start) % 4096 == 0:
                self.deadline.check(("line", index + 1))
            if comment_only[index]:
                continue
            raw = stripped[index]
            body = raw.lstrip(" \t")
            if not body:
                if block:
                    previous_root = self.block(block, previous_root)
                    block = []
                continue
            block.append(Line(index + 1, len(raw) - len(body), body.rstrip()))
        if block:
            self.block(block, previous_root)
        return self.doc

    def front_matter(self, lines: list[str], comment_only: list[bool]) -> int:
        index = 0
        while index < len(lines) and (not lines[index].strip() or comment_only[index]):
            index += 1
        if index >= len(lines) or not lines[index].startswith("==="):
            return 0
        opening = index
        index += 1
        while index < len(lines) and not lines[index].startswith("==="):
            index += 1
        if index >= len(lines):
            raise _error("the front matter opened with === is never closed with ===", opening + 1, 1)
        loaded = load_yaml("\n".join(lines[opening + 1 : index]), line_offset=opening + 1)
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise _error("the front matter must be a YAML mapping", opening + 2)
        self.doc.front = {str(k): v for k, v in loaded.items()}
        return index + 1

    def block(self, lines: list[Line], previous_root: Ref | None) -> Ref | None:
        first = lines[0]
        heading = _HEADING.match(first.body) if first.indent == 0 else None
        if heading:
            level = len(heading.group(1))
            text, _tags, data = self.text_parts(
                first.body[heading.end() :], first.number, heading.end() + 1
            )
            while self.headings and self.headings[-1][0] >= level:
                self.headings.pop()
            if self.headings:
                self.report_items.append((
                    "heading level",
                    f"'{text}' is a sub-heading of '{self.headings[-1][1]}'; a claim keeps only "
                    "its innermost heading as its group",
                    first.number,
                    None,
                ))
            if data:
                self.report_items.append(
                    ("heading data", "data on headings has no place in argmap", first.number, None)
                )
            self.headings.append((level, text or f"Section {len(self.headings) + 1}"))
            if len(lines) > 1:
                return self.block(lines[1:], None)
            return None
        if _NUMBER.match(first.body) or first.body.startswith("--"):
            self.reconstruction(lines, previous_root)
            return None
        return self.tree(lines)

    def tree(self, lines: list[Line]) -> Ref:
        first = lines[0]
        if _relation_sign(first.body):
            raise _error(
                "a relation needs a statement or argument above it to belong to",
                first.number,
                first.column,
            )
        root, raw, rest, untitled = self.parse_head(first.body, first.number, first.column)
        stack: list[tuple[int, Ref]] = [(first.indent, root)]
        pending = _Pending(self, root, raw, rest, untitled=untitled)
        for line in lines[1:]:
            sign = _relation_sign(line.body)
            if sign is None:
                pending.continue_with(line)
                continue
            pending.finish()
            while stack and stack[-1][0] >= line.indent:
                stack.pop()
            if not stack:
                raise _error(
                    "indent this relation under the statement or argument it belongs to",
                    line.number,
                    line.column,
                )
            if len(stack) > self.limits.max_depth:
                raise _error(
                    f"relations are nested more than {self.limits.max_depth} levels deep",
                    line.number,
                    line.column,
                )
            parent = stack[-1][1]
            rest_body = line.body[len(sign) :].lstrip(" \t")
            column = line.column + len(line.body) - len(rest_body)
            if not rest_body:
                raise _error(f"'{sign}' must be followed by a statement or argument", line.number, line.column)
            child, child_raw, child_rest, untitled = self.parse_head(rest_body, line.number, column)
            self.relation(sign, parent, child, line)
            stack.append((line.indent, child))
            pending = _Pending(self, child, child_raw, child_rest, untitled=untitled)
        pending.finish()
        return root

    def relation(self, sign: str, parent: Ref, child: Ref, line: Line) -> None:
        kind, child_is_source = SIGN_MEANING[sign]
        source, target = (child, parent) if child_is_source else (parent, child)
        if len(self.doc.relations) > 2 * self.limits.max_relations:
            raise LimitExceededError(
                f"more relations than a map may hold ({self.limits.max_relations})",
                loc=("line", line.number),
            )
        self.doc.relations.append(RawRelation(kind, source, target, line.number, line.column))

    def reconstruction(self, lines: list[Line], argument: Ref | None) -> None:
        first = lines[0]
        if argument is None or argument.kind != "argument":
            self.doc.untitled_arguments += 1
            title = f"Untitled argument {self.doc.untitled_arguments}"
            argument = Ref("argument", title, first.number, 1)
            self.element("argument", title, first.number)
        if argument.title in self.doc.reconstructions:
            raise _error(
                f"<{argument.title}> already has a premise-conclusion structure "
                f"(line {self.doc.reconstructions[argument.title].line})",
                first.number,
                1,
            )
        pcs = Reconstruction(argument.title, first.number)
        self.doc.reconstructions[argument.title] = pcs
        pending: _Pending | None = None
        stack: list[tuple[int, Ref]] = []
        open_inference: Inference | None = None
        for line in lines:
            number = _NUMBER.match(line.body)
            if number:
                if pending:
                    pending.finish()
                rest_body = line.body[number.end() :].lstrip(" \t")
                column = line.column + len(line.body) - len(rest_body)
                if not rest_body:
                    raise _error("a numbered line needs a statement", line.number, line.column)
                ref, raw, rest, untitled = self.parse_head(rest_body, line.number, column)
                statement = PcsStatement(int(number.group(1)), ref)
                pcs.statements.append(statement)
                if open_inference is not None:
                    open_inference.conclusion = statement
                    open_inference = None
                pending = _Pending(self, ref, raw, rest, untitled=untitled)
                stack = [(line.indent, ref)]
                continue
            if line.body.startswith("--"):
                if pending:
                    pending.finish()
                    pending = None
                if not pcs.statements:
                    raise _error("an inference needs premises above it", line.number, line.column)
                if open_inference is not None:
                    raise _error("two inferences in a row; a conclusion must come between", line.number, line.column)
                open_inference = self.inference(line)
                pcs.inferences.append(open_inference)
                continue
            sign = _relation_sign(line.body)
            if sign is not None and stack:
                if pending:
                    pending.finish()
                    pending = None
                while len(stack) > 1 and stack[-1][0] >= line.indent:
                    stack.pop()
                parent = stack[-1][1]
                rest_body = line.body[len(sign) :].lstrip(" \t")
                column = line.column + len(line.body) - len(rest_body)
                if not rest_body:
                    raise _error(f"'{sign}' must be followed by a statement or argument", line.number, line.column)
                child, raw, rest, untitled = self.parse_head(rest_body, line.number, column)
                self.relation(sign, parent, child, line)
                stack.append((line.indent, child))
                pending = _Pending(self, child, raw, rest, untitled=untitled)
                continue
            if pending is None:
                raise _error("text outside a numbered statement", line.number, line.column)
            pending.continue_with(line)
        if pending:
            pending.finish()
        if open_inference is not None:
            raise _error(
                "the premise-conclusion structure ends with an inference; add its conclusion",
                open_inference.line,
                open_inference.column,
            )
        if not pcs.inferences:
            raise _error(
                "a premise-conclusion structure needs an inference line (----) and a conclusion",
                pcs.line,
                1,
            )
        # Premises of each inference: its `uses`, or every statement since the one before.
        numbers = {s.number: s for s in pcs.statements}
        previous_end = 0
        for inference in pcs.inferences:
            assert inference.conclusion is not None
            end = pcs.statements.index(inference.conclusion)
            if inference.uses is not None:
                for used in inference.uses:
                    if used not in numbers or pcs.statements.index(numbers[used]) >= end:
                        raise _error(
                            f"the inference uses ({used}), which is not a statement above it",
                            inference.line,
                            inference.column,
                        )
                inference.premises = [numbers[used] for used in inference.uses]
            else:
                inference.premises = pcs.statements[previous_end:end]
            if not inference.premises:
                raise _error("an inference needs at least one premise", inference.line, inference.column)
            previous_end = end

    def inference(self, line: Line) -> Inference:
        body = line.body.strip()
        inner = body.strip("-").strip()
        uses: list[int] | None = None
        if inner:
            start = inner.find("{")
            if start >= 0:
                _text, _tags, data = self.text_parts(inner[start:], line.number, line.column)
                raw_uses = data.get("uses")
                if raw_uses is not None:
                    if not isinstance(raw_uses, list) or not all(
                        isinstance(u, int) and not isinstance(u, bool) for u in raw_uses
                    ):
                        raise _error("uses must be a list of statement numbers", line.number, line.column)
                    uses = list(raw_uses)
        return Inference(uses, line.number, line.column)


def _show(ref: Ref) -> str:
    return f"[{ref.title}]" if ref.kind == "statement" else f"<{ref.title}>"


class _DataScanner:
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
                    raise _error(f"{{data}} is nested more than {self.max_depth} levels deep",
                                 line, column)
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    self.budget -= pos - start
                    return pos if ch == "}" else -1
            pos += 1
        self.budget -= pos - start
        if self.budget < 0:
            raise _error("too many unclosed '{' (escape a literal brace as \\{)", line, column)
        return -1


class _Pending:
    """An element whose text may continue on the next lines."""

    def __init__(self, parser: Parser, ref: Ref, raw: str | None, rest: str, *, untitled: bool) -> None:
        self.parser = parser
        self.ref = ref
        self.parts = [raw] if raw is not None else None
        self.rest = [rest]
        self.untitled = untitled
        self.size = len(raw or "") + len(rest)
        self.done = False

    def continue_with(self, line: Line) -> None:
        body = line.body
        if body.startswith(("[", "<")) and not body.startswith("<!--"):
            close = body.find("]:" if body[0] == "[" else ">:")
            if close > 0:
                raise _error(
                    "put a blank line before a new statement or argument", line.number, line.column
                )
        self.size += len(body) + 1
        if self.size > self.parser.max_raw:
            raise _error(
                f"the text of {_show(self.ref)} is longer than {self.parser.max_raw} characters",
                line.number,
                line.column,
            )
        if self.parts is not None:
            self.parts.append(body)
        else:
            self.rest.append(body)

    def finish(self) -> None:
        if self.done:
            return
        self.done = True
        raw = " ".join(self.parts) if self.parts is not None else None
        self.parser.add_member(self.ref, raw, " ".join(self.rest), untitled=self.untitled)


# ============================================================================ document -> map


@dataclass
class _Built:
    claims: dict[tuple[str, str], str] = field(default_factory=dict)  # element key -> claim id
    main_relation: dict[str, str] = field(default_factory=dict)  # argument title -> relation id
    premises: dict[str, list[str]] = field(default_factory=dict)  # argument title -> premise ids
    outgoing: dict[str, list[str]] = field(default_factory=dict)  # claim id -> relation ids


class Builder:
    def __init__(self, doc: Document, report: ConversionReport, limits: ImportLimits) -> None:
        self.doc = doc
        self.report = report
        self.limits = limits
        self.pool = IdPool()
        self.built = _Built()
        self.claims: dict[str, Claim] = {}
        self.relations: dict[str, Relation] = {}
        self.keys: dict[tuple[Any, ...], str] = {}
        self.implied: set[tuple[str, str]] = set()

    def drop(self, what: str, reason: str, line: int | None = None, column: int | None = None,
             element: str | None = None) -> None:
        self.report.drop(what, reason, line=line, column=column, element=element)

    def build(self, title: str | None) -> MapContent:
        doc = self.doc
        for key, element in doc.elements.items():
            if any(m.data.get(IMPLIED_KEY) == IMPLIED_VALUE for m in element.members):
                self.implied.add(key)
            elif element.untitled and not any(m.text for m in element.members):
                self.implied.add(key)
                self.drop("statement", "an untitled statement without text", line=element.first_line)
        # Ids: titled elements first (their ids are what users wrote), then the untitled ones.
        ordered = sorted(doc.elements.items(), key=lambda item: item[1].untitled)
        for key, element in ordered:
            if key in self.implied:
                continue
            is_relation = element.kind == "argument" and element.title in doc.reconstructions
            if element.untitled:
                text = next((m.text for m in element.members if m.text), "")
                wanted = " ".join(text.split()[:6]) or "untitled"
                element_id = self.pool.claim(wanted[:40])
            else:
                element_id = self.pool.claim(slug(element.title))
            if is_relation:
                self.built.main_relation[element.title] = element_id
            else:
                self.built.claims[key] = element_id
        for key, element in doc.elements.items():
            if key in self.built.claims:
                self.claims[self.built.claims[key]] = self.claim(element, self.built.claims[key])
        for argument, pcs in doc.reconstructions.items():
            self.reconstruction(argument, pcs)
        # Relations aimed at relations wait until their targets exist (chains of undercuts).
        waiting = list(doc.relations)
        while waiting:
            deferred = [raw for raw in waiting if not self.raw_relation(raw, final=False)]
            if len(deferred) == len(waiting):
                for raw in deferred:
                    self.raw_relation(raw, final=True)
                break
            waiting = deferred
        front_title = doc.front.get("title")
        description = doc.front.get("description", doc.front.get("subTitle", ""))
        for name in doc.front:
            if name not in ("title", "description", "subTitle"):
                self.drop(f"front matter '{name}'", "Argdown settings have no place in an argmap map", line=1)
        if not isinstance(description, str):
            description = str(description)
        # A title the user chose wins over the file's own.
        content_title = title or (str(front_title) if front_title not in (None, "") else DEFAULT_TITLE)
        try:
            content = MapContent(
                title=" ".join(content_title.split())[:200] or DEFAULT_TITLE,
                description=description,
                claims=list(self.claims.values()),
                relations=list(self.relations.values()),
            )
        except ValidationError as error:
            first = error.errors()[0]
            raise InvalidInputError(f"front matter: {first['msg']}", loc=("line", 1)) from None
        return content

    # ---------------------------------------------------------------- claims

    def claim(self, element: Element, claim_id: str) -> Claim:
        defining = [m for m in element.members if m.text]
        canonical = defining[-1] if defining else None
        for member in defining:
            if member.data.get("isCanonical"):
                canonical = member
        for member in defining:
            if member is not canonical and canonical is not None and member.text != canonical.text:
                self.drop(
                    "text",
                    f"{'[' if element.kind == 'statement' else '<'}{element.title}"
                    f"{']' if element.kind == 'statement' else '>'} has another text at line "
                    f"{canonical.line}; argmap keeps that one",
                    line=member.line,
                    column=member.column,
                    element=claim_id,
                )
        tags: dict[str, None] = {}
        data: dict[str, Any] = {}
        for member in element.members:
            for tag in member.tags:
                tags.setdefault(tag, None)
            data.update(member.data)
        data.pop("isCanonical", None)
        line = canonical.line if canonical else element.first_line
        column = canonical.column if canonical else None
        fields: dict[str, Any] = {}
        for name in CLAIM_DATA_FIELDS:
            if name in data:
                value = data[name]
                if name == "sources" and isinstance(value, list):
                    try:
                        fields[name] = [Source.model_validate(s) for s in value]
                    except ValidationError:
                        self.drop("data 'sources'", "not a list of sources (citation, url, quote, "
                                  "locator); kept as data", line=line, element=claim_id)
                        continue
                else:
                    fields[name] = value
                del data[name]
        text = canonical.text if canonical and canonical.text else element.title
        group = canonical.group if canonical else next(
            (m.group for m in element.members if m.group), None
        )
        values = {"id": claim_id, "text": text, "tags": list(tags), "data": data, "group": group, **fields}
        try:
            return Claim.model_validate(values)
        except ValidationError as error:
            # A bad value for a claim field from {data}: keep it as data instead, if that helps.
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            movable = bad & set(CLAIM_DATA_FIELDS)
            if movable and bad == movable:
                for name in movable:
                    values["data"][name] = data.get(name, fields.get(name))
                    values.pop(name)
                    self.drop(f"data '{name}'", f"not a valid {name}; kept as data", line=line, element=claim_id)
                try:
                    return Claim.model_validate(values)
                except ValidationError as again:
                    error = again
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise _error(f"{_kind_title(element)}: {where}: {first['msg']}", line, column) from None

    # ---------------------------------------------------------------- relations

    def add_relation(self, relation_id: str | None, kind: RelationKind, premises: list[str],
                     target_claim: str | None, target_relation: str | None, line: int,
                     column: int | None = None, note: str | None = None,
                     author: str | None = None) -> str | None:
        premises = list(dict.fromkeys(premises))
        if target_claim is not None and target_claim in premises:
            self.drop("relation", f"a claim cannot {'support' if kind is RelationKind.SUPPORT else 'object to'} "
                      "itself", line=line, column=column, element=target_claim)
            return None
        probe = Relation(id="probe", kind=kind, premises=premises, target_claim=target_claim,
                         target_relation=target_relation)
        key = relation_key(probe)
        if key in self.keys:
            return self.keys[key]
        if len(self.relations) >= self.limits.max_relations:
            raise LimitExceededError(
                f"more than {self.limits.max_relations} relations (the limit per map)",
                loc=("line", line),
            )
        relation_id = relation_id or self.pool.next("r")
        if relation_id in self.relations:
            relation_id = self.pool.claim(relation_id)
        try:
            relation = Relation(id=relation_id, kind=kind, premises=premises,
                                target_claim=target_claim, target_relation=target_relation,
                                note=note, author=author)
        except ValidationError as error:
            first = error.errors()[0]
            raise _error(f"relation: {first['msg']}", line, column) from None
        self.relations[relation_id] = relation
        self.keys[key] = relation_id
        for premise in premises:
            self.built.outgoing.setdefault(premise, []).append(relation_id)
        return relation_id

    def statement_claim(self, ref: Ref) -> str | None:
        return self.built.claims.get((ref.kind, ref.title))

    def reconstruction(self, argument: str, pcs: Reconstruction) -> None:
        element = self.doc.elements[("argument", argument)]
        main_id = self.built.main_relation[argument]
        note_parts = [m.text for m in element.members if m.text]
        note = note_parts[-1] if note_parts else None
        data: dict[str, Any] = {}
        for member in element.members:
            data.update(member.data)
        author = data.pop("author", None)
        if author is not None and not isinstance(author, str):
            data["author"] = author
            author = None
        for key in data:
            self.drop(f"data '{key}'", f"argument <{argument}> is a relation, and relations keep no "
                      "data", line=element.first_line, element=main_id)
        if any(m.tags for m in element.members):
            self.drop("tags", f"argument <{argument}> is a relation, and relations have no tags",
                      line=element.first_line, element=main_id)
        final = pcs.inferences[-1]
        premises = self._claims_of(final.premises)
        self.built.premises[argument] = premises
        for index, inference in enumerate(pcs.inferences):
            assert inference.conclusion is not None
            conclusion_key = (inference.conclusion.ref.kind, inference.conclusion.ref.title)
            last = index == len(pcs.inferences) - 1
            if conclusion_key in self.implied:
                if not last:
                    self.drop("implied conclusion", "only the last conclusion may be implied",
                              line=inference.line, element=main_id)
                continue
            target = self.statement_claim(inference.conclusion.ref)
            if target is None:
                self.drop("conclusion", "an argument cannot be the conclusion of an inference",
                          line=inference.conclusion.ref.line, element=main_id)
                continue
            step_premises = self._claims_of(inference.premises)
            if not step_premises:
                continue
            made = self.add_relation(
                main_id if last else self.pool.claim(f"{main_id}-step{index + 1}"),
                RelationKind.SUPPORT, step_premises, target, None, inference.line,
                note=note if last else None, author=author if last else None,
            )
            if last and made is not None and made != main_id:
                # The same support was already stated elsewhere: the argument is that relation.
                self.built.main_relation[argument] = made

    def _claims_of(self, statements: list[PcsStatement]) -> list[str]:
        result = []
        for statement in statements:
            claim_id = self.statement_claim(statement.ref)
            if claim_id is None:
                self.drop("premise", "an implied or argument premise cannot be a claim",
                          line=statement.ref.line, element=statement.ref.title)
                continue
            result.append(claim_id)
        return result

    def _has_main(self, argument: str) -> bool:
        return self.built.main_relation.get(argument) in self.relations

    def raw_relation(self, raw: RawRelation, *, final: bool) -> bool:
        """Turn one written relation into argmap relations; False if it must wait for its target."""
        source_key = (raw.source.kind, raw.source.title)
        target_key = (raw.target.kind, raw.target.title)
        if raw.kind == "contradiction":
            a = self.statement_claim(raw.source)
            b = self.statement_claim(raw.target)
            if a is None or b is None:
                self.drop("contradiction", "only statements can contradict each other",
                          line=raw.line, column=raw.column)
                return True
            self.add_relation(None, RelationKind.OBJECTION, [a], b, None, raw.line, raw.column)
            self.add_relation(None, RelationKind.OBJECTION, [b], a, None, raw.line, raw.column)
            self.drop("contradiction", f"[{raw.source.title}] >< [{raw.target.title}] is kept as two "
                      "objections, one each way", line=raw.line, column=raw.column)
            return True
        # Who argues: a claim, or the linked premises of an argument's reconstruction.
        source_argument = raw.source.title if raw.source.kind == "argument" else None
        if source_key in self.implied:
            self.drop("relation", "an implied conclusion stands for its argument; write the "
                      "relation on the argument", line=raw.line, column=raw.column)
            return True
        if source_argument is not None and source_argument in self.doc.reconstructions:
            premises = self.built.premises.get(source_argument, [])
            relation_id = None if self._has_main(source_argument) else self.built.main_relation[source_argument]
            note, author = self._argument_note(source_argument) if relation_id else (None, None)
        else:
            claim_id = self.statement_claim(raw.source)
            premises = [claim_id] if claim_id else []
            relation_id, note, author = None, None, None
        if not premises:
            self.drop("relation", "it has no premises argmap can use", line=raw.line, column=raw.column)
            return True
        kind = RelationKind.SUPPORT if raw.kind == "support" else RelationKind.OBJECTION
        # What it aims at: a claim, or a relation.
        if target_key in self.implied:
            self.drop("relation", "a relation cannot aim at an implied conclusion",
                      line=raw.line, column=raw.column)
            return True
        if raw.target.kind == "argument" and raw.target.title in self.doc.reconstructions:
            target_relation = self.built.main_relation[raw.target.title]
            if target_relation not in self.relations:
                if not final:
                    return False
                self.drop("relation", f"<{raw.target.title}> carries no relation to aim at",
                          line=raw.line, column=raw.column)
                return True
            if raw.kind == "attack":
                self.drop("attack on an argument", f"the attack on <{raw.target.title}> is kept as an "
                          "objection to its inference (argmap does not record which premise is "
                          "attacked)", line=raw.line, column=raw.column)
            self.add_relation(relation_id, kind, premises, None, target_relation, raw.line,
                              raw.column, note=note, author=author)
            return True
        target_claim = self.statement_claim(raw.target)
        if target_claim is None:
            self.drop("relation", f"{_show(raw.target)} is not a claim", line=raw.line,
                      column=raw.column)
            return True
        if raw.kind == "undercut":
            # An undercut of an argument-claim aims at the relations that claim argues in.
            aimed = [r for r in self.built.outgoing.get(target_claim, []) if r in self.relations]
            if raw.target.kind == "argument" and not aimed and not final:
                return False
            if raw.target.kind == "statement" or not aimed:
                self.drop("undercut", f"{_show(raw.target)} has no inference of its own to undercut",
                          line=raw.line, column=raw.column)
                return True
            for target_relation in aimed:
                self.add_relation(relation_id, RelationKind.OBJECTION, premises, None,
                                  target_relation, raw.line, raw.column, note=note, author=author)
                relation_id = None
            return True
        self.add_relation(relation_id, kind, premises, target_claim, None, raw.line, raw.column,
                          note=note, author=author)
        return True

    def _argument_note(self, argument: str) -> tuple[str | None, str | None]:
        element = self.doc.elements[("argument", argument)]
        texts = [m.text for m in element.members if m.text]
        author = None
        for member in element.members:
            value = member.data.get("author")
            if isinstance(value, str):
                author = value
        return (texts[-1] if texts else None), author


def _kind_title(element: Element) -> str:
    return f"[{element.title}]" if element.kind == "statement" else f"<{element.title}>"


def loads(
    text: str,
    *,
    limits: ImportLimits | None = None,
    title: str | None = None,
) -> tuple[MapContent, ConversionReport]:
    """Read an Argdown document; errors name the line and column at fault."""
    limits = limits or ImportLimits()
    check_size(text, limits)
    deadline = Deadline(limits.timeout_seconds)
    report = ConversionReport(format=FORMAT, direction="import")
    parser = Parser(limits, deadline)
    document = parser.parse(text)
    for what, reason, line, column in parser.report_items:
        report.drop(what, reason, line=line, column=column)
    builder = Builder(document, report, limits)
    content = builder.build(title)
    if not content.claims and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
        raise InvalidInputError(
            "no Argdown statements or arguments found (this looks like JSON: "
            "import it as native or aif)",
            loc=("line", 1),
        )
    if len(content.claims) > limits.max_claims:
        raise LimitExceededError(
            f"{len(content.claims)} claims exceed the limit of {limits.max_claims} claims per map",
            loc=("claims",),
        )
    try:
        validate_content(content)
    except ArgmapError as error:
        raise InvalidInputError(f"the map read from Argdown is not valid: {error}", loc=error.loc) from None
    count_content(report, content)
    return content, report


# ============================================================================ writing


def escape_text(text: str) -> str:
    """Claim text as Argdown text: markup characters escaped, one line."""
    out: list[str] = []
    n = len(text)
    special_until = -1
    for index, ch in enumerate(text):
        if ch in "\\[]<>{}#@*_":
            out.append("\\" + ch)
        elif ch == "/" and index + 1 < n and text[index + 1] in "/*":
            out.append("\\/")
        elif ch in ".:" and index > special_until:
            match = _SPECIAL.match(text, index)
            if match and match.group()[1:-1] in _SHORTCODES:
                out.append("\\" + ch)
                special_until = match.end() - 1
            else:
                out.append(ch)
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _title(value: str) -> str:
    """An element id written as an Argdown title (ids never hold brackets)."""
    return value


def _tag(tag: str) -> str | None:
    if _TAG_WORD_EXPORT.fullmatch(tag):
        return "#" + tag
    if ")" in tag:
        return None
    return f"#({tag})"


def _data(values: dict[str, Any]) -> str:
    """YAML flow data written as JSON (valid YAML), braces inside strings escaped so that
    Argdown's lexer keeps the block whole."""
    return _escape_braces_in_strings(json.dumps(values, ensure_ascii=False, default=str))


def _escape_braces_in_strings(text: str) -> str:
    """Escape `{`, `}` inside JSON string literals (not the structural braces)."""
    out: list[str] = []
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
                out.append(ch)
                continue
            if ch == "\\":
                escaped = True
                out.append(ch)
                continue
            if ch == '"':
                in_string = False
                out.append(ch)
                continue
            if ch == "{":
                out.append("\\u007b")
                continue
            if ch == "}":
                out.append("\\u007d")
                continue
            out.append(ch)
            continue
        if ch == '"':
            in_string = True
        out.append(ch)
    return "".join(out)


def _front_value(value: str) -> str:
    """A YAML double-quoted scalar that cannot end Argdown's front matter (no `===`)."""
    return json.dumps(value, ensure_ascii=False).replace("=", "\\u003d")


def _claim_line(claim: Claim, report: ConversionReport) -> str:
    parts = [f"[{_title(claim.id)}]: {escape_text(claim.text)}"]
    if "\n" in claim.text:
        report.drop("line breaks", "Argdown statement text is one paragraph; line breaks became "
                    "spaces", element=claim.id)
    for tag in claim.tags:
        written = _tag(tag)
        if written is None:
            report.drop("tags", f"the tag {tag!r} holds ')' and cannot be an Argdown tag",
                        element=claim.id)
        else:
            parts.append(written)
    data: dict[str, Any] = {}
    if claim.note:
        data["note"] = claim.note
    if claim.author:
        data["author"] = claim.author
    if claim.accepted:
        data["accepted"] = True
    if claim.weight is not None:
        data["weight"] = claim.weight
    if claim.sources:
        data["sources"] = [s.model_dump(mode="json", exclude_none=True) for s in claim.sources]
    for key, value in claim.data.items():
        if key in data or key in (IMPLIED_KEY, "isCanonical"):
            report.drop(f"data '{key}'", "the key clashes with a claim field in Argdown data",
                        element=claim.id)
            continue
        if key in CLAIM_DATA_FIELDS:
            report.drop(f"data '{key}'", f"reads back as the claim's {key}", element=claim.id)
        data[key] = value
    if data:
        parts.append(_data(data))
    return " ".join(parts)


def _needs_argument(relation: Relation, targeted: set[str]) -> bool:
    return (
        len(relation.premises) > 1
        or relation.id in targeted
        or bool(relation.note)
        or bool(relation.author)
    )


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """Write a map as Argdown; the report lists what Argdown cannot hold."""
    report = ConversionReport(format=FORMAT, direction="export")
    targeted = {r.target_relation for r in content.relations if r.target_relation is not None}
    as_argument = {r.id for r in content.relations if _needs_argument(r, targeted)}
    # Plain relations, listed under their target claim; mutual objections become `><`.
    under: dict[str, list[tuple[str, str]]] = {}
    plain = [r for r in content.relations if r.id not in as_argument]
    objections = {(r.premises[0], r.target_claim) for r in plain if r.kind is RelationKind.OBJECTION}
    written_contradictions: set[frozenset[str]] = set()
    for relation in plain:
        premise = relation.premises[0]
        target = str(relation.target_claim)
        if relation.kind is RelationKind.OBJECTION and (target, premise) in objections:
            pair = frozenset((premise, target))
            if pair in written_contradictions:
                continue
            written_contradictions.add(pair)
            under.setdefault(target, []).append(("><", premise))
            continue
        under.setdefault(target, []).append(("+" if relation.kind is RelationKind.SUPPORT else "-", premise))

    lines: list[str] = ["===", f"title: {_front_value(content.title)}"]
    if content.description:
        lines.append(f"description: {_front_value(content.description)}")
    lines += ["===", ""]
    groups: dict[str | None, list[Claim]] = {}
    for claim in content.claims:
        groups.setdefault(claim.group, []).append(claim)
    for group, claims in sorted(groups.items(), key=lambda item: item[0] is not None):
        if group is not None:
            lines += [f"# {escape_text(group)}", ""]
        for claim in claims:
            lines.append(_claim_line(claim, report))
            for sign, premise in under.get(claim.id, []):
                lines.append(f"  {sign} [{_title(premise)}]")
            lines.append("")
    relations = {r.id: r for r in content.relations}
    undercuts: dict[str, list[Relation]] = {}
    for relation in content.relations:
        if relation.target_relation is not None and relation.id not in as_argument:
            undercuts.setdefault(relation.target_relation, []).append(relation)
    for relation in content.relations:
        if relation.id not in as_argument:
            continue
        head = f"<{_title(relation.id)}>"
        if relation.note:
            head += ": " + escape_text(relation.note)
            if "\n" in relation.note:
                report.drop("line breaks", "Argdown argument text is one paragraph; line breaks "
                            "became spaces", element=relation.id)
        if relation.author:
            head += (" " if relation.note else ": ") + _data({"author": relation.author})
        lines.append(head)
        implied = True
        if relation.target_relation is not None:
            sign = "+>" if relation.kind is RelationKind.SUPPORT else "_>"
            lines.append(f"  {sign} <{_title(relation.target_relation)}>")
        elif relation.kind is RelationKind.OBJECTION:
            lines.append(f"  -> [{_title(str(relation.target_claim))}]")
        else:
            implied = False
        for undercut in undercuts.get(relation.id, []):
            sign = "+" if undercut.kind is RelationKind.SUPPORT else "_"
            lines.append(f"  {sign} [{_title(undercut.premises[0])}]")
        lines.append("")
        for number, premise in enumerate(relation.premises, start=1):
            lines.append(f"({number}) [{_title(premise)}]")
        lines.append("----")
        conclusion = len(relation.premises) + 1
        if implied:
            lines.append(f"({conclusion}) Implied conclusion. " + _data({IMPLIED_KEY: IMPLIED_VALUE}))
        else:
            lines.append(f"({conclusion}) [{_title(str(relation.target_claim))}]")
        lines.append("")
        assert relations
    drop_timestamps(report, content, "Argdown has no timestamps")
    count_content(report, content)
    return "\n".join(lines).rstrip("\n") + "\n", report
