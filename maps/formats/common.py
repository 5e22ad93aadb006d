"""What every format module shares: import limits, ids from titles, safe JSON and YAML loading."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from maps.quote import rule_words
from models import (
    Claim,
    DecisionRule,
    InvalidInputError,
    LimitExceededError,
    MapContent,
    Relation,
    RelationKind,
)
from models.map import NESTING_MAX
from models.report import ConversionReport
from models.text import CLAIM_TEXT_MAX

# One nesting limit for every document read (and, less the levels a map wraps around it, for claim
# data: models.map.DATA_MAX_DEPTH), so that whatever argmap stores and exports it reads again.
MAX_DEPTH_DEFAULT = NESTING_MAX


@dataclass(frozen=True)
class ImportLimits:
    """The bounds an import runs within; the API and CLI fill them from the settings."""

    max_bytes: int = 20 * 1024 * 1024
    max_claims: int = 5000
    max_relations: int = 20000
    max_depth: int = MAX_DEPTH_DEFAULT
    timeout_seconds: float = 30.0
    max_text: int = CLAIM_TEXT_MAX


@dataclass
class Deadline:
    """A wall-clock budget that long loops check now and then."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self, where: tuple[str | int, ...] = ()) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise LimitExceededError(
                f"the import took longer than the limit of {self.seconds:g} seconds "
                "(ARGMAP_IMPORT_TIMEOUT_SECONDS)",
                loc=where,
            )


def check_size(data: bytes | str, limits: ImportLimits) -> None:
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > limits.max_bytes:
        raise LimitExceededError(
            f"the file has {size} bytes, more than the limit of {limits.max_bytes} bytes "
            "(ARGMAP_IMPORT_MAX_BYTES)"
        )


def check_counts(
    claims: int, relations: int, limits: ImportLimits, loc: tuple[str | int, ...] = ()
) -> None:
    if claims > limits.max_claims:
        raise LimitExceededError(
            f"more than {limits.max_claims} claims (the limit per map)", loc=loc
        )
    if relations > limits.max_relations:
        raise LimitExceededError(
            f"more than {limits.max_relations} relations (the limit per map)", loc=loc
        )


# --------------------------------------------------------------------------- ids

_ID_CHAR = re.compile(r"[^A-Za-z0-9_.:-]+")
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\Z")
ID_MAX = 64


def slug(text: str, *, fallback: str = "x") -> str:
    """A valid element id made from a title: other characters become '-', at most 64."""
    if _VALID_ID.match(text):
        return text
    value = _ID_CHAR.sub("-", text.strip()).strip("-_.:")
    if not value or not value[0].isalnum() or not value[0].isascii():
        value = f"{fallback}-{value}".strip("-") if value else fallback
    return value[:ID_MAX].rstrip("-_.:") or fallback


class IdPool:
    """Hands out ids unique across claims and relations of one map."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)
        self.counters: dict[str, int] = {}

    def claim(self, wanted: str) -> str:
        """Reserve `wanted` (made valid), adding -2, -3, ... if it is taken."""
        base = slug(wanted)
        candidate = base
        n = 2
        while candidate in self.taken:
            suffix = f"-{n}"
            candidate = base[: ID_MAX - len(suffix)] + suffix
            n += 1
        self.taken.add(candidate)
        return candidate

    def next(self, prefix: str) -> str:
        """The first free id of the form <prefix><n>."""
        n = self.counters.get(prefix, 0) + 1
        while f"{prefix}{n}" in self.taken:
            n += 1
        self.counters[prefix] = n
        self.taken.add(f"{prefix}{n}")
        return f"{prefix}{n}"


# --------------------------------------------------------------------------- JSON and YAML


def json_depth_check(text: str, max_depth: int) -> None:
    """Refuse JSON nested deeper than `max_depth` before the parser recurses into it (linear)."""
    depth = 0
    line = 1
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            elif ch == "\n":
                line += 1
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                raise InvalidInputError(
                    f"the JSON is nested more than {max_depth} levels deep", loc=("line", line)
                )
        elif ch in "]}":
            depth -= 1
        elif ch == "\n":
            line += 1


def load_json(text: str, limits: ImportLimits) -> Any:
    """Parse JSON with a clear error for bad syntax and too deep nesting."""
    json_depth_check(text, limits.max_depth)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"invalid JSON: {error.msg}", loc=("line", error.lineno, "column", error.colno)
        ) from None
    except RecursionError:
        raise InvalidInputError("the JSON is nested too deeply") from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise InvalidInputError(f"invalid JSON: {error}", loc=("body",)) from None


class NoAliasLoader(yaml.SafeLoader):
    """Safe YAML loading that refuses anchors and aliases (no 'billion laughs') and nesting deeper
    than `max_depth` (before the composer recurses into it)."""

    max_depth = MAX_DEPTH_DEFAULT

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise InvalidInputError(
                "YAML aliases are not accepted", loc=("line", event.start_mark.line + 1)
            )
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > self.max_depth:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise InvalidInputError(
                f"the YAML is nested more than {self.max_depth} levels deep",
                loc=("line", event.start_mark.line + 1),
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_yaml(text: str, *, line_offset: int = 0, column_offset: int = 0) -> Any:
    """Safe-load YAML (no aliases, no tags beyond the safe ones); errors give line and column.

    `line_offset` and `column_offset` place the snippet inside the file it came from.
    """
    try:
        return yaml.load(text, Loader=NoAliasLoader)
    except InvalidInputError as error:  # an alias or too deep nesting, placed in the file
        line = int(error.loc[1]) + line_offset if len(error.loc) == 2 else line_offset + 1
        raise InvalidInputError(error.message, loc=("line", line)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark is None:
            raise InvalidInputError(f"invalid YAML: {error.problem or error}") from None
        line = mark.line + 1 + line_offset
        column = mark.column + 1 + (column_offset if mark.line == 0 else 0)
        raise InvalidInputError(
            f"invalid YAML: {error.problem}", loc=("line", line, "column", column)
        ) from None
    except yaml.YAMLError as error:
        raise InvalidInputError(f"invalid YAML: {error}", loc=("line", line_offset + 1)) from None
    except RecursionError:
        raise InvalidInputError(
            "the YAML is nested too deeply", loc=("line", line_offset + 1)
        ) from None


# --------------------------------------------------------------------------- reports


def count_content(report: ConversionReport, content: MapContent) -> None:
    """Fill `report.carried` with what a map holds."""
    report.carried["claims"] = len(content.claims)
    report.carried["relations"] = len(content.relations)
    report.carried["supports"] = sum(r.kind is RelationKind.SUPPORT for r in content.relations)
    report.carried["objections"] = sum(r.kind is RelationKind.OBJECTION for r in content.relations)
    report.carried["undercuts"] = sum(r.target_relation is not None for r in content.relations)
    report.carried["linked_premises"] = sum(len(r.premises) > 1 for r in content.relations)
    report.carried["tags"] = sum(len(c.tags) for c in content.claims)
    report.carried["sources"] = sum(len(c.sources) for c in content.claims)


CLAIM_FIELDS = ("tags", "sources", "note", "author", "accepted", "weight", "group", "data")


def claim_has(claim: Claim, name: str) -> bool:
    """Whether a claim's field holds something other than its default."""
    value = getattr(claim, name)
    if name == "accepted":
        return bool(value)
    return value not in (None, [], {}, "")


def relation_has(relation: Relation, name: str) -> bool:
    """Whether a relation's field holds something (a note, an author, tags)."""
    return getattr(relation, name) not in (None, "", [])


def drop_fields(
    report: ConversionReport,
    content: MapContent,
    claim_fields: Iterable[str],
    relation_fields: Iterable[str],
    reason: str,
) -> None:
    """Report each claim and relation field that a format cannot hold, one item per element."""
    claim_fields = list(claim_fields)
    relation_fields = list(relation_fields)
    for claim in content.claims:
        for name in claim_fields:
            if claim_has(claim, name):
                report.drop(name, reason, element=claim.id)
    for relation in content.relations:
        for name in relation_fields:
            if relation_has(relation, name):
                report.drop(name, reason, element=relation.id)


def drop_timestamps(report: ConversionReport, content: MapContent, reason: str) -> None:
    elements: list[Claim | Relation] = [*content.claims, *content.relations]
    for element in elements:
        if element.created_at is not None or element.updated_at is not None:
            report.drop("timestamps", reason, element=element.id)


def drop_rule(report: ConversionReport, content: MapContent, where: str) -> None:
    """Report the map's rule of decision as left out, when it is not the default rule."""
    if content.rule != DecisionRule():
        report.drop(
            "rule of decision",
            f"{where}: the map's rule ({rule_words(content.rule)}) is left out; an import of "
            "the file follows the default rule",
        )


def truncate(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
