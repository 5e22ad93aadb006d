"""ICCMA i23 / apx export and import of a map's attack structure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from test_evaluation_helpers import make_map
from test_evaluation_properties import small_maps

from maps.evaluation import evaluate
from maps.formats import iccma
from maps.framework import build_framework
from maps.semantics import grounded
from models import InvalidInputError, MapContent

LABELS = {0: "undecided", 1: "in", 2: "out"}

EXAMPLE = make_map(
    ["t", "o", "r"], [("r1", "objection", ["o"], "t"), ("r2", "objection", ["r"], "o")]
)


def test_i23_layout_and_side_table() -> None:
    text = iccma.dumps_i23(iccma.dung_framework(EXAMPLE), title="Example")
    lines = text.splitlines()
    header = lines.index("p af 7")  # 3 claims, 2 relations, not-o, not-r
    assert all(line.startswith("#") for line in lines[:header])
    assert "# 1 claim t" in lines
    assert "# 4 relation r1" in lines
    assert "# 6 not o" in lines
    attacks = {tuple(map(int, line.split())) for line in lines[header + 1 :]}
    # r1 attacks t; r2 attacks o; o attacks not-o, which attacks r1; likewise r.
    assert attacks == {(4, 1), (5, 2), (2, 6), (6, 4), (3, 7), (7, 5)}
    assert text.endswith("\n")
    assert "\n\n" not in text


def test_apx_layout() -> None:
    text = iccma.dumps_apx(iccma.dung_framework(EXAMPLE))
    assert "arg(a1)." in text
    assert "att(a4,a1)." in text
    assert "% a1 claim t" in text


@settings(max_examples=40, deadline=None)
@given(small_maps())
def test_round_trip_keeps_the_grounded_labels(content: MapContent) -> None:
    expected = evaluate(content)
    for support in ("loose", "evidential"):
        af = iccma.dung_framework(content, support=support)
        for text, loads in (
            (iccma.dumps_i23(af), iccma.loads_i23),
            (iccma.dumps_apx(af), iccma.loads_apx),
        ):
            back = loads(text)
            assert back.n == af.n
            assert sorted(back.attacks) == sorted(af.attacks)
            assert back.names == af.names
            as_map = iccma.to_map(back)
            labels = grounded(build_framework(as_map))
            if support == "loose":
                for k, (kind, name) in af.names.items():
                    if kind in ("claim", "relation"):
                        element = expected.claims.get(name) or expected.relations[name]
                        assert LABELS[int(labels[k])] == element.label


def test_evidential_export_matches_evidential_labels_without_support_cycles() -> None:
    content = make_map(
        ["t", "s", "o"],
        [("r1", "support", ["s"], "t"), ("r2", "objection", ["o"], "s")],
        accepted=("s", "o"),
    )
    af = iccma.dung_framework(content, support="evidential")
    labels = grounded(iccma.to_framework(af))
    result = evaluate(content, support="evidential")
    for k, (kind, name) in af.names.items():
        if kind == "claim":
            assert LABELS[int(labels[k])] == result.claims[name].label


def test_self_attack_imports_as_undecided() -> None:
    af = iccma.loads_i23("p af 2\n1 1\n1 2\n")
    content = iccma.to_map(af)
    result = evaluate(content)
    assert result.claims["a1"].label == "undecided"
    assert result.claims["a2"].label == "undecided"
    assert [LABELS[int(x)] for x in grounded(iccma.to_framework(af))[:2]] == [
        "undecided",
        "undecided",
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1 2\np af 2\n", 1),
        ("p af 2\n1 3\n", 2),
        ("p af 2\n1 2\n2\n", 3),
        ("p af 2\n1 x\n", 2),
        ("# only a comment\n", 2),
    ],
)
def test_bad_i23_names_the_line(text: str, line: int) -> None:
    with pytest.raises(InvalidInputError) as error:
        iccma.loads_i23(text)
    assert error.value.loc == ("line", line)


def test_bad_apx_names_the_line() -> None:
    with pytest.raises(InvalidInputError) as error:
        iccma.loads_apx("arg(a).\natt(a,b).\n")
    assert error.value.loc == ("line", 2)
    with pytest.raises(InvalidInputError) as error:
        iccma.loads_apx("arg(a).\nnonsense\n")
    assert error.value.loc == ("line", 2)
