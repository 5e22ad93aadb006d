"""AIF JSON import and export (AIFdb and the OVA3 wrapper)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from format_helpers import claim_view, relation_view

from maps.formats import aif, registry
from maps.formats.common import ImportLimits
from maps.samples import load_sample
from models import InvalidInputError, LimitExceededError

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["aifdb.json", "ova3.json"])
def test_nodes_become_claims_and_relations(name: str) -> None:
    content, report = aif.loads(load(name), title="Museums")
    assert content.title == "Museums"
    claims = {c.id: c for c in content.claims}
    assert set(claims) == {"1", "2", "3", "5", "7", "10", "16"}
    assert claims["1"].text == "Museums should be free to enter."
    assert claims["1"].created_at == datetime(2024, 3, 1, 10, 0, 0)
    assert relation_view(content) == {
        # RA with two premises: a support with linked premises
        ("support", frozenset({"2", "3"}), ("claim", "1"), None, None),
        # CA: an objection
        ("objection", frozenset({"5"}), ("claim", "1"), None, None),
        # CA aimed at an RA: an undercut
        (
            "objection",
            frozenset({"7"}),
            ("relation", ("support", frozenset({"2", "3"}), ("claim", "1"), None, None)),
            None,
            None,
        ),
        ("support", frozenset({"16"}), ("claim", "5"), None, None),
    }
    dropped = {(item.what, item.element) for item in report.not_carried}
    # Dialogue nodes, rephrase and preference are reported, one item per node, never silently
    for what, node in (
        ("MA node", "9"),
        ("PA node", "11"),
        ("L node", "12"),
        ("YA node", "13"),
        ("TA node", "14"),
    ):
        assert (what, node) in dropped
    assert ("scheme", "15") in dropped
    assert ("locutions", None) in dropped
    if name == "ova3.json":
        assert {("OVA layout", None), ("analysed text", None), ("participants", None)} <= dropped
    assert report.carried["claims"] == 7
    assert report.carried["undercuts"] == 1


def test_round_trip_keeps_ids_claims_and_relations() -> None:
    content, _ = aif.loads(load("aifdb.json"))
    text, _ = aif.dumps(content)
    again, report = aif.loads(text, title=content.title)
    assert claim_view(again, ("text",)) == claim_view(content, ("text",))
    assert {r.id for r in again.relations} == {r.id for r in content.relations}
    assert relation_view(again) == relation_view(content)
    assert report.not_carried == []


def test_export_writes_default_schemes_and_edges() -> None:
    document, _ = aif.to_document(load_sample())
    types = {node["type"] for node in document["nodes"]}
    assert types == {"I", "RA", "CA"}
    schemes = {node["scheme"] for node in document["nodes"] if node["type"] != "I"}
    assert schemes == {"Default Inference", "Default Conflict"}
    ids = {node["nodeID"] for node in document["nodes"]}
    assert all(edge["fromID"] in ids and edge["toID"] in ids for edge in document["edges"])
    assert document["locutions"] == []


def test_sample_round_trip_and_report_of_what_aif_drops() -> None:
    sample = load_sample()
    text, report = aif.dumps(sample)
    again, _ = aif.loads(text, title=sample.title)
    assert claim_view(again, ("text",)) == claim_view(sample, ("text",))
    assert relation_view(again, with_notes=False) == relation_view(sample, with_notes=False)
    dropped = {(item.what, item.element) for item in report.not_carried}
    # Exactly the fields that hold something are reported, per element.
    expected = set()
    for claim in sample.claims:
        for name in ("title", "tags", "sources", "note", "author", "group", "data", "weight"):
            if getattr(claim, name) not in (None, [], {}, ""):
                expected.add((name, claim.id))
        if claim.accepted:
            expected.add(("accepted", claim.id))
    for relation in sample.relations:
        for name in ("note", "tags", "author"):
            if getattr(relation, name):
                expected.add((name, relation.id))
    expected |= {("title", None)}
    if sample.description:
        expected.add(("description", None))
    assert dropped == expected


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("document", "loc"),
    [
        ([1, 2], ()),
        ({"nodes": {"a": 1}}, ("nodes",)),
        ({"nodes": [{"text": "x", "type": "I"}]}, ("nodes", 0)),
        ({"nodes": [{"nodeID": "1", "text": "x", "type": 5}]}, ("nodes", 0, "type")),
        ({"nodes": [{"nodeID": "1", "text": "", "type": "I"}]}, ("nodes", 0, "text")),
        (
            {
                "nodes": [
                    {"nodeID": "1", "text": "a", "type": "I"},
                    {"nodeID": "1", "text": "b", "type": "I"},
                ]
            },
            ("nodes", 1, "nodeID"),
        ),
        (
            {
                "nodes": [{"nodeID": "1", "text": "a", "type": "I"}],
                "edges": [{"fromID": "1", "toID": "9"}],
            },
            ("edges", 0, "toID"),
        ),
        ({"AIF": [], "OVA": {}}, ("AIF",)),
        (
            {
                "AIF": {
                    "nodes": [{"nodeID": "1", "text": "a", "type": "I"}],
                    "edges": [{"fromID": "x", "toID": "1"}],
                }
            },
            ("AIF", "edges", 0, "fromID"),
        ),
    ],
)
def test_wrong_shapes_and_dangling_ids_are_clear_errors(
    document: object, loc: tuple[object, ...]
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        aif.loads(json.dumps(document))
    assert caught.value.loc == loc


def test_cycles_of_scheme_nodes_do_not_hang() -> None:
    nodes = [
        {"nodeID": "p", "text": "p", "type": "I"},
        {"nodeID": "q", "text": "q", "type": "I"},
        {"nodeID": "a", "text": "", "type": "CA"},
        {"nodeID": "b", "text": "", "type": "CA"},
    ]
    edges = [
        {"fromID": "p", "toID": "a"},
        {"fromID": "a", "toID": "b"},
        {"fromID": "q", "toID": "b"},
        {"fromID": "b", "toID": "a"},
    ]
    content, _ = aif.loads(json.dumps({"nodes": nodes, "edges": edges}))
    assert {(r.id, r.target_relation) for r in content.relations} == {("a", "b"), ("b", "a")}


def test_an_ra_whose_conclusion_is_its_premise_is_reported() -> None:
    nodes = [{"nodeID": "p", "text": "p", "type": "I"}, {"nodeID": "r", "text": "", "type": "RA"}]
    edges = [{"fromID": "p", "toID": "r"}, {"fromID": "r", "toID": "p"}]
    content, report = aif.loads(json.dumps({"nodes": nodes, "edges": edges}))
    assert content.relations == []
    assert [item.element for item in report.not_carried] == ["r"]


def test_deep_json_and_too_many_claims_are_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        aif.loads('{"nodes": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert "levels deep" in str(caught.value)
    nodes = [{"nodeID": str(i), "text": f"c{i}", "type": "I"} for i in range(20)]
    with pytest.raises(LimitExceededError):
        aif.loads(json.dumps({"nodes": nodes, "edges": []}), limits=ImportLimits(max_claims=10))


# ------------------------------------------------------------------------------ issue 17: 10


def test_a_scheme_named_only_in_the_text_is_reported() -> None:
    content, report = aif.loads(load("aifdb_scheme_in_text.json"))
    assert relation_view(content, with_notes=False) == {
        ("support", frozenset({"1"}), ("claim", "2")),
        (
            "objection",
            frozenset({"4"}),
            ("relation", ("support", frozenset({"1"}), ("claim", "2"))),
        ),
    }
    schemes = [(i.what, i.element, i.reason) for i in report.not_carried if i.what == "scheme"]
    assert schemes == [
        ("scheme", "3", "argmap does not record argument schemes ('Argument From Expert Opinion')")
    ]  # "Default Conflict" is argmap's own objection: nothing to report


def test_two_scheme_nodes_that_say_the_same_are_merged_and_reported() -> None:
    content, report = aif.loads(load("aif_same_inference_twice.json"))
    assert [(r.id, r.premises, r.target_claim) for r in content.relations] == [("12", ["10"], "11")]
    [item] = report.not_carried
    assert (item.what, item.element) == ("RA node", "13")
    assert "merged into it" in item.reason
    assert "scheme node '12'" in item.reason  # the file's own node id, not argmap's


def test_scheme_fulfilments_are_reported_as_what_they_are() -> None:
    _content, report = aif.loads(load("aif_schemefulfillments.json"))
    reasons = {i.what: i.reason for i in report.not_carried}
    assert "dialogue" not in reasons["schemefulfillments"]
    assert "scheme fulfilments" in reasons["schemefulfillments"]
    assert "schemes" in reasons["schemefulfillments"]


def test_a_lowercase_wrapper_is_read_and_its_errors_point_at_it() -> None:
    content, report = registry.import_map(load("ova_lowercase_wrapper.json"))
    assert report.format == "aif"
    assert relation_view(content, with_notes=False) == {
        ("support", frozenset({"2"}), ("claim", "1"))
    }
    assert [i.what for i in report.not_carried] == ["OVA layout"]
    with pytest.raises(InvalidInputError) as caught:
        aif.loads(load("ova_lowercase_wrapper_broken.json"))
    assert caught.value.loc[:2] == ("aif", "nodes")
