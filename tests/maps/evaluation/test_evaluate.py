"""Hand-made cases: cycles, chains, linked premises, undercuts, reinstatement, modes, strengths."""

from __future__ import annotations

import pytest
from argumentation.gradual.dfquad import dfquad_strengths
from argumentation.gradual.gradual import WeightedBipolarGraph, quadratic_energy_strengths
from factories import make_map

from maps.evaluation import evaluate
from maps.samples import load_sample
from models import InvalidInputError, MapContent


def labels(content: MapContent, **options: object) -> dict[str, str]:
    result = evaluate(content, **options)  # type: ignore[arg-type]
    return {k: v.label for k, v in [*result.claims.items(), *result.relations.items()]}


def test_chain_alternates() -> None:
    claims = [f"c{i}" for i in range(7)]
    relations = [(f"r{i}", "objection", [f"c{i + 1}"], f"c{i}") for i in range(6)]
    got = labels(make_map(claims, relations))
    assert [got[c] for c in claims] == ["in", "out", "in", "out", "in", "out", "in"]


def test_long_chain_is_linear_and_exact() -> None:
    n = 3000  # deep enough that a frontier-per-step algorithm would crawl
    claims = [f"c{i}" for i in range(n)]
    relations = [(f"r{i}", "objection", [f"c{i + 1}"], f"c{i}") for i in range(n - 1)]
    result = evaluate(make_map(claims, relations))
    assert result.claims["c0"].label == ("in" if (n - 1) % 2 == 0 else "out")
    assert result.claims["c1"].label != result.claims["c0"].label


def test_even_cycle_is_undecided_with_two_preferred_extensions() -> None:
    content = make_map(
        ["a", "b"], [("r1", "objection", ["a"], "b"), ("r2", "objection", ["b"], "a")]
    )
    grounded = evaluate(content)
    assert grounded.claims["a"].label == grounded.claims["b"].label == "undecided"
    assert grounded.claims["a"].why.cycle == ["a", "r2", "b", "r1", "a"]
    assert "circle of objections" in grounded.claims["a"].explanation
    assert grounded.claims["a"].verdict == "open"
    for semantics in ("preferred", "stable"):
        result = evaluate(content, semantics=semantics)
        assert result.claims["a"].credulous == "yes"
        assert result.claims["a"].sceptical == "no"
        assert result.acceptance is not None
        assert result.acceptance.extensions_exist is True


def test_odd_cycle_has_no_stable_extension() -> None:
    content = make_map(
        ["a", "b", "c"],
        [
            ("r1", "objection", ["a"], "b"),
            ("r2", "objection", ["b"], "c"),
            ("r3", "objection", ["c"], "a"),
        ],
    )
    assert set(labels(content).values()) == {"undecided"}
    preferred = evaluate(content, semantics="preferred")
    assert {c.credulous for c in preferred.claims.values()} == {"no"}  # only the empty extension
    stable = evaluate(content, semantics="stable")
    assert stable.acceptance is not None
    assert stable.acceptance.extensions_exist is False
    assert stable.claims["a"].why.reason == "no_stable_extension"


def test_self_attack_through_a_helper_claim() -> None:
    # A relation cannot target its own premise, but a claim can defeat itself through a cycle
    # of length one relation via an undercut of a relation resting on it.
    content = make_map(
        ["a", "b"],
        [
            ("r1", "objection", ["a"], "b"),
            ("r2", "objection", ["b"], "r1"),
            ("r3", "objection", ["a"], "r2"),
        ],
    )
    got = labels(content)
    assert got["a"] == "in"
    assert got["r3"] == "in"
    assert got["r2"] == "out"
    assert got["b"] == "out"


def test_reinstatement_by_a_rebuttal() -> None:
    content = make_map(
        ["t", "o", "r"], [("r1", "objection", ["o"], "t"), ("r2", "objection", ["r"], "o")]
    )
    result = evaluate(content)
    assert result.claims["t"].label == "in"
    assert result.claims["t"].why.reason == "defended"
    tree = result.claims["t"].why.defence
    assert [step.id for step in tree] == ["r1"]
    assert tree[0].label == "out"
    assert tree[0].children[0].id == "o"
    assert tree[0].children[0].children[0].id == "r2"
    assert "“Claim o”" in result.claims["t"].explanation
    assert result.claims["o"].why.defeaters == ["r2"]


def test_linked_premises_hold_only_together() -> None:
    relations = [("r1", "objection", ["p", "q"], "t"), ("r2", "objection", ["x"], "q")]
    got = labels(make_map(["t", "p", "q", "x"], relations))
    assert got["q"] == "out"
    assert got["r1"] == "out"
    assert got["t"] == "in"
    got = labels(make_map(["t", "p", "q"], relations[:1]))
    assert got["r1"] == "in"
    assert got["t"] == "out"
    result = evaluate(make_map(["t", "p", "q", "x"], relations))
    assert result.relations["r1"].why.reason == "premise_out"
    assert result.relations["r1"].why.defeaters == ["q"]


def test_undercut_defeats_the_relation_not_its_premise() -> None:
    content = make_map(
        ["t", "o", "u"], [("r1", "objection", ["o"], "t"), ("r2", "objection", ["u"], "r1")]
    )
    got = labels(content)
    assert got["o"] == "in"
    assert got["r1"] == "out"
    assert got["t"] == "in"
    assert evaluate(content).relations["r1"].why.defeaters == ["r2"]


def test_supports_never_defeat_in_loose_mode() -> None:
    content = make_map(["t", "s"], [("r1", "support", ["s"], "t")])
    assert labels(content)["t"] == "in"


def test_evidential_mode_needs_a_standing_support_from_a_starting_point() -> None:
    relations = [("r1", "support", ["s"], "t"), ("r2", "objection", ["o"], "s")]
    content = make_map(["t", "s", "o"], relations, accepted=("s", "o"))
    got = labels(content, support="evidential")
    assert got["s"] == "out"
    assert got["t"] == "out"
    assert evaluate(content, support="evidential").claims["t"].why.reason == "unsupported"
    content = make_map(["t", "s"], relations[:1], accepted=("s",))
    assert labels(content, support="evidential")["t"] == "in"
    assert labels(make_map(["t", "s"], relations[:1]), support="evidential")["t"] == "out"


def test_evidential_mode_support_in_a_circle_founds_nothing() -> None:
    content = make_map(["a", "b"], [("r1", "support", ["a"], "b"), ("r2", "support", ["b"], "a")])
    got = labels(content, support="evidential")
    assert got["a"] == got["b"] == "out"
    assert labels(content)["a"] == "in"  # loose mode: unattacked claims stand


def test_proof_standards() -> None:
    content = make_map(
        ["t", "s", "o"],
        [("r1", "support", ["s"], "t"), ("r2", "objection", ["o"], "r1")],
        weights={"s": 0.8, "o": 0.3},
    )
    standards = evaluate(content).claims["t"].proof_standards
    assert standards.scintilla == "no"  # the only support is undercut
    content = make_map(
        ["t", "s", "o"],
        [("r1", "support", ["s"], "t"), ("r2", "objection", ["o"], "t")],
        weights={"s": 0.8, "o": 0.3},
    )
    standards = evaluate(content).claims["t"].proof_standards
    assert standards.scintilla == "yes"
    assert standards.preponderance == "yes"  # 0.8 outweighs 0.3
    assert standards.dialectical_validity == "no"  # a standing objection
    assert (standards.support_weight, standards.objection_weight) == (0.8, 0.3)
    heavier = make_map(
        ["t", "s", "o"],
        [("r1", "support", ["s"], "t"), ("r2", "objection", ["o"], "t")],
        weights={"s": 0.3, "o": 0.8},
    )
    assert evaluate(heavier).claims["t"].proof_standards.preponderance == "no"
    cycle = make_map(
        ["t", "s", "x"],
        [
            ("r1", "support", ["s"], "t"),
            ("r2", "objection", ["x"], "s"),
            ("r3", "objection", ["s"], "x"),
        ],
    )
    assert evaluate(cycle).claims["t"].proof_standards.scintilla == "undetermined"


def _graph(content: MapContent) -> WeightedBipolarGraph:
    weights = {c.id: 0.5 if c.weight is None else c.weight for c in content.claims}
    attacks = {(r.premises[0], r.target) for r in content.relations if r.kind == "objection"}
    supports = {(r.premises[0], r.target) for r in content.relations if r.kind == "support"}
    return WeightedBipolarGraph(
        frozenset(weights), weights, frozenset(attacks), frozenset(supports)
    )


GRADUAL_MAP = make_map(
    ["t", "a", "b", "s", "u"],
    [
        ("r1", "objection", ["a"], "t"),
        ("r2", "objection", ["b"], "a"),
        ("r3", "support", ["s"], "t"),
        ("r4", "support", ["u"], "s"),
    ],
    weights={"t": 0.6, "a": 0.7, "b": 0.2, "s": 0.4, "u": 0.9},
)


def test_dfquad_matches_the_reference_implementation() -> None:
    ours = evaluate(GRADUAL_MAP, gradual="dfquad")
    reference = dfquad_strengths(_graph(GRADUAL_MAP)).strengths
    for claim_id, value in reference.items():
        assert ours.claims[claim_id].strength == pytest.approx(value, abs=1e-5)
    # by hand: a = 0.7 - 0.7*0.2 = 0.56; s = 0.4 + 0.6*0.9 = 0.94; t = 0.6 + 0.4*(0.94-0.56)
    assert ours.claims["t"].strength == pytest.approx(0.6 + 0.4 * (0.94 - 0.56), abs=1e-6)
    assert ours.relations["r1"].strength == pytest.approx(0.56, abs=1e-6)
    assert ours.gradual.converged


def test_quadratic_energy_matches_the_reference_implementation() -> None:
    ours = evaluate(GRADUAL_MAP, gradual="quadratic_energy")
    reference = quadratic_energy_strengths(_graph(GRADUAL_MAP)).strengths
    for claim_id, value in reference.items():
        assert ours.claims[claim_id].strength == pytest.approx(value, abs=1e-4)


def test_gradual_on_a_cycle_reports_convergence_honestly() -> None:
    content = make_map(
        ["a", "b"],
        [("r1", "objection", ["a"], "b"), ("r2", "objection", ["b"], "a")],
        weights={"a": 1.0, "b": 1.0},
    )
    result = evaluate(content)
    report = result.gradual
    assert report.iterations >= 1
    if report.converged:
        assert report.max_delta <= report.tolerance
    else:  # DF-QuAD oscillates on this cycle: 1, 0, 1, 0 ...
        assert report.iterations == 1000
        assert report.max_delta > report.tolerance


def test_explanations_quote_claim_texts() -> None:
    content = make_map(
        {"t": "Cities should ban cars.", "o": "Shops lose customers.", "r": "Footfall rises."},
        [("r1", "objection", ["o"], "t"), ("r2", "objection", ["r"], "o")],
    )
    result = evaluate(content)
    assert result.claims["o"].sentences == [
        "“Shops lose customers.” is defeated: the objection “Footfall rises.” stands, and "
        "nothing answers it."
    ]
    assert result.claims["t"].sentences == [
        "“Cities should ban cars.” stands: the one objection to it is answered.",
        "The objection “Shops lose customers.” falls: it is itself defeated by “Footfall rises.”",
    ]
    assert result.claims["r"].why.reason == "unattacked"


def test_explanation_depth_bounds_the_defence_tree() -> None:
    claims = [f"c{i}" for i in range(12)]
    relations = [(f"r{i}", "objection", [f"c{i + 1}"], f"c{i}") for i in range(11)]
    deep = evaluate(make_map(claims, relations), explanation_depth=2).claims["c1"]
    assert deep.label == "in"
    assert deep.why.truncated
    depth = 0
    nodes = deep.why.defence
    while nodes:
        depth += 1
        nodes = nodes[0].children
    assert depth == 2


def test_bad_options_are_refused_with_a_location() -> None:
    content = make_map(["a"], [])
    with pytest.raises(InvalidInputError) as error:
        evaluate(content, semantics="ideal")
    assert error.value.loc == ("semantics",)
    with pytest.raises(InvalidInputError):
        evaluate(content, support="strict")
    with pytest.raises(InvalidInputError):
        evaluate(content, gradual="hbs")


def test_preferred_budget_answers_undetermined_rather_than_hanging() -> None:
    # 12 disjoint-looking even cycles joined through one hub claim: many extensions.
    claims = ["hub"]
    relations = []
    for k in range(12):
        a, b = f"a{k}", f"b{k}"
        claims += [a, b]
        relations += [
            (f"x{k}", "objection", [a], b),
            (f"y{k}", "objection", [b], a),
            (f"z{k}", "objection", [a], "hub"),
        ]
    content = make_map(claims, relations)
    exact = evaluate(content, semantics="preferred", budget_seconds=30)
    assert exact.claims["hub"].credulous == "yes"  # every b in, every a out
    tiny = evaluate(content, semantics="preferred", budget_seconds=1e-9)
    assert tiny.acceptance is not None
    assert tiny.claims["hub"].credulous in ("yes", "undetermined")
    if tiny.acceptance.undetermined:
        assert tiny.claims["hub"].why.reason == "undetermined"


def test_sample_map_theses() -> None:
    content = load_sample("for_workers_power")
    result = evaluate(content)
    theses = {"t-necessary", "t-coordinator", "t-third-way"}
    assert theses <= set(result.claims)
    for thesis in theses:
        assert result.claims[thesis].label == "in", result.claims[thesis].explanation
