"""An argmap map written as Argdown text, with a report of what Argdown cannot hold.

- Front matter with the map's title and description, as YAML double-quoted scalars that cannot
  end the front matter early (no `===`).
- Claims under their group's heading, each written in full once (`text #tags {data}`), with
  their plain supports and objections as a tree below them (`+ ...`, `- ...`). Two claims that
  object to each other are written as one contradiction `><`.
- A claim with a title is a definition `[title]: text`, the title made unique and written without
  the characters an Argdown title cannot hold. A claim without a title that appears in one place
  only is written there as plain text, as Argdown writes untitled statements: nested under the
  claim it supports or objects to (`  + Fees pay for conservation.`), as a premise of an
  argument (`(1) Fees pay for conservation.`), or as a thesis on its own line. One that must be
  referenced from several places (a premise of several relations, the target of an argument, one
  side of a contradiction) is given a name from its first words (`[Fees pay for
  conservation]`), unique in the map.
- The front matter key `argmap` says which names are not titles and which ids the claims have
  (`argmap: {"untitled": ["Fees pay for conservation"], "ids": {"Fees pay for conservation":
  "c7", "Untitled 2": "c9", "Ban cars": "c1"}}`; `Untitled n` is the name Argdown gives the n-th
  untitled statement), so that the import gives back titles and ids exactly as they were.
- A relation that plain tree syntax cannot hold (linked premises, a note, tags or an author, a
  relation aimed at it, a relation aimed at a relation) becomes an argument `<relation-id>` with a
  premise-conclusion structure. Objections and relations aimed at relations have no conclusion
  of their own in argmap; the argument gets an *implied conclusion* marked
  `{"argmap": "implied"}` and states its relation on the argument (`-> [T]`, `_> <R>`), which
  is also what Argdown's own tools draw. Plain relations aimed at it are written below it.

Claim text is escaped so that Argdown reads it back as the same text: markup characters,
comment openers and the `.name.`/`:name:` shortcodes Argdown would turn into symbols, and the
first character of plain text when it is not a letter (so that `(1) ...`, `1. ...` or `- ...`
stay text). `{data}` is written as JSON (valid YAML) with braces inside strings escaped, so that
Argdown's lexer keeps the block whole.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

from maps.formats.argdown.document import (
    CLAIM_DATA_FIELDS,
    FORMAT,
    IMPLIED_KEY,
    IMPLIED_VALUE,
    RULE_KEY,
    ExportNames,
)
from maps.formats.common import count_content, drop_timestamps, slug
from models import Claim, DecisionRule, MapContent, Relation, RelationKind
from models.report import ConversionReport

_TAG_WORD_EXPORT = re.compile(r"[A-Za-z0-9\-\u00C0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+")

# Argdown replaces these `.name.` / `:name:` shortcodes with symbols; the export escapes them.
_SHORTCODES = frozenset(
    ["A", "E", "O", "P", "->", "<->", "~", "^", "v", "v_", "<>", "[]", "happy", "smile", "smiley", "laugh", "lol", "rofl", "joy", "heart", "sad", "cry", "angry", "thumbsup", "thumbsdown", "ok", "wink", "kiss", "star", "check", "cross", "x", "y", "n", "question", "exclamation", "warning", "+", "-", "=", "!=", "<", ">", "<=", ">=", "*", "/", "neg", "and", "or", "not", "all", "exists", "forall", "implies", "iff", "box", "diamond"]
)  # fmt: skip
_SPECIAL = re.compile(r"(?:\.[^\s.]+?\.)|(?::[^\s:]+?:)")


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """Write a map as Argdown; the report lists what Argdown cannot hold."""
    report = ConversionReport(format=FORMAT, direction="export")
    writer = _Writer(content, report)
    lines = writer.write()
    drop_timestamps(report, content, "Argdown has no timestamps")
    count_content(report, content)
    return "\n".join(lines).rstrip("\n") + "\n", report


# ---------------------------------------------------------------------------- text


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


# The names Argdown gives untitled statements (the export's implied conclusions are some).
_ARGDOWN_UNTITLED = re.compile(r"Untitled \d+")
_NOT_IN_TITLES = re.compile(r"[\[\]{}<>\\]")
# A name made from a claim's text: its first words.
_DERIVED_WORDS = 5
_DERIVED_MAX = 40
# Plain-text statements nest at most this deep under one another; deeper ones get a name.
_NEST_MAX = 20


def title_name(title: str) -> str:
    """A claim title as an Argdown statement title: no brackets, braces or backslashes (Argdown
    has no escapes in titles), no comment openers, not starting with `-` (`[-` is no reference)."""
    name = _NOT_IN_TITLES.sub(" ", title)
    name = re.sub(r"/(?=[/*])", "/ ", name)
    return " ".join(name.split()).lstrip("- ")


def statement_names(
    content: MapContent, report: ConversionReport
) -> tuple[dict[str, str], ExportNames]:
    """Claim id -> the name Argdown gives the statement the export writes (its title, the name
    made from its first words, or `Untitled n` for plain text), and what the front matter says
    of them."""
    writer = _Writer(content, report)
    writer.write()
    return writer.shown, writer.export


def _named(
    content: MapContent, plain: set[str], report: ConversionReport
) -> tuple[dict[str, str], ExportNames]:
    """Claim id -> the `[name]` the export writes, for every claim not in `plain`.

    Titled claims are named by their title, with ` (2)`, ` (3)` added where a name is taken
    already or is one Argdown gives untitled statements (`Untitled 1`); then claims without a
    title by their first words, made unique the same way."""
    names: dict[str, str] = {}
    export = ExportNames()
    taken: set[str] = set()

    def unique(wanted: str) -> str:
        name, n = wanted, 2
        while name in taken or _ARGDOWN_UNTITLED.fullmatch(name):
            name, n = f"{wanted} ({n})", n + 1
        taken.add(name)
        return name

    for claim in content.claims:
        if claim.title is None or claim.id in plain:
            continue
        wanted = title_name(claim.title) or claim.id
        name = unique(wanted)
        if name != claim.title:
            why = (
                "another claim has that name" if name != wanted else "Argdown titles cannot hold it"
            )
            report.drop("title", f"written as [{name}]: {why}", element=claim.id)
        names[claim.id] = name
        if slug(name) != claim.id:
            export.ids[name] = claim.id
    for claim in content.claims:
        if claim.title is not None or claim.id in plain:
            continue
        name = unique(derived_name(claim.text))
        names[claim.id] = name
        export.untitled.add(name)
        if slug(name) != claim.id:
            export.ids[name] = claim.id
    return names, export


def derived_name(text: str) -> str:
    """A statement name from a claim's first words: at most five, at most 40 characters."""
    words = title_name(text).split()
    name = ""
    for word in words[:_DERIVED_WORDS]:
        longer = f"{name} {word}".strip()
        if len(longer) > _DERIVED_MAX:
            break
        name = longer
    name = name or " ".join(words)[:_DERIVED_MAX].strip()
    return name.rstrip(" ,;:.") or "Statement"


def _tag(tag: str) -> str | None:
    """A tag as Argdown writes it (`#word`, `#(two words)`); None if it cannot be one."""
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


# ---------------------------------------------------------------------------- claims


def _front_matter(content: MapContent, names: ExportNames) -> list[str]:
    lines = ["===", f"title: {_front_value(content.title)}"]
    if content.description:
        lines.append(f"description: {_front_value(content.description)}")
    if names.front():
        # JSON is YAML; `=` only appears inside its strings, where \u003d stands for it.
        value = json.dumps(names.front(), ensure_ascii=False).replace("=", "\\u003d")
        lines.append(f"{IMPLIED_KEY}: {value}")
    if content.rule != DecisionRule():
        rule = json.dumps(content.rule.model_dump(mode="json"))
        lines.append(f"{RULE_KEY}: {rule}")
    return [*lines, "===", ""]


# Where a claim is written besides its own line: under a claim, in an argument, under one.
_Place = Literal["under", "premise", "undercut"]


@dataclass
class _Layout:
    """How the export writes a map: the relations tree syntax holds (`under` their target), the
    plain undercuts of each argument, the relations written as arguments, and the claims
    without a title written as plain text in their one place (`plain`; `nested` those of them
    inside a tree or an argument rather than on a line of their own); the rest by name."""

    under: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    undercuts: dict[str, list[Relation]] = field(default_factory=dict)
    as_argument: set[str] = field(default_factory=set)
    plain: set[str] = field(default_factory=set)
    nested: set[str] = field(default_factory=set)  # plain claims written inside a tree


def _plain_relations(
    content: MapContent, as_argument: set[str]
) -> dict[str, list[tuple[str, str]]]:
    """The relations tree syntax holds, as (sign, premise id) under their target claim's id.

    Mutual objections become one `><`.
    """
    under: dict[str, list[tuple[str, str]]] = {}
    plain = [r for r in content.relations if r.id not in as_argument]
    objections = {
        (r.premises[0], r.target_claim) for r in plain if r.kind is RelationKind.OBJECTION
    }
    written_contradictions: set[frozenset[str]] = set()
    for relation in plain:
        if relation.target_claim is None:
            continue
        premise = relation.premises[0]
        target = relation.target_claim
        if relation.kind is RelationKind.OBJECTION and (target, premise) in objections:
            pair = frozenset((premise, target))
            if pair in written_contradictions:
                continue
            written_contradictions.add(pair)
            under.setdefault(target, []).append(("><", premise))
            continue
        sign = "+" if relation.kind is RelationKind.SUPPORT else "-"
        under.setdefault(target, []).append((sign, premise))
    return under


def _sections(content: MapContent) -> list[tuple[str | None, list[Claim]]]:
    """The claims by group, in the order written: claims without a group first."""
    groups: dict[str | None, list[Claim]] = {}
    for claim in content.claims:
        groups.setdefault(claim.group, []).append(claim)
    return sorted(groups.items(), key=lambda item: item[0] is not None)


def _layout(content: MapContent) -> _Layout:
    """Which claims without a title can be written as plain text, each in its one place."""
    targeted = {r.target_relation for r in content.relations if r.target_relation is not None}
    layout = _Layout(as_argument={r.id for r in content.relations if _needs_argument(r, targeted)})
    layout.under = _plain_relations(content, layout.as_argument)
    for relation in content.relations:
        if relation.target_relation is not None and relation.id not in layout.as_argument:
            layout.undercuts.setdefault(relation.target_relation, []).append(relation)
    # Every place a claim is written besides its own line: (place, the claim or relation there).
    places: dict[str, list[tuple[_Place, str]]] = {}
    referenced: set[str] = set()  # written by name wherever it appears
    for target, entries in layout.under.items():
        for sign, premise in entries:
            if sign == "><":
                referenced |= {premise, target}
            places.setdefault(premise, []).append(("under", target))
    for relation in content.relations:
        if relation.id in layout.as_argument:
            for premise in relation.premises:
                places.setdefault(premise, []).append(("premise", relation.id))
            if relation.target_claim is not None:
                referenced.add(relation.target_claim)
    for aimed, undercuts in layout.undercuts.items():
        for undercut in undercuts:
            places.setdefault(undercut.premises[0], []).append(("undercut", aimed))
    sections = _sections(content)
    trailing = sections[-1][0] if sections else None  # the heading above the arguments
    candidates: dict[str, str] = {}  # claim id -> the claim it is nested under
    for claim in content.claims:
        at = places.get(claim.id, [])
        if claim.title is not None or claim.id in referenced or len(at) > 1:
            continue
        if not at:
            layout.plain.add(claim.id)  # a thesis on its own line
        elif at[0][0] == "under":
            candidates[claim.id] = at[0][1]
        elif claim.group == trailing and claim.id not in layout.under:
            layout.plain.add(claim.id)  # in an argument, with nothing nested under it
            layout.nested.add(claim.id)
    _nest(content, layout, candidates)
    return layout


def _nest(content: MapContent, layout: _Layout, candidates: dict[str, str]) -> None:
    """Nest each candidate under the claim it aims at when it falls in the same group and not
    too deep; the others (and one of each circle of candidates) stand on their own line, named."""
    claims = {claim.id: claim for claim in content.claims}
    pending = dict(candidates)
    children: dict[str, list[str]] = {}
    for claim_id, target in candidates.items():
        children.setdefault(target, []).append(claim_id)
    queue: deque[tuple[str, str | None, int]] = deque(
        (claim.id, claim.group, 0) for claim in content.claims if claim.id not in candidates
    )
    while pending or queue:
        if not queue:  # what is left aims round in a circle: one of it stands on its own
            first = next(iter(pending))
            del pending[first]
            queue.append((first, claims[first].group, 0))
        claim_id, group, depth = queue.popleft()
        for child in children.get(claim_id, []):
            if child not in pending:
                continue
            del pending[child]
            if claims[child].group == group and depth < _NEST_MAX:
                layout.plain.add(child)
                layout.nested.add(child)
                queue.append((child, group, depth + 1))
            else:
                queue.append((child, claims[child].group, 0))


class _Writer:
    """Writes the lines of one map, counting the untitled statements as Argdown numbers them."""

    def __init__(self, content: MapContent, report: ConversionReport) -> None:
        self.content = content
        self.report = report
        self.layout = _layout(content)
        self.names, self.export = _named(content, self.layout.plain, report)
        self.shown = dict(self.names)  # claim id -> the name Argdown gives its statement
        self.claims = {claim.id: claim for claim in content.claims}
        self.untitled = 0

    def write(self) -> list[str]:
        body: list[str] = []
        for group, claims in _sections(self.content):
            if group is not None:
                body += [f"# {escape_text(group)}", ""]
            for claim in claims:
                if claim.id in self.layout.nested:
                    continue
                body.append(self.statement(claim.id))
                self.tree(claim.id, 1, body)
                body.append("")
        for relation in self.content.relations:
            if relation.id in self.layout.as_argument:
                body += self.argument(relation)
        return _front_matter(self.content, self.export) + body

    def ref(self, claim_id: str) -> str:
        """A claim where it appears: plain text (its one place), else `[name]`."""
        if claim_id in self.layout.plain:
            return self.statement(claim_id)
        return f"[{self.names[claim_id]}]"

    def statement(self, claim_id: str) -> str:
        """The claim in full: `[name]: text #tags {data}`, or plain `text #tags {data}` (one
        more untitled statement, whose Argdown name the front matter maps to the claim's id)."""
        claim = self.claims[claim_id]
        parts = [escape_text(claim.text)]
        if claim_id in self.layout.plain:
            parts[0] = _plain_start(claim.text, parts[0])
            self.untitled += 1
            name = f"Untitled {self.untitled}"
            self.shown[claim_id] = name
            self.export.ids[name] = claim_id
        else:
            parts[0] = f"[{self.names[claim_id]}]: {parts[0]}"
        if "\n" in claim.text:
            self.report.drop(
                "line breaks",
                "Argdown statement text is one paragraph; line breaks became spaces",
                element=claim.id,
            )
        parts += _tags(claim.tags, claim.id, self.report)
        data = _claim_data(claim, self.report)
        if data:
            parts.append(_data(data))
        return " ".join(parts)

    def tree(self, target: str, depth: int, lines: list[str]) -> None:
        """The plain supports and objections of `target`, each plain premise with its own."""
        for sign, premise in self.layout.under.get(target, []):
            lines.append(f"{'  ' * depth}{sign} {self.ref(premise)}")
            if premise in self.layout.nested:
                self.tree(premise, depth + 1, lines)

    def argument(self, relation: Relation) -> list[str]:
        """A relation as an argument `<id>` with a premise-conclusion structure."""
        lines = [_argument_head(relation, self.report)]
        implied = True
        if relation.target_relation is not None:
            sign = "+>" if relation.kind is RelationKind.SUPPORT else "_>"
            lines.append(f"  {sign} <{relation.target_relation}>")
        elif relation.kind is RelationKind.OBJECTION:
            lines.append(f"  -> [{self.names[str(relation.target_claim)]}]")
        else:
            implied = False
        for undercut in self.layout.undercuts.get(relation.id, []):
            sign = "+" if undercut.kind is RelationKind.SUPPORT else "_"
            lines.append(f"  {sign} {self.ref(undercut.premises[0])}")
        lines.append("")
        for number, premise in enumerate(relation.premises, start=1):
            lines.append(f"({number}) {self.ref(premise)}")
        lines.append("----")
        conclusion = len(relation.premises) + 1
        if implied:
            self.untitled += 1  # Argdown numbers the implied conclusion too
            implied_data = _data({IMPLIED_KEY: IMPLIED_VALUE})
            lines.append(f"({conclusion}) Implied conclusion. {implied_data}")
        else:
            lines.append(f"({conclusion}) [{self.names[str(relation.target_claim)]}]")
        lines.append("")
        return lines


def _plain_start(text: str, escaped: str) -> str:
    """Plain statement text whose first character cannot start anything else: a number, a
    list item, a relation sign, an inference line (escaped when it is not a letter)."""
    if escaped.startswith("\\") or text[:1].isalpha():
        return escaped
    return "\\" + escaped


def _tags(tags: list[str], element: str, report: ConversionReport) -> list[str]:
    """The tags as Argdown writes them; those it cannot hold are reported."""
    written = []
    for tag in tags:
        shown = _tag(tag)
        if shown is None:
            report.drop(
                "tags", f"the tag {tag!r} holds ')' and cannot be an Argdown tag", element=element
            )
        else:
            written.append(shown)
    return written


def _claim_data(claim: Claim, report: ConversionReport) -> dict[str, Any]:
    """The claim's fields Argdown has no syntax for, and its own data, as one `{data}`."""
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
            report.drop(
                f"data '{key}'",
                "the key clashes with a claim field in Argdown data",
                element=claim.id,
            )
            continue
        if key in CLAIM_DATA_FIELDS:
            report.drop(f"data '{key}'", f"reads back as the claim's {key}", element=claim.id)
        data[key] = value
    return data


# ---------------------------------------------------------------------------- arguments


def _needs_argument(relation: Relation, targeted: set[str]) -> bool:
    return (
        len(relation.premises) > 1
        or relation.id in targeted
        or bool(relation.note)
        or bool(relation.author)
        or bool(relation.tags)
    )


def _argument_head(relation: Relation, report: ConversionReport) -> str:
    """`<id>: note #tags {"author": ...}`."""
    parts = [escape_text(relation.note)] if relation.note else []
    if relation.note and "\n" in relation.note:
        report.drop(
            "line breaks",
            "Argdown argument text is one paragraph; line breaks became spaces",
            element=relation.id,
        )
    parts += _tags(relation.tags, relation.id, report)
    if relation.author:
        parts.append(_data({"author": relation.author}))
    return f"<{relation.id}>: " + " ".join(parts) if parts else f"<{relation.id}>"
