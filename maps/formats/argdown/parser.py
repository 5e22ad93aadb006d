"""Argdown text read into a `Document`: blocks, relation trees, premise-conclusion structures.

The parser is line-based and linear in the size of the input; every scan moves forward. After
the lexer has blanked out comments, the text falls into blocks (runs of lines without a blank
line between them), and each block is one of three things:

- headings (`# Costs`): the innermost heading above a statement's definition is its group;
- a premise-conclusion structure (`(1) ...`, `----`, `(2) ...`), which belongs to the argument
  defined just before it (`<Title>: ...`), or to a new untitled argument;
- a tree: a statement or argument, and below it indented relation lines (`+ [B]`, `-> <C>`),
  each of which may hold a tree of its own; or a list of such trees, one per item (`* [A]: a`,
  `1. [B]: b`, the items all of one kind).

Which element a relation line belongs to is decided as Argdown's lexer decides it (see
`Parser.parent_of`): lists of relations open at the column of their first line, and a line
that dedents to a column between two lists joins the shallower one. A heading's text, and an
inference rule written between two `--` lines, may take more than one line.

An element's text may run on over the next lines (`_Pending` collects it); a line that would
define a new element must come after a blank line. The parser keeps what is written: which
title means which claim, what a contradiction or an attack on an argument becomes in argmap,
is the builder's concern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from maps.formats.argdown.document import (
    Document,
    Element,
    Inference,
    Kind,
    Member,
    PcsStatement,
    RawRelation,
    Reconstruction,
    Ref,
    error_at,
)
from maps.formats.argdown.lexer import (
    HEADING,
    NUMBER,
    SIGN_MEANING,
    DataScanner,
    Line,
    list_marker,
    relation_sign,
    strip_comments,
    text_parts,
)
from maps.formats.common import Deadline, ImportLimits, load_yaml
from models import LimitExceededError

_HEADS: tuple[tuple[str, str, Kind], ...] = (("[", "]", "statement"), ("<", ">", "argument"))


class Parser:
    """Reads one Argdown file; `parse` returns the `Document`, `report_items` what it set aside."""

    def __init__(self, limits: ImportLimits, deadline: Deadline) -> None:
        self.limits = limits
        self.deadline = deadline
        self.doc = Document()
        self.headings: list[tuple[int, str]] = []
        self.report_items: list[tuple[str, str, int, int | None]] = []
        self.max_raw = limits.max_text * 10 + 10_000
        self.scanner = DataScanner(limits.max_depth, 4 * limits.max_bytes)

    def text_parts(self, raw: str, line: int, column: int) -> tuple[str, list[str], dict[str, Any]]:
        return text_parts(raw, line=line, column=column, scanner=self.scanner)

    # ---------------------------------------------------------------- elements

    def element(self, kind: Kind, title: str, line: int) -> Element:
        key = (kind, title)
        found = self.doc.elements.get(key)
        if found is None:
            if len(self.doc.elements) >= self.limits.max_claims + self.limits.max_relations:
                raise LimitExceededError(
                    "more statements and arguments than a map may hold "
                    f"({self.limits.max_claims} claims, {self.limits.max_relations} relations)",
                    loc=("line", line),
                )
            found = Element(kind, title, untitled=False, first_line=line, first_group=self.group())
            self.doc.elements[key] = found
        return found

    def parse_head(self, body: str, line: int, column: int) -> tuple[Ref, str | None, str, bool]:
        """The element a line starts with: (reference, defining text or None, rest of the line,
        whether it is an untitled statement)."""
        for opener, closer, kind in _HEADS:
            if body.startswith(opener) and not body.startswith("<!--"):
                definition = body.find(closer + ":", 1)
                close = body.find(closer, 1)
                if definition > 1 and definition == close:
                    title = " ".join(body[1:definition].split())
                    ref = Ref(kind, title, line, column, column + definition + 2)
                    return ref, body[definition + 2 :], "", False
                if close > 1 and not body.startswith(opener + "-"):
                    title = " ".join(body[1:close].split())
                    ref = Ref(kind, title, line, column, column + close + 1)
                    return ref, None, body[close + 1 :], False
                if close < 0 and kind == "statement":
                    raise error_at(
                        f"'{opener}' opens a title that is never closed with '{closer}'",
                        line,
                        column,
                    )
        # An untitled statement.
        self.doc.untitled += 1
        title = f"Untitled {self.doc.untitled}"
        return Ref("statement", title, line, column, column), body, "", True

    def head(self, body: str, line: int, column: int) -> _Pending:
        """The element a line starts with, its text still open to the lines below."""
        ref, raw, rest, untitled = self.parse_head(body, line, column)
        return _Pending(self, ref, raw, rest, untitled=untitled)

    def add_member(self, ref: Ref, raw: str | None, rest: str, *, untitled: bool = False) -> None:
        element = self.element(ref.kind, ref.title, ref.line)
        element.untitled = element.untitled or untitled
        if raw is not None:
            text, tags, data = self.text_parts(raw, ref.line, ref.text_column)
            element.members.append(Member(text, tags, data, ref.line, ref.column, self.group()))
        elif rest.strip():
            text, tags, data = self.text_parts(rest, ref.line, ref.text_column)
            if text:
                raise error_at(
                    f"text after the reference {ref.shown()}; write {ref.shown()}: text to "
                    "define it",
                    ref.line,
                    ref.column,
                )
            element.members.append(Member(None, tags, data, ref.line, ref.column, None))

    def group(self) -> str | None:
        return self.headings[-1][1] if self.headings else None

    # ---------------------------------------------------------------- blocks

    def parse(self, text: str) -> Document:
        text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
        stripped, comment_only = strip_comments(text, self.scanner)
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
        """Read the front matter (`===` YAML `===`) if the file starts with it; the next line."""
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
            raise error_at(
                "the front matter opened with === is never closed with ===", opening + 1, 1
            )
        loaded = load_yaml("\n".join(lines[opening + 1 : index]), line_offset=opening + 1)
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise error_at("the front matter must be a YAML mapping", opening + 2)
        self.doc.front = {str(k): v for k, v in loaded.items()}
        return index + 1

    def block(self, lines: list[Line], previous_root: Ref | None) -> Ref | None:
        """Read one block; the root of its tree, which a structure in the next block may use."""
        first = lines[0]
        heading = HEADING.match(first.body) if first.indent == 0 else None
        if heading:
            self.heading(lines, heading)
            return None
        if NUMBER.match(first.body) or first.body.startswith("--"):
            self.reconstruction(lines, previous_root)
            return None
        return self.tree(lines)

    def heading(self, lines: list[Line], heading: re.Match[str]) -> None:
        """A heading; its text runs on over the lines of its block, as in Argdown."""
        first = lines[0]
        for line in lines[1:]:
            if _starts_element(line.body):
                raise error_at(
                    "put a blank line between a heading and what follows it",
                    line.number,
                    line.column,
                )
        raw = " ".join([first.body[heading.end() :], *(line.body for line in lines[1:])])
        text, _tags, data = self.text_parts(raw, first.number, heading.end() + 1)
        level = len(heading.group(1))
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        if self.headings:
            self.report_items.append(
                (
                    "heading level",
                    f"'{text}' is a sub-heading of '{self.headings[-1][1]}'; a claim keeps only "
                    "its innermost heading as its group",
                    first.number,
                    None,
                )
            )
        if data:
            self.report_items.append(
                ("heading data", "data on headings has no place in argmap", first.number, None)
            )
        self.headings.append((level, text or f"Section {len(self.headings) + 1}"))

    # ---------------------------------------------------------------- trees of relations

    def tree(self, lines: list[Line]) -> Ref:
        """A statement or argument with its relation tree, or a list of them (`* item`)."""
        first = lines[0]
        if relation_sign(first.body):
            raise error_at(
                "a relation needs a statement or argument above it to belong to",
                first.number,
                first.column,
            )
        is_list = list_marker(first.body) is not None
        pending, lists = self.tree_root(first)
        root = pending.ref
        for line in lines[1:]:
            sign = relation_sign(line.body)
            marker = list_marker(line.body) if sign is None else None
            if sign is None and marker is None:
                pending.continue_with(line)
                continue
            pending.finish()
            if sign is None:
                if not is_list or line.indent + 1 > lists[-1].level:
                    raise error_at(
                        "put a blank line before a list; its items cannot nest",
                        line.number,
                        line.column,
                    )
                if line.body.startswith("*") != first.body.startswith("*"):
                    raise error_at(
                        "a list is either numbered (1.) or not (*); put a blank line between them",
                        line.number,
                        line.column,
                    )
                pending, lists = self.tree_root(line)
                root = pending.ref
                continue
            pending = self.child(sign, self.parent_of(lists, line), line)
            lists[-1].last = pending.ref
        pending.finish()
        return root

    def tree_root(self, line: Line) -> tuple[_Pending, list[_Siblings]]:
        """The element a tree starts with (a list item, or a line of its own) and the relation
        lists open below it: only the top one at first, at the level Argdown's lexer gives it."""
        marker = list_marker(line.body)
        if marker is None:
            pending = self.head(line.body, line.number, line.column)
            return pending, [_Siblings(level=0, owner=None, last=pending.ref)]
        body = line.body[marker:].lstrip(" \t")
        pending = self.head(body, line.number, line.column + len(line.body) - len(body))
        # Argdown counts an item's indentation one more than the spaces before its marker.
        return pending, [_Siblings(level=line.indent + 1, owner=None, last=pending.ref)]

    def parent_of(self, lists: list[_Siblings], line: Line) -> Ref:
        """The element a relation line belongs to, as Argdown's lexer decides it.

        Deeper than the open list: a new list below the last element. Shallower: close every
        list deeper than the line; the line joins the one it lands in, whatever its own column
        (`A`, `  - C`, `      <+ D`, `    -> G`: G is a sibling of C, as in Argdown).
        """
        if line.indent > lists[-1].level:
            lists.append(_Siblings(level=line.indent, owner=lists[-1].last, last=None))
        while len(lists) > 1 and line.indent < lists[-1].level:
            lists.pop()
        owner = lists[-1].owner
        if owner is None:
            raise error_at(
                "indent this relation under the statement or argument it belongs to",
                line.number,
                line.column,
            )
        if len(lists) > self.limits.max_depth:
            raise error_at(
                f"relations are nested more than {self.limits.max_depth} levels deep",
                line.number,
                line.column,
            )
        return owner

    def child(self, sign: str, parent: Ref, line: Line) -> _Pending:
        """The element of a relation line (`+ [B]: ...`), related to `parent`."""
        rest_body = line.body[len(sign) :].lstrip(" \t")
        column = line.column + len(line.body) - len(rest_body)
        if not rest_body:
            raise error_at(
                f"'{sign}' must be followed by a statement or argument", line.number, line.column
            )
        pending = self.head(rest_body, line.number, column)
        self.relation(sign, parent, pending.ref, line)
        return pending

    def relation(self, sign: str, parent: Ref, child: Ref, line: Line) -> None:
        kind, child_is_source = SIGN_MEANING[sign]
        source, target = (child, parent) if child_is_source else (parent, child)
        if len(self.doc.relations) > 2 * self.limits.max_relations:
            raise LimitExceededError(
                f"more relations than a map may hold ({self.limits.max_relations})",
                loc=("line", line.number),
            )
        self.doc.relations.append(RawRelation(kind, source, target, line.number, line.column))

    # ---------------------------------------------------------------- premise-conclusion structures

    def reconstruction(self, lines: list[Line], argument: Ref | None) -> None:
        pcs = self.new_reconstruction(lines[0], argument)
        reader = _PcsReader(self, pcs)
        for line in lines:
            reader.read(line)
        reader.close()
        _assign_premises(pcs)

    def new_reconstruction(self, first: Line, argument: Ref | None) -> Reconstruction:
        """The structure of `argument` (a new untitled argument if the block above is none)."""
        if argument is None or argument.kind != "argument":
            self.doc.untitled_arguments += 1
            title = f"Untitled argument {self.doc.untitled_arguments}"
            argument = Ref("argument", title, first.number, 1)
            self.element("argument", title, first.number)
        if argument.title in self.doc.reconstructions:
            raise error_at(
                f"<{argument.title}> already has a premise-conclusion structure "
                f"(line {self.doc.reconstructions[argument.title].line})",
                first.number,
                1,
            )
        pcs = Reconstruction(argument.title, first.number)
        self.doc.reconstructions[argument.title] = pcs
        return pcs

    def inference(self, inner: str, line: Line) -> Inference:
        """An inference from what stands between its dashes: rule names and `{uses: [...]}`."""
        rules, _tags, data = self.text_parts(inner, line.number, line.column)
        raw_uses = data.get("uses")
        uses: list[int] | None = None
        if raw_uses is not None:
            if not isinstance(raw_uses, list) or not all(
                isinstance(u, int) and not isinstance(u, bool) for u in raw_uses
            ):
                raise error_at("uses must be a list of statement numbers", line.number, line.column)
            uses = list(raw_uses)
        names = [name.strip() for name in rules.split(",") if name.strip()]
        return Inference(uses, line.number, line.column, rules=names)


class _PcsReader:
    """Reads the lines of one premise-conclusion structure into its `Reconstruction`.

    Numbered statements, inference lines (`----`), relation lines below a statement, and text
    that continues the statement above.
    """

    def __init__(self, parser: Parser, pcs: Reconstruction) -> None:
        self.parser = parser
        self.pcs = pcs
        self.pending: _Pending | None = None
        self.lists: list[_Siblings] = []  # the statement and the relations below it
        self.open_inference: Inference | None = None  # an inference still without conclusion
        self.open_rule: tuple[Line, list[str]] | None = None  # `--` read, its rule still to come

    def read(self, line: Line) -> None:
        if self.open_rule is not None:
            self.rule_line(line)
            return
        number = NUMBER.match(line.body)
        if number:
            self.statement(line, number)
            return
        if line.body.startswith("--"):
            self.inference_line(line)
            return
        sign = relation_sign(line.body)
        if sign is not None and self.lists:
            self.relation(line, sign)
            return
        if self.pending is None:
            raise error_at("text outside a numbered statement", line.number, line.column)
        self.pending.continue_with(line)

    def inference_line(self, line: Line) -> None:
        """`----`, `-- rule {uses: [1]} --`, or a lone `--` that opens a rule on the next line."""
        body = line.body.strip()
        if body.strip("-") == "" and len(body) < 4:
            self.finish_pending()
            self.open_rule = (line, [])
            return
        inner = body[2:].rstrip()
        if inner.endswith("--"):
            inner = inner.rstrip("-")
        self.inference(line, inner.strip())

    def rule_line(self, line: Line) -> None:
        """A line of a rule opened by `--`: the rule itself (one line), then the closing `--`."""
        assert self.open_rule is not None
        opening, parts = self.open_rule
        if line.body.startswith("--") and line.body.strip("-").strip() == "":
            self.open_rule = None
            self.inference(opening, " ".join(parts))
        elif parts:
            raise error_at(
                "an inference rule takes one line; end the inference with two hyphens (--)",
                line.number,
                line.column,
            )
        else:
            parts.append(line.body)

    def finish_pending(self) -> None:
        if self.pending:
            self.pending.finish()
            self.pending = None

    def statement(self, line: Line, number: re.Match[str]) -> None:
        self.finish_pending()
        rest_body = line.body[number.end() :].lstrip(" \t")
        column = line.column + len(line.body) - len(rest_body)
        if not rest_body:
            raise error_at("a numbered line needs a statement", line.number, line.column)
        self.pending = self.parser.head(rest_body, line.number, column)
        statement = PcsStatement(int(number.group(1)), self.pending.ref)
        self.pcs.statements.append(statement)
        if self.open_inference is not None:
            self.open_inference.conclusion = statement
            self.open_inference = None
        # A numbered line closes every list of relations, as in Argdown's lexer.
        self.lists = [_Siblings(level=0, owner=None, last=statement.ref)]

    def inference(self, line: Line, inner: str) -> None:
        self.finish_pending()
        if not self.pcs.statements:
            raise error_at("an inference needs premises above it", line.number, line.column)
        if self.open_inference is not None:
            raise error_at(
                "two inferences in a row; a conclusion must come between", line.number, line.column
            )
        self.open_inference = self.parser.inference(inner, line)
        self.pcs.inferences.append(self.open_inference)

    def relation(self, line: Line, sign: str) -> None:
        self.finish_pending()
        self.pending = self.parser.child(sign, self.parser.parent_of(self.lists, line), line)
        self.lists[-1].last = self.pending.ref

    def close(self) -> None:
        self.finish_pending()
        if self.open_rule is not None:
            opening = self.open_rule[0]
            raise error_at(
                "the inference opened with -- is never closed with --",
                opening.number,
                opening.column,
            )
        if self.open_inference is not None:
            raise error_at(
                "the premise-conclusion structure ends with an inference; add its conclusion",
                self.open_inference.line,
                self.open_inference.column,
            )
        if not self.pcs.inferences:
            raise error_at(
                "a premise-conclusion structure needs an inference line (----) and a conclusion",
                self.pcs.line,
                1,
            )


def _assign_premises(pcs: Reconstruction) -> None:
    """Premises of each inference: its `uses`, or every statement since the one before."""
    numbers = {s.number: s for s in pcs.statements}
    previous_end = 0
    for inference in pcs.inferences:
        assert inference.conclusion is not None
        end = pcs.statements.index(inference.conclusion)
        if inference.uses is not None:
            for used in inference.uses:
                if used not in numbers or pcs.statements.index(numbers[used]) >= end:
                    raise error_at(
                        f"the inference uses ({used}), which is not a statement above it",
                        inference.line,
                        inference.column,
                    )
            inference.premises = [numbers[used] for used in inference.uses]
        else:
            inference.premises = pcs.statements[previous_end:end]
        if not inference.premises:
            raise error_at(
                "an inference needs at least one premise", inference.line, inference.column
            )
        previous_end = end


def _starts_element(body: str) -> bool:
    """Whether a line starts something of its own (a definition, relation, list item, number,
    inference or heading) rather than continuing the text above."""
    if relation_sign(body) or list_marker(body) is not None or NUMBER.match(body):
        return True
    if body.startswith("--") or HEADING.match(body):
        return True
    for opener, closer, _kind in _HEADS:
        if body.startswith(opener) and 0 < body.find(closer + ":") == body.find(closer):
            return True
    return False


@dataclass
class _Siblings:
    """One list of relation lines in a tree: its indentation, the element its lines belong to
    (None for the top list, which holds only the root) and the last element written in it."""

    level: int
    owner: Ref | None
    last: Ref | None


class _Pending:
    """An element whose text may continue on the next lines."""

    def __init__(
        self, parser: Parser, ref: Ref, raw: str | None, rest: str, *, untitled: bool
    ) -> None:
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
                raise error_at(
                    "put a blank line before a new statement or argument", line.number, line.column
                )
        self.size += len(body) + 1
        if self.size > self.parser.max_raw:
            raise error_at(
                f"the text of {self.ref.shown()} is longer than {self.parser.max_raw} characters",
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
