"""Kialo's text export: import and export.

```
Discussion Title: Should museums be free to enter?

1. Museums should be free to enter.
1.1. Pro: More people from poorer areas visit.
1.1.1. Con: Visitor surveys show the same groups keep coming.
1.2. Con: Entry fees pay for conservation
of the collections.
1.2.1. Pro: -> See 1.1.1.
```

Each numbered line is a claim (its id is its path, e.g. `1.2`); `Pro:` supports the parent,
`Con:` objects to it (relation id `r<path>`). Text runs on until the next numbered line. A
numbered line may be indented (`  1.1. Pro: ...`): it is a claim all the same.

Kialo's newer layout is read too: `Discussion Name:` with the title on the next line, the
label (`1. Thesis:`, `1.1. Pro:`) with the text on the lines below it, indentation by depth,
and `[n]` footnote markers in the text that point into a `Sources:` section at the end:

```
Discussion Name:
Should museums be free to enter?

1. Thesis:
   Museums should be free to enter.
    1.1. Pro:
         More people from poorer areas visit. [1]

Sources:
[1] Visitor figures 2002, https://example.org/visits
```

The sources become the claims' sources (a URL in the entry is the source's `url`, the entry the
citation) and the markers leave the text.
`-> See 1.1.1.` reuses the claim at that path. Several top-level numbers are several theses; a
child without `Pro:` or `Con:` (a multi-thesis discussion's theses under its question) is kept
as a thesis with no relation, and the report says so. Escapes (`\\(`, `\\)` and other markdown
punctuation) are undone.

The export writes the map as that tree (see `maps.formats.outline`). Kialo has no linked
premises, undercuts, claim titles, tags, sources, notes, groups, starting points, weights or
rule of decision: linked premises are written as separate Pro/Con lines, undercuts as a Pro/Con
under the premise of the relation they aim at, and the report lists each of these and every
field left out, naming the claims by their words.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from maps.formats.common import (
    Deadline,
    ImportLimits,
    check_size,
    claim_has,
    count_content,
    drop_rule,
    drop_timestamps,
    relation_has,
)
from maps.formats.outline import build_outline
from maps.quote import cut, quote
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
from models.text import CITATION_MAX

FORMAT = "kialo"
TITLE_PREFIX = "Discussion Title:"
NAME_PREFIX = "Discussion Name:"  # the newer layout: the title follows on the next line
SOURCES_HEADER = "Sources:"
DEFAULT_TITLE = "Imported Kialo discussion"

_ENTRY = re.compile(r"(\d{1,6}(?:\.\d{1,6})*)\.[ \t]+(.*)")
_STANCE = re.compile(r"(Pro|Con|Thesis):[ \t]*(.*)", re.IGNORECASE)
_FOOTNOTE = re.compile(r"[ \t]*\[(\d{1,4})\]")
_SOURCE = re.compile(r"\[(\d{1,4})\][ \t]+(.+)")
_URL = re.compile(r"https?://\S+")
_LINK = re.compile(r"->[ \t]*See[ \t]+(\d{1,6}(?:\.\d{1,6})*)\.?[ \t]*")
_ESCAPABLE = set("\\`*_{}[]()#+-.!>:|~<")


def unescape(text: str) -> str:
    out: list[str] = []
    index = 0
    n = len(text)
    while index < n:
        ch = text[index]
        if ch == "\\" and index + 1 < n and text[index + 1] in _ESCAPABLE:
            out.append(text[index + 1])
            index += 2
            continue
        out.append(ch)
        index += 1
    return "".join(out)


def escape(text: str) -> str:
    """Claim text as Kialo writes it; lines that would read as structure are escaped."""
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _ENTRY.match(line):
            digits = re.match(r"[\d.]*?\d", line)
            assert digits is not None
            cut = digits.end()
            lines[index] = line[:cut] + "\\" + line[cut:]
        if index == 0 and (line.startswith("->") or _STANCE.match(line)):
            lines[index] = "\\" + line if line.startswith("->") else line.replace(":", "\\:", 1)
        if line.startswith(TITLE_PREFIX):
            lines[index] = line.replace(":", "\\:", 1)
    return "\n".join(lines)


class _Entry:
    """One numbered line, and the lines its text runs on over."""

    __slots__ = ("line", "link", "parts", "path", "stance")

    def __init__(
        self, path: str, stance: str | None, line: int, text: str, link: str | None
    ) -> None:
        self.path = path
        self.stance = stance
        self.line = line
        self.parts = [text]
        self.link = link


def loads(
    text: str, *, limits: ImportLimits | None = None, title: str | None = None
) -> tuple[MapContent, ConversionReport]:
    """Read a Kialo text export."""
    limits = limits or ImportLimits()
    check_size(text, limits)
    deadline = Deadline(limits.timeout_seconds)
    report = ConversionReport(format=FORMAT, direction="import")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    discussion, start = _discussion_title(lines, title)
    end, sources = _sources(lines, start)
    entries = _entries(lines[:end], start, limits=limits, deadline=deadline)
    claims = _claims(entries, limits, sources, report)
    relations = _relations(entries, limits, report)
    name = " ".join((discussion or DEFAULT_TITLE).split())
    description = ""
    if len(name) > 200:
        description, name = name, name[:199] + "…"
    content = MapContent(
        title=name or DEFAULT_TITLE, description=description, claims=claims, relations=relations
    )
    try:
        validate_content(content)
    except ArgmapError as error:
        raise InvalidInputError(
            f"the map read from Kialo is not valid: {error}", loc=error.loc
        ) from None
    count_content(report, content)
    return content, report


def _discussion_title(lines: list[str], title: str | None) -> tuple[str | None, int]:
    """The map's title (`title` if given, else the discussion's) and the first line after it."""
    start = _next_text(lines, 0)
    first = lines[start].strip() if start < len(lines) else ""
    if first.startswith(TITLE_PREFIX):
        name = first[len(TITLE_PREFIX) :].strip()
    elif first.startswith(NAME_PREFIX):
        name = first[len(NAME_PREFIX) :].strip()
        if not name:
            start = _next_text(lines, start + 1)
            name = lines[start].strip() if start < len(lines) else ""
    elif first and not _ENTRY.match(first):
        raise InvalidInputError(
            f"the file starts with {first[:40]!r}, which is not a Kialo export header: "
            f"expected '{TITLE_PREFIX} ...', '{NAME_PREFIX}' or a numbered claim such as "
            "'1. The thesis'",
            loc=("line", start + 1),
        )
    else:
        return title, start
    return title or unescape(name) or None, start + 1


def _next_text(lines: list[str], index: int) -> int:
    """The first line from `index` on that is not blank."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index


def _sources(lines: list[str], start: int) -> tuple[int, dict[str, str]]:
    """Where the claims end (a `Sources:` line of its own, or the end), and the footnotes
    listed after it by number."""
    end = next(
        (i for i in range(start, len(lines)) if lines[i].rstrip() == SOURCES_HEADER), len(lines)
    )
    sources: dict[str, str] = {}
    for index in range(end + 1, len(lines)):
        line = lines[index].strip()
        match = _SOURCE.fullmatch(line)
        if match:
            sources[match.group(1)] = match.group(2).strip()
        elif line:
            raise InvalidInputError(
                "expected a source such as '[1] A report, https://example.org' below Sources:",
                loc=("line", index + 1),
            )
    return end, sources


def _entries(
    lines: list[str], start: int, *, limits: ImportLimits, deadline: Deadline
) -> dict[str, _Entry]:
    """The numbered entries by path, in the order of the file, each with its text."""
    entries: dict[str, _Entry] = {}
    current: _Entry | None = None
    for index in range(start, len(lines)):
        number = index + 1
        if (index - start) % 4096 == 0:
            deadline.check(("line", number))
        line = lines[index].rstrip()
        match = _ENTRY.match(line.lstrip())
        entry = _new_entry(match, entries, number=number, limits=limits) if match else None
        if entry is not None:
            current = entries[entry.path] = entry
        elif current is None:
            if line.strip():
                raise InvalidInputError(
                    "expected a numbered claim such as '1. The thesis'",
                    loc=("line", number),
                )
        else:
            _continue_text(current, line, number=number, limits=limits)
    if not entries:
        raise InvalidInputError(
            "no numbered claims found; a Kialo export starts with 'Discussion Title:' and then "
            "lines such as '1. The thesis'",
            loc=("line", 1),
        )
    return entries


def _new_entry(
    match: re.Match[str], entries: dict[str, _Entry], *, number: int, limits: ImportLimits
) -> _Entry | None:
    """The entry a numbered line starts; None if the line is wrapped text that starts with a number."""
    path = match.group(1)
    parent = path.rpartition(".")[0]
    if parent and parent not in entries and _STANCE.match(match.group(2).strip()):
        # "1.5.7. Pro: ..." is a claim, not wrapped text: its parent must come first.
        raise InvalidInputError(
            f"claim {path} comes before its parent {parent} (a gap in the numbering?)",
            loc=("line", number),
        )
    if path in entries and _STANCE.match(match.group(2).strip()):
        raise InvalidInputError(f"claim {path} is numbered twice", loc=("line", number))
    if path in entries or (parent and parent not in entries):
        return None
    if path.count(".") + 1 > limits.max_depth:
        raise InvalidInputError(
            f"claims nested more than {limits.max_depth} levels deep",
            loc=("line", number),
        )
    if len(entries) >= limits.max_claims * 2:
        raise LimitExceededError(
            f"more entries than a map may hold ({limits.max_claims} claims)",
            loc=("line", number),
        )
    rest = match.group(2).strip()
    stance = None
    stance_match = _STANCE.match(rest)
    if stance_match and (parent or stance_match.group(1).lower() == "thesis"):
        label = stance_match.group(1).capitalize()
        stance = None if label == "Thesis" else label
        rest = stance_match.group(2).strip()
    link_match = _LINK.fullmatch(rest)
    return _Entry(path, stance, number, rest, link_match.group(1) if link_match else None)


def _continue_text(entry: _Entry, line: str, *, number: int, limits: ImportLimits) -> None:
    """A line that is not a new entry continues the text of the one above (the newer layout
    puts the whole text, or a link, below the label and indents it)."""
    line = line.strip()
    if not "".join(entry.parts).strip() and (link := _LINK.fullmatch(line)):
        entry.link = link.group(1)
        return
    if entry.link is not None:
        if line.strip():
            raise InvalidInputError("text after a '-> See' link", loc=("line", number))
        return
    entry.parts.append(line)
    if sum(len(p) for p in entry.parts) > limits.max_text * 10:
        raise InvalidInputError(
            f"the text of {entry.path} is longer than {limits.max_text} characters",
            loc=("line", number),
        )


def _claims(
    entries: dict[str, _Entry],
    limits: ImportLimits,
    sources: dict[str, str],
    report: ConversionReport,
) -> list[Claim]:
    """Every entry that is not a link, as a claim whose id is its path."""
    claims: list[Claim] = []
    for entry in entries.values():
        if entry.link is not None:
            continue
        body = unescape("\n".join(entry.parts).strip())
        body, cited = _footnotes(body, entry, sources, report)
        if not body:
            raise InvalidInputError(f"claim {entry.path} has no text", loc=("line", entry.line))
        try:
            claims.append(Claim(id=entry.path, text=body, sources=cited))
        except ValidationError as error:
            first = error.errors()[0]
            raise InvalidInputError(
                f"claim {entry.path}: {first['msg']}", loc=("line", entry.line)
            ) from None
    if len(claims) > limits.max_claims:
        raise LimitExceededError(
            f"{len(claims)} claims exceed the limit of {limits.max_claims} claims per map",
            loc=("claims",),
        )
    return claims


def _footnotes(
    body: str, entry: _Entry, sources: dict[str, str], report: ConversionReport
) -> tuple[str, list[Source]]:
    """The text without its `[n]` markers, and the sources they point at. A marker without a
    source stays in the text, and the report says so."""
    cited: list[Source] = []

    def cite(marker: re.Match[str]) -> str:
        number = marker.group(1)
        if number not in sources:
            report.drop(
                "footnote",
                f"[{number}] has no entry under Sources:; kept in the text",
                line=entry.line,
                element=entry.path,
            )
            return marker.group()
        cited.append(_source(sources[number]))
        return ""

    if not sources:
        return body, cited
    return _FOOTNOTE.sub(cite, body).strip(), cited


def _source(entry: str) -> Source:
    """A `Sources:` entry as a source: its text the citation, a URL in it the url."""
    url = _URL.search(entry)
    citation = entry if len(entry) <= CITATION_MAX else entry[: CITATION_MAX - 1] + "…"
    try:
        return Source(citation=citation, url=url.group().rstrip(".,;)") if url else None)
    except ValidationError:
        return Source(citation=citation)


def _relations(
    entries: dict[str, _Entry], limits: ImportLimits, report: ConversionReport
) -> list[Relation]:
    """`Pro:` supports and `Con:` objects to the parent entry (links read as what they reuse)."""
    relations: list[Relation] = []
    keys: set[object] = set()
    for entry in entries.values():
        parent = entry.path.rpartition(".")[0]
        if not parent:
            continue
        if entry.stance is None:
            report.drop(
                "relation",
                f"{entry.path} has no Pro or Con; kept as a thesis of its own",
                line=entry.line,
                element=entry.path,
            )
            continue
        premise = _resolve(entry, entries).path
        target = _resolve(entries[parent], entries).path
        if premise == target:
            report.drop(
                "relation",
                f"{entry.path} links to the claim it would argue for or against",
                line=entry.line,
                element=entry.path,
            )
            continue
        kind = RelationKind.SUPPORT if entry.stance == "Pro" else RelationKind.OBJECTION
        relation = Relation(id=f"r{entry.path}", kind=kind, premises=[premise], target_claim=target)
        key = relation_key(relation)
        if key in keys:
            continue
        keys.add(key)
        relations.append(relation)
    if len(relations) > limits.max_relations:
        raise LimitExceededError(
            f"{len(relations)} relations exceed the limit of {limits.max_relations} per map",
            loc=("relations",),
        )
    return relations


def _resolve(entry: _Entry, entries: dict[str, _Entry]) -> _Entry:
    """The claim an entry is: itself, or what its links lead to (a circle is an error)."""
    seen: set[str] = set()
    while entry.link is not None:
        if entry.path in seen:
            raise InvalidInputError(
                "the '-> See' links go round in a circle",
                loc=("line", entry.line),
            )
        seen.add(entry.path)
        target = entries.get(entry.link)
        if target is None:
            raise InvalidInputError(
                f"'-> See {entry.link}.' points at a claim that does not exist",
                loc=("line", entry.line),
            )
        entry = target
    return entry


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """Write a map as a Kialo text export."""
    report = ConversionReport(format=FORMAT, direction="export")
    outline = build_outline(content)
    lines = [f"{TITLE_PREFIX} {' '.join(content.title.split())}", ""]
    for entry in outline.walk():
        prefix = entry.number + "."
        if entry.relation is not None:
            stance = "Pro" if entry.relation.kind is RelationKind.SUPPORT else "Con"
            prefix += f" {stance}:"
        if entry.link is not None:
            lines.append(f"{prefix} -> See {'.'.join(map(str, entry.link))}.")
        else:
            lines.append(f"{prefix} {escape(entry.claim.text)}")
    _report_what_kialo_cannot_hold(report, content)
    drop_timestamps(report, content, "Kialo's text export has no timestamps")
    if content.description:
        report.drop("description", "Kialo's text export has only the discussion title")
    drop_rule(report, content, _NO_PLACE)
    report.drop(
        "ids",
        "Kialo numbers claims by their place in the tree; claim and relation ids are not kept",
    )
    count_content(report, content)
    report.carried["tags"] = 0
    report.carried["sources"] = 0
    report.carried["linked_premises"] = 0
    report.carried["undercuts"] = 0
    return "\n".join(lines) + "\n", report


# What a claim or relation field is called in the report's sentences.
_FIELD_WORDS = {
    "title": "title",
    "tags": "tags",
    "sources": "sources",
    "note": "note",
    "author": "author",
    "accepted": "mark as a starting point",
    "weight": "weight",
    "group": "group",
    "data": "extra data",
}
_CLAIM_FIELDS = (
    "title",
    "tags",
    "sources",
    "note",
    "author",
    "accepted",
    "weight",
    "group",
    "data",
)
_RELATION_FIELDS = ("note", "tags", "author")
_NO_PLACE = "Kialo's text export has no place for it"


def _by_text(claim: Claim) -> str:
    """A claim by its text (what Kialo keeps), not by its title (which it drops)."""
    return f"“{cut(claim.text)}”"


def _relation_words(
    relation: Relation, claims: dict[str, Claim], relations: dict[str, Relation], depth: int = 0
) -> str:
    """'the support from “A” + “B” to “T”', or '… to the inference from “P” to “T”'."""
    premises = " + ".join(quote(claims[p]) for p in relation.premises if p in claims) or "a claim"
    kind = "support" if relation.kind is RelationKind.SUPPORT else "objection"
    if relation.target_claim is not None:
        target = (
            quote(claims[relation.target_claim]) if relation.target_claim in claims else "a claim"
        )
    else:
        aimed = relations.get(relation.target_relation or "")
        inner = (
            _relation_words(aimed, claims, relations, depth + 1) if aimed and depth < 2 else None
        )
        # "the support from “A” to “T”" -> "the inference from “A” to “T”"
        target = f"the inference {inner.split(' ', 2)[2]}" if inner else "an inference"
    return f"the {kind} from {premises} to {target}"


def _report_what_kialo_cannot_hold(report: ConversionReport, content: MapContent) -> None:
    """One item per thing Kialo's text format cannot hold, naming the claims in words: linked
    premises, undercuts (and supports of a relation), claim titles, tags, sources, notes and the
    other claim fields, and the relations' tags, notes and authors."""
    claims = {claim.id: claim for claim in content.claims}
    relations = {relation.id: relation for relation in content.relations}
    for relation in content.relations:
        words = _relation_words(relation, claims, relations)
        stance = "Pro" if relation.kind is RelationKind.SUPPORT else "Con"
        if len(relation.premises) > 1:
            report.drop(
                "linked premises",
                f"Kialo has no linked premises: in {words}, each premise became a {stance} of "
                "its own, standing alone",
                element=relation.id,
            )
        if relation.target_relation is not None:
            aimed = relations.get(relation.target_relation)
            under = (
                quote(claims[aimed.premises[0]])
                if aimed is not None and aimed.premises[0] in claims
                else "its premise"
            )
            report.drop(
                "undercut" if relation.kind is RelationKind.OBJECTION else "support of a relation",
                f"Kialo cannot aim at an inference: {words} is written as a {stance} under {under}",
                element=relation.id,
            )
    for claim in content.claims:
        for name in _CLAIM_FIELDS:
            if not claim_has(claim, name):
                continue
            field = _FIELD_WORDS[name]
            if name == "title" and claim.title:
                reason = f"{_NO_PLACE}: the title {quote(claim)} of {_by_text(claim)} is left out"
            elif name == "tags":
                tags = ", ".join(f"#{tag}" for tag in claim.tags)
                reason = f"{_NO_PLACE}: the tags {tags} of {_by_text(claim)} are left out"
            elif name == "sources":
                count = len(claim.sources)
                what = "source" if count == 1 else f"{count} sources"
                verb = "is" if count == 1 else "are"
                reason = f"{_NO_PLACE}: the {what} of {_by_text(claim)} {verb} left out"
            else:
                reason = f"{_NO_PLACE}: the {field} of {_by_text(claim)} is left out"
            report.drop(name, reason, element=claim.id)
    for relation in content.relations:
        for name in _RELATION_FIELDS:
            if not relation_has(relation, name):
                continue
            words = _relation_words(relation, claims, relations)
            if name == "tags":
                tags = ", ".join(f"#{tag}" for tag in relation.tags)
                reason = f"{_NO_PLACE}: the tags {tags} of {words} are left out"
            else:
                reason = f"{_NO_PLACE}: the {_FIELD_WORDS[name]} of {words} is left out"
            report.drop(name, reason, element=relation.id)
