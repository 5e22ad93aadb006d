"""The answers a route can give besides its success, declared once for the OpenAPI document.

A route names the statuses it can answer, `responses=answers(404, 422, 503)`; the bodies are
the ones api/errors.py sends, `{"detail": ..., "loc": [...]}`, with `current_version` on a 412,
`conflicts` and `current_version` on a 409 of a merge, and the list of `errors` on a 422 from request validation. `links(201, ...)` adds OpenAPI links
(what a client, or schemathesis's stateful tests, can call next with the ids of an answer).
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

Loc = list[str | int]
LOC = 'Where in the request: e.g. ["body", "claims", 3, "text"] or ["header", "If-Match"].'

# The `If-Match` a change may carry: a version ("7", W/"7", 7) or `*` (any version).
IF_MATCH_PATTERN = r'^(\*|(W/)?"?[0-9]{1,18}"?)$'


class Error(BaseModel):
    """Input the API refused: what is wrong, and where."""

    detail: str
    loc: Loc = Field(description=LOC)


class ValidationIssue(BaseModel):
    loc: list[str]
    msg: str
    type: str | None


class InvalidRequest(Error):
    """A request that breaks its schema or a rule of the domain."""

    errors: list[ValidationIssue] = Field(
        default_factory=list,
        description="Every problem found (at most 20), when the request broke its schema.",
    )


class StaleVersion(Error):
    """A change based on a version of the map that is no longer current."""

    current_version: int


class FieldConflict(BaseModel):
    """One field changed both by you and by someone else since the version you edited."""

    base: Any = Field(description="The value as of your `If-Match` version.")
    theirs: Any = Field(description="The value now.")
    yours: Any = Field(description="The value your edit sets.")


class Conflict(Error):
    """A change that clashes with the map as it is; for an edit based on an older version, the
    fields both sides changed and the version to base a new attempt on."""

    conflicts: dict[str, FieldConflict] = Field(
        default_factory=dict,
        description="Per field, its value as of your version, now, and in your edit "
        "(empty when the clash is not about fields, e.g. the element was deleted since).",
    )
    current_version: int | None = Field(
        default=None, description="The map's version now, when the edit was based on an older one."
    )


class HttpError(BaseModel):
    """An error of the HTTP layer (a body that cannot be parsed) or of a service the API needs."""

    detail: str
    loc: Loc = Field(default_factory=list, description=LOC)


ETAG = {"description": 'The current version of the map, e.g. "8".', "schema": {"type": "string"}}

RESPONSES: dict[int, dict[str, Any]] = {
    304: {"description": "Not modified: `If-None-Match` names the current version."},
    400: {"model": HttpError, "description": "A body that cannot be parsed."},
    401: {
        "model": Error,
        "description": "Not signed in, the session has expired, or a bearer token is not valid.",
        "headers": {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
    },
    403: {
        "model": Error,
        "description": "Your role does not allow this, or a browser request lacks its CSRF token "
        "or comes from another site.",
    },
    404: {"model": Error, "description": "No such map (or claim, relation, revision)."},
    409: {
        "model": Conflict,
        "description": "The change clashes with the map as it is: e.g. an edit based on an "
        "older version (`If-Match`) changes a field someone else changed since.",
    },
    412: {
        "model": StaleVersion,
        "description": "`If-Match` names a version that is no longer current.",
        "headers": {"ETag": {**ETAG, "required": True}},
    },
    413: {"model": Error, "description": "A limit was crossed (body size, claims per map, ...)."},
    422: {"model": InvalidRequest, "description": "The request breaks its schema or a rule."},
    429: {
        "model": Error,
        "description": "Too many requests; wait as long as `Retry-After` says.",
        "headers": {"Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 0}}},
    },
    503: {
        "model": HttpError,
        "description": "A service the API needs (the database, the diagram engine) is unavailable.",
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer", "minimum": 0},
            }
        },
    },
}

# The statuses of the usual kinds of route.
READ = (404, 422, 503)
CHANGE = (400, 404, 409, 412, 413, 422, 503)


def answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The response declarations of these statuses, for a route's `responses=`."""
    return {status: RESPONSES[status] for status in statuses}


def links(status: int, **targets: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI links of one response: `links(201, get_map=link(map_id="$response.body#/id"))`."""
    return {
        status: {
            "links": {name: {"operationId": name, **target} for name, target in targets.items()}
        }
    }


def link(**parameters: str) -> dict[str, Any]:
    return {"parameters": parameters}


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names (`get_map`), so links can name them."""
    return route.name
