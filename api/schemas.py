"""Response bodies of the API that are not domain models."""

from __future__ import annotations

from pydantic import BaseModel

from api.store import MapSummary, RevisionInfo
from models import Claim, Relation


class MapList(BaseModel):
    items: list[MapSummary]
    total: int


class ClaimChange(BaseModel):
    claim: Claim
    relation: Relation | None = None
    version: int


class RelationChange(BaseModel):
    relation: Relation
    version: int


class Deleted(BaseModel):
    deleted_claims: list[str] = []
    deleted_relations: list[str] = []
    version: int


class RevisionList(BaseModel):
    items: list[RevisionInfo]
    total: int
