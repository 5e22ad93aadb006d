"""Argdown files from other tools import as their authors meant (issue 17, defects 1-7), and
claim titles are statement titles (issue 14). Each expectation was read off Argdown's own CLI."""

from __future__ import annotations

import pytest
from format_helpers import relation_view

from maps.formats import argdown
from maps.formats.argdown.includes import MAX_INCLUDE_DEPTH
from models import Claim, InvalidInputError, MapContent, Relation


def read(text: str) -> MapContent:
    return argdown.loads(text)[0]


def texts(content: MapContent) -> dict[str, str]:
    return {c.id: c.text for c in content.claims}


def by_text(content: MapContent) -> set[tuple[str, frozenset[str], str]]:
    """Relations to claims as (kind, premise texts, target text)."""
    text = {c.id: c.text for c in content.claims}
    return {
        (r.kind.value, frozenset(text[p] for p in r.premises), text[str(r.target_claim)])
        for r in content.relations
        if r.target_claim is not None
    }


def error_of(text: str) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as caught:
        read(text)
    return caught.value


# ------------------------------------------------------------------------------ 1: inference rules


def test_a_multi_line_inference_rule_is_read_and_reported() -> None:
    text = "<A>\n\n(1) P\n(2) Q\n--\nModus ponens\n--\n(3) C\n"
    content, report = argdown.loads(text)
    assert by_text(content) == {("support", frozenset({"P", "Q"}), "C")}
    assert [(i.what, i.line) for i in report.not_carried] == [("inference rule", 5)]
    assert "Modus ponens" in report.not_carried[0].reason


def test_a_multi_line_inference_rule_may_carry_uses() -> None:
    text = "<A>\n\n(1) P\n(2) Q\n--\nModus ponens {uses: [2]}\n--\n(3) C\n"
    assert by_text(read(text)) == {("support", frozenset({"Q"}), "C")}


def test_an_inference_rule_of_two_lines_is_refused_at_its_second_line() -> None:
    error = error_of("<A>\n\n(1) P\n--\nModus ponens\nand more\n--\n(2) C\n")
    assert error.loc == ("line", 6, "column", 1)
    assert "two hyphens" in error.message


def test_an_unclosed_inference_rule_is_refused_at_its_opening() -> None:
    error = error_of("<A>\n\n(1) P\n--\nModus ponens\n")
    assert error.loc == ("line", 4, "column", 1)


# ------------------------------------------------------------------------------ 2: headings


def test_a_heading_continued_on_the_next_line_is_one_group() -> None:
    text = "# Relations between\nthe Evidence {isGroup: false}\n\n[A]: a\n  + [B]: b\n"
    content, report = argdown.loads(text)
    assert texts(content) == {"A": "a", "B": "b"}
    assert {c.group for c in content.claims} == {"Relations between the Evidence"}
    assert ("heading data", 1) in {(i.what, i.line) for i in report.not_carried}


def test_a_statement_right_below_a_heading_is_refused_as_argdown_refuses_it() -> None:
    error = error_of("# H\n[A]: a\n")
    assert error.loc == ("line", 2, "column", 1)
    assert "blank line" in error.message


# ------------------------------------------------------------------------------ 3: lists


def test_list_items_are_statements_of_their_own_with_their_relations() -> None:
    text = "[T]: thesis\n\n* item one\n  + [S]: support of item one\n* item two\n\n1. first\n2. [Two]: second\n   - [Att]: attacks two\n"
    content = read(text)
    assert sorted(texts(content).values()) == sorted(
        ["thesis", "item one", "support of item one", "item two", "first", "second", "attacks two"]
    )
    assert by_text(content) == {
        ("support", frozenset({"support of item one"}), "item one"),
        ("objection", frozenset({"attacks two"}), "second"),
    }


def test_a_list_item_right_below_a_statement_is_refused() -> None:
    error = error_of("[T]: t\n* item\n")
    assert error.loc == ("line", 2, "column", 1)


# ------------------------------------------------------------------------------ 4: odd dedents


def test_a_dedent_between_two_levels_returns_to_the_list_it_lands_in() -> None:
    content = read("A\n  - C\n      <+ D\n    -> G\n")
    assert by_text(content) == {
        ("support", frozenset({"D"}), "C"),
        ("objection", frozenset({"C"}), "A"),
        ("objection", frozenset({"A"}), "G"),  # Argdown: A attacks G
    }


def test_after_an_odd_dedent_a_line_at_the_same_column_is_a_child() -> None:
    # Argdown's lexer keeps the level of the list the odd line joined (2), so the next line at
    # column 5 opens a list below it: D supports C.
    text = "[T]: t\n  + [A]: a\n      - [B]: b\n    + [C]: c\n    + [D]: d\n  - [E]: e\n"
    assert relation_view(read(text), with_notes=False) == {
        ("objection", frozenset({"B"}), ("claim", "A")),
        ("support", frozenset({"A"}), ("claim", "T")),
        ("support", frozenset({"C"}), ("claim", "T")),
        ("support", frozenset({"D"}), ("claim", "C")),
        ("objection", frozenset({"E"}), ("claim", "T")),
    }


# ------------------------------------------------------------------------------ 5: includes


def test_an_include_in_an_upload_is_reported_not_read() -> None:
    content, report = argdown.loads("@include(other.argdown)\n\n[A]: a\n")
    assert texts(content) == {"A": "a"}
    [item] = report.not_carried
    assert (item.what, item.line) == ("include", 1)
    assert "argmap import" in item.reason


def files_loader(files: dict[str, str]) -> argdown.Loader:
    def load(name: str, including: str) -> tuple[str, str]:
        folder = including.rsplit("/", 1)[0] + "/" if "/" in including else ""
        key = folder + name
        if key not in files:
            raise InvalidInputError(f"{name}: no such file")
        return key, files[key]

    return load


def test_includes_are_read_in_place_relative_to_the_including_file() -> None:
    files = {
        "parts/costs.argdown": "[C]: costs\n  - [D]: d\n\n@include(more.argdown)\n",
        "parts/more.argdown": "[M]: more\n",
    }
    content, report = argdown.loads(
        "[A]: a\n\n@include(parts/costs.argdown)\n\n[B]: b\n  + [C]\n",
        includes=files_loader(files),
    )
    assert texts(content) == {"A": "a", "C": "costs", "D": "d", "M": "more", "B": "b"}
    assert by_text(content) == {
        ("objection", frozenset({"d"}), "costs"),
        ("support", frozenset({"costs"}), "b"),
    }
    assert report.not_carried == []


def test_a_file_is_included_once_as_in_argdown() -> None:
    files = {"a.argdown": "[A]: a\n\n@include(a.argdown)\n"}
    content, report = argdown.loads("@include(a.argdown)\n", includes=files_loader(files))
    assert texts(content) == {"A": "a"}
    assert [(i.what, i.line) for i in report.not_carried] == [("include", 1)]
    assert "included already" in report.not_carried[0].reason


def test_an_error_in_an_included_file_names_the_directive_and_the_file() -> None:
    files = {"bad.argdown": "[B]: b\n\n[C]: c {unclosed\n"}
    with pytest.raises(InvalidInputError) as caught:
        argdown.loads("[A]: a\n\n@include(bad.argdown)\n", includes=files_loader(files))
    assert caught.value.loc == ("line", 3, "include", "bad.argdown", "line", 3, "column", 8)
    assert caught.value.message.startswith("bad.argdown:3:8: ")


def test_a_missing_include_is_an_error_at_its_line() -> None:
    with pytest.raises(InvalidInputError) as caught:
        argdown.loads("[A]: a\n\n@include(gone.argdown)\n", includes=files_loader({}))
    assert caught.value.loc == ("line", 3)
    assert "gone.argdown" in caught.value.message


def test_includes_nest_only_so_deep() -> None:
    files = {f"f{i}.argdown": f"@include(f{i + 1}.argdown)\n" for i in range(20)}
    with pytest.raises(InvalidInputError) as caught:
        argdown.loads("@include(f0.argdown)\n", includes=files_loader(files))
    assert f"more than {MAX_INCLUDE_DEPTH} deep" in caught.value.message


def test_report_lines_in_an_included_file_name_it() -> None:
    files = {"x.argdown": "[A]: a\n  >< [B]: b\n"}
    _content, report = argdown.loads("\n\n@include(x.argdown)\n", includes=files_loader(files))
    [item] = report.not_carried
    assert item.what == "contradiction"
    assert item.line == 3
    assert "(in x.argdown, line 2, column 3)" in item.reason


# ------------------------------------------------------------------------------ 6: arguments


def test_an_argument_with_a_structure_relates_through_its_conclusion() -> None:
    # Argdown moves the outgoing relations of a reconstructed argument to its conclusion.
    text = (
        "[T]: target\n  + <Arg>: gist\n\n[U]: other\n\n<Arg>\n  -> [U]\n  <- [X]: attacker\n\n"
        "(1) [P]: p\n(2) [Q]: q\n----\n(3) [C]: c\n"
    )
    content = read(text)
    relations = relation_view(content, with_notes=False)
    main = ("support", frozenset({"P", "Q"}), ("claim", "C"))
    assert relations == {
        main,
        ("support", frozenset({"C"}), ("claim", "T")),
        ("objection", frozenset({"C"}), ("claim", "U")),
        ("objection", frozenset({"X"}), ("relation", main)),
    }
    by_id = {r.id: r for r in content.relations}
    assert by_id["Arg"].note == "gist"


def test_an_argument_with_an_implied_conclusion_relates_through_its_premises() -> None:
    # What argmap's export writes for an objection with linked premises.
    text = (
        "[T]: t\n\n<O>\n  -> [T]\n\n(1) [P]: p\n(2) [Q]: q\n----\n"
        '(3) Implied conclusion. {"argmap": "implied"}\n'
    )
    assert relation_view(read(text), with_notes=False) == {
        ("objection", frozenset({"P", "Q"}), ("claim", "T"))
    }


# ------------------------------------------------------------------------------ 7: argument tags


def test_argument_tags_are_relation_tags_and_come_back() -> None:
    text = "<A>: text #tag #(two words)\n\n(1) [P]: p\n----\n(2) [C]: c\n"
    content, report = argdown.loads(text)
    [relation] = content.relations
    assert relation.tags == ["tag", "two words"]
    assert report.not_carried == []
    again = read(argdown.dumps(content)[0])
    assert [r.tags for r in again.relations] == [["tag", "two words"]]


def test_a_plain_relation_with_tags_is_written_as_an_argument() -> None:
    content = MapContent(
        title="T",
        claims=[Claim(id="a", text="a"), Claim(id="b", text="b")],
        relations=[Relation(id="r1", kind="support", premises=["b"], target_claim="a", tags=["x"])],
    )
    text, _ = argdown.dumps(content)
    assert "<r1>: #x" in text
    assert read(text).relations[0].tags == ["x"]


# ------------------------------------------------------------------------------ titles


def test_a_statement_title_is_the_claims_title_and_identity() -> None:
    content = read(
        "[Fees pay]: Entry fees pay for conservation.\n  + [Fees pay]\n\nUntitled one.\n"
    )
    claims = {c.text: c for c in content.claims}
    assert claims["Entry fees pay for conservation."].title == "Fees pay"
    assert claims["Entry fees pay for conservation."].id == "Fees-pay"
    assert claims["Untitled one."].title is None


def test_titles_and_ids_survive_the_export() -> None:
    content = MapContent(
        title="T",
        claims=[
            Claim(id="c1", text="Museums should be free.", title="Free museums"),
            Claim(id="c2", text="Fees pay for conservation.", title="Fees [and] {costs}"),
            Claim(id="c3", text="No title here."),
            Claim(id="c4", text="Same title.", title="Free museums"),
        ],
        relations=[
            Relation(id="r1", kind="objection", premises=["c2"], target_claim="c1"),
            Relation(id="r2", kind="support", premises=["c3", "c4"], target_claim="c1"),
        ],
    )
    text, report = argdown.dumps(content)
    assert "[Free museums]: Museums should be free." in text
    assert "\n(1) No title here.\n" in text  # no title, one place: plain text, no id
    assert "[c3]" not in text
    again = read(text)
    assert {c.id: c.title for c in again.claims} == {
        "c1": "Free museums",
        "c2": "Fees and costs",
        "c3": None,
        "c4": "Free museums (2)",
    }
    assert relation_view(again) == relation_view(content)
    changed = {i.element: i.reason for i in report.not_carried if i.what == "title"}
    assert set(changed) == {"c2", "c4"}
    assert "[Fees and costs]" in changed["c2"]


def test_a_title_longer_than_a_claim_title_names_the_claim_only() -> None:
    long = "word " * 20
    content, report = argdown.loads(f"[{long}]: text\n")
    assert content.claims[0].title is None
    assert [i.what for i in report.not_carried] == ["title"]


def test_an_argument_supporting_its_own_conclusion_says_only_what_its_structure_says() -> None:
    text = "[C]: c\n  + <A>\n\n<A>\n\n(1) [P]: p\n----\n(2) [C]\n"
    content, report = argdown.loads(text)
    assert relation_view(content, with_notes=False) == {
        ("support", frozenset({"P"}), ("claim", "C"))
    }
    assert report.not_carried == []


def test_an_attack_on_an_argument_by_an_attacker_of_its_premise_is_that_attack() -> None:
    # Argdown drops the attack on <A> as redundant (ModelPlugin.removeRedundantEC2ARelations).
    text = "<A>\n  <- [X]: x\n\n(1) [P]: p\n  <- [X]\n----\n(2) [C]: c\n"
    content, report = argdown.loads(text)
    assert relation_view(content, with_notes=False) == {
        ("support", frozenset({"P"}), ("claim", "C")),
        ("objection", frozenset({"X"}), ("claim", "P")),
    }
    assert report.not_carried == []
