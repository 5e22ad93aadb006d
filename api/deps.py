"""Dependencies shared by the routes, declared once as Annotated aliases.

Those that do no I/O are `async`: FastAPI runs a plain `def` dependency in a worker thread, a
hop that costs about a fifth of a small request (bench/api.py)."""

from __future__ import annotations

import re
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request

from api.auth.caller import CallerDep
from api.responses import IF_MATCH_PATTERN
from api.settings import Settings
from api.store import Store
from maps.edit import Limits
from models import ClaimCreate, ClaimUpdate, InvalidInputError, RelationCreate, RelationUpdate
from models.people import Person


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def if_match_version(
    if_match: Annotated[
        str | None,
        Header(
            description='The version the change is based on, e.g. "7"; stale -> 412.',
            # Documented here, checked below with a message that says what is wanted.
            json_schema_extra={"pattern": IF_MATCH_PATTERN},
        ),
    ] = None,
) -> int | None:
    """The version named by an `If-Match` header (`"7"`, `W/"7"`, `7`); `*` means any."""
    if if_match is None or if_match == "*":
        return None
    if not re.fullmatch(IF_MATCH_PATTERN, if_match):
        raise InvalidInputError(
            f'If-Match must be a map version such as "7", not {if_match[:40]!r}',
            loc=("header", "If-Match"),
        )
    return int(if_match.removeprefix("W/").strip('"'))


async def current_author(caller: CallerDep) -> Person | None:
    """Who makes a change: the signed-in person (an `X-Author` header is ignored)."""
    return caller.person


Body = TypeVar("Body", ClaimCreate, RelationCreate, ClaimUpdate, RelationUpdate)


def authored(body: Body, author: Person | None) -> Body:
    """A new claim or relation is the author's; an update never changes who wrote one."""
    if isinstance(body, ClaimUpdate | RelationUpdate):
        if "author" not in body.model_fields_set:
            return body
        return type(body).model_validate(body.model_dump(exclude_unset=True, exclude={"author"}))
    return body.model_copy(update={"author": author.display_name if author else None})


async def get_limits(request: Request) -> Limits:
    settings: Settings = request.app.state.settings
    return Limits(
        max_claims=settings.max_claims_per_map,
        max_relations=settings.max_relations_per_map,
        max_claim_text=settings.max_claim_text,
    )


SettingsDep = Annotated[Settings, Depends(get_settings)]
LimitsDep = Annotated[Limits, Depends(get_limits)]
StoreDep = Annotated[Store, Depends(get_store)]
IfMatchDep = Annotated[int | None, Depends(if_match_version)]
AuthorDep = Annotated[Person | None, Depends(current_author)]


def etag(version: int) -> str:
    return f'"{version}"'


def matches_etag(if_none_match: str | None, version: int) -> bool:
    """Whether an `If-None-Match` header names this version."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/").strip() for t in if_none_match.split(",")}
    return "*" in tags or etag(version) in tags
