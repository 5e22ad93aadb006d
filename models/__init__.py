"""The argmap vocabulary: pydantic v2 models for maps, claims and relations. No I/O."""

from __future__ import annotations

from models.errors import (
    ArgmapError,
    ConflictError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
)
from models.map import (
    ArgumentMap,
    Claim,
    MapContent,
    Relation,
    RelationKind,
    Role,
    Source,
)
from models.requests import (
    ClaimCreate,
    ClaimRelationSpec,
    ClaimUpdate,
    MapCreate,
    MapUpdate,
    RelationCreate,
    RelationUpdate,
)

__all__ = [
    "ArgmapError",
    "ArgumentMap",
    "Claim",
    "ClaimCreate",
    "ClaimRelationSpec",
    "ClaimUpdate",
    "ConflictError",
    "InvalidInputError",
    "LimitExceededError",
    "MapContent",
    "MapCreate",
    "MapUpdate",
    "NotFoundError",
    "Relation",
    "RelationCreate",
    "RelationKind",
    "RelationUpdate",
    "Role",
    "Source",
]
