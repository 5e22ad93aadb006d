"""The rules every map obeys. Each breach raises an error that names the element at fault."""

from __future__ import annotations

from models import ConflictError, InvalidInputError, LimitExceededError, MapContent, Relation

RelationKey = tuple[str, frozenset[str], str, str]


def relation_key(relation: Relation) -> RelationKey:
    """Two relations with the same key say the same thing twice."""
    target_kind = "claim" if relation.target_claim is not None else "relation"
    return (relation.kind.value, frozenset(relation.premises), target_kind, relation.target)


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
    for index, premise in enumerate(relation.premises):
        if premise not in claim_ids:
            raise InvalidInputError(
                f"claim {premise!r} does not exist in this map", loc=(*loc, "premises", index)
            )
    if relation.target_claim is not None:
        if relation.target_claim not in claim_ids:
            raise InvalidInputError(
                f"claim {relation.target_claim!r} does not exist in this map",
                loc=(*loc, "target_claim"),
            )
        if relation.target_claim in relation.premises:
            raise InvalidInputError(
                f"claim {relation.target_claim!r} cannot be both premise and target",
                loc=(*loc, "target_claim"),
            )
    else:
        target = str(relation.target_relation)
        if target == relation.id:
            raise InvalidInputError("a relation cannot target itself", loc=(*loc, "target_relation"))
        if target not in relation_ids:
            raise InvalidInputError(
                f"relation {target!r} does not exist in this map", loc=(*loc, "target_relation")
            )


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
