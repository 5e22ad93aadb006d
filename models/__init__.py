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
    "DecisionRule",
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
    "RuleUpdate",
    "RetryLaterError",
    "Role",
    "Source",
    "TooManyRequestsError",
]
