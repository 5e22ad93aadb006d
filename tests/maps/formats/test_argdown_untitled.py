"""Argdown export of claims without a title: plain text in their one place, a name from their
first words where they must be referenced, never an id; the import gives them back exactly."""

from __future__ import annotations

import re
from pathlib import Path

from factories import small_maps
from format_helpers import same_map
from hypothesis import given, settings
from hypothesis import strategies as st
from test_argdown import _argdown_json, _argdown_view, argdown_text

from maps.formats import argdown
from maps.formats.argdown.writer import derived_name, statement_names
from models import Claim, MapContent, Relation
from models.report import ConversionReport

ID_NAME = re.compile(r"\[c[0-9a-f]{8}\]")


def councils() -> MapContent:
    """Untitled claims with argmap's own ids: a thesis, a tree below it, a linked premise, a
    claim that argues twice, an undercut, and a group of their own for two of them."""
    ids = {
        name: f"c{n:08x}"
        for n, name in enumerate(["thesis", "s1", "s2", "o1", "o2", "twice", "lp1", "lp2", "u"])
    }
    text = {
        "thesis": "Councils should decide how the budget is spent.",
        "s1": "Councillors know their districts.",
        "s2": "(1) They live there, mostly.",
        "o1": "- Councillors are captured by developers.",
        "o2": "1. Elections check them.",
        "twice": "Turnout in council elections is low.",
        "lp1": "Budgets are set nationally.",
        "lp2": "Councils only spend what they are given.",
        "u": "Not since the 2019 reform.",
    }
    group = {"lp1": "Money", "u": "Money"}
    claims = [
        Claim(id=ids[k], text=t, group=group.get(k), tags=["x"] if k == "s2" else [])
        for k, t in text.items()
    ]

    def rel(rid: str, kind: str, premises: list[str], target: str) -> Relation:
        aim = (
            {"target_relation": target} if target.startswith("r") else {"target_claim": ids[target]}
        )
        return Relation(id=rid, kind=kind, premises=[ids[p] for p in premises], **aim)

    relations = [
        rel("r1", "support", ["s1"], "thesis"),
        rel("r2", "support", ["s2"], "s1"),
        rel("r3", "objection", ["o1"], "thesis"),
        rel("r4", "objection", ["o2"], "o1"),
        rel("r5", "objection", ["twice"], "o2"),
        rel("r6", "objection", ["twice"], "s1"),
        rel("r7", "objection", ["lp1", "lp2"], "thesis"),
        rel("r8", "objection", ["u"], "r7"),
    ]
    return MapContent(title="Councils", claims=claims, relations=relations)


def test_untitled_claims_are_plain_text_where_they_appear_once_and_never_ids() -> None:
    content = councils()
    text, report = argdown.dumps(content)
    assert not ID_NAME.search(text), text
    assert not [c.id for c in content.claims if c.id in text.split("===")[2]]
    body = text.split("===\n", 2)[2]
    # the thesis is the target of an argument: named by its first words; below it a tree of
    # plain text, escaped where the text would read as syntax
    assert (
        "\n[Councils should decide how the]: Councils should decide how the budget is spent.\n"
        in (body)
    )
    assert "\n  + Councillors know their districts.\n    + \\(1) They live there, mostly. #x\n" in (
        body
    )
    assert (
        "\n  - \\- Councillors are captured by developers.\n    - \\1. Elections check them.\n"
        in (body)
    )
    # a claim that argues twice is named, and referenced in both places
    assert "\n[Turnout in council elections is]: Turnout in council elections is low.\n" in body
    assert "\n      - [Turnout in council elections is]\n" in body
    # the arguments stand under the last heading: a premise of that group is plain there, one
    # of another group is named
    assert "\n(1) Budgets are set nationally.\n" in body
    assert "\n(2) [Councils only spend what they]\n" in body
    assert "\n  _ Not since the 2019 reform.\n" in body  # the undercut, plain, under <r7>
    assert not [i for i in report.not_carried if i.what == "title"]
    again, _ = argdown.loads(text)
    same_map(content, again)
    assert {c.id: c.title for c in again.claims} == {c.id: None for c in content.claims}
    assert {c.id: c.group for c in again.claims} == {c.id: c.group for c in content.claims}


def test_derived_names_are_unique_and_recorded_as_not_titles() -> None:
    content = MapContent(
        title="Same words",
        claims=[
            Claim(id="t", text="A thesis.", title="Fees pay for conservation"),
            Claim(id="a", text="Fees pay for conservation of the old buildings."),
            Claim(id="b", text="Fees pay for conservation of the paintings."),
            Claim(id="c", text="[{<>}]"),
            Claim(id="d", text="Untitled 1"),
        ],
        relations=[
            Relation(id=f"r{p}{target}", kind="support", premises=[p], target_claim=target)
            for p in "abcd"
            for target in ("t", "b" if p != "b" else "a")
        ],
    )
    names, export = statement_names(content, ConversionReport(format="argdown", direction="export"))
    assert names["t"] == "Fees pay for conservation"
    assert names["a"] == "Fees pay for conservation of"
    assert names["b"] == "Fees pay for conservation of (2)"
    assert len(set(names.values())) == len(names)
    assert names["c"] == "Statement"
    assert names["d"] == "Untitled 1 (2)"
    assert export.untitled == {names[i] for i in "abcd"}
    text, _ = argdown.dumps(content)
    again, _ = argdown.loads(text)
    same_map(content, again)
    assert {c.id: c.title for c in again.claims} == {c.id: c.title for c in content.claims}


def test_derived_name_takes_a_few_words() -> None:
    assert (
        derived_name("Councils decide how the budget is spent.") == "Councils decide how the budget"
    )
    assert (
        derived_name("Supercalifragilisticexpialidocious" * 3)
        == ("Supercalifragilisticexpialidocious" * 3)[:40]
    )
    assert derived_name("Fees [and] costs, mostly.") == "Fees and costs, mostly"
    assert derived_name("{}") == "Statement"


def test_circles_deep_chains_and_other_groups_round_trip() -> None:
    chain = [Claim(id=f"c{i}", text=f"Step {i}.") for i in range(60)]
    circle = [Claim(id="x", text="X holds."), Claim(id="y", text="Y holds.", group="Other")]
    circle.append(Claim(id="z", text="Z holds."))
    relations = [
        Relation(id=f"r{i}", kind="support", premises=[f"c{i + 1}"], target_claim=f"c{i}")
        for i in range(59)
    ]
    relations += [
        Relation(id="rx", kind="support", premises=["x"], target_claim="z"),
        Relation(id="ry", kind="objection", premises=["z"], target_claim="x"),
        Relation(id="rz", kind="objection", premises=["y"], target_claim="x"),
    ]
    content = MapContent(title="Shapes", claims=[*chain, *circle], relations=relations)
    text, _ = argdown.dumps(content)
    assert not re.search(r"\[(c\d+|x|y|z)\]", text)
    depth = max(len(line) - len(line.lstrip(" ")) for line in text.splitlines())
    assert depth <= 2 * 21  # plain text nests only so deep; deeper claims get a name
    again, _ = argdown.loads(text)
    same_map(content, again)
    assert all(c.title is None for c in again.claims)


@settings(max_examples=80, deadline=None)
@given(small_maps(most_claims=6, most_relations=8), st.data())
def test_any_map_of_untitled_claims_round_trips_exactly(
    content: MapContent, data: st.DataObject
) -> None:
    groups = data.draw(st.lists(st.sampled_from([None, "A", "B"]), min_size=len(content.claims)))
    titled = data.draw(st.lists(st.booleans(), min_size=len(content.claims)))
    claims = [
        claim.model_copy(update={"group": group, "title": f"T{claim.id}" if title else None})
        for claim, group, title in zip(content.claims, groups, titled, strict=False)
    ]
    content = content.model_copy(update={"claims": claims})
    text, report = argdown.dumps(content)
    again, _ = argdown.loads(text)
    same_map(content, again)
    assert {c.id: (c.title, c.group) for c in again.claims} == {
        c.id: (c.title, c.group) for c in content.claims
    }
    assert not [i for i in report.not_carried if i.what == "title"]


def test_argdowns_cli_reads_plain_and_named_statements_as_argmap_writes_them(
    tmp_path: Path,
) -> None:
    content = councils()
    text, _ = argdown.dumps(content)
    names, _export = statement_names(
        content, ConversionReport(format="argdown", direction="export")
    )
    texts, relations = _argdown_view(_argdown_json(tmp_path, text))
    assert texts == {names[claim.id]: argdown_text(claim) for claim in content.claims}
    by_key = {c.id: c for c in content.claims}
    ids = {c.text: c.id for c in by_key.values()}
    s1, s2 = ids["Councillors know their districts."], ids["(1) They live there, mostly."]
    assert ("support", names[s2], names[s1]) in relations
    twice = ids["Turnout in council elections is low."]
    assert ("attack", names[twice], names[s1]) in relations
