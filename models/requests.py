"""Request bodies of the API (and of the same operations from the CLI)."""

from __future__ import annotations

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    ValidationInfo,
    field_validator,
    model_validator,
)

from models.evaluation import GradualName, ProofStandardName, SemanticsName, SupportMode
from models.map import (
    MAX_PREMISES,
    MAX_SOURCES,
    MAX_TAGS,
    DecisionRule,
    RelationKind,
    Source,
    _unique_tags,
    check_data,
)
from models.text import ClaimText, ClaimTitle, Description, ElementId, Name, Note, Tag, Title


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A flag is `true` or `false` and a weight a number, as the OpenAPI document says: not `1`,
# "yes" or "0.5", which pydantic would otherwise take.
Flag = StrictBool
Weight = StrictFloat


class MapCreate(_Body):
    title: Title
    description: Description = ""
    rule: DecisionRule = Field(
        default_factory=DecisionRule, description="The group's rule of decision."
    )


class RuleUpdate(_Body):
    """A change of the rule of decision: the parts given replace those of the map's rule."""

    semantics: SemanticsName | None = None
    support: SupportMode | None = None
    proof_standard: ProofStandardName | None = None
    gradual: GradualName | None = None


class MapUpdate(_Body):
    title: Title | None = None
    description: Description | None = None
    rule: RuleUpdate | None = None


class _Target(_Body):
    target_claim: ElementId | None = None
    target_relation: ElementId | None = None

    @model_validator(mode="after")
    def _one_target(self) -> _Target:
        if (self.target_claim is None) == (self.target_relation is None):
            raise ValueError("exactly one of target_claim and target_relation must be given")
        return self


class ClaimRelationSpec(_Target):
    """How a new claim relates to the map: it becomes the only premise of this relation."""

    kind: RelationKind


class ClaimCreate(_Body):
    text: ClaimText
    title: ClaimTitle | None = None
    note: Note | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    sources: list[Source] = Field(default_factory=list, max_length=MAX_SOURCES)
    author: Name | None = None
    accepted: Flag = False
    weight: Weight | None = Field(default=None, ge=0.0, le=1.0)
    group: Name | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    relation: ClaimRelationSpec | None = None
    premise_of: ElementId | None = Field(
        default=None,
        description="A relation the new claim joins as one more (linked) premise, in the same "
        "revision; not with `relation`.",
    )

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        return _unique_tags(tags)

    _data = field_validator("data")(check_data)

    @field_validator("premise_of")
    @classmethod
    def _one_way(cls, premise_of: str | None, info: ValidationInfo) -> str | None:
        if premise_of is not None and info.data.get("relation") is not None:
            raise ValueError("give either relation or premise_of, not both")
        return premise_of


class ClaimUpdate(_Body):
    """Fields to change; a field left out stays as it is, `null` clears an optional one."""

    text: ClaimText | None = None
    title: ClaimTitle | None = None
    note: Note | None = None
    tags: list[Tag] | None = Field(default=None, max_length=MAX_TAGS)
    sources: list[Source] | None = Field(default=None, max_length=MAX_SOURCES)
    author: Name | None = None
    accepted: Flag | None = None
    weight: Weight | None = Field(default=None, ge=0.0, le=1.0)
    group: Name | None = None
    data: dict[str, Any] | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str] | None) -> list[str] | None:
        return None if tags is None else _unique_tags(tags)

    _data = field_validator("data")(check_data)


def _distinct(premises: list[str] | None) -> list[str] | None:
    if premises is not None and len(set(premises)) != len(premises):
        raise ValueError("premises must not repeat a claim")
    return premises


class RelationCreate(_Target):
    kind: RelationKind
    premises: list[ElementId] = Field(min_length=1, max_length=MAX_PREMISES)
    note: Note | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    author: Name | None = None

    _premises = field_validator("premises")(_distinct)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        return _unique_tags(tags)


class RelationUpdate(_Body):
    """Fields to change. Giving one target replaces the other."""

    kind: RelationKind | None = None
    premises: list[ElementId] | None = Field(default=None, min_length=1, max_length=MAX_PREMISES)
    target_claim: ElementId | None = None
    target_relation: ElementId | None = None
    note: Note | None = None
    tags: list[Tag] | None = Field(default=None, max_length=MAX_TAGS)
    author: Name | None = None

    _premises = field_validator("premises")(_distinct)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str] | None) -> list[str] | None:
        return None if tags is None else _unique_tags(tags)

    @model_validator(mode="after")
    def _at_most_one_target(self) -> RelationUpdate:
        if self.target_claim is not None and self.target_relation is not None:
            raise ValueError("give at most one of target_claim and target_relation")
        return self
