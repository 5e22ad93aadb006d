"""Maps: list, create, read, edit, move to the trash."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.auth.access import AnyoneDep, CanEdit, CanView, IsOwner, SignedInDep, TrashOwner
from api.auth.caller import PeopleDep
from api.deps import AuthorDep, IfMatchDep, SettingsDep, StoreDep, etag, matches_etag
from api.render_cache import Rendered, app_cache
from api.responses import CHANGE, READ, answers, link, links, operation_id
from api.schemas import MapChange, MapList
from api.settings import Settings
from api.store import MapSummary, Store
from api.store.repository import Apply
from maps.edit import Edit, update_map
from maps.merge import merge_map
from maps.queries import with_roles
from models import ArgumentMap, InvalidInputError, MapContent, MapCreate, MapUpdate

router = APIRouter(tags=["maps"], generate_unique_id_function=operation_id)


def map_body(argument_map: ArgumentMap) -> ArgumentMap:
    """The map as served: claims carry their derived role."""
    return argument_map.model_copy(update={"claims": with_roles(argument_map)})


def map_response(
    argument_map: ArgumentMap,
    *,
    status_code: int = 200,
    location: str | None = None,
    merged: bool | None = None,
) -> JSONResponse:
    """The map as served; an edit's answer also says whether it was `merged` (MapChange)."""
    headers = {"ETag": etag(argument_map.version)}
    if location:
        headers["Location"] = location
    body = map_body(argument_map).model_dump(mode="json")
    if merged is not None:
        body["merged"] = merged
    return JSONResponse(body, status_code=status_code, headers=headers)


@router.get("/maps", response_model=MapList, responses=answers(422, 503))
def list_maps(
    caller: AnyoneDep,
    people: PeopleDep,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Match title or claim text.")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, description="Maps per page.")] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> MapList:
    """List maps, most recently changed first."""
    if limit is not None and limit > settings.page_size_max:
        raise InvalidInputError(
            f"limit may be at most {settings.page_size_max}", loc=("query", "limit")
        )
    items, total = store.list_maps(
        q=q.strip() if q else None,
        limit=limit or settings.page_size_default,
        offset=offset,
        where=people.readable_filter(caller.user),
    )
    return MapList(items=items, total=total)


@router.post(
    "/maps",
    status_code=201,
    response_model=ArgumentMap,
    responses=answers(400, 413, 422, 503)
    | links(
        201,
        get_map=link(map_id="$response.body#/id"),
        add_claim=link(map_id="$response.body#/id"),
        delete_map=link(map_id="$response.body#/id"),
    ),
)
def create_map(
    caller: SignedInDep, body: MapCreate, store: StoreDep, author: AuthorDep
) -> JSONResponse:
    """Create an empty map."""
    assert caller.user is not None
    created = store.create_map(
        MapContent(title=body.title, description=body.description, rule=body.rule),
        author=author,
        owner_id=caller.user.id,
    )
    return map_response(created, status_code=201, location=f"/api/v1/maps/{created.id}")


@router.get("/maps/{map_id}", response_model=ArgumentMap, responses=answers(304, *READ))
async def get_map(
    allowed: CanView,
    map_id: str,
    request: Request,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """A map with its claims (each with its derived role) and relations."""
    # This read is made often, so it costs one query in one worker thread: the access check
    # (a plain `def` dependency) also reads the version, and the JSON of each version is made
    # once and served as bytes from memory (bounded by entries and bytes).
    version = allowed.access.version
    if matches_etag(if_none_match, version):
        return Response(status_code=304, headers={"ETag": etag(version)})
    settings: Settings = request.app.state.settings
    cache = app_cache(
        request.app,
        max_entries=settings.map_json_cache_entries,
        max_bytes=settings.map_json_cache_bytes,
        name="map_json",
    )
    found = cache.get((map_id, version))
    if found is None:
        made, rendered = await run_in_threadpool(_map_json, request.app.state.store, map_id)
        cache.put((map_id, made), rendered)
        found = rendered
    return Response(found.body, media_type="application/json", headers={"ETag": found.etag})


def _map_json(store: Store, map_id: str) -> tuple[int, Rendered]:
    """The map as served, as bytes, and its version (it may be newer than the one access
    read: the map may have changed since)."""
    argument_map = store.get_map(map_id)
    body = map_body(argument_map).model_dump_json().encode()
    return argument_map.version, Rendered(body=body, etag=etag(argument_map.version))


@router.patch("/maps/{map_id}", response_model=MapChange, responses=answers(*CHANGE))
def patch_map(
    allowed: CanEdit,
    map_id: str,
    body: MapUpdate,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
) -> JSONResponse:
    """Change a map's title, description or rule of decision (the parts of `rule` given
    replace those of the map's rule); a stale `If-Match` is merged (409 on a clash)."""

    def apply(content: MapContent, _now: object, patch: MapUpdate = body) -> Edit:
        return update_map(content, patch)

    def rebase(base: MapContent) -> Apply:
        def apply_merged(content: MapContent, now: datetime) -> Edit:
            return apply(content, now, merge_map(body, base=base, current=content))

        return apply_merged

    change = store.change(map_id, apply, if_match=if_match, author=author, rebase=rebase)
    return map_response(change.map, merged=change.merged)


@router.delete(
    "/maps/{map_id}",
    response_model=MapSummary,
    responses=answers(404, 409, 412, 422, 503)
    | links(200, restore_from_trash=link(map_id="$request.path.map_id")),
)
def delete_map(
    allowed: IsOwner, map_id: str, store: StoreDep, if_match: IfMatchDep, author: AuthorDep
) -> JSONResponse:
    """Move a map to the trash (restore it with POST /trash/{map_id}/restore)."""
    summary = store.trash_map(map_id, if_match=if_match, author=author)
    return JSONResponse(summary.model_dump(mode="json"), headers={"ETag": etag(summary.version)})


@router.get("/trash", response_model=MapList, tags=["trash"], responses=answers(422, 503))
def list_trash(
    caller: SignedInDep,
    people: PeopleDep,
    store: StoreDep,
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1)] = None,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> MapList:
    """Maps in the trash, most recently deleted first."""
    if limit is not None and limit > settings.page_size_max:
        raise InvalidInputError(
            f"limit may be at most {settings.page_size_max}", loc=("query", "limit")
        )
    assert caller.user is not None
    items, total = store.list_maps(
        limit=limit or settings.page_size_default,
        offset=offset,
        trashed=True,
        where=people.owned_filter(caller.user),
    )
    return MapList(items=items, total=total)


@router.post(
    "/trash/{map_id}/restore",
    response_model=MapSummary,
    tags=["trash"],
    responses=answers(404, 409, 422, 503),
)
def restore_from_trash(
    caller: TrashOwner, map_id: str, store: StoreDep, author: AuthorDep
) -> JSONResponse:
    """Bring a map back from the trash."""
    summary = store.restore_map(map_id, author=author)
    return JSONResponse(summary.model_dump(mode="json"), headers={"ETag": etag(summary.version)})
