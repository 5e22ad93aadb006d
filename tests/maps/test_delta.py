"""Deltas between contents of a map rebuild the later content exactly, whatever changed."""

from __future__ import annotations

import json
import zlib

from hypothesis import given
from hypothesis import strategies as st

from maps.delta import apply, content_json, delta
from models import Claim, MapContent, Relation

ids = st.sampled_from([f"c{n}" for n in range(8)])
claims = st.builds(
    Claim,
    id=ids,
    text=st.sampled_from(["Cars pollute", "Shops lose customers", "Air is cleaner", "Ünïcode ✓"]),
    tags=st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True),
    accepted=st.booleans(),
    title=st.none() | st.just("Short"),
)


@st.composite
def contents(draw: st.DrawFn) -> MapContent:
    chosen = {claim.id: claim for claim in draw(st.lists(claims, max_size=8))}
    present = list(chosen.values())
    draw(st.randoms()).shuffle(present)
    relations = []
    if len(present) >= 2:
        for number in range(draw(st.integers(0, 3))):
            premise, target = draw(st.permutations(present))[:2]
            relations.append(
                Relation(
                    id=f"r{number}",
                    kind=draw(st.sampled_from(["support", "objection"])),
                    premises=[premise.id],
                    target_claim=target.id,
                )
            )
    return MapContent(
        title=draw(st.sampled_from(["Map", "Renamed"])),
        description=draw(st.sampled_from(["", "About cars"])),
        claims=present,
        relations=relations,
    )


@given(contents(), contents())
def test_a_delta_rebuilds_the_later_content_exactly(before: MapContent, after: MapContent) -> None:
    assert apply(before, delta(before, after)) == after


@given(st.lists(contents(), min_size=1, max_size=6))
def test_a_chain_of_deltas_rebuilds_every_content(chain: list[MapContent]) -> None:
    content = MapContent(title="Start")
    for later in chain:
        content = apply(content, delta(content, later))
        assert content == later


def test_editing_one_claim_of_5000_writes_a_small_delta() -> None:
    before = MapContent(
        title="Big",
        claims=[
            Claim(id=f"c{n}", text=f"Claim number {n}: " + "words " * 150) for n in range(5000)
        ],
    )
    edited = before.claims[2500].model_copy(update={"text": "A new text"})
    after = before.model_copy(
        update={"claims": [*before.claims[:2500], edited, *before.claims[2501:]]}
    )
    change = delta(before, after)
    assert change["claims"]["put"] == [content_json(after)["claims"][2500]]
    assert "order" not in change["claims"]
    packed = zlib.compress(json.dumps(change).encode())
    whole = zlib.compress(json.dumps(content_json(after)).encode())
    assert len(packed) < 10_000 < len(whole)
