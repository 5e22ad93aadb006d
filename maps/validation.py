"""The rules every map obeys. Each breach raises an error that names the element at fault."""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from models import ConflictError, InvalidInputError, LimitExceededError, MapContent, Relation

RelationKey = tuple[str, frozenset[str], str, str]


def relation_key(relation: Relation) -> RelationKey:
    """Two relations with the same key say the same thing twice."""
    target_kind = "claim" if relation.target_claim is not None else "relation"
    return (relation.kind.value, frozenset(relation.premises), target_kind, relation.target)


def not_in_map(
    kind: Literal["claim", "relation"], element_id: str, *, loc: tuple[str | int, ...]
) -> InvalidInputError:
    """The error for a reference to a claim or relation (`kind`) that the map does not have."""
    return InvalidInputError(f"{kind} {element_id!r} does not exist in this map", loc=loc)


def check_references(
    relation: Relation,
    *,
    claim_ids: Collection[str],
    relation_ids: Collection[str],
    loc: tuple[str | int, ...] = (),
) -> None:
    """Check that every premise and the target of a relation are in the map."""
    for index, premise in enumerate(relation.premises):
        if premise not in claim_ids:
            raise not_in_map("claim", premise, loc=(*loc, "premises", index))
    if relation.target_claim is not None:
        if relation.target_claim not in claim_ids:
            raise not_in_map("claim", relation.target_claim, loc=(*loc, "target_claim"))
    elif relation.target_relation is not None and relation.target_relation not in relation_ids:
        raise not_in_map("relation", relation.target_relation, loc=(*loc, "target_relation"))


def check_relation(
    content: MapContent,
    relation: Relation,
    *,
    loc: tuple[str | int, ...] = (),
    claim_ids: set[str] | None = None,
    relation_ids: set[str] | None = None,
) -> None:
    """Check one relation against the claims and relations of `content`.

    The relation itself may or may not already be in `content`.
    """
    if claim_ids is None:
        claim_ids = {claim.id for claim in content.claims}
    if relation_ids is None:
        relation_ids = {r.id for r in content.relations} | {relation.id}
    check_references(relation, claim_ids=claim_ids, relation_ids=relation_ids, loc=loc)
    if relation.target_claim is not None and relation.target_claim in relation.premises:
        raise InvalidInputError(
            f"claim {relation.target_claim!r} cannot be both premise and target",
            loc=(*loc, "target_claim"),
        )
    if relation.target_relation == relation.id:
        raise InvalidInputError("a relation cannot target itself", loc=(*loc, "target_relation"))


def check_no_duplicate(content: MapContent, relation: Relation) -> None:
    key = relation_key(relation)
    for other in content.relations:
        if other.id != relation.id and relation_key(other) == key:
            raise ConflictError(
                f"relation {other.id!r} already has this kind, these premises and this target",
                loc=("relations", other.id),
            )


def validate_content(content: MapContent, *, max_claims: int | None = None) -> None:
    """Check a whole map: unique ids, every reference inside the map, no duplicate relations."""
    if max_claims is not None and len(content.claims) > max_claims:
        raise LimitExceededError(
            f"{len(content.claims)} claims exceed the limit of {max_claims} claims per map",
            loc=("claims",),
        )
    seen: dict[str, str] = {}
    for index, claim in enumerate(content.claims):
        if claim.id in seen:
            raise InvalidInputError(f"id {claim.id!r} is used twice", loc=("claims", index, "id"))
        seen[claim.id] = "claim"
    for index, relation in enumerate(content.relations):
        if relation.id in seen:
            raise InvalidInputError(
                f"id {relation.id!r} is already used by a {seen[relation.id]}",
                loc=("relations", index, "id"),
            )
        seen[relation.id] = "relation"
    claim_ids = {claim.id for claim in content.claims}
    relation_ids = {relation.id for relation in content.relations}
    keys: dict[RelationKey, str] = {}
    for index, relation in enumerate(content.relations):
        check_relation(
            content,
            relation,
            loc=("relations", index),
            claim_ids=claim_ids,
            relation_ids=relation_ids,
        )
        key = relation_key(relation)
        if key in keys:
            raise ConflictError(
                f"relation {relation.id!r} repeats relation {keys[key]!r} "
                "(same kind, premises and target)",
                loc=("relations", index),
            )
        keys[key] = relation.id
