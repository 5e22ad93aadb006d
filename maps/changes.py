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

from maps.quote import cut, quote, relation_phrase, rule_words
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
    old_map = _map_fields(before) if before is not None else {}
    claims = _elements(old_claims, after.claims)
    relations = _elements(old_relations, after.relations)
    return RevisionChanges(
        number=number,
        map=_field_changes(old_map, _map_fields(after)),
        claims=ClaimChanges(added=claims[0], removed=claims[1], changed=claims[2]),
        relations=RelationChanges(added=relations[0], removed=relations[1], changed=relations[2]),
    )


def _map_fields(content: MapContent) -> dict[str, Any]:
    rule = content.rule.model_dump(mode="json")
    return {"title": content.title, "description": content.description, "rule": rule}


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _single(changes: RevisionChanges, before: MapContent | None, after: MapContent) -> str | None:
    """The change in words when it did one thing (a claim with its relation counts as one)."""
    claims, relations = changes.claims, changes.relations
    alone = not (claims.changed or relations.changed)
    if len(relations.added) == 1 and alone and not (claims.removed or relations.removed):
        return "added " + relation_phrase(relations.added[0], after)
    joined = _joined_premise(changes, after)
    if joined is not None:
        return joined
    gone = not (claims.added or relations.added)
    if len(relations.removed) == 1 and alone and gone and before is not None:
        return "removed " + relation_phrase(relations.removed[0], before)
    elements = [*claims.added, *claims.removed, *claims.changed, *relations.changed]
    if len(elements) != 1 or relations.added or relations.removed:
        return None
    if claims.added:
        return f"added the claim {quote(claims.added[0])}"
    if claims.removed:
        return f"removed {quote(claims.removed[0])}"
    if claims.changed:
        edited = next(c for c in after.claims if c.id == claims.changed[0].id)
        return f"edited {quote(edited)} ({', '.join(claims.changed[0].fields)})"
    changed = next(r for r in after.relations if r.id == relations.changed[0].id)
    return f"changed {relation_phrase(changed, after)}"


def _joined_premise(changes: RevisionChanges, after: MapContent) -> str | None:
    """ "added “…” as a linked premise of an objection to “…”" when that is all it did."""
    claims, relations = changes.claims, changes.relations
    if len(claims.added) != 1 or len(relations.changed) != 1 or claims.changed:
        return None
    if claims.removed or relations.added or relations.removed:
        return None
    if set(relations.changed[0].fields) != {"premises"}:
        return None
    relation = next(r for r in after.relations if r.id == relations.changed[0].id)
    if claims.added[0].id not in relation.premises:
        return None
    return (
        f"added {quote(claims.added[0])} as a linked premise of {relation_phrase(relation, after)}"
    )


def _counts(changes: RevisionChanges) -> str:
    parts = []
    for verb, claims, relations in (
        ("added", changes.claims.added, changes.relations.added),
        ("edited", changes.claims.changed, changes.relations.changed),
        ("removed", changes.claims.removed, changes.relations.removed),
    ):
        nouns = [
            _counted(len(items), noun)
            for items, noun in ((claims, "claim"), (relations, "relation"))
            if items
        ]
        if nouns:
            parts.append(f"{verb} {' and '.join(nouns)}")
    return ", ".join(parts)


def summary(
    changes: RevisionChanges, before: MapContent | None, after: MapContent, description: str
) -> str:
    """What a revision did, in words for a person ("added an objection to “…”"); the
    revision's own `description` when it changed no claim, relation or title (a move to the
    trash, say)."""
    said = _single(changes, before, after) or _counts(changes)
    if "title" in changes.map:
        said = ", ".join(filter(None, [f"renamed the map to “{cut(after.title)}”", said]))
    elif "description" in changes.map:
        said = ", ".join(filter(None, ["edited the map's description", said]))
    if "rule" in changes.map:
        rule = f"changed the rule of decision to {rule_words(after.rule)}"
        said = ", ".join(filter(None, [said, rule]))
    return said or description
