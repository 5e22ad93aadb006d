"""The diagram's content: one box per claim, relations told apart, ids and classes, options."""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET
from typing import NamedTuple

import pytest
from defusedxml import ElementTree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.diagram.dot import (
    LARGE_MAP_CLAIMS,
    LARGE_MAP_LAYOUT,
    build_dot,
    status_label,
)
from maps.diagram.render import Engine, EngineUnavailableError, choose_engine, render
from maps.evaluation import evaluate
from maps.queries import claim_roles
from models import (
    Claim,
    InvalidInputError,
    LimitExceededError,
    MapContent,
    Relation,
    RelationKind,
    Source,
)
from models.diagram import MAX_LINES_MAX, DiagramOptions, Direction, StatusLabel, Theme

SVG = "{http://www.w3.org/2000/svg}"
SUPPORT, OBJECTION = RelationKind.SUPPORT, RelationKind.OBJECTION


class Standing(NamedTuple):
    """A claim's evaluation, written by hand."""

    label: str
    strength: float | None


def four_day_week() -> MapContent:
    """Every kind of element: thesis, support, objection, rebuttal, linked premises, undercut."""
    return MapContent(
        title="Four-day week",
        claims=[
            Claim(id="t", text="Firms should move to a four-day week.", tags=["policy", "work"]),
            Claim(
                id="out",
                text="Output per hour rises when hours fall.",
                sources=[Source(citation="Trial report 2023")],
            ),
            Claim(id="sel", text="Only firms that expect gains run trials."),
            Claim(id="rnd", text="Some trials assigned firms at random."),
            Claim(id="cov", text="Customers need service five days a week."),
            Claim(id="rota", text="Staggered rotas keep five-day coverage."),
            Claim(id="fat", text="Long weeks cause fatigue."),
            Claim(id="low", text="Fatigue lowers output per hour."),
            Claim(id="alone", text="A claim with no relations."),
        ],
        relations=[
            Relation(id="r1", kind=SUPPORT, premises=["out"], target_claim="t"),
            Relation(id="r2", kind=OBJECTION, premises=["sel"], target_claim="out"),
            Relation(id="r3", kind=OBJECTION, premises=["rnd"], target_claim="sel"),
            Relation(id="r4", kind=OBJECTION, premises=["cov"], target_claim="t"),
            Relation(id="r5", kind=OBJECTION, premises=["rota"], target_relation="r4"),
            Relation(id="r6", kind=SUPPORT, premises=["fat", "low"], target_claim="out"),
        ],
    )


def available(engine: Engine) -> bool:
    try:
        return choose_engine(engine.value) is engine
    except EngineUnavailableError:
        return False


ENGINES = [
    pytest.param(e, marks=pytest.mark.skipif(not available(e), reason=f"{e.value} not installed"))
    for e in Engine
]


def svg_of(
    content: MapContent,
    options: DiagramOptions | None = None,
    engine: Engine = Engine.DOT,
    **kwargs: object,
) -> StdET.Element:
    if not available(engine):
        engine = Engine.PYGRAPHVIZ
    source = build_dot(content, options, **kwargs)  # type: ignore[arg-type]
    root: StdET.Element = ElementTree.fromstring(render(source, "svg", engine=engine))
    return root


def groups(root: StdET.Element, cls: str) -> dict[str, StdET.Element]:
    """SVG groups carrying a class, by id."""
    return {
        g.get("id", ""): g
        for g in root.iter(f"{SVG}g")
        if cls in g.get("class", "").split()
    }  # fmt: skip


def texts(group: StdET.Element) -> list[str]:
    return [(t.text or "").replace("\xa0", " ") for t in group.iter(f"{SVG}text")]


def strokes(group: StdET.Element) -> set[tuple[str | None, str | None]]:
    return {
        (shape.get("stroke"), shape.get("stroke-dasharray"))
        for shape in group
        if shape.tag in (f"{SVG}path", f"{SVG}polygon") and shape.get("fill") == "none"
    }


def expected_edges(content: MapContent) -> int:
    undercut = {r.target_relation for r in content.relations if r.target_relation}
    return sum(
        len(r.premises) + 1 if len(r.premises) > 1 or r.id in undercut else 1
        for r in content.relations
    )


# -- structure --------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_one_box_per_claim_with_id_and_role_classes(engine: Engine) -> None:
    content = four_day_week()
    root = svg_of(content, engine=engine)
    claims = groups(root, "claim")
    assert set(claims) == {f"claim-{claim.id}" for claim in content.claims}
    roles = claim_roles(content)
    for claim in content.claims:
        classes = claims[f"claim-{claim.id}"].get("class", "").split()
        assert "node" in classes
        assert f"role-{roles[claim.id].value}" in classes
    assert "has-sources" in claims["claim-out"].get("class", "").split()
    assert "has-sources" not in claims["claim-t"].get("class", "").split()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_relation_has_one_element_and_the_edges_add_up(engine: Engine) -> None:
    content = four_day_week()
    root = svg_of(content, engine=engine)
    relations = groups(root, "relation")
    assert set(relations) == {f"relation-{r.id}" for r in content.relations}
    edges = [g for g in root.iter(f"{SVG}g") if "edge" in g.get("class", "").split()]
    assert len(edges) == expected_edges(content) == 6 + 2 + 1  # r6 linked, r4 undercut
    # Linked premises meet in a junction, and so does the relation an undercut aims at.
    assert "junction" in relations["relation-r6"].get("class", "").split()
    assert "junction" in relations["relation-r4"].get("class", "").split()
    assert "junction" not in relations["relation-r1"].get("class", "").split()
    ids = {g.get("id") for g in edges}
    assert {"premise-r6-0", "premise-r6-1", "arrow-r6", "premise-r4-0", "arrow-r4"} <= ids
    assert "undercut" in relations["relation-r5"].get("class", "").split()


def test_graph_names_are_internal() -> None:
    content = four_day_week()
    source = build_dot(content)
    names = set(re.findall(r"^(\w+) \[", source, re.MULTILINE)) - {"graph", "node", "edge"}
    assert names == {f"c{i}" for i in range(len(content.claims))} | {"r3", "r5"}
    edges = re.findall(r"^(\w+) -> (\w+) \[", source, re.MULTILINE)
    assert all(re.fullmatch(r"[cr]\d+", end) for edge in edges for end in edge)


@pytest.mark.parametrize("engine", ENGINES)
def test_kinds_differ_by_colour_line_style_and_mark(engine: Engine) -> None:
    root = svg_of(four_day_week(), engine=engine)
    relations = groups(root, "relation")
    support, objection = relations["relation-r1"], relations["relation-r2"]
    rebuttal, linked = relations["relation-r3"], relations["relation-r6"]
    assert "kind-support" in support.get("class", "")
    assert "kind-objection" in objection.get("class", "")
    assert "kind-rebuttal" in rebuttal.get("class", "")
    assert "kind-rebuttal" in relations["relation-r5"].get("class", "")  # undercut of objection
    assert "+" in texts(support)
    assert "+" in texts(linked)
    assert "\u2212" in texts(objection)
    assert "\u2212" in texts(rebuttal)
    colours = {g: {s for s, _ in strokes(g)} for g in (support, objection, rebuttal)}
    assert colours[support] == {"#009e73"} or colours[support] == {"#009E73"}
    assert {c.lower() for c in colours[objection]} == {"#d55e00"}
    assert {c.lower() for c in colours[rebuttal]} == {"#0072b2"}
    dashes = {g: {d for _, d in strokes(g)} for g in (support, objection, rebuttal)}
    assert dashes[support] == {None}
    assert len({frozenset(d) for d in dashes.values()}) == 3  # solid, dashed, dotted


def test_print_theme_is_black_and_still_tells_kinds_apart() -> None:
    root = svg_of(four_day_week(), DiagramOptions(theme=Theme.PRINT))
    relations = groups(root, "relation")
    seen = [strokes(relations[f"relation-{rid}"]) for rid in ("r1", "r2", "r3")]
    assert all({s.lower() for s, _ in styles} == {"#000000"} for styles in seen)
    assert len({frozenset(d for _, d in styles) for styles in seen}) == 3


def test_thesis_is_emphasised_and_tags_and_sources_are_shown() -> None:
    root = svg_of(four_day_week())
    claims = groups(root, "claim")
    thesis, support = claims["claim-t"], claims["claim-out"]
    outlines = [s for s in thesis if s.tag in (f"{SVG}path", f"{SVG}polygon")]
    assert len(outlines) == 2  # double border
    assert any(t.get("font-weight") == "bold" for t in thesis.iter(f"{SVG}text"))
    assert not any(t.get("font-weight") == "bold" for t in support.iter(f"{SVG}text"))
    assert "#policy #work" in texts(thesis)
    assert "\u00a7 1 source" in texts(support)


def test_dark_theme_background_and_legend_toggle() -> None:
    dark = build_dot(four_day_week(), DiagramOptions(theme=Theme.DARK))
    assert 'bgcolor="#1E1E1E"' in dark
    with_legend = texts(svg_of(four_day_week()))
    without = texts(svg_of(four_day_week(), DiagramOptions(legend=False)))
    assert any("supports" in t for t in with_legend)
    assert not any("supports" in t for t in without)
    assert "Four-day week" in without  # the title stays


def position(group: StdET.Element) -> tuple[float, float]:
    text = next(group.iter(f"{SVG}text"))
    return float(text.get("x", "0")), float(text.get("y", "0"))


@pytest.mark.parametrize(
    ("direction", "axis", "thesis_first"),
    [
        (Direction.TB, 1, True),
        (Direction.BT, 1, False),
        (Direction.LR, 0, True),
        (Direction.RL, 0, False),
    ],
)
def test_direction_puts_the_thesis_first(
    direction: Direction, axis: int, thesis_first: bool
) -> None:
    claims = groups(svg_of(four_day_week(), DiagramOptions(direction=direction)), "claim")
    thesis, premise = position(claims["claim-t"])[axis], position(claims["claim-out"])[axis]
    assert (thesis < premise) == thesis_first


# -- options ----------------------------------------------------------------------------------


def test_focus_keeps_what_lies_within_depth() -> None:
    content = four_day_week()
    claims = groups(svg_of(content, DiagramOptions(focus="sel", depth=1)), "claim")
    assert set(claims) == {"claim-sel", "claim-out", "claim-rnd"}
    assert "focus" in claims["claim-sel"].get("class", "").split()
    # Roles come from the whole map: `out` is still a support, not a thesis, when `t` is cut.
    assert "role-support" in claims["claim-out"].get("class", "").split()
    deeper = groups(svg_of(content, DiagramOptions(focus="sel", depth=2)), "claim")
    assert {"claim-t", "claim-fat", "claim-low"} <= set(deeper)


def test_unknown_focus_is_refused_with_its_location() -> None:
    with pytest.raises(InvalidInputError, match="'nope' does not exist") as raised:
        build_dot(four_day_week(), DiagramOptions(focus="nope"))
    assert raised.value.loc == ("query", "focus")


def test_claim_limit_says_to_use_focus() -> None:
    with pytest.raises(LimitExceededError, match="focus=") as raised:
        build_dot(four_day_week(), max_claims=5)
    assert "9 claims" in raised.value.message
    # Drawing a part under the limit works.
    build_dot(four_day_week(), DiagramOptions(focus="rnd", depth=1), max_claims=5)


def test_wrap_bounds_the_line_length() -> None:
    long_claim = MapContent(
        title="Long",
        claims=[Claim(id="a", text=" ".join(["word"] * 30) + " " + "x" * 70)],
    )
    for width in (10, 25, 80):
        options = DiagramOptions(wrap=width, max_lines=MAX_LINES_MAX)
        lines = texts(groups(svg_of(long_claim, options), "claim")["claim-a"])
        assert all(len(line) <= width for line in lines)
        assert "".join("".join(lines).split()) == "word" * 30 + "x" * 70
    with pytest.raises(ValueError, match="greater than or equal to 10"):
        DiagramOptions(wrap=5)


def test_same_input_same_dot() -> None:
    options = DiagramOptions(direction=Direction.LR, theme=Theme.DARK, focus="out", depth=3)
    assert build_dot(four_day_week(), options) == build_dot(four_day_week(), options)


def test_large_maps_get_the_fast_layout_settings() -> None:
    def chain(n: int) -> MapContent:
        return MapContent(
            title="Chain",
            claims=[Claim(id=f"k{i}", text=f"Claim {i}") for i in range(n)],
            relations=[
                Relation(id=f"r{i}", kind=SUPPORT, premises=[f"k{i}"], target_claim=f"k{i - 1}")
                for i in range(1, n)
            ],
        )

    assert all(setting in build_dot(chain(LARGE_MAP_CLAIMS)) for setting in LARGE_MAP_LAYOUT)
    assert not any(setting in build_dot(chain(50)) for setting in LARGE_MAP_LAYOUT)
    assert "newrank=true" in build_dot(chain(50))


# -- status colours ---------------------------------------------------------------------------


def test_status_colours_marks_and_legend() -> None:
    content = four_day_week()
    status = {
        "t": Standing("in", 0.71),
        "out": Standing("in", 0.6),
        "sel": Standing("out", 0.2),
        "rnd": Standing("in", None),
        "cov": Standing("out", 0.3),
        "fat": Standing("undecided", 0.5),
        "something-else": Standing("in", 1.0),
    }
    root = svg_of(content, DiagramOptions(status=True), status=status)
    claims = groups(root, "claim")
    assert "status-in" in claims["claim-t"].get("class", "").split()
    assert "status-out" in claims["claim-sel"].get("class", "").split()
    assert "status-undecided" in claims["claim-fat"].get("class", "").split()
    assert not any("status-" in c for c in claims["claim-low"].get("class", "").split())
    # The verdict in the words the outline uses, and no number beside it.
    assert "Stands" in texts(claims["claim-t"])
    assert "0.71" not in texts(claims["claim-t"])
    assert "Defeated" in texts(claims["claim-sel"])
    assert "Open" in texts(claims["claim-fat"])
    # Grayscale-safe: each label has its own border style, not just a fill.
    dash = {
        cid: {s.get("stroke-dasharray") for s in claims[cid].iter(f"{SVG}path")}
        for cid in ("claim-out", "claim-sel", "claim-fat")
    }
    assert len({frozenset(d) for d in dash.values()}) == 3
    legend = texts(root)
    assert {"Stands", "Defeated", "Open"} <= set(legend)


def test_the_evaluation_of_the_map_colours_its_claims() -> None:
    status = evaluate(four_day_week(), explanation_depth=1).claims
    assert status["sel"].label == "out"  # objected to by `rnd`, which nothing attacks
    assert status["rnd"].label == "in"
    assert status["out"].label == "in"  # its objection `sel` is defeated
    dot = build_dot(four_day_week(), DiagramOptions(status=True), status=status)
    assert dot.count("status-out") == 1
    assert "<B>Defeated</B>" in dot


def test_unknown_status_labels_are_drawn_undecided() -> None:
    assert status_label("in") is StatusLabel.IN
    assert status_label("undetermined") is StatusLabel.UNDECIDED


# -- any map ----------------------------------------------------------------------------------


TEXT = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff")


@st.composite
def maps(draw: st.DrawFn) -> MapContent:
    n = draw(st.integers(min_value=1, max_value=7))
    claims = [
        Claim(id=f"k{i}", text=draw(st.text(TEXT, min_size=1, max_size=40)).strip() or "x")
        for i in range(n)
    ]
    relations: list[Relation] = []
    for index in range(draw(st.integers(min_value=0, max_value=8))):
        premises = draw(st.lists(st.sampled_from(range(n)), min_size=1, max_size=3, unique=True))
        kind = draw(st.sampled_from([SUPPORT, OBJECTION]))
        undercut = relations and draw(st.booleans())
        if undercut:
            target = draw(st.sampled_from(relations)).id
            relations.append(
                Relation(
                    id=f"r{index}",
                    kind=kind,
                    premises=[f"k{p}" for p in premises],
                    target_relation=target,
                )
            )
            continue
        others = [i for i in range(n) if i not in premises]
        if not others:
            continue
        target_claim = draw(st.sampled_from(others))
        relations.append(
            Relation(
                id=f"r{index}",
                kind=kind,
                premises=[f"k{p}" for p in premises],
                target_claim=f"k{target_claim}",
            )
        )
    return MapContent(title="Random", claims=claims, relations=relations)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps(), st.sampled_from(list(Direction)))
def test_any_map_draws_every_claim_and_relation(content: MapContent, direction: Direction) -> None:
    root = svg_of(content, DiagramOptions(direction=direction, legend=False))
    assert set(groups(root, "claim")) == {f"claim-{c.id}" for c in content.claims}
    assert set(groups(root, "relation")) == {f"relation-{r.id}" for r in content.relations}
    edges = [g for g in root.iter(f"{SVG}g") if "edge" in g.get("class", "").split()]
    assert len(edges) == expected_edges(content)
