"""Response bodies of the API that are not domain models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.store import MapSummary, RevisionInfo
from models import ArgumentMap, Claim, Relation

MERGED = "Whether the edit was based on an older version (`If-Match`) and merged into this one."


class MapList(BaseModel):
    items: list[MapSummary]
    total: int


class ClaimChange(BaseModel):
    claim: Claim
    relation: Relation | None = None
    version: int
    merged: bool = Field(default=False, description=MERGED)


class RelationChange(BaseModel):
    relation: Relation
    version: int
    merged: bool = Field(default=False, description=MERGED)


class MapChange(ArgumentMap):
    """The map after an edit of its title or description."""

    merged: bool = Field(default=False, description=MERGED)


class Deleted(BaseModel):
    deleted_claims: list[str] = []
    deleted_relations: list[str] = []
    version: int


class RevisionList(BaseModel):
    items: list[RevisionInfo]
    total: int
