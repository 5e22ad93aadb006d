"""Small factories for test data."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from hypothesis import strategies as st

from models import Claim, MapContent, Relation, RelationKind


def create_map(client: TestClient, title: str = "A debate", **extra: Any) -> dict[str, Any]:
    response = client.post("/api/v1/maps", json={"title": title, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def add_claim(
    client: TestClient,
    map_id: str,
    text: str,
    *,
    kind: str | None = None,
    target_claim: str | None = None,
    target_relation: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text, **extra}
    if kind:
        target = (
            {"target_claim": target_claim} if target_claim else {"target_relation": target_relation}
        )
        body["relation"] = {"kind": kind, **target}
    response = client.post(f"/api/v1/maps/{map_id}/claims", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def debate(client: TestClient) -> dict[str, Any]:
    """A map with a thesis, a support, an objection and a rebuttal; returns their ids."""
    argument_map = create_map(client)
    map_id = argument_map["id"]
    thesis = add_claim(client, map_id, "Cities should ban cars from their centres.")["claim"]
    support = add_claim(
        client,
        map_id,
        "Car-free centres have cleaner air.",
        kind="support",
        target_claim=thesis["id"],
    )
    objection = add_claim(
        client,
        map_id,
        "Shops lose customers who drive.",
        kind="objection",
        target_claim=thesis["id"],
    )
    rebuttal = add_claim(
        client,
        map_id,
        "Footfall rises after pedestrianisation.",
        kind="objection",
        target_claim=objection["claim"]["id"],
    )
    return {
        "map_id": map_id,
        "thesis": thesis["id"],
        "support": support["claim"]["id"],
        "support_relation": support["relation"]["id"],
        "objection": objection["claim"]["id"],
        "objection_relation": objection["relation"]["id"],
        "rebuttal": rebuttal["claim"]["id"],
        "rebuttal_relation": rebuttal["relation"]["id"],
    }


def small_content(title: str = "Small map") -> MapContent:
    """A thesis with a support, an objection and a rebuttal, as content (no database)."""
    return MapContent(
        title=title,
        claims=[
            Claim(id="t", text="Thesis"),
            Claim(id="s", text="Support"),
            Claim(id="o", text="Objection"),
            Claim(id="b", text="Rebuttal"),
        ],
        relations=[
            Relation(id="r1", kind=RelationKind.SUPPORT, premises=["s"], target_claim="t"),
            Relation(id="r2", kind=RelationKind.OBJECTION, premises=["o"], target_claim="t"),
            Relation(id="r3", kind=RelationKind.OBJECTION, premises=["b"], target_claim="o"),
        ],
    )


def undercut_ladder(*, layers: int = 15, width: int = 5) -> MapContent:
    """Chained, cross-linked undercuts of undercuts: defence trees exponential in their depth.

    Per layer k, `width` claims p{k}_j, each defeated by an objection b{k}_j from the one `base`
    claim. Every b{k}_j is undercut from each premise p{k+1}_i of the next layer, which is out,
    so b{k}_j stands, defended by `width` undercuts that each fall with their premise. A path of
    three tree levels (b, undercut, premise) meets `width` branches again; the 15 x 5 default
    has 76 claims and 425 relations.
    """
    claims = [Claim(id="base", text="The ground of every objection.")]
    relations: list[Relation] = []
    for k in range(layers):
        for j in range(width):
            claims.append(Claim(id=f"p{k}_{j}", text=f"Premise {j} of layer {k}."))
            relations.append(
                Relation(
                    id=f"b{k}_{j}",
                    kind=RelationKind.OBJECTION,
                    premises=["base"],
                    target_claim=f"p{k}_{j}",
                )
            )
    for k in range(layers - 1):
        for j in range(width):
            relations.extend(
                Relation(
                    id=f"u{k}_{j}_{i}",
                    kind=RelationKind.OBJECTION,
                    premises=[f"p{k + 1}_{i}"],
                    target_relation=f"b{k}_{j}",
                )
                for i in range(width)
            )
    return MapContent(title="Undercut ladder", claims=claims, relations=relations)


def make_map(
    claims: dict[str, str] | list[str],
    relations: list[tuple[str, str, list[str], str]],
    *,
    accepted: tuple[str, ...] = (),
    weights: dict[str, float] | None = None,
) -> MapContent:
    """Relations as (id, kind, premises, target); a target that is a relation id is an undercut."""
    texts = claims if isinstance(claims, dict) else {c: f"Claim {c}" for c in claims}
    relation_ids = {r[0] for r in relations}
    weights = weights or {}
    return MapContent.model_validate(
        {
            "title": "test",
            "claims": [
                {"id": cid, "text": text, "accepted": cid in accepted, "weight": weights.get(cid)}
                for cid, text in texts.items()
            ],
            "relations": [
                {
                    "id": rid,
                    "kind": kind,
                    "premises": premises,
                    ("target_relation" if target in relation_ids else "target_claim"): target,
                }
                for rid, kind, premises, target in relations
            ],
        }
    )


@st.composite
def small_maps(draw: st.DrawFn, *, most_claims: int = 4, most_relations: int = 5) -> MapContent:
    """Random maps: linked premises, supports, objections, undercuts, cycles."""
    n_claims = draw(st.integers(1, most_claims))
    claims = [f"c{i}" for i in range(n_claims)]
    relations: list[tuple[str, str, list[str], str]] = []
    keys: set[tuple[str, frozenset[str], str]] = set()
    for j in range(draw(st.integers(0, most_relations))):
        kind = draw(st.sampled_from(["objection", "objection", "support"]))
        premises = draw(st.lists(st.sampled_from(claims), min_size=1, max_size=2, unique=True))
        targets = [c for c in claims if c not in premises] + [r[0] for r in relations]
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        key = (kind, frozenset(premises), target)
        if key in keys:
            continue
        keys.add(key)
        relations.append((f"r{j}", kind, premises, target))
    accepted = tuple(c for c in claims if draw(st.booleans()))
    return make_map(claims, relations, accepted=accepted)
