"""Verdicts a student understands (issue 15): plain words, no ids, supports, strengths, moves."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from factories import make_map
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import apply_move, evaluate, moves, what_would_change
from maps.evaluation.graph import cut
from maps.samples import load_sample
from models import MapContent
from models.evaluation import Evaluation

WORDS = ["shops", "cars", "air", "buses", "rent", "footfall", "parks", "noise", "trams", "fees"]
FORMAL = re.compile(r"\b(is in|is out|undecided|extension)\b")


@st.composite
def worded_maps(draw: st.DrawFn, *, most_claims: int = 6, most_relations: int = 8) -> MapContent:
    """Random maps whose texts and titles hold no digit, so no id (all hold one) is inside."""
    n = draw(st.integers(1, most_claims))
    claims = [f"c{i}" for i in range(n)]
    texts = {
        cid: " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25)))
        for cid in claims
    }
    relations: list[tuple[str, str, list[str], str]] = []
    keys: set[tuple[str, frozenset[str], str]] = set()
    for j in range(draw(st.integers(0, most_relations))):
        kind = draw(st.sampled_from(["objection", "objection", "support"]))
        premises = draw(st.lists(st.sampled_from(claims), min_size=1, max_size=2, unique=True))
        targets = [c for c in claims if c not in premises] + [r[0] for r in relations]
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        if (kind, frozenset(premises), target) in keys:
            continue
        keys.add((kind, frozenset(premises), target))
        relations.append((f"r{j}", kind, premises, target))
    accepted = tuple(c for c in claims if draw(st.booleans()))
    content = make_map(texts, relations, accepted=accepted)
    titled = [
        claim.model_copy(update={"title": "the " + claim.text.split()[0]})
        if draw(st.booleans())
        else claim
        for claim in content.claims
    ]
    return content.model_copy(update={"claims": titled})


def _texts(result: Evaluation) -> list[str]:
    """Every piece of text a person reads in a result."""
    found: list[str] = []
    for element in [*result.claims.values(), *result.relations.values()]:
        found += [element.explanation, *element.sentences]
    for claim in result.claims.values():
        found += [claim.strength_text or ""]
        found += [move.sentence for move in claim.changes or []]
    return found


def _ids(content: MapContent) -> list[str]:
    return [c.id for c in content.claims] + [r.id for r in content.relations]


def _assert_no_ids(content: MapContent, result: Evaluation) -> None:
    ids = _ids(content)
    for text in _texts(result):
        for element_id in ids:
            assert not re.search(rf"(?<![\w-]){re.escape(element_id)}(?![\w-])", text), (
                element_id,
                text,
            )


@pytest.mark.parametrize("semantics", ["grounded", "preferred", "stable"])
@pytest.mark.parametrize("support", ["loose", "evidential"])
def test_no_id_of_the_sample_map_appears_in_any_explanation(semantics: str, support: str) -> None:
    content = load_sample("for_workers_power")
    result = evaluate(content, semantics=semantics, support=support)
    _assert_no_ids(content, result)
    for text in _texts(result):
        assert not FORMAL.search(text), text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worded_maps(), st.sampled_from(["grounded", "preferred", "stable"]), st.booleans())
def test_no_id_appears_in_the_explanations_of_random_maps(
    content: MapContent, semantics: str, evidential: bool
) -> None:
    support = "evidential" if evidential else "loose"
    result = evaluate(content, semantics=semantics, support=support)
    _assert_no_ids(content, result)
    for claim in result.claims.values():
        assert (
            claim.verdict == {"in": "stands", "out": "defeated", "undecided": "open"}[claim.label]
        )
        assert claim.verdict_label == claim.verdict.capitalize()
        assert 1 <= len(claim.sentences) <= 5


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worded_maps(), st.sampled_from(["grounded", "preferred", "stable"]), st.booleans())
def test_every_suggested_move_applied_changes_the_verdict_it_promised(
    content: MapContent, semantics: str, evidential: bool
) -> None:
    support = "evidential" if evidential else "loose"
    result = evaluate(content, semantics=semantics, support=support, budget_seconds=30)
    assert result.changes_complete
    for claim_id, claim in result.claims.items():
        if claim.verdict == "stands":
            assert claim.changes is None
            continue
        assert claim.changes is not None
        for move in claim.changes:
            changed = apply_move(content, kind=move.kind, relation=move.relation, claim=move.claim)
            after = evaluate(changed, semantics=semantics, support=support, budget_seconds=30)
            assert after.claims[claim_id].verdict == move.verdict != claim.verdict, move


def test_a_defeated_claim_with_a_standing_support_says_why_the_support_does_not_help() -> None:
    content = make_map(
        {"t": "Museums should be free.", "s": "Poorer visitors come.", "o": "Fees fund repairs."},
        [("r1", "support", ["s"], "t"), ("r2", "objection", ["o"], "t")],
        weights={"s": 0.8, "o": 0.3},
    )
    claim = evaluate(content).claims["t"]
    assert claim.verdict_label == "Defeated"
    assert claim.sentences[0] == (
        "“Museums should be free.” is defeated: the objection “Fees fund repairs.” stands, "
        "and nothing answers it."
    )
    said = " ".join(claim.sentences[1:])
    assert "Its support “Poorer visitors come.” stands" in said
    assert "whatever supports it" in said
    assert "preponderance standard), it would hold" in said
    assert claim.strength_text == (
        "Support balance 75%: base 50%, raised by one support, lowered by one objection."
    )
    kinds = {(move.kind, move.relation, move.claim, move.verdict) for move in claim.changes or []}
    assert kinds == {("undercut", "r2", None, "stands"), ("rebut", "r2", "o", "stands")}


def test_at_most_three_objections_are_named() -> None:
    claims = {"t": "The thesis.", **{f"o{k}": f"Objection {'abcdef'[k]}." for k in range(6)}}
    relations = [(f"r{k}", "objection", [f"o{k}"], "t") for k in range(6)]
    claim = evaluate(make_map(claims, relations)).claims["t"]
    assert claim.sentences == [
        "“The thesis.” is defeated: the objections “Objection a.”, “Objection b.”, "
        "“Objection c.” and three more objections stand, and nothing answers them."
    ]
    assert claim.changes == []  # no single move answers six objections


def test_claims_are_quoted_by_title_or_cut_at_a_word() -> None:
    long = "Workers can run the factories they work in without any bosses at all, as they did"
    content = make_map({"t": long, "o": "Nobody coordinates."}, [("r1", "objection", ["o"], "t")])
    result = evaluate(content)
    assert (
        result.claims["t"]
        .sentences[0]
        .startswith("“Workers can run the factories they work in without any…” is defeated")
    )
    assert cut(long).endswith(" any…")
    titled = content.model_copy(
        update={
            "claims": [
                content.claims[0].model_copy(update={"title": "Self-management"}),
                content.claims[1],
            ]
        }
    )
    assert evaluate(titled).claims["t"].sentences[0].startswith("“Self-management” is defeated")


def test_an_open_claim_names_its_circle_and_the_moves_that_settle_it() -> None:
    content = make_map(
        {"a": "Trams are cheap.", "b": "Trams are dear."},
        [("r1", "objection", ["a"], "b"), ("r2", "objection", ["b"], "a")],
    )
    claim = evaluate(content).claims["a"]
    assert claim.verdict_label == "Open"
    assert "circle of objections" in claim.sentences[0]
    assert "“Trams are cheap.” is opposed by “Trams are dear.”" in claim.sentences[0]
    assert [move.verdict for move in claim.changes or []][:1] == ["stands"]


def test_evidential_moves_accept_starting_points() -> None:
    content = make_map(
        {"t": "Parks cut noise.", "s": "Trees absorb sound."}, [("r1", "support", ["s"], "t")]
    )
    claim = evaluate(content, support="evidential").claims["t"]
    assert claim.verdict == "defeated"
    assert "needs a support that stands" in claim.sentences[0]
    moves = {(move.kind, move.claim) for move in claim.changes or []}
    assert moves == {("accept", "t"), ("accept", "s")}


def test_the_move_budget_bounds_the_search_and_says_so() -> None:
    content = load_sample("for_workers_power")
    result = evaluate(content, move_budget=0)
    assert not result.changes_complete
    assert result.changes_searched == 0
    assert all(claim.changes is None for claim in result.claims.values())
    full = evaluate(content)
    assert full.changes_complete
    assert full.changes_searched == full.verdicts["defeated"] + full.verdicts["open"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worded_maps(), st.sampled_from(["grounded", "preferred", "stable"]), st.booleans())
def test_the_moves_of_one_claim_are_those_of_the_whole_evaluation(
    content: MapContent, semantics: str, evidential: bool
) -> None:
    support = "evidential" if evidential else "loose"
    result = evaluate(content, semantics=semantics, support=support, budget_seconds=30)
    for claim_id, claim in result.claims.items():
        alone = what_would_change(
            content, claim_id, semantics=semantics, support=support, budget_seconds=30
        )
        assert alone == (claim.changes or [])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worded_maps(), st.sampled_from(["grounded", "preferred"]), st.booleans())
def test_moves_skipped_unchecked_are_moves_that_change_nothing(
    content: MapContent, semantics: str, evidential: bool
) -> None:
    support = "evidential" if evidential else "loose"
    pruned = evaluate(content, semantics=semantics, support=support, budget_seconds=30)
    with mock.patch.object(moves.Search, "_may_change", return_value=True):
        checked = evaluate(content, semantics=semantics, support=support, budget_seconds=30)
    for claim_id, claim in pruned.claims.items():
        assert claim.changes == checked.claims[claim_id].changes
