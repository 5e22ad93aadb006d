"""The argmap vocabulary: pydantic v2 models for maps, claims and relations. No I/O."""

from __future__ import annotations

from models.errors import (
    ArgmapError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
    NotSignedInError,
    TooManyRequestsError,
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
    "ForbiddenError",
    "InvalidInputError",
    "LimitExceededError",
    "MapContent",
    "MapCreate",
    "MapUpdate",
    "NotFoundError",
    "NotSignedInError",
    "Relation",
    "RelationCreate",
    "RelationKind",
    "RelationUpdate",
    "Role",
    "Source",
    "TooManyRequestsError",
]
