"""Argdown import and export: every construct, round trips, Argdown's own CLI, hostile files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from format_helpers import relation_view, same_map
from hypothesis import given, settings
from hypothesis import strategies as st

from maps.formats import argdown
from maps.formats.argdown import writer
from maps.formats.argdown.writer import statement_names
from maps.formats.common import ImportLimits
from maps.samples import load_sample
from models import Claim, InvalidInputError, LimitExceededError, MapContent, Relation, Source
from models.report import ConversionReport

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "all_constructs.argdown"
ARGDOWN_DIR = HERE / ".argdown"
ARGDOWN_BIN = ARGDOWN_DIR / "node_modules" / ".bin" / "argdown"


def read(text: str, **limits: int | float) -> MapContent:
    content, _report = argdown.loads(text, limits=ImportLimits(**limits))  # type: ignore[arg-type]
    return content


def error_of(text: str, **limits: int | float) -> InvalidInputError | LimitExceededError:
    with pytest.raises((InvalidInputError, LimitExceededError)) as caught:
        read(text, **limits)
    assert isinstance(caught.value, InvalidInputError | LimitExceededError)
    return caught.value


# ------------------------------------------------------------------------------ every construct


def test_fixture_reads_every_construct() -> None:
    content, report = argdown.loads(FIXTURE.read_text(encoding="utf-8"))
    claims = {c.id: c for c in content.claims}
    assert content.title == "Four-day week"
    assert content.description == "Should firms move to a four-day week?"
    # statements, #tags and #(multi word tags), headings as groups
    assert claims["Four-days"].text == "Firms should move to a four-day week."
    assert claims["Four-days"].tags == ["policy", "labour economics"]
    assert claims["Four-days"].group == "Productivity"
    assert claims["Costs"].group == "Costs"
    assert claims["Fatigue"].group == "Reconstruction"
    # arguments without a reconstruction are claims; {data} is the claim's data
    assert claims["Selection"].data == {"source": "Trial report 2023", "page": 12}
    # {data} keys that are claim fields fill them
    assert claims["Recruiting"].accepted is True
    assert claims["Recruiting"].weight == 0.8
    assert claims["Sleep"].sources == [
        Source(citation="Sleep study", url="https://example.org/sleep", locator="p. 4")
    ]
    assert claims["Sleep"].data == {}
    # an untitled statement, its text continued on the next line
    untitled = claims["Overtime-pay-grows-on-a-shorter"]
    assert untitled.text == "Overtime pay grows on a shorter week."
    assert untitled.tags == ["costs"]
    # equivalence by title: [Wellbeing] is one claim however often it appears
    assert sum(c.text == "Staff wellbeing improves." for c in content.claims) == 1

    relations = relation_view(content, with_notes=False)
    expected = {
        # +, <+ and +>: supports, both directions
        ("support", frozenset({"Wellbeing"}), ("claim", "Four-days")),
        ("support", frozenset({"Four-days"}), ("claim", "Recruiting")),
        ("support", frozenset({"Sleep"}), ("claim", "Wellbeing")),
        ("support", frozenset({"Overtime-pay-grows-on-a-shorter"}), ("claim", "Costs")),
        # -, <- and ->: objections, both directions
        ("objection", frozenset({"Coverage"}), ("claim", "Four-days")),
        ("objection", frozenset({"Stress"}), ("claim", "Wellbeing")),
        ("objection", frozenset({"Four-days"}), ("claim", "Status-quo")),
        ("objection", frozenset({"Random"}), ("claim", "Selection")),
        # >< : two objections, one each way
        ("objection", frozenset({"Five-days"}), ("claim", "Four-days")),
        ("objection", frozenset({"Four-days"}), ("claim", "Five-days")),
        # premise-conclusion structures: linked premises, and a chain with {uses}
        (
            "support",
            frozenset({"Fatigue", "Fatigue-lowers-output-per-hour"}),
            ("claim", "Four-days"),
        ),
        ("support", frozenset({"Sleep", "Rested"}), ("claim", "Faster")),
        ("support", frozenset({"Faster", "Demand"}), ("claim", "Four-days")),
    }
    output = (
        "support",
        frozenset({"Fatigue", "Fatigue-lowers-output-per-hour"}),
        ("claim", "Four-days"),
    )
    coverage = ("objection", frozenset({"Coverage"}), ("claim", "Four-days"))
    # _ : undercut of <Coverage> (an objection aimed at its relation); - on an argument with a
    # reconstruction: an objection to its inference
    expected |= {
        ("objection", frozenset({"Rota"}), ("relation", coverage)),
        ("objection", frozenset({"Selection"}), ("relation", output)),
    }
    assert relations == expected
    by_id = {r.id: r for r in content.relations}
    assert by_id["Output"].note == "Output per hour rises when hours fall."
    assert by_id["Output"].author == "Ann"
    assert by_id["Chain"].note == "A two-step argument."
    # what could not be carried is reported with its line
    reported = {(item.what, item.line) for item in report.not_carried}
    assert ("contradiction", 27) in reported
    assert ("attack on an argument", 18) in reported
    assert ("undercut", 32) in reported  # an undercut aimed at a statement
    assert ("front matter 'author'", 1) in reported
    assert ("heading level", 29) in reported
    assert report.carried["claims"] == len(content.claims) == 18
    assert report.carried["relations"] == len(content.relations) == 15


def test_comments_of_all_three_forms_are_ignored() -> None:
    text = (
        "// line comment\n\n/* block\n[Hidden]: no */\n\n<!-- html\n[Hidden2]: no -->\n\n"
        "[A]: visible // trailing comment\n  + [B]: b /* inline */ text\n"
    )
    content = read(text)
    assert {c.id: c.text for c in content.claims} == {"A": "visible", "B": "b  text"}


def test_escapes_keep_markup_characters_as_text() -> None:
    content = read(r"[A]: not a \#tag, \{not data\}, a\/\/b and a back\\slash")
    assert content.claims[0].text == r"not a #tag, {not data}, a//b and a back\slash"
    assert content.claims[0].tags == []


def test_canonical_text_is_the_last_definition_and_others_are_reported() -> None:
    content, report = argdown.loads("[A]: first\n\n[A]: second\n")
    assert content.claims[0].text == "second"
    assert [(i.what, i.line) for i in report.not_carried] == [("text", 1)]


def test_reference_without_definition_uses_the_title_as_text() -> None:
    content = read("[Thesis]: t\n  + [Only a title]\n")
    assert {c.id: c.text for c in content.claims}["Only-a-title"] == "Only a title"


# ------------------------------------------------------------------------------ round trips


def test_fixture_round_trip() -> None:
    content, _ = argdown.loads(FIXTURE.read_text(encoding="utf-8"))
    text, report = argdown.dumps(content)
    again, _ = argdown.loads(text)
    same_map(content, again)
    assert report.not_carried == []


def test_sample_round_trip_is_lossless() -> None:
    sample = load_sample()
    text, report = argdown.dumps(sample)
    again, _import_report = argdown.loads(text)
    same_map(sample, again)
    assert report.not_carried == []
    assert report.carried["claims"] == len(sample.claims)


def test_export_of_every_relation_shape_round_trips() -> None:
    claims = [Claim(id=i, text=f"Claim {i}", tags=[f"t{i}", "two words"]) for i in "abcdefg"]
    relations = [
        Relation(id="r1", kind="support", premises=["b"], target_claim="a"),
        Relation(id="r2", kind="objection", premises=["c", "d"], target_claim="a"),
        Relation(id="r3", kind="objection", premises=["e"], target_relation="r1"),
        Relation(id="r4", kind="objection", premises=["f"], target_relation="r3"),
        Relation(
            id="r5", kind="support", premises=["g"], target_relation="r2", note="why", author="Bo"
        ),
        Relation(id="r6", kind="objection", premises=["a"], target_claim="g"),
        Relation(id="r7", kind="objection", premises=["g"], target_claim="a"),
    ]
    content = MapContent(
        title="Shapes", description="All of them", claims=claims, relations=relations
    )
    text, _ = argdown.dumps(content)
    assert ">< [Claim a]" in text or ">< [Claim g]" in text  # mutual objections: a contradiction
    again, _ = argdown.loads(text)
    same_map(content, again)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.characters(blacklist_categories=("Cs", "Cc"))
        | st.sampled_from(
            [*"\\[]<>{}#@*_/.:-+()=,;'\"", ":happy:", ".A.", "//", "/*", "<!--", "#(x)", "{a: 1}"]
        ),
        min_size=1,
        max_size=30,
    )
    .map("".join)
    .map(str.strip)
    .filter(bool)
)
def test_any_claim_text_survives_export_and_import(text: str) -> None:
    content = MapContent(
        title="T",
        claims=[Claim(id="a", text=text), Claim(id="b", text="b")],
        relations=[Relation(id="r", kind="support", premises=["b"], target_claim="a")],
    )
    exported, _ = argdown.dumps(content)
    again = read(exported)
    assert {c.id: c.text for c in again.claims} == {"a": text, "b": "b"}


# ------------------------------------------------------------------------------ Argdown's own CLI


def _argdown_json(tmp_path: Path, text: str) -> dict[str, object]:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed; Argdown's CLI (npm @argdown/cli) needs it")
    if not ARGDOWN_BIN.exists():
        pytest.skip(
            "Argdown's CLI is not installed; run `npm ci --prefix tests/maps/formats/.argdown`"
        )
    source = tmp_path / "map.argdown"
    source.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [str(ARGDOWN_BIN), "json", str(source), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "syntax error" not in output.lower(), output
    produced = tmp_path / "map.json"
    assert produced.exists(), output
    loaded: dict[str, object] = json.loads(produced.read_text(encoding="utf-8"))
    return loaded


def argdown_text(claim: Claim) -> str:
    """The text Argdown's parser reports for an exported claim (it keeps tags in the text)."""
    tags = [argdown._tag(tag) for tag in claim.tags]
    return " ".join([claim.text.replace("\n", " "), *(t for t in tags if t)])


def _argdown_view(document: dict[str, object]) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """Statement texts by title, and relations with an argument's implied conclusion replaced
    by the argument (as argmap reads them)."""
    statements = document["statements"]
    arguments = document["arguments"]
    assert isinstance(statements, dict)
    assert isinstance(arguments, dict)
    implied: dict[str, str] = {}
    for title, argument in arguments.items():
        for statement in argument.get("pcs", []):
            member = statements[statement["title"]]["members"][0]
            if (member.get("data") or {}).get("argmap") == "implied":
                implied[statement["title"]] = title
    texts = {
        title: next(m["text"] for m in ec["members"] if m.get("text") is not None).strip()
        for title, ec in statements.items()
        if title not in implied
    }
    relations = {
        (r["relationType"], implied.get(r["from"], r["from"]), r["to"])
        for r in document["relations"]  # type: ignore[attr-defined]
    }
    return texts, relations


def test_argdown_cli_reads_the_export_of_the_sample_as_argmap_does(tmp_path: Path) -> None:
    sample = load_sample()
    text, _ = argdown.dumps(sample)
    names, _export = statement_names(sample, ConversionReport(format="argdown", direction="export"))
    texts, relations = _argdown_view(_argdown_json(tmp_path, text))
    # Every claim is a statement with the same text, named by its title.
    assert texts == {names[claim.id]: argdown_text(claim) for claim in sample.claims}
    # Every relation is there, as Argdown understands it.
    expected: set[tuple[str, str, str]] = set()
    as_arguments = {r.target_relation for r in sample.relations if r.target_relation} | {
        r.id for r in sample.relations if len(r.premises) > 1 or r.note or r.author or r.tags
    }
    for relation in sample.relations:
        kind = "support" if relation.kind.value == "support" else "attack"
        if relation.target_relation is not None:
            source = relation.id if relation.id in as_arguments else names[relation.premises[0]]
            expected.add(
                ("undercut" if kind == "attack" else "support", source, relation.target_relation)
            )
        elif relation.id in as_arguments:
            if kind == "support":
                # A reconstruction with the target as conclusion: Argdown derives no explicit
                # relation for it; its premises are checked below.
                continue
            expected.add((kind, relation.id, names[str(relation.target_claim)]))
        else:
            expected.add((kind, names[relation.premises[0]], names[str(relation.target_claim)]))
    normalised = set()
    for kind, source, target in relations:
        if kind == "contradictory":
            normalised |= {("attack", source, target), ("attack", target, source)}
        else:
            normalised.add((kind, source, target))
    assert expected <= normalised, sorted(expected - normalised)
    assert normalised <= expected | {
        (k, s, t) for (k, s, t) in normalised if k == "support" and s in as_arguments
    }


def test_argdown_cli_accepts_the_fixture_and_the_all_shapes_export(tmp_path: Path) -> None:
    content, _ = argdown.loads(FIXTURE.read_text(encoding="utf-8"))
    text, _ = argdown.dumps(content)
    names, _export = statement_names(
        content, ConversionReport(format="argdown", direction="export")
    )
    texts, _relations = _argdown_view(_argdown_json(tmp_path, text))
    assert texts == {names[c.id]: argdown_text(c) for c in content.claims}


def test_titles_round_trip_through_argdowns_cli(tmp_path: Path) -> None:
    original = (
        "[Free museums]: Museums should be free to enter.\n"
        "  - [Fees pay]: Entry fees pay for conservation.\n"
        "    - The state funds conservation.\n"
        "  + [Poorer areas]: More people from poorer areas visit.\n"
    )
    content = read(original)
    assert {c.text: c.title for c in content.claims} == {
        "Museums should be free to enter.": "Free museums",
        "Entry fees pay for conservation.": "Fees pay",
        "The state funds conservation.": None,
        "More people from poorer areas visit.": "Poorer areas",
    }
    exported, _ = argdown.dumps(content)
    assert "[Free museums]: Museums should be free to enter." in exported
    # untitled and in one place: plain text under what it objects to
    assert "[Fees pay]: Entry fees pay for conservation.\n  - The state funds conservation.\n" in (
        exported
    )
    names, _export = statement_names(
        content, ConversionReport(format="argdown", direction="export")
    )
    theirs = _argdown_json(tmp_path, exported)
    statements = theirs["statements"]
    assert isinstance(statements, dict)
    texts = {
        title: next(m["text"].strip() for m in ec["members"] if m.get("text"))
        for title, ec in statements.items()
    }
    untitled = next(c.id for c in content.claims if c.title is None)
    assert texts == {
        "Free museums": "Museums should be free to enter.",
        "Fees pay": "Entry fees pay for conservation.",
        "Poorer areas": "More people from poorer areas visit.",
        names[untitled]: "The state funds conservation.",  # Argdown's `Untitled 1`
    }
    again = read(exported)
    assert {c.id: (c.title, c.text) for c in again.claims} == {
        c.id: (c.title, c.text) for c in content.claims
    }


TRICKY_TITLES = [
    "Fees [and] costs",
    "Data {x: 1}",
    "See https://example.org/a//b",
    "A /* not a comment */ title",
    "#1 reason #(two words)",
    "Why: because",
    "- starts with a dash",
    "Été à Zürich",
    "Untitled 1",
    "Same name",
    "Same name",
    "@[mention] and <argument>",
    "Quotes \"double\" and 'single'",
    "<!-- html -->",
    ".A. and :smile: shortcodes",
    "back\\slash",
    "_underscore_ and *stars*",
    "[[",
    "x === y",
]


def tricky_map() -> MapContent:
    claims = [
        Claim(id=f"c{n}", text=f"Claim number {n}.", title=title)
        for n, title in enumerate(TRICKY_TITLES)
    ]
    claims.append(Claim(id="plain", text="A claim without a title."))
    relations = [
        Relation(id=f"r{n}", kind="support", premises=[c.id], target_claim="plain")
        for n, c in enumerate(claims[:-1])
    ]
    # an objection with linked premises: an argument with an implied conclusion (an untitled
    # statement, which Argdown names `Untitled 1`)
    relations.append(
        Relation(id="linked", kind="objection", premises=["c0", "c1"], target_claim="c2")
    )
    return MapContent(title="Titles", claims=claims, relations=relations)


def test_tricky_titles_are_written_as_argdown_reads_them(tmp_path: Path) -> None:
    content = tricky_map()
    text, report = argdown.dumps(content)
    names, _export = statement_names(
        content, ConversionReport(format="argdown", direction="export")
    )
    assert len(set(names.values())) == len(names)  # unique
    document = _argdown_json(tmp_path, text)
    texts, relations = _argdown_view(document)
    assert texts == {names[c.id]: c.text for c in content.claims}
    assert ("support", names["c3"], names["plain"]) in relations
    # argmap reads back the names as titles, the ids as they were
    again = read(text)
    assert {c.id: c.title for c in again.claims} == {
        c.id: (None if c.title is None else names[c.id]) for c in content.claims
    }
    changed = {i.element for i in report.not_carried if i.what == "title"}
    assert changed == {c.id for c in content.claims if c.title and names[c.id] != c.title}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=80).map(str.strip).filter(bool), max_size=6))
def test_any_titles_survive_export_and_import_as_their_names(titles: list[str]) -> None:
    claims = []
    for n, title in enumerate(titles):
        try:
            claims.append(Claim(id=f"c{n}", text=f"text {n}", title=title))
        except ValueError:
            continue  # not a valid claim title (a control character, a line break)
    content = MapContent(title="T", claims=[*claims, Claim(id="x", text="no title")])
    text, _ = argdown.dumps(content)
    names, _ = statement_names(content, ConversionReport(format="argdown", direction="export"))
    again = read(text)
    assert {c.id: c.text for c in again.claims} == {c.id: c.text for c in content.claims}
    assert {c.id: c.title for c in again.claims} == {
        c.id: (None if c.title is None else names[c.id]) for c in content.claims
    }
    # a title Argdown can hold as it is, and no other claim took first, is its own name
    first = {}
    for claim in content.claims:
        if claim.title is not None:
            first.setdefault(claim.title, claim.id)
    for title, claim_id in first.items():
        argdown_name = writer.title_name(title) == title and not re.fullmatch(
            r"Untitled \d+", title
        )
        if argdown_name and title != "x":  # x: the name of the claim without a title
            assert names[claim_id] == title


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("[A]: a\n  + [B: never closed\n", 2, 5, "never closed"),
        ("[A]: a\n\n/* open comment\n", 3, 1, "never closed"),
        ("[A]: a\n  + [B]: b {key: a: b}\n", 2, 19, "YAML"),
        ("[A]: a\n  + [B]: b {key: [1, 2}\n", 2, 12, "never closed"),
        ("+ [B]: orphan\n", 1, 1, "needs a statement"),
        ("[A]: a\n+ [B]: not indented\n", 2, 1, "indent"),
        ("[A]: a\n  + [B] trailing words\n", 2, 5, "text after the reference"),
        ("<A>\n\n(1) [P]: p\n----\n", 4, 1, "add its conclusion"),
        ("<A>\n\n(1) [P]: p\n-- {uses: [7]} --\n(2) [C]: c\n", 4, 1, "uses (7)"),
        ("===\ntitle: x\n", 1, 1, "front matter"),
        ("[A]: a\n[B]: b\n", 2, 1, "blank line"),
        ("[A]: a {unclosed\n", 1, 8, "never closed"),
    ],
)
def test_syntax_errors_name_line_and_column(
    text: str, line: int, column: int | None, words: str
) -> None:
    error = error_of(text)
    assert error.loc[:2] == ("line", line)
    if column is not None:
        assert error.loc[2:] == ("column", column)
    assert words in str(error)


def test_yaml_aliases_are_refused_in_front_matter_and_data() -> None:
    bomb = "===\na: &a [x, x]\nb: [*a, *a]\n===\n\n[A]: a\n"
    assert "aliases" in str(error_of(bomb))
    error = error_of("[A]: a {a: &x [1], b: *x}\n")
    assert "aliases" in str(error)
    assert error.loc[:2] == ("line", 1)


def test_deep_indentation_and_deep_data_are_refused() -> None:
    deep = "[A]: a\n" + "".join(f"{'  ' * (i + 1)}+ [C{i}]: c\n" for i in range(40))
    assert "levels deep" in str(error_of(deep, max_depth=30))
    assert read(deep, max_depth=50).claims  # within the limit it reads
    nested = "[A]: a {x: " + "[" * 5000 + "]" * 5000 + "}\n"
    assert "levels deep" in str(error_of(nested))


def test_a_million_line_file_is_read_in_one_pass() -> None:
    # Comments and blank lines only, then one claim: linear parsing gets through it.
    text = "// filler\n\n" * 500_000 + "[A]: the end\n"
    assert [c.text for c in read(text, max_bytes=50_000_000).claims] == ["the end"]


def test_a_million_claims_stop_at_the_claim_limit_with_a_line() -> None:
    text = "".join(f"[C{i}]: claim {i}\n\n" for i in range(1_000_000))
    error = error_of(text, max_claims=100, max_relations=100, max_bytes=100_000_000)
    assert isinstance(error, LimitExceededError)
    assert error.loc[0] == "line"


def test_unclosed_braces_cannot_make_parsing_quadratic() -> None:
    text = "[A]: " + "{" * 200_000 + "\n"
    assert "levels deep" in str(error_of(text))
    text = "[A]: " + "{a " * 100_000 + "\n"
    error = error_of(text, max_bytes=400_000)
    assert error.loc[:2] == ("line", 1)


def test_an_over_long_text_is_refused_with_its_line() -> None:
    error = error_of("[A]: a\n\n[B]: " + "word " * 3000 + "\n")
    assert error.loc[:2] == ("line", 3)
