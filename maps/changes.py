"""What changed between two contents of a map, with a word-level diff of each text edit.

    word_diff("Cars pollute", "Cars pollute the air")
    -> [same "Cars pollute", added " the air"]

Words and the spaces between them are the units, so the `same` and `removed` pieces join to
the old text and the `same` and `added` pieces to the new one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any, Literal

from pydantic import BaseModel

from models import MapContent
from models.changes import (
    ClaimChanges,
    ElementChange,
    FieldChange,
    RelationChanges,
    RevisionChanges,
    WordPiece,
)

_WORDS = re.compile(r"\S+|\s+")
_NOT_COMPARED = {"id", "created_at", "updated_at", "role"}

Op = Literal["same", "added", "removed"]


def word_diff(before: str, after: str) -> list[WordPiece]:
    """The word diff from `before` to `after` (difflib over words), neighbours of one op joined."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    pieces: list[WordPiece] = []

    def emit(op: Op, words: list[str]) -> None:
        if not words:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = WordPiece(op=op, text=pieces[-1].text + "".join(words))
        else:
            pieces.append(WordPiece(op=op, text="".join(words)))

    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("same", old[i1:i2])
        else:
            emit("removed", old[i1:i2])
            emit("added", new[j1:j2])
    return pieces


def _field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, FieldChange]:
    changes = {}
    for name in sorted(before.keys() | after.keys()):
        was, now = before.get(name), after.get(name)
        if name in _NOT_COMPARED or was == now:
            continue
        texts = isinstance(was, str | None) and isinstance(now, str | None)
        words = word_diff(was or "", now or "") if texts else None
        changes[name] = FieldChange(before=was, after=now, words=words)
    return changes


def _elements(
    before: list[Any], after: list[Any]
) -> tuple[list[Any], list[Any], list[ElementChange]]:
    old = {element.id: element for element in before}
    new = {element.id: element for element in after}
    added = [element for element in after if element.id not in old]
    removed = [element for element in before if element.id not in new]
    changed = []
    for element in after:
        if element.id in old:
            fields = _field_changes(_json(old[element.id]), _json(element))
            if fields:
                changed.append(ElementChange(id=element.id, fields=fields))
    return added, removed, changed


def _json(element: BaseModel) -> dict[str, Any]:
    values: dict[str, Any] = element.model_dump(mode="json")
    return values


def revision_changes(
    before: MapContent | None, after: MapContent, *, number: int
) -> RevisionChanges:
    """What revision `number` (content `after`) changed from the one before (None: nothing)."""
    old_claims = before.claims if before is not None else []
    old_relations = before.relations if before is not None else []
    old_map = {"title": before.title, "description": before.description} if before else {}
    claims = _elements(old_claims, after.claims)
    relations = _elements(old_relations, after.relations)
    return RevisionChanges(
        number=number,
        map=_field_changes(old_map, {"title": after.title, "description": after.description}),
        claims=ClaimChanges(added=claims[0], removed=claims[1], changed=claims[2]),
        relations=RelationChanges(added=relations[0], removed=relations[1], changed=relations[2]),
    )
