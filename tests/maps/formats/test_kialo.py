"""Kialo text export: import and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from format_helpers import relation_view

from maps.formats import kialo, registry
from maps.formats.common import ImportLimits
from maps.samples import load_sample
from models import Claim, InvalidInputError, LimitExceededError, MapContent, Relation, Source

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_discussion_with_wrapped_lines_links_and_escapes() -> None:
    content, report = kialo.loads(load("museums.kialo.txt"))
    assert content.title == "Should museums be free to enter?"
    texts = {c.id: c.text for c in content.claims}
    assert texts["1.1"] == "More people from poorer areas visit (the 2001 UK policy showed it)."
    assert texts["1.2"] == "Entry fees pay for conservation\nof the collections."
    assert texts["1.2.2"] == "Public [funding](https://example.org/funding) can replace fees."
    assert texts["2.2"] == "Tourists are willing to pay\\."
    # links reuse claims: no claim at 1.1.2, 1.2.1 or 2.1
    assert set(texts) == {"1", "1.1", "1.1.1", "1.2", "1.2.2", "1.3", "2", "2.2"}
    assert relation_view(content) == {
        ("support", frozenset({"1.1"}), ("claim", "1"), None, None),
        ("objection", frozenset({"1.1.1"}), ("claim", "1.1"), None, None),
        ("support", frozenset({"1.3"}), ("claim", "1.1"), None, None),  # a link to a later claim
        ("objection", frozenset({"1.2"}), ("claim", "1"), None, None),
        ("support", frozenset({"1.1.1"}), ("claim", "1.2"), None, None),
        ("objection", frozenset({"1.2.2"}), ("claim", "1.2"), None, None),
        ("support", frozenset({"1.3"}), ("claim", "1"), None, None),
        ("objection", frozenset({"1.2.2"}), ("claim", "2"), None, None),  # second thesis
        ("support", frozenset({"2.2"}), ("claim", "2"), None, None),
    }
    assert report.not_carried == []


def test_multi_thesis_discussion_keeps_theses_without_stance() -> None:
    content, report = kialo.loads(load("multi_thesis.kialo.txt"))
    assert {c.id for c in content.claims} == {"1", "1.1", "1.1.1", "1.2", "1.2.1"}
    assert not any(r.target_claim == "1" for r in content.relations)
    assert [(item.what, item.line) for item in report.not_carried] == [
        ("relation", 4),
        ("relation", 6),
    ]


def test_round_trip_by_text() -> None:
    content, _ = kialo.loads(load("museums.kialo.txt"))
    text, _ = kialo.dumps(content)
    again, _ = kialo.loads(text)
    names = {c.id: c.text for c in content.claims}
    names_again = {c.id: c.text for c in again.claims}
    assert sorted(names.values()) == sorted(names_again.values())
    assert relation_view(content, claim_names=names) == relation_view(
        again, claim_names=names_again
    )


def test_texts_that_look_like_structure_survive() -> None:
    texts = [
        "1.2. Pro: not a line",
        "Pro: not a stance",
        "-> See 1.",
        "Discussion Title: no",
        "a\n2. not numbered\nb",
        "back\\slash (paren) \\(x\\)",
    ]
    claims = [Claim(id="t", text="thesis")] + [
        Claim(id=f"c{i}", text=t) for i, t in enumerate(texts)
    ]
    relations = [
        Relation(id=f"r{i}", kind="support", premises=[f"c{i}"], target_claim="t")
        for i in range(len(texts))
    ]
    content = MapContent(title="Tricky", claims=claims, relations=relations)
    text, _ = kialo.dumps(content)
    again, _ = kialo.loads(text)
    assert sorted(c.text for c in again.claims) == sorted(c.text for c in claims)
    assert len(again.relations) == len(relations)


def test_sample_round_trip_and_report_of_what_kialo_drops() -> None:
    sample = load_sample()
    text, report = kialo.dumps(sample)
    again, _ = kialo.loads(text)
    by_text = {c.text: c.id for c in sample.claims}
    assert sorted(c.text for c in again.claims) == sorted(by_text)
    names_again = {c.id: by_text[c.text] for c in again.claims}
    back = relation_view(again, claim_names=names_again, with_notes=False)
    original = relation_view(sample, with_notes=False)
    dropped = {(item.what, item.element) for item in report.not_carried}
    # Every relation Kialo can hold comes back; the others are each reported.
    for relation in sample.relations:
        key = next(k for k in original if _is(relation, k))
        if len(relation.premises) == 1 and relation.target_claim is not None:
            assert key in back
        else:
            assert key not in back
            assert ("linked premises", relation.id) in dropped or any(
                what in ("undercut", "support of a relation") and element == relation.id
                for what, element in dropped
            )
    for claim in sample.claims:
        for name in ("tags", "sources", "note", "group"):
            if getattr(claim, name):
                assert (name, claim.id) in dropped


def _is(relation: Relation, key: tuple[object, ...]) -> bool:
    return (
        key[0] == relation.kind.value
        and key[1] == frozenset(relation.premises)
        and (
            key[2] == ("claim", relation.target_claim)
            if relation.target_claim
            else key[2][0] == "relation"
        )
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Discussion Title: x\n\nno numbers here\n", 3, "numbered claim"),
        ("Discussion Title: x\n\n1. A\n1.1. Pro: -> See 4.2.\n", 4, "does not exist"),
        (
            "Discussion Title: x\n\n1. A\n1.1. Pro: -> See 1.2.\n1.2. Con: -> See 1.1.\n",
            4,
            "circle",
        ),
        (
            "Discussion Title: x\n\n1. A\n1.1. Pro: -> See 1.\n   extra\n",
            5,
            "after a '-> See' link",
        ),
    ],
)
def test_errors_have_a_line(text: str, line: int, words: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        kialo.loads(text)
    assert caught.value.loc == ("line", line)
    assert words in str(caught.value)


def test_self_link_is_reported_not_stored() -> None:
    content, report = kialo.loads("Discussion Title: x\n\n1. A\n1.1. Pro: -> See 1.\n")
    assert content.relations == []
    assert report.not_carried[0].line == 4


def test_limits_depth_and_claims() -> None:
    path = "1"
    lines = ["Discussion Title: deep", "", "1. root"]
    for _ in range(50):
        path += ".1"
        lines.append(f"{path}. Pro: deeper")
    with pytest.raises(InvalidInputError, match="levels deep"):
        kialo.loads("\n".join(lines), limits=ImportLimits(max_depth=20))
    many = "Discussion Title: many\n\n" + "".join(f"{i}. thesis {i}\n" for i in range(1, 1_000_001))
    with pytest.raises(LimitExceededError) as caught:
        kialo.loads(many, limits=ImportLimits(max_claims=100, max_bytes=100_000_000))
    assert caught.value.loc[0] == "line"


# ------------------------------------------------------------------------------ issue 17: 8 and 9

MUSEUM_RELATIONS = {
    ("support", frozenset({"1.1"}), ("claim", "1")),
    ("objection", frozenset({"1.1.1"}), ("claim", "1.1")),
    ("objection", frozenset({"1.2"}), ("claim", "1")),
    ("support", frozenset({"1.1.1"}), ("claim", "1.2")),
}


def test_indented_numbered_lines_are_claims() -> None:
    content, report = kialo.loads(load("indented.kialo.txt"))
    texts = {c.id: c.text for c in content.claims}
    assert set(texts) == {"1", "1.1", "1.1.1", "1.2"}
    assert texts["1.2"] == "Entry fees pay for conservation\nof the collections."
    assert relation_view(content, with_notes=False) == MUSEUM_RELATIONS
    assert report.not_carried == []


def test_the_newer_layout_is_read_with_its_sources() -> None:
    content, report = kialo.loads(load("newer_layout.kialo.txt"))
    assert content.title == "Should museums be free to enter?"
    claims = {c.id: c for c in content.claims}
    assert {i: c.text for i, c in claims.items()} == {
        "1": "Museums should be free to enter.",
        "1.1": "More people from poorer areas visit.",
        "1.1.1": "Visitor surveys show the same groups keep coming.",
        "1.2": "Entry fees pay for conservation\nof the collections.",
        "1.2.2": "The state pays for conservation in most countries. [4]",
    }
    assert relation_view(content, with_notes=False) == MUSEUM_RELATIONS | {
        ("objection", frozenset({"1.2.2"}), ("claim", "1.2"))
    }
    assert claims["1.1"].sources == [
        Source(
            citation="Visitor figures after free entry, 2002, https://example.org/visits",
            url="https://example.org/visits",
        )
    ]
    assert claims["1.1.1"].sources == [
        Source(citation="Museum Association survey 2019"),
        Source(citation="https://example.org/survey-2019.", url="https://example.org/survey-2019"),
    ]
    # the marker without a source stays, and the report says so
    assert [(i.what, i.line, i.element) for i in report.not_carried] == [("footnote", 15, "1.2.2")]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Discussion Topic: x\n\n1. A\n", 1, "'Discussion Topic: x', which is not a Kialo"),
        ("\n\nQuestion: museums\n", 3, "not a Kialo export header"),
        ("Discussion Name:\nx\n\n1. A [1]\n\nSources:\nnot a source\n", 7, "below Sources:"),
    ],
)
def test_a_file_in_neither_layout_names_the_header(text: str, line: int, words: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        kialo.loads(text)
    assert caught.value.loc == ("line", line)
    assert words in caught.value.message


def test_the_newer_layout_is_detected_as_kialo() -> None:
    data = (FIXTURES / "newer_layout.kialo.txt").read_bytes()
    content, report = registry.import_map(data, filename="export.txt")
    assert report.format == "kialo"
    assert len(content.claims) == 5
    content, report = registry.import_map(data)
    assert report.format == "kialo"
