"""An argmap map written as Argdown text, with a report of what Argdown cannot hold.

- Front matter with the map's title and description, as YAML double-quoted scalars that cannot
  end the front matter early (no `===`).
- Every claim once, as a top-level definition `[name]: text #tags {data}` under its group's
  heading, with its plain supports and objections as references below it (`+ [name]`,
  `- [name]`). Two plain claims that object to each other are written as one contradiction `><`.
- A claim's name is its title (`[Fees]: Entry fees pay for conservation.`), made unique and
  written without the characters an Argdown title cannot hold; a claim without a title is named
  by its id. The front matter key `argmap` lists the names that are ids, not titles, and the
  claims whose id is not their name made into an id (`argmap: {"untitled": ["c4"], "ids":
  {"Fees": "c7"}}`), so that the import gives back titles and ids as they were.
- A relation that plain tree syntax cannot hold (linked premises, a note, tags or an author, a
  relation aimed at it, a relation aimed at a relation) becomes an argument `<relation-id>` with a
  premise-conclusion structure. Objections and relations aimed at relations have no conclusion
  of their own in argmap; the argument gets an *implied conclusion* marked
  `{"argmap": "implied"}` and states its relation on the argument (`-> [T]`, `_> <R>`), which
  is also what Argdown's own tools draw. Plain relations aimed at it are written below it.

Claim text is escaped so that Argdown reads it back as the same text: markup characters,
comment openers and the `.name.`/`:name:` shortcodes Argdown would turn into symbols. `{data}`
is written as JSON (valid YAML) with braces inside strings escaped, so that Argdown's lexer
keeps the block whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

from maps.formats.argdown.document import (
    CLAIM_DATA_FIELDS,
    FORMAT,
    IMPLIED_KEY,
    IMPLIED_VALUE,
    ExportNames,
)
from maps.formats.common import count_content, drop_timestamps, slug
from models import Claim, MapContent, Relation, RelationKind
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
    targeted = {r.target_relation for r in content.relations if r.target_relation is not None}
    as_argument = {r.id for r in content.relations if _needs_argument(r, targeted)}
    names, export_names = statement_names(content, report)
    lines = _front_matter(content, export_names)
    lines += _claim_sections(content, _plain_relations(content, as_argument, names), names, report)
    undercuts: dict[str, list[Relation]] = {}
    for relation in content.relations:
        if relation.target_relation is not None and relation.id not in as_argument:
            undercuts.setdefault(relation.target_relation, []).append(relation)
    for relation in content.relations:
        if relation.id in as_argument:
            lines += _argument(relation, undercuts.get(relation.id, []), names, report)
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


def title_name(title: str) -> str:
    """A claim title as an Argdown statement title: no brackets, braces or backslashes (Argdown
    has no escapes in titles), no comment openers, not starting with `-` (`[-` is no reference)."""
    name = _NOT_IN_TITLES.sub(" ", title)
    name = re.sub(r"/(?=[/*])", "/ ", name)
    return " ".join(name.split()).lstrip("- ")


def statement_names(
    content: MapContent, report: ConversionReport
) -> tuple[dict[str, str], ExportNames]:
    """Claim id -> the statement name the export writes, and what the front matter says of them.

    Claims without a title are named by their id (ids never hold brackets); titled claims by
    their title, with ` (2)`, ` (3)` added where a name is taken already or is one Argdown
    gives untitled statements (`Untitled 1`)."""
    names = {c.id: c.id for c in content.claims if c.title is None}
    export = ExportNames(untitled=set(names))
    taken = set(names)
    for claim in content.claims:
        if claim.title is None:
            continue
        wanted = title_name(claim.title) or claim.id
        name, n = wanted, 2
        while name in taken or _ARGDOWN_UNTITLED.fullmatch(name):
            name, n = f"{wanted} ({n})", n + 1
        if name != claim.title:
            why = (
                "another claim has that name" if name != wanted else "Argdown titles cannot hold it"
            )
            report.drop("title", f"written as [{name}]: {why}", element=claim.id)
        taken.add(name)
        names[claim.id] = name
        if slug(name) != claim.id:
            export.ids[name] = claim.id
    return names, export


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
    return [*lines, "===", ""]


def _plain_relations(
    content: MapContent, as_argument: set[str], names: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """The relations tree syntax holds, as (sign, premise) under their target claim's id.

    Mutual objections become one `><`.
    """
    under: dict[str, list[tuple[str, str]]] = {}
    plain = [r for r in content.relations if r.id not in as_argument]
    objections = {
        (r.premises[0], r.target_claim) for r in plain if r.kind is RelationKind.OBJECTION
    }
    written_contradictions: set[frozenset[str]] = set()
    for relation in plain:
        premise = relation.premises[0]
        target = str(relation.target_claim)
        if relation.kind is RelationKind.OBJECTION and (target, premise) in objections:
            pair = frozenset((premise, target))
            if pair in written_contradictions:
                continue
            written_contradictions.add(pair)
            under.setdefault(target, []).append(("><", names[premise]))
            continue
        sign = "+" if relation.kind is RelationKind.SUPPORT else "-"
        under.setdefault(target, []).append((sign, names[premise]))
    return under


def _claim_sections(
    content: MapContent,
    under: dict[str, list[tuple[str, str]]],
    names: dict[str, str],
    report: ConversionReport,
) -> list[str]:
    """Every claim under its group's heading (claims without a group first)."""
    lines: list[str] = []
    groups: dict[str | None, list[Claim]] = {}
    for claim in content.claims:
        groups.setdefault(claim.group, []).append(claim)
    for group, claims in sorted(groups.items(), key=lambda item: item[0] is not None):
        if group is not None:
            lines += [f"# {escape_text(group)}", ""]
        for claim in claims:
            lines.append(_claim_line(claim, names[claim.id], report))
            for sign, premise in under.get(claim.id, []):
                lines.append(f"  {sign} [{premise}]")
            lines.append("")
    return lines


def _claim_line(claim: Claim, name: str, report: ConversionReport) -> str:
    parts = [f"[{name}]: {escape_text(claim.text)}"]
    if "\n" in claim.text:
        report.drop(
            "line breaks",
            "Argdown statement text is one paragraph; line breaks became spaces",
            element=claim.id,
        )
    parts += _tags(claim.tags, claim.id, report)
    data = _claim_data(claim, report)
    if data:
        parts.append(_data(data))
    return " ".join(parts)


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


def _argument(
    relation: Relation, undercuts: list[Relation], names: dict[str, str], report: ConversionReport
) -> list[str]:
    """A relation as an argument `<id>` with a premise-conclusion structure."""
    lines = [_argument_head(relation, report)]
    implied = True
    if relation.target_relation is not None:
        sign = "+>" if relation.kind is RelationKind.SUPPORT else "_>"
        lines.append(f"  {sign} <{relation.target_relation}>")
    elif relation.kind is RelationKind.OBJECTION:
        lines.append(f"  -> [{names[str(relation.target_claim)]}]")
    else:
        implied = False
    for undercut in undercuts:
        sign = "+" if undercut.kind is RelationKind.SUPPORT else "_"
        lines.append(f"  {sign} [{names[undercut.premises[0]]}]")
    lines.append("")
    for number, premise in enumerate(relation.premises, start=1):
        lines.append(f"({number}) [{names[premise]}]")
    lines.append("----")
    conclusion = len(relation.premises) + 1
    if implied:
        lines.append(f"({conclusion}) Implied conclusion. " + _data({IMPLIED_KEY: IMPLIED_VALUE}))
    else:
        lines.append(f"({conclusion}) [{names[str(relation.target_claim)]}]")
    lines.append("")
    return lines


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
