"""ICCMA i23 / apx export and import of a map's attack structure."""

from __future__ import annotations

import pytest
from factories import make_map, small_maps
from hypothesis import given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from maps.evaluation.framework import build_framework, dung_framework, to_framework
from maps.evaluation.grounded import grounded
from maps.formats import iccma
from models import InvalidInputError, MapContent

LABELS = {0: "undecided", 1: "in", 2: "out"}

EXAMPLE = make_map(
    ["t", "o", "r"], [("r1", "objection", ["o"], "t"), ("r2", "objection", ["r"], "o")]
)


def test_i23_layout_and_side_table() -> None:
    text = iccma.dumps_i23(dung_framework(EXAMPLE), title="Example")
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
    text = iccma.dumps_apx(dung_framework(EXAMPLE))
    assert "arg(a1)." in text
    assert "att(a4,a1)." in text
    assert "% a1 claim t" in text


@settings(max_examples=40, deadline=None)
@given(small_maps())
def test_round_trip_keeps_the_grounded_labels(content: MapContent) -> None:
    expected = evaluate(content)
    for support in ("loose", "evidential"):
        af = dung_framework(content, support=support)
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
    af = dung_framework(content, support="evidential")
    labels = grounded(to_framework(af))
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
    assert [LABELS[int(x)] for x in grounded(to_framework(af))[:2]] == [
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


# --- the fast checks of large files ------------------------------------------------------------


def python_only_comments(prefix: str) -> bool:
    return all(not line.strip() or line.strip().startswith("#") for line in prefix.splitlines())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="# \t\n\r\x0b\x0c\x1c\x1d\x1f\x85\xa0a1", max_size=60))
def test_the_comment_scan_never_passes_a_line_the_line_by_line_check_refuses(text: str) -> None:
    feeds = iccma._only_comments(text)
    if feeds is not None:
        assert python_only_comments(text)
        assert feeds == text.count("\n")


def test_the_comment_scan_passes_comments_blank_lines_and_crlf() -> None:
    assert iccma._only_comments("") == 0
    assert iccma._only_comments("# a\n\n  # b\r\n\t\n") == 4
    assert iccma._only_comments("# a\n1 2\n") is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 10**18 - 1), max_size=30), st.sampled_from([" ", "\n", "\t", " \r\n"])
)
def test_the_number_scan_reads_what_int_reads(numbers: list[int], separator: str) -> None:
    text = separator.join(map(str, numbers)) + separator
    values = iccma._fast_ints(text)
    assert values is not None
    assert values.tolist() == numbers


@pytest.mark.parametrize("text", ["1 2 x", "1 -2", "1.5 2", "1 2\x0c3"])
def test_the_number_scan_hands_anything_else_back(text: str) -> None:
    assert iccma._fast_ints(text) is None


def big_framework_text() -> str:
    """An i23 file of over a megabyte, side table included."""
    n = 60_000
    attacks = "".join(f"{k} {k % n + 1}\n" for k in range(1, n + 1))
    side = "".join(f"# {k} claim c{k}\n" for k in range(1, n + 1))
    text = f"{side}p af {n}\n{attacks}"
    return text


def test_a_large_file_reads_whole() -> None:
    fw = iccma.loads_i23(big_framework_text())
    assert fw.n == 60_000
    assert fw.attackers.tolist()[:3] == [0, 1, 2]
    assert fw.targets.tolist()[-2:] == [59_999, 0]
    assert len(fw.names) == 60_000
    assert fw.names[0] == ("claim", "c1")


def test_a_large_file_with_a_stray_line_before_the_header_names_the_line() -> None:
    text = big_framework_text()
    broken = text.replace("# 500 claim c500\n", "  500 1\n", 1)
    with pytest.raises(InvalidInputError, match="line 500: expected the header"):
        iccma.loads_i23(broken)
    wrong = text.replace("\n17 18\n", "\n17 x\n", 1)
    with pytest.raises(InvalidInputError, match=r"line 60018"):
        iccma.loads_i23(wrong)
