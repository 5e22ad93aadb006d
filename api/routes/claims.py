"""Claims and relations of a map."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth.access import CanEdit, CanView
from api.deps import AuthorDep, IfMatchDep, LimitsDep, StoreDep, authored, etag
from api.responses import CHANGE, READ, answers, link, links, operation_id
from api.schemas import ClaimChange, Deleted, RelationChange
from api.store.repository import Apply
from maps import edit
from maps.edit import shown
from maps.merge import merge_claim, merge_relation
from maps.queries import claim_roles
from models import (
    Claim,
    ClaimCreate,
    ClaimUpdate,
    MapContent,
    NotFoundError,
    Relation,
    RelationCreate,
    RelationUpdate,
)

router = APIRouter(tags=["claims and relations"], generate_unique_id_function=operation_id)
Cascade = Annotated[bool, Query(description="Also delete the relations that use it.")]


def _respond(
    body: ClaimChange | RelationChange | Deleted,
    *,
    status_code: int = 200,
    location: str | None = None,
) -> Response:
    headers = {"ETag": etag(body.version)}
    if location:
        headers["Location"] = location
    # Serialised by pydantic straight to JSON bytes, not to a dict for json.dumps.
    return Response(
        body.model_dump_json(),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def _with_role(content: MapContent, claim: Claim) -> Claim:
    return claim.model_copy(update={"role": claim_roles(content)[claim.id]})


@router.post(
    "/maps/{map_id}/claims",
    status_code=201,
    response_model=ClaimChange,
    responses=answers(*CHANGE)
    | links(
        201,
        get_claim=link(map_id="$request.path.map_id", claim_id="$response.body#/claim/id"),
        delete_claim=link(map_id="$request.path.map_id", claim_id="$response.body#/claim/id"),
    ),
)
def add_claim(
    allowed: CanEdit,
    map_id: str,
    body: ClaimCreate,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
    limits: LimitsDep,
) -> Response:
    """Add a claim; with `relation`, also the support or objection it makes, or with
    `premise_of`, one more linked premise of that relation (one step, one revision)."""
    body = authored(body, author)

    def apply(content: MapContent, now: datetime) -> edit.Edit:
        return edit.add_claim(content, body, now=now, limits=limits)

    change = store.change(map_id, apply, if_match=if_match, author=author)
    assert change.edit.claim is not None
    claim = _with_role(change.map, change.edit.claim)
    return _respond(
        ClaimChange(claim=claim, relation=change.edit.relation, version=change.map.version),
        status_code=201,
        location=f"/api/v1/maps/{map_id}/claims/{claim.id}",
    )


@router.get("/maps/{map_id}/claims/{claim_id}", response_model=Claim, responses=answers(*READ))
def get_claim(allowed: CanView, map_id: str, claim_id: str, store: StoreDep) -> Claim:
    """One claim with its derived role."""
    argument_map = store.get_map(map_id)
    for claim in argument_map.claims:
        if claim.id == claim_id:
            return _with_role(argument_map, claim)
    raise NotFoundError(f"claim {shown(claim_id)} not found in this map", loc=("claim_id",))


@router.patch(
    "/maps/{map_id}/claims/{claim_id}", response_model=ClaimChange, responses=answers(*CHANGE)
)
def patch_claim(
    allowed: CanEdit,
    map_id: str,
    claim_id: str,
    body: ClaimUpdate,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
    limits: LimitsDep,
) -> Response:
    """Change a claim's text, note, tags, sources, flags; a stale `If-Match` is merged (409 on a clash)."""
    body = authored(body, author)

    def apply(content: MapContent, now: datetime, patch: ClaimUpdate = body) -> edit.Edit:
        return edit.update_claim(content, claim_id, patch, now=now, limits=limits)

    def rebase(base: MapContent) -> Apply:
        def apply_merged(content: MapContent, now: datetime) -> edit.Edit:
            patch = merge_claim(body, claim_id=claim_id, base=base, current=content)
            return apply(content, now, patch)

        return apply_merged

    change = store.change(map_id, apply, if_match=if_match, author=author, rebase=rebase)
    assert change.edit.claim is not None
    return _respond(
        ClaimChange(
            claim=_with_role(change.map, change.edit.claim),
            version=change.map.version,
            merged=change.merged,
        )
    )


@router.delete(
    "/maps/{map_id}/claims/{claim_id}",
    response_model=Deleted,
    responses=answers(404, 409, 412, 422, 503),
)
def delete_claim(
    allowed: CanEdit,
    map_id: str,
    claim_id: str,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
    cascade: Cascade = False,
) -> Response:
    """Delete a claim; one still used by relations needs `?cascade=true` (409 otherwise)."""

    def apply(content: MapContent, _now: datetime) -> edit.Edit:
        return edit.delete_claim(content, claim_id, cascade=cascade)

    change = store.change(map_id, apply, if_match=if_match, author=author)
    return _respond(
        Deleted(
            deleted_claims=[claim_id],
            deleted_relations=change.edit.removed_relations,
            version=change.map.version,
        )
    )


@router.post(
    "/maps/{map_id}/relations",
    status_code=201,
    response_model=RelationChange,
    responses=answers(*CHANGE)
    | links(
        201,
        get_relation=link(map_id="$request.path.map_id", relation_id="$response.body#/relation/id"),
    ),
)
def add_relation(
    allowed: CanEdit,
    map_id: str,
    body: RelationCreate,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
    limits: LimitsDep,
) -> Response:
    """Add a support or objection from premises to a claim or (undercut) a relation."""
    body = authored(body, author)

    def apply(content: MapContent, now: datetime) -> edit.Edit:
        return edit.add_relation(content, body, now=now, limits=limits)

    change = store.change(map_id, apply, if_match=if_match, author=author)
    assert change.edit.relation is not None
    relation = change.edit.relation
    return _respond(
        RelationChange(relation=relation, version=change.map.version),
        status_code=201,
        location=f"/api/v1/maps/{map_id}/relations/{relation.id}",
    )


@router.get(
    "/maps/{map_id}/relations/{relation_id}", response_model=Relation, responses=answers(*READ)
)
def get_relation(allowed: CanView, map_id: str, relation_id: str, store: StoreDep) -> Relation:
    """One relation."""
    for relation in store.get_map(map_id).relations:
        if relation.id == relation_id:
            return relation
    raise NotFoundError(
        f"relation {shown(relation_id)} not found in this map", loc=("relation_id",)
    )


@router.patch(
    "/maps/{map_id}/relations/{relation_id}",
    response_model=RelationChange,
    responses=answers(*CHANGE),
)
def patch_relation(
    allowed: CanEdit,
    map_id: str,
    relation_id: str,
    body: RelationUpdate,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
) -> Response:
    """Change a relation's kind, premises, target or note; a stale `If-Match` is merged (409 on a clash)."""
    body = authored(body, author)

    def apply(content: MapContent, now: datetime, patch: RelationUpdate = body) -> edit.Edit:
        return edit.update_relation(content, relation_id, patch, now=now)

    def rebase(base: MapContent) -> Apply:
        def apply_merged(content: MapContent, now: datetime) -> edit.Edit:
            patch = merge_relation(body, relation_id=relation_id, base=base, current=content)
            return apply(content, now, patch)

        return apply_merged

    change = store.change(map_id, apply, if_match=if_match, author=author, rebase=rebase)
    assert change.edit.relation is not None
    return _respond(
        RelationChange(
            relation=change.edit.relation, version=change.map.version, merged=change.merged
        )
    )


@router.delete(
    "/maps/{map_id}/relations/{relation_id}",
    response_model=Deleted,
    responses=answers(404, 409, 412, 422, 503),
)
def delete_relation(
    allowed: CanEdit,
    map_id: str,
    relation_id: str,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
    cascade: Cascade = False,
) -> Response:
    """Delete a relation; one targeted by undercuts needs `?cascade=true` (409 otherwise)."""

    def apply(content: MapContent, _now: datetime) -> edit.Edit:
        return edit.delete_relation(content, relation_id, cascade=cascade)

    change = store.change(map_id, apply, if_match=if_match, author=author)
    return _respond(
        Deleted(deleted_relations=change.edit.removed_relations, version=change.map.version)
    )
