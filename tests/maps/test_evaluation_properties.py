"""Property tests: the labellings against a brute-force reference on small random maps."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_evaluation_helpers import BruteForce, make_map

from maps.evaluation import evaluate
from maps.formats.iccma import DungFramework, to_framework
from maps.framework import build_framework
from maps.semantics import IN, OUT, acceptance, grounded
from models import MapContent

LABELS = {0: "undecided", IN: "in", OUT: "out"}


@st.composite
def small_maps(draw: st.DrawFn, *, most_claims: int = 4, most_relations: int = 5) -> MapContent:
    """Random maps: linked premises, supports, objections, undercuts, cycles."""
    n_claims = draw(st.integers(1, most_claims))
    claims = [f"c{i}" for i in range(n_claims)]
    relations: list[tuple[str, str, list[str], str]] = []
    keys: set[tuple[str, frozenset[str], str]] = set()
    for j in range(draw(st.integers(0, most_relations))):
        kind = draw(st.sampled_from(["objection", "objection", "support"]))
        premises = draw(st.lists(st.sampled_from(claims), min_size=1, max_size=2, unique=True))
        targets = [c for c in claims if c not in premises] + [r[0] for r in relations]
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        key = (kind, frozenset(premises), target)
        if key in keys:
            continue
        keys.add(key)
        relations.append((f"r{j}", kind, premises, target))
    accepted = tuple(c for c in claims if draw(st.booleans()))
    return make_map(claims, relations, accepted=accepted)


def nodes_of(content: MapContent) -> list[str]:
    return [c.id for c in content.claims] + [r.id for r in content.relations]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps())
def test_grounded_is_the_least_fixed_point_and_admissible(content: MapContent) -> None:
    reference = BruteForce.of(content)
    extension = reference.grounded()
    assert reference.conflict_free(extension)
    assert reference.admissible(extension)
    assert reference.defended(extension) == extension  # a fixed point ...
    for s in range(1 << reference.n):  # ... contained in every complete extension
        if reference.admissible(s) and reference.defended(s) == s:
            assert extension & s == extension
    result = evaluate(content)
    for v, element_id in enumerate(nodes_of(content)):
        element = result.claims.get(element_id) or result.relations[element_id]
        assert element.label == reference.label(extension, v), element_id


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


@st.composite
def frameworks(draw: st.DrawFn) -> DungFramework:
    n = draw(st.integers(1, 40))
    attacks = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n)
    )
    pairs = np.asarray(attacks, dtype=np.int64).reshape(-1, 2)
    return DungFramework(n=n, attackers=pairs[:, 0].copy(), targets=pairs[:, 1].copy())


def reference_grounded(af: DungFramework) -> list[str]:
    """Grounded labels by the textbook iteration (repeat until nothing changes)."""
    label = ["undecided"] * af.n
    attackers: list[list[int]] = [[] for _ in range(af.n)]
    for a, b in af.attacks:
        attackers[b].append(a)
    changed = True
    while changed:
        changed = False
        for v in range(af.n):
            if label[v] != "undecided":
                continue
            if all(label[a] == "out" for a in attackers[v]):
                label[v], changed = "in", True
            elif any(label[a] == "in" for a in attackers[v]):
                label[v], changed = "out", True
    return label


@settings(max_examples=100, deadline=None)
@given(frameworks())
def test_vector_and_scalar_worklists_agree_with_the_textbook_iteration(af: DungFramework) -> None:
    fw = to_framework(af)
    expected = reference_grounded(af)
    # The plain worklists explicitly (a process that loaded the compiled kernels would otherwise
    # take them for every map), then the compiled one.
    fw.kernels = False
    for frontier in (1, 3, 10**9):  # all-vector, mixed, all-scalar
        label = grounded(fw, vector_frontier=frontier)
        assert [LABELS[x] for x in label[: af.n].tolist()] == expected
    fw.kernels = True
    assert [LABELS[x] for x in grounded(fw)[: af.n].tolist()] == expected


@settings(max_examples=60, deadline=None)
@given(small_maps())
def test_vector_worklist_agrees_on_maps_in_both_support_modes(content: MapContent) -> None:
    fw = build_framework(content, kernels=False)
    compiled_fw = build_framework(content, kernels=True)
    for evidential in (False, True):
        scalar = grounded(fw, evidential=evidential, vector_frontier=10**9)
        vector = grounded(fw, evidential=evidential, vector_frontier=1)
        assert scalar.tolist() == vector.tolist()
        assert grounded(compiled_fw, evidential=evidential).tolist() == scalar.tolist()


@settings(max_examples=40, deadline=None)
@given(small_maps())
def test_every_element_gets_an_explanation_and_a_strength(content: MapContent) -> None:
    result = evaluate(content, support="evidential")
    for element in [*result.claims.values(), *result.relations.values()]:
        assert element.explanation
        assert element.strength is not None
        assert 0.0 <= element.strength <= 1.0
        if element.label == "out":
            assert element.why.defeaters or element.why.reason == "unsupported"
        if element.label == "undecided":
            assert element.why.cycle, element.explanation
            assert element.why.cycle[0] == element.why.cycle[-1]


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
