"""Edits based on an older version of a map, merged field by field into the current one.

Three versions of one element meet: `base` (the map as of the version the editor read),
`theirs` (the map as it is now) and `yours` (the fields the edit sets). A field you set is
*yours* only where it differs from base; it is *theirs* where base and now differ. The merge
keeps your fields that nobody else changed (or changed to the same value), and refuses the
whole edit when both sides changed one field to different values:

    base  {"text": "Cars pollute", "note": null}
    now   {"text": "Cars pollute", "note": "see the 2019 study"}   (theirs: note)
    yours {"text": "Cars pollute the air"}                          (yours: text)
    ->    merged patch {"text": "Cars pollute the air"}, applied to now

    yours {"note": "no source"}  ->  conflict on note: base null, theirs "see ...", yours "no ..."

Values are compared as JSON, so a list of sources compares by what it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from maps.edit import claim_changes, map_changes, relation_changes, shown
from models import (
    Claim,
    ClaimUpdate,
    ConflictError,
    MapContent,
    MapUpdate,
    Relation,
    RelationUpdate,
)

Patch = TypeVar("Patch", ClaimUpdate, RelationUpdate, MapUpdate)


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed since base, to different values (JSON values)."""

    base: Any
    theirs: Any
    yours: Any


class EditConflict(ConflictError):
    """An edit based on an older version clashes with changes made since (HTTP 409)."""

    def __init__(
        self,
        message: str,
        *,
        conflicts: Mapping[str, FieldConflict] | None = None,
        loc: tuple[str | int, ...] = (),
        current_version: int | None = None,
    ) -> None:
        super().__init__(message, loc=loc)
        self.conflicts = dict(conflicts or {})
        self.current_version = current_version

    def at(self, version: int) -> EditConflict:
        """The same conflict, naming the map's current version."""
        return EditConflict(
            self.message, conflicts=self.conflicts, loc=self.loc, current_version=version
        )


@dataclass(frozen=True)
class Merge:
    """What a three-way merge of one element found: the changes to apply, or the conflicts."""

    changes: dict[str, Any] = field(default_factory=dict)
    conflicts: dict[str, FieldConflict] = field(default_factory=dict)


def merge_fields(
    *, base: Mapping[str, Any] | None, theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> Merge:
    """Merge `yours` (the fields an edit sets) into `theirs`, both descended from `base`.

    A `base` of None (the element did not exist then) counts every field as changed since.
    """
    changes: dict[str, Any] = {}
    conflicts: dict[str, FieldConflict] = {}
    for name, value in yours.items():
        was = base.get(name) if base is not None else None
        if base is not None and value == was:
            continue  # not your change: leave theirs as it is
        now = theirs.get(name)
        if now == value:
            continue  # both made the same change: nothing left to do
        if base is None or now != was:
            conflicts[name] = FieldConflict(base=was, theirs=now, yours=value)
        else:
            changes[name] = value
    return Merge(changes=changes, conflicts=conflicts)


def _json(element: BaseModel, names: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = element.model_dump(mode="json", include=names)
    return values


def _merged(
    patch: Patch,
    *,
    base: BaseModel | None,
    current: BaseModel,
    changes: dict[str, Any],
    what: str,
    loc: tuple[str | int, ...],
) -> Patch:
    names = set(changes)
    yours = _json(current.model_copy(update=changes), names)
    merge = merge_fields(
        base=_json(base, names) if base is not None else None,
        theirs=_json(current, names),
        yours=yours,
    )
    if merge.conflicts:
        fields = ", ".join(sorted(merge.conflicts))
        raise EditConflict(
            f"{what} was changed by someone else since your version ({fields}); "
            "keep yours, take theirs or merge them, and send the edit again",
            conflicts=merge.conflicts,
            loc=loc,
        )
    return type(patch).model_validate(merge.changes)


def merge_claim(
    patch: ClaimUpdate, *, claim_id: str, base: MapContent, current: MapContent
) -> ClaimUpdate:
    """The part of a claim edit based on `base` to apply to `current`; EditConflict if none."""
    theirs = _claim(current, claim_id)
    what = f"claim {shown(claim_id)}"
    if theirs is None:
        raise EditConflict(f"{what} was deleted since your version", loc=("claim_id",))
    return _merged(
        patch,
        base=_claim(base, claim_id),
        current=theirs,
        changes=claim_changes(patch),
        what=what,
        loc=("body",),
    )


def merge_relation(
    patch: RelationUpdate, *, relation_id: str, base: MapContent, current: MapContent
) -> RelationUpdate:
    """The part of a relation edit based on `base` to apply to `current`; EditConflict if none."""
    theirs = _relation(current, relation_id)
    what = f"relation {shown(relation_id)}"
    if theirs is None:
        raise EditConflict(f"{what} was deleted since your version", loc=("relation_id",))
    return _merged(
        patch,
        base=_relation(base, relation_id),
        current=theirs,
        changes=relation_changes(patch),
        what=what,
        loc=("body",),
    )


def merge_map(patch: MapUpdate, *, base: MapContent, current: MapContent) -> MapUpdate:
    """The part of a map edit (title, description) based on `base` to apply to `current`."""
    return _merged(
        patch,
        base=base,
        current=current,
        changes=map_changes(patch, current),
        what="the map",
        loc=("body",),
    )


def _claim(content: MapContent, claim_id: str) -> Claim | None:
    return next((c for c in content.claims if c.id == claim_id), None)


def _relation(content: MapContent, relation_id: str) -> Relation | None:
    return next((r for r in content.relations if r.id == relation_id), None)
