"""Read-only questions about a map: lookups, roles, neighbourhoods."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable

from models import Claim, MapContent, Relation, RelationKind, Role


def claims_by_id(content: MapContent) -> dict[str, Claim]:
    return {claim.id: claim for claim in content.claims}


def relations_by_id(content: MapContent) -> dict[str, Relation]:
    return {relation.id: relation for relation in content.relations}


def relations_using_claim(content: MapContent, claim_id: str) -> list[Relation]:
    """Relations that have the claim as a premise or as their target."""
    return [
        relation
        for relation in content.relations
        if claim_id in relation.premises or relation.target_claim == claim_id
    ]


def dependent_relations(content: MapContent, relation_ids: Iterable[str]) -> list[str]:
    """The given relations plus every relation that targets one of them, transitively."""
    targeted_by: dict[str, list[str]] = defaultdict(list)
    for relation in content.relations:
        if relation.target_relation is not None:
            targeted_by[relation.target_relation].append(relation.id)
    found: dict[str, None] = {}
    queue = deque(relation_ids)
    while queue:
        rid = queue.popleft()
        if rid in found:
            continue
        found[rid] = None
        queue.extend(targeted_by.get(rid, ()))
    return list(found)


def rebuttals(content: MapContent) -> set[str]:
    """Ids of the rebuttals: objections aimed at an objecting claim or at an objection."""
    relations = relations_by_id(content)
    objecting_claims = {
        premise
        for relation in content.relations
        if relation.kind is RelationKind.OBJECTION
        for premise in relation.premises
    }
    return {
        relation.id
        for relation in content.relations
        if relation.kind is RelationKind.OBJECTION
        and (
            (relation.target_claim is not None and relation.target_claim in objecting_claims)
            or (
                relation.target_relation is not None
                and relation.target_relation in relations
                and relations[relation.target_relation].kind is RelationKind.OBJECTION
            )
        )
    }


def claim_roles(content: MapContent) -> dict[str, Role]:
    """The derived role of every claim.

    `thesis`: premise of no relation. `rebuttal`: premise of an objection whose target is an
    objecting claim, or which is aimed at an objection relation. `objection`: premise of another
    objection. `support`: premise of supports only. A claim premise of several relations takes
    the strongest of rebuttal > objection > support.
    """
    rebutting = rebuttals(content)
    roles: dict[str, Role] = {claim.id: Role.THESIS for claim in content.claims}
    rank = {Role.THESIS: 0, Role.SUPPORT: 1, Role.OBJECTION: 2, Role.REBUTTAL: 3}
    for relation in content.relations:
        if relation.kind is RelationKind.SUPPORT:
            role = Role.SUPPORT
        else:
            role = Role.REBUTTAL if relation.id in rebutting else Role.OBJECTION
        for premise in relation.premises:
            if premise in roles and rank[role] > rank[roles[premise]]:
                roles[premise] = role
    return roles


def with_roles(content: MapContent) -> list[Claim]:
    """The claims with their derived `role` filled in."""
    roles = claim_roles(content)
    return [claim.model_copy(update={"role": roles[claim.id]}) for claim in content.claims]


def theses(content: MapContent) -> list[Claim]:
    roles = claim_roles(content)
    return [claim for claim in content.claims if roles[claim.id] is Role.THESIS]


def neighbourhood(content: MapContent, claim_id: str, depth: int) -> tuple[set[str], set[str]]:
    """Claim and relation ids within `depth` relations of a claim (either direction).

    A relation counts as one step from each of its premises and its target; an undercut reaches
    the relation it targets and that relation's premises and target on the next step.
    """
    relations = relations_by_id(content)
    touching: dict[str, list[str]] = defaultdict(list)  # claim or relation id -> relation ids
    for relation in content.relations:
        for premise in relation.premises:
            touching[premise].append(relation.id)
        touching[relation.target].append(relation.id)
    claims: set[str] = {claim_id}
    seen_relations: set[str] = set()
    frontier: set[str] = {claim_id}
    for _ in range(depth):
        next_frontier: set[str] = set()
        for node in frontier:
            for rid in touching.get(node, ()):
                if rid in seen_relations:
                    continue
                seen_relations.add(rid)
                relation = relations[rid]
                ends = [*relation.premises]
                if relation.target_claim is not None:
                    ends.append(relation.target_claim)
                for end in ends:
                    if end not in claims:
                        claims.add(end)
                        next_frontier.add(end)
                next_frontier.add(rid)  # undercuts of this relation are one step further
                if relation.target_relation is not None:
                    next_frontier.add(relation.target_relation)
        frontier = next_frontier
    # A relation is drawn only when its premises and target are all drawn.
    kept = {
        rid
        for rid in seen_relations
        if all(p in claims for p in relations[rid].premises)
        and (
            relations[rid].target_claim in claims
            if relations[rid].target_claim is not None
            else relations[rid].target_relation in seen_relations
        )
    }
    return claims, kept


def subgraph(content: MapContent, claim_ids: set[str], relation_ids: set[str]) -> MapContent:
    """The part of a map made of the given claims and relations, in the map's order."""
    return content.model_copy(
        update={
            "claims": [c for c in content.claims if c.id in claim_ids],
            "relations": [r for r in content.relations if r.id in relation_ids],
        }
    )
