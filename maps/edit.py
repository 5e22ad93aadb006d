"""Changes to a map as pure functions: each takes the map's content and returns the new content.

The storage layer loads a map, applies one of these, and writes the difference in one
transaction; every rule is checked here, before anything is written.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from maps.queries import dependent_relations, relations_using_claim
from maps.quote import quote, rule_words
from maps.validation import check_no_duplicate, check_relation, not_in_map
from models import (
    Claim,
    ClaimCreate,
    ClaimUpdate,
    ConflictError,
    DecisionRule,
    InvalidInputError,
    LimitExceededError,
    MapContent,
    MapUpdate,
    NotFoundError,
    Relation,
    RelationCreate,
    RelationKind,
    RelationUpdate,
)
from models.map import MAX_PREMISES


@dataclass(frozen=True)
class Limits:
    max_claims: int = 5000
    max_relations: int = 20000
    max_claim_text: int = 2000


@dataclass
class Edit:
    """The outcome of one change: the new content, what it says, and what it touched."""

    content: MapContent
    description: str
    claim: Claim | None = None
    relation: Relation | None = None
    removed_relations: list[str] = field(default_factory=list)


def new_id(prefix: str, taken: set[str]) -> str:
    """A fresh short id, unique among `taken`."""
    while True:
        candidate = f"{prefix}{secrets.token_hex(4)}"
        if candidate not in taken:
            return candidate


def shown(identifier: str, length: int = 40) -> str:
    """An id as quoted in an error message, cut short when it is long."""
    return repr(identifier if len(identifier) <= length else identifier[:length] + "…")


def _taken(content: MapContent) -> set[str]:
    return {c.id for c in content.claims} | {r.id for r in content.relations}


# ---------------------------------------------------------------------------- in words
# Revision descriptions name claims as a person reads them (maps/quote.py: the title, else the
# text cut at a word) and relations by what they join, never by id.

_FIELD_WORDS = {
    "accepted": "starting point",
    "target_claim": "target",
    "target_relation": "target",
}
_SHOWN_PREMISES = 3
_INFERENCE_DEPTH = 2


def _claim_words(content: MapContent, claim_id: str) -> str:
    for claim in content.claims:
        if claim.id == claim_id:
            return quote(claim)
    return "a claim"


def _listed(words: list[str]) -> str:
    """“A”, “B” and “C”; beyond three, “A”, “B”, “C” and 2 more."""
    if len(words) > _SHOWN_PREMISES:
        rest = len(words) - _SHOWN_PREMISES
        words = [*words[:_SHOWN_PREMISES], f"{rest} more"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _fields(changes: dict[str, Any], body: type[BaseModel]) -> str:
    """The changed fields in words, in the order of the request body: “text, note and tags”."""
    names = [name for name in body.model_fields if name in changes]
    words = list(dict.fromkeys(_FIELD_WORDS.get(name, name) for name in names))
    return _listed(words) if len(words) <= _SHOWN_PREMISES else ", ".join(words)


def _counted(count: int, noun: str) -> str:
    return f"the {noun}" if count == 1 else f"the {count} {noun}s"


def _target_words(content: MapContent, relation: Relation, depth: int = 0) -> str:
    """What a relation aims at: “X”, or the inference from “P” to “X”."""
    if relation.target_claim is not None:
        return _claim_words(content, relation.target_claim)
    aimed = next((r for r in content.relations if r.id == relation.target_relation), None)
    if aimed is None or depth >= _INFERENCE_DEPTH:
        return "another inference"
    return _inference_words(content, aimed, depth + 1)


def _inference_words(content: MapContent, relation: Relation, depth: int = 0) -> str:
    premises = _listed([_claim_words(content, p) for p in relation.premises])
    return f"the inference from {premises} to {_target_words(content, relation, depth)}"


def _preposition(kind: RelationKind) -> str:
    return "for" if kind is RelationKind.SUPPORT else "to"


def relation_words(content: MapContent, relation: Relation, *, article: str = "the") -> str:
    """A relation as a sentence names it: “the support from “A” to “B””, “the objection from
    “A” and “B” to the inference from “C” to “D””."""
    premises = _listed([_claim_words(content, p) for p in relation.premises])
    return f"{article} {relation.kind.value} from {premises} to {_target_words(content, relation)}"


def _article(kind: RelationKind) -> str:
    return "a" if kind is RelationKind.SUPPORT else "an"


def _aim_words(content: MapContent, relation: Relation) -> str:
    """A relation named by its kind and target only: “the objection to “X””."""
    preposition = _preposition(relation.kind)
    return f"the {relation.kind.value} {preposition} {_target_words(content, relation)}"


def _find_claim(content: MapContent, claim_id: str) -> tuple[int, Claim]:
    for index, claim in enumerate(content.claims):
        if claim.id == claim_id:
            return index, claim
    raise NotFoundError(f"claim {shown(claim_id)} not found in this map", loc=("claim_id",))


def _find_relation(content: MapContent, relation_id: str) -> tuple[int, Relation]:
    for index, relation in enumerate(content.relations):
        if relation.id == relation_id:
            return index, relation
    raise NotFoundError(
        f"relation {shown(relation_id)} not found in this map", loc=("relation_id",)
    )


def _check_text(claim: Claim, limits: Limits) -> None:
    if len(claim.text) > limits.max_claim_text:
        raise InvalidInputError(
            f"claim text is {len(claim.text)} characters; the limit is {limits.max_claim_text}",
            loc=("text",),
        )


def _check_limits(content: MapContent, limits: Limits) -> None:
    if len(content.claims) > limits.max_claims:
        raise LimitExceededError(
            f"a map may hold at most {limits.max_claims} claims", loc=("claims",)
        )
    if len(content.relations) > limits.max_relations:
        raise LimitExceededError(
            f"a map may hold at most {limits.max_relations} relations", loc=("relations",)
        )


def map_changes(body: MapUpdate, content: MapContent) -> dict[str, Any]:
    """The fields a map update sets, as the map would hold them (`null` changes nothing); a
    rule given in part keeps the rest of `content`'s rule."""
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None}
    if "rule" in changes:
        given = {k: v for k, v in changes["rule"].items() if v is not None}
        changes["rule"] = DecisionRule.model_validate({**content.rule.model_dump(), **given})
    return changes


def update_map(content: MapContent, body: MapUpdate) -> Edit:
    changes = map_changes(body, content)
    if changes.get("rule") == content.rule:
        del changes["rule"]
    if "rule" in changes:
        described = "change the rule of decision to " + rule_words(changes["rule"])
    else:
        described = "edit map " + ", ".join(sorted(changes)) if changes else "edit map"
    return Edit(content=content.model_copy(update=changes), description=described)


def add_claim(content: MapContent, body: ClaimCreate, *, now: datetime, limits: Limits) -> Edit:
    """Add a claim; with `body.relation` also the relation that has it as its only premise,
    with `body.premise_of` as one more (linked) premise of that relation, in the same change."""
    taken = _taken(content)
    claim_id = new_id("c", taken)
    values = body.model_dump(exclude={"relation", "premise_of"})
    claim = Claim.model_validate({**values, "id": claim_id, "created_at": now, "updated_at": now})
    _check_text(claim, limits)
    new = content.model_copy(update={"claims": [*content.claims, claim]})
    relation = None
    description = f"add the claim {quote(claim)}"
    if body.relation is not None:
        spec = body.relation
        relation = Relation(
            id=new_id("r", taken | {claim_id}),
            kind=spec.kind,
            premises=[claim_id],
            target_claim=spec.target_claim,
            target_relation=spec.target_relation,
            author=body.author,
            created_at=now,
            updated_at=now,
        )
        check_relation(new, relation, loc=("relation",))
        new = new.model_copy(update={"relations": [*content.relations, relation]})
        preposition = _preposition(spec.kind)
        description = (
            f"add the {spec.kind.value} {quote(claim)} {preposition} "
            f"{_target_words(content, relation)}"
        )
    elif body.premise_of is not None:
        relation, new = _add_premise(new, body.premise_of, claim_id, now=now)
        description = f"add {quote(claim)} as a linked premise of {_aim_words(content, relation)}"
    _check_limits(new, limits)
    return Edit(content=new, description=description, claim=claim, relation=relation)


def _add_premise(
    content: MapContent, relation_id: str, claim_id: str, *, now: datetime
) -> tuple[Relation, MapContent]:
    """`content` with `claim_id` as one more premise of relation `relation_id`."""
    loc = ("premise_of",)
    index = next((i for i, r in enumerate(content.relations) if r.id == relation_id), None)
    if index is None:
        raise not_in_map("relation", relation_id, loc=loc)
    relation = content.relations[index]
    if len(relation.premises) >= MAX_PREMISES:
        raise InvalidInputError(
            f"that relation has {len(relation.premises)} premises already; "
            f"a relation may have at most {MAX_PREMISES}",
            loc=loc,
        )
    updated = relation.model_copy(
        update={"premises": [*relation.premises, claim_id], "updated_at": now}
    )
    check_relation(content, updated, loc=loc)
    check_no_duplicate(content, updated)
    relations = list(content.relations)
    relations[index] = updated
    return updated, content.model_copy(update={"relations": relations})


def claim_changes(body: ClaimUpdate) -> dict[str, Any]:
    """The fields a claim update sets, as the claim would hold them (`null` clears a list)."""
    changes: dict[str, Any] = {}
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name in ("text", "accepted") and value is None:
            continue  # required fields cannot be cleared
        if name in ("tags", "sources") and value is None:
            value = []
        if name == "data" and value is None:
            value = {}
        changes[name] = value
    return changes


def update_claim(
    content: MapContent,
    claim_id: str,
    body: ClaimUpdate,
    *,
    now: datetime,
    limits: Limits | None = None,
) -> Edit:
    index, claim = _find_claim(content, claim_id)
    changes = claim_changes(body)
    if not changes:
        return Edit(content=content, description=f"edit {quote(claim)} (no change)", claim=claim)
    updated = Claim.model_validate({**claim.model_dump(), **changes, "updated_at": now})
    _check_text(updated, limits or Limits())
    claims = list(content.claims)
    claims[index] = updated
    return Edit(
        content=content.model_copy(update={"claims": claims}),
        description=f"edit the {_fields(changes, ClaimUpdate)} of {quote(claim)}",
        claim=updated,
    )


def _relations_named(content: MapContent, ids: list[str]) -> str:
    """“the objection from “A” to “B”” or “3 relations: the …, the … and 1 more”."""
    relations = {r.id: r for r in content.relations}
    named = _listed([relation_words(content, relations[i]) for i in ids])
    return named if len(ids) == 1 else f"{len(ids)} relations: {named}"


def delete_claim(content: MapContent, claim_id: str, *, cascade: bool) -> Edit:
    _index, claim = _find_claim(content, claim_id)
    using = [r.id for r in relations_using_claim(content, claim_id)]
    removed = dependent_relations(content, using)
    if removed and not cascade:
        raise ConflictError(
            f"{quote(claim)} is used by {_relations_named(content, removed)}; "
            "delete with ?cascade=true to remove them too",
            loc=("claim_id",),
        )
    gone = set(removed)
    new = content.model_copy(
        update={
            "claims": [c for c in content.claims if c.id != claim_id],
            "relations": [r for r in content.relations if r.id not in gone],
        }
    )
    description = f"delete {quote(claim)}"
    if removed:
        description += f" and {_counted(len(removed), 'relation')} that used it"
    return Edit(content=new, description=description, removed_relations=removed)


def add_relation(
    content: MapContent, body: RelationCreate, *, now: datetime, limits: Limits
) -> Edit:
    relation = Relation(
        id=new_id("r", _taken(content)),
        kind=body.kind,
        premises=body.premises,
        target_claim=body.target_claim,
        target_relation=body.target_relation,
        note=body.note,
        author=body.author,
        created_at=now,
        updated_at=now,
    )
    check_relation(content, relation)
    check_no_duplicate(content, relation)
    new = content.model_copy(update={"relations": [*content.relations, relation]})
    _check_limits(new, limits)
    return Edit(
        content=new,
        description="add " + relation_words(content, relation, article=_article(relation.kind)),
        relation=relation,
    )


def relation_changes(body: RelationUpdate) -> dict[str, Any]:
    """The fields a relation update sets, as the relation would hold them (one target set
    clears the other)."""
    changes: dict[str, Any] = {}
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name in ("kind", "premises") and value is None:
            continue
        if name in ("target_claim", "target_relation"):
            if value is None:
                continue
            changes["target_claim"] = value if name == "target_claim" else None
            changes["target_relation"] = value if name == "target_relation" else None
            continue
        changes[name] = value
    return changes


def update_relation(
    content: MapContent, relation_id: str, body: RelationUpdate, *, now: datetime
) -> Edit:
    index, relation = _find_relation(content, relation_id)
    changes = relation_changes(body)
    if not changes:
        return Edit(
            content=content,
            description=f"edit {relation_words(content, relation)} (no change)",
            relation=relation,
        )
    updated = Relation.model_validate({**relation.model_dump(), **changes, "updated_at": now})
    check_relation(content, updated)
    check_no_duplicate(content, updated)
    relations = list(content.relations)
    relations[index] = updated
    return Edit(
        content=content.model_copy(update={"relations": relations}),
        description=f"edit the {_fields(changes, RelationUpdate)} of "
        f"{relation_words(content, relation)}",
        relation=updated,
    )


def delete_relation(content: MapContent, relation_id: str, *, cascade: bool) -> Edit:
    _index, relation = _find_relation(content, relation_id)
    removed = dependent_relations(content, [relation_id])
    if len(removed) > 1 and not cascade:
        raise ConflictError(
            f"{relation_words(content, relation).capitalize()} is the target of "
            f"{_relations_named(content, removed[1:])}; delete with ?cascade=true to remove "
            "them too",
            loc=("relation_id",),
        )
    gone = set(removed)
    new = content.model_copy(
        update={"relations": [r for r in content.relations if r.id not in gone]}
    )
    description = f"delete {relation_words(content, relation)}"
    if len(removed) > 1:
        description += f" and {_counted(len(removed) - 1, 'relation')} aimed at it"
    return Edit(content=new, description=description, removed_relations=removed)
