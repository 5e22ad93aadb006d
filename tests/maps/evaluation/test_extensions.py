"""Preferred and stable acceptance against a brute-force reference on small random maps."""

from __future__ import annotations

from brute_force import LABELS, BruteForce, nodes_of
from factories import small_maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from maps.evaluation.extensions import acceptance
from maps.evaluation.framework import build_framework
from maps.evaluation.grounded import IN, grounded
from models import MapContent


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps(), st.sampled_from(["preferred", "stable"]))
def test_preferred_and_stable_acceptance_match_brute_force(
    content: MapContent, semantics: str
) -> None:
    reference = BruteForce.of(content)
    extensions = reference.preferred() if semantics == "preferred" else reference.stable()
    if semantics == "preferred":
        for e in extensions:  # preferred = maximal admissible
            assert reference.admissible(e)
    else:
        full = (1 << reference.n) - 1
        for e in extensions:  # stable ones attack every outsider
            assert e | reference.attacked(e) == full
    result = evaluate(content, semantics=semantics)
    assert result.acceptance is not None
    assert result.acceptance.extensions_exist is bool(extensions)
    for v, element_id in enumerate(nodes_of(content)):
        element = result.claims.get(element_id) or result.relations[element_id]
        inside = [e >> v & 1 for e in extensions]
        if not extensions:
            assert (element.credulous, element.sceptical) == ("no", "no")
            continue
        assert element.credulous == ("yes" if any(inside) else "no"), element_id
        assert element.sceptical == ("yes" if all(inside) else "no"), element_id
        expected = (
            "in"
            if all(inside)
            else "out"
            if all(reference.label(e, v) == "out" for e in extensions)
            else "undecided"
        )
        assert element.label == expected, element_id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps(), st.sampled_from(["preferred", "stable"]))
def test_per_argument_searches_agree_with_brute_force(content: MapContent, semantics: str) -> None:
    """The fallback used when there are too many extensions to list (forced here)."""
    reference = BruteForce.of(content)
    extensions = reference.preferred() if semantics == "preferred" else reference.stable()
    fw = build_framework(content)
    result = acceptance(
        fw,
        grounded(fw),
        semantics="stable" if semantics == "stable" else "preferred",
        evidential=False,
        budget_seconds=60,
        enumeration_steps=0,
    )
    assert result.extensions_exist is bool(extensions)
    if not extensions:
        return
    for v in range(len(nodes_of(content))):
        inside = [e >> v & 1 for e in extensions]
        assert result.credulous[v] == ("yes" if any(inside) else "no")
        if semantics == "stable" or result.sceptical[v] != "undetermined":
            assert result.sceptical[v] == ("yes" if all(inside) else "no")
        if result.label[v] == IN:
            assert all(inside)
        if semantics == "stable":
            expected = "in" if all(inside) else "out" if not any(inside) else "undecided"
            assert LABELS[int(result.label[v])] == expected
