"""Maps, claims, relations and sources as read and stored."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.evaluation import GradualName, ProofStandardName, SemanticsName, SupportMode
from models.text import (
    URL_MAX,
    Citation,
    ClaimText,
    ClaimTitle,
    Description,
    ElementId,
    Locator,
    Name,
    Note,
    Quote,
    Tag,
    Title,
)

MAX_TAGS = 50
MAX_SOURCES = 50
MAX_PREMISES = 50
DATA_MAX_BYTES = 64 * 1024

NESTING_MAX = 200
"""The deepest JSON or YAML document argmap reads: an import file, or a revision snapshot it stored
(pydantic's own JSON parser, which reads the snapshots back, stops at about this depth)."""
DATA_WRAPPER_LEVELS = 3
"""The levels a map document puts around a claim's `data`: the map, its `claims` list, the claim."""
DATA_MAX_DEPTH = NESTING_MAX - DATA_WRAPPER_LEVELS
"""How deep claim `data` may nest, the data object itself being level 1 (`{"a": {"b": 1}}` is 2).

Kept below `NESTING_MAX` by the wrapper levels, so that every export of a stored map (native JSON
or YAML, Argdown's `{...}` data) and every stored snapshot reads back in again."""


class RelationKind(StrEnum):
    SUPPORT = "support"
    OBJECTION = "objection"


class Role(StrEnum):
    """The part a claim plays, derived from the relations it is a premise of."""

    THESIS = "thesis"
    SUPPORT = "support"
    OBJECTION = "objection"
    REBUTTAL = "rebuttal"


def check_url(value: str | None) -> str | None:
    """Accept only absolute http(s) URLs (no javascript:, data:, file:)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > URL_MAX:
        raise ValueError(f"at most {URL_MAX} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("must not contain spaces or control characters")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http or https URL")
    return value


class Source(BaseModel):
    """A work that backs a claim."""

    model_config = ConfigDict(extra="forbid")

    citation: Citation
    url: str | None = None
    quote: Quote | None = None
    locator: Locator | None = Field(default=None, description="Where in the work, e.g. 'p. 12'.")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return check_url(value)


def nesting_depth(value: Any, *, stop_after: int) -> int:
    """How many levels of objects and arrays `value` nests (a scalar is 0), counted no further
    than `stop_after` + 1. Level by level, without recursion, so any depth is safe to measure."""
    depth = 0
    containers = [value] if isinstance(value, dict | list) else []
    while containers and depth <= stop_after:
        depth += 1
        children = (
            child
            for container in containers
            for child in (container.values() if isinstance(container, dict) else container)
        )
        containers = [child for child in children if isinstance(child, dict | list)]
    return depth


def check_data(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """Free data must be plain JSON: finite numbers, valid Unicode, bounded depth and size."""
    if value is None:
        return None
    if nesting_depth(value, stop_after=DATA_MAX_DEPTH) > DATA_MAX_DEPTH:
        raise ValueError(f"must not nest objects and arrays more than {DATA_MAX_DEPTH} levels deep")
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except ValueError as error:  # NaN/Infinity, lone surrogates (UnicodeEncodeError)
        message = str(error).split(":")[0] if isinstance(error, UnicodeEncodeError) else str(error)
        raise ValueError(
            f"must be plain JSON with valid text and finite numbers ({message})"
        ) from None
    if len(encoded) > DATA_MAX_BYTES:
        raise ValueError(f"must be at most {DATA_MAX_BYTES} bytes as JSON")
    return value


def _unique_tags(tags: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        seen.setdefault(tag, None)
    return list(seen)


class Claim(BaseModel):
    """A statement in the debate."""

    model_config = ConfigDict(extra="forbid")

    id: ElementId
    text: ClaimText
    title: ClaimTitle | None = Field(
        default=None, description="A short title (at most 80 characters) shown in diagrams."
    )
    note: Note | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    sources: list[Source] = Field(default_factory=list, max_length=MAX_SOURCES)
    author: Name | None = None
    accepted: bool = Field(
        default=False, description="Taken as given by the group (a starting point for evaluation)."
    )
    weight: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Base weight for gradual strength (default 0.5)."
    )
    group: Name | None = Field(default=None, description="Section heading the claim belongs to.")
    data: dict[str, Any] = Field(default_factory=dict, description="Free key-value data.")
    created_at: datetime | None = None
    updated_at: datetime | None = None
    role: Role | None = Field(default=None, description="Derived on read; ignored on write.")

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        return _unique_tags(tags)

    @field_validator("data")
    @classmethod
    def _data(cls, data: dict[str, Any]) -> dict[str, Any]:
        return check_data(data) or {}


class Relation(BaseModel):
    """A support or objection from one or more (linked) premises to a claim or a relation."""

    model_config = ConfigDict(extra="forbid")

    id: ElementId
    kind: RelationKind
    premises: list[ElementId] = Field(min_length=1, max_length=MAX_PREMISES)
    target_claim: ElementId | None = None
    target_relation: ElementId | None = None
    note: Note | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    author: Name | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Relation:
        if (self.target_claim is None) == (self.target_relation is None):
            raise ValueError("exactly one of target_claim and target_relation must be given")
        if len(set(self.premises)) != len(self.premises):
            raise ValueError("premises must not repeat a claim")
        return self

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        return _unique_tags(tags)

    @property
    def target(self) -> str:
        """The id of the claim or relation this relation points at."""
        return self.target_claim if self.target_claim is not None else str(self.target_relation)


class DecisionRule(BaseModel):
    """The group's rule of decision: how the map's verdicts are reached, the same for every
    viewer (outline, diagram, exports, handout). Changing it is a revision of the map."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    semantics: SemanticsName = Field(
        default="grounded",
        description="grounded: only what no objection left standing can defeat stands; "
        "preferred / stable: a claim stands when every reading of the map accepts it.",
    )
    support: SupportMode = Field(
        default="loose",
        description="loose: supports never defeat; evidential: a claim not accepted as a "
        "starting point stands only while one of its supports stands.",
    )
    proof_standard: ProofStandardName = Field(
        default="preponderance",
        description="The Carneades standard each claim is also judged by (shown beside its "
        "verdict): scintilla (one standing support), preponderance (the strongest standing "
        "support outweighs the strongest standing objection), dialectical_validity (a "
        "standing support and no standing objection).",
    )
    gradual: GradualName = Field(
        default="dfquad",
        description="How the support balance is computed: dfquad or quadratic_energy.",
    )


class MapContent(BaseModel):
    """What a user made: the part of a map that revisions record and restore."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    description: Description = ""
    rule: DecisionRule = Field(
        default_factory=DecisionRule, description="The group's rule of decision."
    )
    claims: list[Claim] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


class ArgumentMap(MapContent):
    """A stored map with its identity and version."""

    id: str
    version: int = Field(ge=1)
    created_at: datetime
    updated_at: datetime

    def content(self) -> MapContent:
        return MapContent(
            title=self.title,
            description=self.description,
            rule=self.rule,
            claims=self.claims,
            relations=self.relations,
        )
