"""The history of a map: every change is a revision that can be read back and restored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from api.auth.access import CanEdit, CanView
from api.deps import AuthorDep, IfMatchDep, StoreDep
from api.responses import READ, answers, operation_id
from api.routes.maps import map_body, map_response
from api.schemas import RevisionList
from maps.changes import revision_changes
from models import ArgumentMap
from models.changes import RevisionChanges

router = APIRouter(tags=["revisions"], generate_unique_id_function=operation_id)
Number = Annotated[int, Path(ge=1, le=2**31 - 1, description="Revision number (= map version).")]


@router.get("/maps/{map_id}/revisions", response_model=RevisionList, responses=answers(*READ))
def list_revisions(allowed: CanView, map_id: str, store: StoreDep) -> RevisionList:
    """Every revision of a map, newest first: number, time, author, what changed."""
    items = store.list_revisions(map_id)
    return RevisionList(items=items, total=len(items))


@router.get(
    "/maps/{map_id}/revisions/{number}", response_model=ArgumentMap, responses=answers(*READ)
)
def get_revision(allowed: CanView, map_id: str, number: Number, store: StoreDep) -> ArgumentMap:
    """The map as it was right after revision `number`."""
    return map_body(store.get_revision(map_id, number))


@router.get(
    "/maps/{map_id}/revisions/{number}/changes",
    response_model=RevisionChanges,
    responses=answers(*READ),
)
def get_revision_changes(
    allowed: CanView, map_id: str, number: Number, store: StoreDep
) -> RevisionChanges:
    """What revision `number` changed from the one before: elements added, removed, changed, word diffs."""
    after = store.get_revision(map_id, number)
    before = store.get_revision(map_id, number - 1).content() if number > 1 else None
    return revision_changes(before, after.content(), number=number)


@router.post(
    "/maps/{map_id}/revisions/{number}/restore",
    response_model=ArgumentMap,
    responses=answers(404, 409, 412, 413, 422, 503),
)
def restore_revision(
    allowed: CanEdit,
    map_id: str,
    number: Number,
    store: StoreDep,
    if_match: IfMatchDep,
    author: AuthorDep,
) -> JSONResponse:
    """Make the map's content equal to revision `number` again (as a new revision)."""
    change = store.restore_revision(map_id, number, if_match=if_match, author=author)
    return map_response(change.map)
