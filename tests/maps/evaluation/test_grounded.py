"""The grounded labelling against a brute-force reference and the textbook iteration."""

from __future__ import annotations

import numpy as np
from brute_force import LABELS, BruteForce, nodes_of
from factories import small_maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from maps.evaluation.framework import DungFramework, build_framework, to_framework
from maps.evaluation.grounded import grounded
from models import MapContent


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
def test_the_worklists_agree_with_the_textbook_iteration(af: DungFramework) -> None:
    fw = to_framework(af)
    expected = reference_grounded(af)
    # The plain worklist explicitly (a process that loaded the compiled kernels would otherwise
    # take them for every map), then the compiled one.
    fw.kernels = False
    assert [LABELS[x] for x in grounded(fw)[: af.n].tolist()] == expected
    fw.kernels = True
    assert [LABELS[x] for x in grounded(fw)[: af.n].tolist()] == expected


@settings(max_examples=60, deadline=None)
@given(small_maps())
def test_the_compiled_worklist_agrees_on_maps_in_both_support_modes(content: MapContent) -> None:
    fw = build_framework(content, kernels=False)
    compiled_fw = build_framework(content, kernels=True)
    for evidential in (False, True):
        generation = np.full(fw.n_nodes, -1, dtype=np.int64)
        compiled_generation = generation.copy()
        plain = grounded(fw, evidential=evidential, generation=generation)
        fast = grounded(compiled_fw, evidential=evidential, generation=compiled_generation)
        assert fast.tolist() == plain.tolist()
        assert compiled_generation.tolist() == generation.tolist()
