"""Shared helpers of the format tests: a canonical view of a map for comparing round trips."""

from __future__ import annotations

from typing import Any

from models import MapContent, Relation

CLAIM_FIELDS = ("text", "tags", "sources", "note", "author", "accepted", "weight", "group", "data")


def claim_view(
    content: MapContent, fields: tuple[str, ...] = CLAIM_FIELDS
) -> dict[str, tuple[Any, ...]]:
    """Claim id -> the chosen fields, in a comparable form."""
    return {
        claim.id: tuple(
            [s.model_dump() for s in claim.sources] if name == "sources" else getattr(claim, name)
            for name in fields
        )
        for claim in content.claims
    }


def relation_view(
    content: MapContent, *, with_notes: bool = True, claim_names: dict[str, str] | None = None
) -> set[tuple[Any, ...]]:
    """Relations by what they say (kind, linked premises, target; undercuts by their target's
    view), independent of relation ids. `claim_names` renames claims (e.g. id -> text)."""
    return set(relation_keys(content, with_notes=with_notes, claim_names=claim_names).values())


def relation_keys(
    content: MapContent, *, with_notes: bool = True, claim_names: dict[str, str] | None = None
) -> dict[str, tuple[Any, ...]]:
    """Relation id -> what the relation says, as in `relation_view`."""
    by_id = {r.id: r for r in content.relations}
    name = (lambda c: claim_names[c]) if claim_names else (lambda c: c)

    def key(relation: Relation, depth: int = 0) -> tuple[Any, ...]:
        assert depth < 100, "relations aim at each other in a circle"
        if relation.target_claim is not None:
            target: tuple[Any, ...] = ("claim", name(relation.target_claim))
        else:
            target = ("relation", key(by_id[str(relation.target_relation)], depth + 1))
        notes = (relation.note, relation.author) if with_notes else ()
        return (relation.kind.value, frozenset(name(p) for p in relation.premises), target, *notes)

    return {r.id: key(r) for r in content.relations}


def same_map(a: MapContent, b: MapContent, *, with_notes: bool = True) -> None:
    """Assert two maps say the same (claims by id with every field, relations by content)."""
    assert a.title == b.title
    assert a.description == b.description
    assert claim_view(a) == claim_view(b)
    assert relation_view(a, with_notes=with_notes) == relation_view(b, with_notes=with_notes)
