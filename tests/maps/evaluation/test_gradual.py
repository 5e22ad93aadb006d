"""The compiled gradual-strength kernel (numba) against the numpy path it replaces."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import maps.evaluation.gradual
from maps.evaluation.framework import Framework, framework_from_columns
from maps.evaluation.gradual import GRADUAL_SEMANTICS, GradualName, GradualResult, gradual_strength


def random_map(
    seed: int,
    n: int,
    *,
    linked: bool,
    undercuts: bool,
    relations_per_claim: int = 3,
    objections: float = 0.6,
) -> dict[str, Any]:
    """A random map as columns: cycles, objections and supports, weights including 0 and 1.

    `linked`: a fifth of the relations have two premises; `undercuts`: a tenth aim at an
    earlier relation. Without either, every relation has one premise and aims at a claim (the
    kernel's simple case).
    """
    rng = np.random.default_rng(seed)
    m = relations_per_claim * n
    ids = [f"c{i}" for i in range(n)]
    relation_ids = [f"r{j}" for j in range(m)]
    premises: list[list[str]] = []
    target_claims: list[str | None] = []
    target_relations: list[str | None] = []
    for j in range(m):
        size = 2 if linked and n > 1 and rng.random() < 0.2 else 1
        premises.append([ids[p] for p in rng.choice(n, size, replace=False).tolist()])
        if undercuts and j > 0 and rng.random() < 0.1:
            target_claims.append(None)
            target_relations.append(relation_ids[int(rng.integers(0, j))])
        else:
            target_claims.append(ids[int(rng.integers(0, n))])
            target_relations.append(None)
    weights = rng.random(n)
    special = rng.random(n)
    weights[special < 0.1] = 0.0
    weights[special > 0.9] = 1.0
    return {
        "claim_ids": ids,
        "relation_ids": relation_ids,
        "objection": (rng.random(m) < objections).astype(np.uint8).tobytes(),
        "premises": premises,
        "target_claims": target_claims,
        "target_relations": target_relations if undercuts else None,
        "weights": weights.tolist(),
    }


def both(data: dict[str, Any]) -> tuple[Framework, Framework]:
    """The same map as a framework on the numpy path and one on the compiled kernels."""
    plain = framework_from_columns(**data, kernels=False)
    fast = framework_from_columns(**data, kernels=True)
    assert not plain.kernels
    assert fast.kernels
    return plain, fast


def assert_same(kernel: GradualResult, numpy: GradualResult) -> None:
    """The same result to the last bit (both paths do the same float operations in order)."""
    assert kernel.iterations == numpy.iterations
    assert kernel.converged == numpy.converged
    assert kernel.method == numpy.method
    assert kernel.tolerance == numpy.tolerance
    assert kernel.strengths.dtype == np.float64
    np.testing.assert_allclose(kernel.strengths, numpy.strengths, rtol=0, atol=1e-12)
    assert kernel.strengths.tobytes() == numpy.strengths.tobytes()
    assert kernel.max_delta == numpy.max_delta


@pytest.fixture
def no_numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any call of the numpy path on a kernel framework: the kernel must be used there."""
    numpy_path = maps.evaluation.gradual._numpy_strength

    def checked(fw: Framework, *args: Any, **kwargs: Any) -> Any:
        assert not fw.kernels, "the numpy path ran on a framework with kernels"
        return numpy_path(fw, *args, **kwargs)

    monkeypatch.setattr(maps.evaluation.gradual, "_numpy_strength", checked)


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize(
    ("linked", "undercuts"), [(False, False), (True, False), (False, True), (True, True)]
)
@pytest.mark.parametrize("seed", range(4))
def test_kernel_matches_numpy_on_random_maps(
    seed: int, linked: bool, undercuts: bool, method: GradualName
) -> None:
    # Random maps are full of cycles. Most converge; with weights 0 and 1 DF-QuAD sometimes
    # settles into a cycle instead (seed 3 with linked premises and undercuts: 1000 iterations,
    # converged False). Either way both paths agree.
    plain, fast = both(random_map(seed, 100 + 150 * seed, linked=linked, undercuts=undercuts))
    expected = gradual_strength(plain, method=method)
    result = gradual_strength(fast, method=method)
    assert_same(result, expected)
    if (seed, linked, undercuts, method) == (3, True, True, "dfquad"):
        assert not result.converged
        assert result.iterations == 1000


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize("objections", [0.0, 1.0], ids=["supports-only", "objections-only"])
@pytest.mark.parametrize("undercuts", [False, True])
def test_kernel_matches_numpy_with_one_kind_of_relation(
    undercuts: bool, objections: float, method: GradualName
) -> None:
    data = random_map(11, 200, linked=undercuts, undercuts=undercuts, objections=objections)
    plain, fast = both(data)
    assert_same(gradual_strength(fast, method=method), gradual_strength(plain, method=method))


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize("cap", [0, 1, 2, 5])
@pytest.mark.parametrize("undercuts", [False, True])
def test_kernel_stops_at_the_cap_like_numpy(undercuts: bool, cap: int, method: GradualName) -> None:
    plain, fast = both(random_map(7, 400, linked=undercuts, undercuts=undercuts))
    expected = gradual_strength(plain, method=method, tolerance=0.0, max_iterations=cap)
    result = gradual_strength(fast, method=method, tolerance=0.0, max_iterations=cap)
    assert not expected.converged
    assert expected.iterations == cap
    assert_same(result, expected)


def cycle(length: int, *, linked: bool) -> dict[str, Any]:
    """Claims of weight 1 in a ring of objections (each attacks the next): DF-QuAD flips them
    all between 1 and 0 forever. `linked` adds a support with two premises from outside, which
    makes relations nodes of their own: each then passes on its premise's strength one
    iteration late (starting from 0.5), and the strengths repeat every 4 iterations on a ring
    of 2, every 12 on a ring of 3."""
    claims = [f"c{i}" for i in range(length)]
    premises = [[claims[i]] for i in range(length)]
    targets: list[str | None] = [claims[(i + 1) % length] for i in range(length)]
    objection = [1] * length
    weights = [1.0] * length
    if linked:
        claims += ["x", "y"]
        premises.append(["x", "y"])
        targets.append(claims[0])
        objection.append(0)
        weights += [0.0, 0.5]
    return {
        "claim_ids": claims,
        "relation_ids": [f"r{j}" for j in range(len(targets))],
        "objection": bytes(objection),
        "premises": premises,
        "target_claims": targets,
        "weights": weights,
    }


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("linked", [False, True])
@pytest.mark.parametrize("length", [2, 3])
@pytest.mark.parametrize("cap", [1, 7, 300, 1000])
def test_dfquad_oscillating_cycle_stops_at_the_cap(cap: int, length: int, linked: bool) -> None:
    plain, fast = both(cycle(length, linked=linked))
    expected = gradual_strength(plain, max_iterations=cap)
    result = gradual_strength(fast, max_iterations=cap)
    assert not expected.converged
    assert expected.iterations == cap
    assert_same(result, expected)
    if not linked:
        assert expected.max_delta == 1.0
        assert result.strengths[:length].tolist() == [0.0 if cap % 2 else 1.0] * length
    elif cap > 1:
        assert expected.max_delta == 1.0
        later = gradual_strength(fast, max_iterations=cap + 12)
        assert np.array_equal(later.strengths, result.strengths)


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize("chunk", [1, 2, 3, 256])
@pytest.mark.parametrize("linked", [False, True])
def test_chunks_of_any_size_give_the_same_result(
    monkeypatch: pytest.MonkeyPatch, linked: bool, chunk: int, method: GradualName
) -> None:
    # The kernel swaps its two buffers after every iteration: odd and even chunks both count.
    monkeypatch.setattr(maps.evaluation.gradual, "CHUNK_MAX_ITERATIONS", chunk)
    plain, fast = both(random_map(3, 300, linked=linked, undercuts=linked))
    for cap in (1000, 4, 5):
        expected = gradual_strength(plain, method=method, max_iterations=cap)
        assert_same(gradual_strength(fast, method=method, max_iterations=cap), expected)


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize("linked", [False, True])
def test_a_passed_deadline_stops_after_the_first_chunk(
    monkeypatch: pytest.MonkeyPatch, linked: bool, method: GradualName
) -> None:
    monkeypatch.setattr(maps.evaluation.gradual, "CHUNK_MAX_ITERATIONS", 3)
    plain, fast = both(random_map(5, 300, linked=linked, undercuts=linked))
    result = gradual_strength(fast, method=method, deadline=-math.inf)
    assert not result.converged
    assert result.iterations == 3
    # The numpy path stops after its first iteration; it agrees on as many.
    first = gradual_strength(plain, method=method, deadline=-math.inf)
    assert first.iterations == 1
    assert_same(result, gradual_strength(plain, method=method, max_iterations=3))


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize(
    ("claims", "weights"),
    [(0, []), (1, [0.3]), (3, [0.0, 1.0, 0.5])],
    ids=["empty", "one", "three"],
)
def test_maps_without_relations(claims: int, weights: list[float], method: GradualName) -> None:
    data = {
        "claim_ids": [f"c{i}" for i in range(claims)],
        "relation_ids": [],
        "objection": b"",
        "premises": [],
        "target_claims": [],
        "weights": weights,
    }
    plain, fast = both(data)
    expected = gradual_strength(plain, method=method)
    result = gradual_strength(fast, method=method)
    assert_same(result, expected)
    assert result.strengths.tolist() == weights
    assert result.converged
    assert result.iterations == (1 if claims else 0)
    assert result.max_delta == 0.0


def three_claims() -> dict[str, Any]:
    """a (0.8) objects to c (0.5), b (0.6) supports c."""
    return {
        "claim_ids": ["a", "b", "c"],
        "relation_ids": ["ra", "rb"],
        "objection": bytes([1, 0]),
        "premises": [["a"], ["b"]],
        "target_claims": ["c", "c"],
        "weights": [0.8, 0.6, 0.5],
    }


def undercut() -> dict[str, Any]:
    """a and b (linked) object to c, and d objects to that objection (an undercut)."""
    return {
        "claim_ids": ["a", "b", "c", "d"],
        "relation_ids": ["r", "u"],
        "objection": bytes([1, 1]),
        "premises": [["a", "b"], ["d"]],
        "target_claims": ["c", None],
        "target_relations": [None, "r"],
        "weights": [0.8, 0.6, 0.5, 0.9],
    }


def h(x: float) -> float:
    return max(x, 0.0) ** 2 / (1 + max(x, 0.0) ** 2)


# DF-QuAD on three_claims: attack 0.8 >= support 0.6, so c = 0.5 - 0.5 * (0.8 - 0.6) = 0.4.
# On undercut: u = 0.9 (d); r = min(0.8, 0.6) - 0.6 * 0.9 = 0.06; c = 0.5 - 0.5 * 0.06 = 0.47,
# reached in 3 iterations (relations start at 0.5), the 4th changes nothing.
R_ENERGY = 0.6 - 0.6 * h(0.9)
HAND: list[tuple[Any, GradualName, list[float], int]] = [
    (three_claims, "dfquad", [0.8, 0.6, 0.4, 0.8, 0.6], 2),
    (three_claims, "quadratic_energy", [0.8, 0.6, 0.5 - 0.5 * h(0.2), 0.8, 0.6], 2),
    (undercut, "dfquad", [0.8, 0.6, 0.47, 0.9, 0.06, 0.9], 4),
    (
        undercut,
        "quadratic_energy",
        [0.8, 0.6, 0.5 - 0.5 * h(R_ENERGY), 0.9, R_ENERGY, 0.9],
        4,
    ),
]


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("kernels", [False, True])
@pytest.mark.parametrize(("make", "method", "expected", "iterations"), HAND)
def test_hand_computed_strengths(
    make: Any, method: GradualName, expected: list[float], iterations: int, kernels: bool
) -> None:
    fw = framework_from_columns(**make(), kernels=kernels)
    assert fw.kernels == kernels
    result = gradual_strength(fw, method=method)
    np.testing.assert_allclose(result.strengths, expected, rtol=0, atol=1e-12)
    assert result.converged
    assert result.iterations == iterations
    assert result.max_delta == 0.0


@pytest.mark.usefixtures("no_numpy_path")
@pytest.mark.parametrize("method", GRADUAL_SEMANTICS)
@pytest.mark.parametrize("kernels", [False, True])
def test_a_relation_without_premises_holds_unconditionally(
    kernels: bool, method: GradualName
) -> None:
    # As many premise ids as relations, but not one each: r1 has none, r2 two (a and b).
    data: dict[str, Any] = {
        "claim_ids": ["a", "b", "c"],
        "relation_ids": ["r1", "r2"],
        "objection": bytes([1, 1]),
        "premises": [[], ["a", "b"]],
        "target_claims": ["c", "c"],
        "weights": [0.8, 0.6, 0.5],
    }
    result = gradual_strength(framework_from_columns(**data, kernels=kernels), method=method)
    if method == "dfquad":  # va = 1 - (1 - 1)(1 - 0.6) = 1: c = 0.5 - 0.5 * 1
        expected = [0.8, 0.6, 0.0, 1.0, 0.6]
    else:  # E = -(1 + 0.6)
        expected = [0.8, 0.6, 0.5 - 0.5 * h(1.6), 1.0, 0.6]
    np.testing.assert_allclose(result.strengths, expected, rtol=0, atol=1e-12)
    assert result.converged
    assert result.iterations == 3
