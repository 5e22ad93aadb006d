"""The Kialo export's report: everything Kialo's text format cannot hold, named in words."""

from __future__ import annotations

import re

from maps.formats import kialo
from models import Claim, DecisionRule, MapContent, Relation, Source

ID = re.compile(r"\b[cr]\d+\b|\bc-|\br-")


def debate() -> MapContent:
    return MapContent(
        title="Car-free centres",
        claims=[
            Claim(id="c1", text="Cities should ban cars from their centres.", title="Ban cars"),
            Claim(id="c2", text="Car-free centres have cleaner air.", tags=["air"]),
            Claim(id="c3", text="Cleaner air means fewer asthma attacks."),
            Claim(id="c4", text="Safer streets alone do not justify a ban.", note="A note."),
            Claim(
                id="c5",
                text="Streets without cars are safer.",
                sources=[Source(citation="Road report 2024")],
            ),
        ],
        relations=[
            Relation(id="r1", kind="support", premises=["c2", "c3"], target_claim="c1"),
            Relation(id="r2", kind="support", premises=["c5"], target_claim="c1", tags=["safety"]),
            Relation(id="r3", kind="objection", premises=["c4"], target_relation="r2"),
        ],
    )


def test_the_report_lists_what_kialo_cannot_hold_in_words() -> None:
    text, report = kialo.dumps(debate())
    items = {(item.what, item.element): item.reason for item in report.not_carried}
    assert "each premise became a Pro of its own" in items[("linked premises", "r1")]
    assert (
        "“Car-free centres have cleaner air.” + “Cleaner air means fewer asthma attacks.”"
        in (items[("linked premises", "r1")])
    )
    undercut = items[("undercut", "r3")]
    assert "cannot aim at an inference" in undercut
    assert "to the inference from “Streets without cars are safer.” to “Ban cars”" in undercut
    assert "written as a Con under “Streets without cars are safer.”" in undercut
    assert (
        "the title “Ban cars” of “Cities should ban cars from their centres.”"
        in items[("title", "c1")]
    )
    assert "#air" in items[("tags", "c2")]
    assert "the source of “Streets without cars are safer.” is left out" in items[("sources", "c5")]
    assert "the note of “Safer streets alone do not justify a ban.”" in items[("note", "c4")]
    assert "#safety" in items[("tags", "r2")]
    assert "the support from" in items[("tags", "r2")]
    # The sentences name claims by their words, never by id (ids stay in `element` for tools).
    for item in report.not_carried:
        assert not ID.search(item.reason), item.reason
    assert "Pro: Car-free centres have cleaner air." in text


def test_a_rule_of_decision_other_than_the_default_is_reported() -> None:
    ruled = debate().model_copy(
        update={"rule": DecisionRule(semantics="preferred", proof_standard="scintilla")}
    )
    _text, report = kialo.dumps(ruled)
    (item,) = [i for i in report.not_carried if i.what == "rule of decision"]
    assert "preferred semantics" in item.reason
    assert "the scintilla standard" in item.reason
    _text, plain = kialo.dumps(debate())
    assert not [i for i in plain.not_carried if i.what == "rule of decision"]
