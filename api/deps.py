"""Dependencies shared by the routes, declared once as Annotated aliases."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Header, Request

from api.responses import IF_MATCH_PATTERN
from api.settings import Settings
from api.store import Store
from maps.edit import Limits
from models import InvalidInputError


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def if_match_version(
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
            f"If-Match must be a map version such as \"7\", not {if_match[:40]!r}",
            loc=("header", "If-Match"),
        )
    return int(if_match.removeprefix("W/").strip('"'))


def author_header(
    x_author: Annotated[
        str | None, Header(description="Who makes the change (recorded in the revision).")
    ] = None,
) -> str | None:
    if x_author is None:
        return None
    # HTTP headers are Latin-1: browsers send other names percent-encoded ("Zo%C3%AB").
    if "%" in x_author:
        x_author = unquote(x_author)
    name = "".join(ch if ch.isprintable() else " " for ch in x_author)
    name = " ".join(name.split())[:200]
    return name or None


def get_limits(request: Request) -> Limits:
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
AuthorDep = Annotated[str | None, Depends(author_header)]


def etag(version: int) -> str:
    return f'"{version}"'


def matches_etag(if_none_match: str | None, version: int) -> bool:
    """Whether an `If-None-Match` header names this version."""
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/").strip() for t in if_none_match.split(",")}
    return "*" in tags or etag(version) in tags
