"""The argmap vocabulary: pydantic v2 models for maps, claims and relations. No I/O."""

from __future__ import annotations

from models.errors import (
    ArgmapError,
    BusyError,
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    LimitExceededError,
    NotFoundError,
    NotSignedInError,
    RetryLaterError,
    TooManyRequestsError,
)
from models.map import (
    ArgumentMap,
    Claim,
    DecisionRule,
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
    RuleUpdate,
)

__all__ = [
    "ArgmapError",
    "ArgumentMap",
    "BusyError",
    "Claim",
    "ClaimCreate",
    "ClaimRelationSpec",
    "ClaimUpdate",
    "ConflictError",
    "DecisionRule",
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
    "RetryLaterError",
    "Role",
    "RuleUpdate",
    "Source",
    "TooManyRequestsError",
]
