"""Revision descriptions name claims by title or text (maps/quote.py), never by id; a new claim
can join a relation as one more linked premise in the same change (`premise_of`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from maps import edit
from maps.changes import revision_changes, summary
from models import (
    Claim,
    ClaimCreate,
    ClaimUpdate,
    InvalidInputError,
    MapContent,
    Relation,
    RelationCreate,
    RelationUpdate,
)
from models.map import MAX_PREMISES

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LIMITS = edit.Limits()
LONG = "Councils decide how the money is spent in every single district of the city"


def councils() -> MapContent:
    """“Councils decide” (titled), an objection to it, a support for the objection's inference."""
    return MapContent(
        title="Councils",
        claims=[
            Claim(id="c1", text=LONG, title="Councils decide"),
            Claim(id="c2", text="Councillors are captured by developers."),
            Claim(id="c3", text="Elections check them."),
            Claim(id="c4", text="Turnout is low."),
        ],
        relations=[
            Relation(id="r1", kind="objection", premises=["c2"], target_claim="c1"),
            Relation(id="r2", kind="objection", premises=["c4"], target_relation="r1"),
            Relation(id="r3", kind="support", premises=["c3"], target_claim="c1"),
        ],
    )


def no_ids(description: str, content: MapContent) -> str:
    ids = [e.id for e in [*content.claims, *content.relations]]
    assert not [i for i in ids if i in description.split()], description
    return description


def test_adding_claims_and_relations_is_described_by_their_words() -> None:
    content = councils()
    alone = edit.add_claim(content, ClaimCreate(text=LONG), now=NOW, limits=LIMITS)
    assert alone.description == (
        "add the claim “Councils decide how the money is spent in every single…”"
    )
    objection = ClaimCreate(
        text="Budgets are set nationally.",
        relation={"kind": "objection", "target_claim": "c1"},
    )
    added = edit.add_claim(content, objection, now=NOW, limits=LIMITS)
    assert (
        added.description == "add the objection “Budgets are set nationally.” to “Councils decide”"
    )
    undercut = ClaimCreate(
        text="Not here.", relation={"kind": "objection", "target_relation": "r1"}
    )
    added = edit.add_claim(content, undercut, now=NOW, limits=LIMITS)
    assert added.description == (
        "add the objection “Not here.” to the inference from "
        "“Councillors are captured by developers.” to “Councils decide”"
    )
    body = RelationCreate(kind="support", premises=["c2", "c4"], target_claim="c3")
    linked = edit.add_relation(content, body, now=NOW, limits=LIMITS)
    assert linked.description == (
        "add a support from “Councillors are captured by developers.” and “Turnout is low.” "
        "to “Elections check them.”"
    )


def test_edits_and_deletions_are_described_by_their_words() -> None:
    content = councils()
    text = edit.update_claim(content, "c2", ClaimUpdate(text="New", tags=["x"]), now=NOW)
    assert text.description == "edit the text and tags of “Councillors are captured by developers.”"
    same = edit.update_claim(content, "c1", ClaimUpdate(), now=NOW)
    assert same.description == "edit “Councils decide” (no change)"
    premises = edit.update_relation(content, "r3", RelationUpdate(premises=["c3", "c4"]), now=NOW)
    assert premises.description == (
        "edit the premises of the support from “Elections check them.” to “Councils decide”"
    )
    gone = edit.delete_claim(content, "c2", cascade=True)
    assert gone.description == (
        "delete “Councillors are captured by developers.” and the 2 relations that used it"
    )
    one = edit.delete_claim(content, "c3", cascade=True)
    assert one.description == "delete “Elections check them.” and the relation that used it"
    relation = edit.delete_relation(content, "r1", cascade=True)
    assert relation.description == (
        "delete the objection from “Councillors are captured by developers.” to "
        "“Councils decide” and the relation aimed at it"
    )
    for result in (text, same, premises, gone, one, relation):
        no_ids(result.description, content)


def test_a_new_claim_joins_a_relation_as_a_linked_premise_in_one_change() -> None:
    content = councils()
    body = ClaimCreate(text="Councils answer to nobody.", premise_of="r1")
    result = edit.add_claim(content, body, now=NOW, limits=LIMITS)
    assert result.claim is not None
    assert result.relation is not None
    assert result.relation.id == "r1"
    assert result.relation.premises == ["c2", result.claim.id]
    assert result.relation.updated_at == NOW
    stored = {r.id: r for r in result.content.relations}
    assert stored["r1"].premises == ["c2", result.claim.id]
    assert len(result.content.relations) == len(content.relations)
    assert result.description == (
        "add “Councils answer to nobody.” as a linked premise of the objection to “Councils decide”"
    )
    # and what the event stream and the history say of it
    said = summary(revision_changes(content, result.content, number=2), content, result.content, "")
    assert said == (
        "added “Councils answer to nobody.” as a linked premise of an objection to “Councils decide”"
    )
    # a premise of an undercut: the relation is named by what it aims at
    aimed = edit.add_claim(
        content, ClaimCreate(text="Few vote.", premise_of="r2"), now=NOW, limits=LIMITS
    )
    assert aimed.description == (
        "add “Few vote.” as a linked premise of the objection to the inference from "
        "“Councillors are captured by developers.” to “Councils decide”"
    )


def test_premise_of_is_checked() -> None:
    content = councils()
    with pytest.raises(InvalidInputError) as missing:
        edit.add_claim(content, ClaimCreate(text="x", premise_of="r9"), now=NOW, limits=LIMITS)
    assert missing.value.loc == ("premise_of",)
    full = content.model_copy(
        update={
            "claims": [
                *content.claims,
                *(Claim(id=f"p{i}", text="p") for i in range(MAX_PREMISES)),
            ],
            "relations": [
                Relation(
                    id="big",
                    kind="support",
                    premises=[f"p{i}" for i in range(MAX_PREMISES)],
                    target_claim="c1",
                )
            ],
        }
    )
    with pytest.raises(InvalidInputError) as over:
        edit.add_claim(full, ClaimCreate(text="x", premise_of="big"), now=NOW, limits=LIMITS)
    assert over.value.loc == ("premise_of",)
    assert str(MAX_PREMISES) in str(over.value)
    with pytest.raises(ValidationError) as both:
        ClaimCreate(text="x", premise_of="r1", relation={"kind": "support", "target_claim": "c1"})
    assert both.value.errors()[0]["loc"] == ("premise_of",)
