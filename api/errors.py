"""Error responses: JSON `{"detail": ..., "loc": [...]}` with a 4xx status, never a 500 for input."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.store.repository import PreconditionFailed
from maps.merge import EditConflict
from models import (
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

log = logging.getLogger("argmap")

RETRY_AFTER_SECONDS = 5  # how long a client should wait when the database cannot be reached

STATUS: list[tuple[type[ArgmapError], int]] = [
    (PreconditionFailed, 412),
    (NotSignedInError, 401),
    (ForbiddenError, 403),
    (TooManyRequestsError, 429),
    (BusyError, 503),
    (NotFoundError, 404),
    (ConflictError, 409),
    (LimitExceededError, 413),
    (InvalidInputError, 422),
]


def status_of(error: ArgmapError) -> int:
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 400


def _argmap_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ArgmapError)
    body: dict[str, Any] = {"detail": str(error), "loc": list(error.loc)}
    headers = {}
    if isinstance(error, PreconditionFailed):
        body["current_version"] = error.current
        headers["ETag"] = f'"{error.current}"'
    elif isinstance(error, EditConflict):
        body["conflicts"] = {name: asdict(conflict) for name, conflict in error.conflicts.items()}
        body["current_version"] = error.current_version
        if error.current_version is not None:
            headers["ETag"] = f'"{error.current_version}"'
    elif isinstance(error, NotSignedInError):
        headers["WWW-Authenticate"] = "Bearer"
    elif isinstance(error, RetryLaterError):
        headers["Retry-After"] = str(error.retry_after)
    return JSONResponse(body, status_code=status_of(error), headers=headers)


def _clean(value: Any) -> Any:
    """Make validation error context JSON-safe and short."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value[:200] if isinstance(value, str) else value
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value[:20]]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in list(value.items())[:20]}
    return str(value)[:200]


def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = error.errors()
    items = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type")}
        for e in errors[:20]
    ]
    first = items[0] if items else {"loc": [], "msg": "invalid request"}
    where = ".".join(p for p in first["loc"] if p != "body") or "request"
    body = {"detail": f"{where}: {first['msg']}", "loc": first["loc"], "errors": _clean(items)}
    return JSONResponse(body, status_code=422)


def _model_error(request: Request, error: Exception) -> JSONResponse:
    """A domain model refused values that passed the request schema (e.g. a merged update)."""
    assert isinstance(error, ValidationError)
    errors = error.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid value"}
    loc = [str(p) for p in first.get("loc", ())]
    where = ".".join(loc) or "body"
    return JSONResponse({"detail": f"{where}: {first.get('msg', '')}", "loc": loc}, status_code=422)


def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    return JSONResponse(
        {"detail": error.detail}, status_code=error.status_code, headers=error.headers
    )


def _database_error(request: Request, error: Exception) -> JSONResponse:
    """503 when the database cannot be reached (connection lost, or not to be opened).

    SQLAlchemy flags those errors `connection_invalidated` (api/store/database.py flags failed
    connects too); any other database error, an integrity error or a bad statement, is a bug
    and stays a 500.
    """
    assert isinstance(error, DBAPIError)
    if not error.connection_invalidated:
        raise error
    log.warning("the database cannot be reached: %s", str(error.orig).strip().splitlines()[0])
    return JSONResponse(
        {"detail": "the database cannot be reached at the moment; try again shortly", "loc": []},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ArgmapError, _argmap_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ValidationError, _model_error)
    app.add_exception_handler(DBAPIError, _database_error)
