"""Gradual strength in [0, 1] of every claim and relation: DF-QuAD and quadratic energy.

Each claim starts from its base weight (`Claim.weight`, default 0.5). A relation's base is the
strength of its weakest premise (linked premises hold only together). Every node is then pulled
up by the relations that support it and down by the objections aimed at it:

- DF-QuAD (Rago, Toni, Aurisicchio and Baroni 2016): attack `va = 1 - prod(1 - s)` over the
  objections, support `vs` likewise over the supports; strength `b - b(va - vs)` when
  `va >= vs`, else `b + (1 - b)(vs - va)`.
- quadratic energy (Potyka 2018): energy `E = sum(supports) - sum(objections)`,
  `h(x) = max(x, 0)^2 / (1 + max(x, 0)^2)`, strength `b - b h(-E) + (1 - b) h(E)`.

The update runs on all nodes at once (numpy) until no strength moves by more than the tolerance.
On an acyclic map that reaches the unique fixed point; on a cyclic one DF-QuAD need not
converge, so the iteration stops at a cap and says so (`converged=False`, the last change).

When the framework runs compiled kernels (`Framework.kernels`), `kernels.gradual_iterations` does the
same Jacobi iteration (every new strength from the previous iteration's strengths) compiled,
over flat lists of the relations aimed at each node (`Framework.incoming`). Both paths multiply
the `1 - s` of a node's objections (and supports) and add their strengths (quadratic energy) in
relation order, so they give the same strengths to the last bit and the same iteration counts.
A relation given no premise holds unconditionally (base 1).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from maps.evaluation.framework import Framework, IntArray
from models.evaluation import GradualName

GRADUAL_SEMANTICS: tuple[GradualName, ...] = get_args(GradualName)

FloatArray = NDArray[np.float64]

# The compiled path runs a chunk of iterations per call and checks the deadline between chunks:
# at most this many node, edge and premise visits per chunk (a few nanoseconds each). A map of
# 1M claims and 3M relations runs one iteration per chunk (15 ms, 35 ms with linked premises);
# a 1000-claim map runs in one chunk.
CHUNK_WORK = 5_000_000
CHUNK_MAX_ITERATIONS = 256


@dataclass(frozen=True)
class GradualResult:
    strengths: NDArray[np.float64]  # per node (claims, then relations)
    converged: bool
    iterations: int
    max_delta: float
    method: GradualName
    tolerance: float


def gradual_strength(
    fw: Framework,
    *,
    method: GradualName = "dfquad",
    tolerance: float = 1e-6,
    max_iterations: int = 1000,
    deadline: float = float("inf"),
) -> GradualResult:
    """Strength of every node under DF-QuAD or quadratic energy (see the module docstring).

    When no relation has linked premises or is aimed at a relation, a relation's strength is its
    premise's and the iteration runs over claims alone (the common case, and half the work).
    With `fw.kernels` the iteration runs compiled (`kernels.gradual_iterations`, the same result to the last
    bit), and `deadline` is checked after chunks of up to `CHUNK_WORK` visits rather than after
    every iteration.
    """
    if method not in GRADUAL_SEMANTICS:
        raise ValueError(f"unknown gradual semantics {method!r}")
    c = fw.n_claims
    m = fw.n_relations
    weights = np.asarray(fw.weights, dtype=np.float64)
    # One premise each (as many premises as relations, and no empty premise list) and no
    # relation aimed at a relation.
    simple = (
        m == len(fw.premises)
        and (m == 0 or int(np.diff(fw.premise_start).min()) == 1)
        and (m == 0 or int(fw.target.max()) < c)
    )
    if fw.kernels:
        strengths, converged, iterations, delta = _kernel_strength(
            fw, weights, simple, method, tolerance, max_iterations, deadline
        )
    else:
        strengths, converged, iterations, delta = _numpy_strength(
            fw, weights, simple, method, tolerance, max_iterations, deadline
        )
    if simple:
        strengths = np.concatenate((strengths, strengths[fw.premises]))
    return GradualResult(
        strengths=strengths,
        converged=converged,
        iterations=iterations,
        max_delta=delta,
        method=method,
        tolerance=tolerance,
    )


def _numpy_strength(
    fw: Framework,
    weights: FloatArray,
    simple: bool,
    method: GradualName,
    tolerance: float,
    max_iterations: int,
    deadline: float,
) -> tuple[FloatArray, bool, int, float]:
    """(strengths of the iterated nodes, converged, iterations, last change), vectorised."""
    c = fw.n_claims
    n = fw.n_nodes
    objection = fw.objection.astype(bool)
    if simple:
        size = c
        source = fw.premises  # one premise per relation: the relation is as strong as it
        base = weights
    else:
        size = n
        source = np.arange(c, n, dtype=np.int64)
        base = np.concatenate((weights, np.full(fw.n_relations, 0.5)))
    # Sorting each relation list by target keeps bincount's writes sequential.
    att_order = np.argsort(fw.target[objection], kind="stable")
    att_src, att_tgt = source[objection][att_order], fw.target[objection][att_order]
    sup_order = np.argsort(fw.target[~objection], kind="stable")
    sup_src, sup_tgt = source[~objection][sup_order], fw.target[~objection][sup_order]
    premises = fw.premises
    has_premises = np.diff(fw.premise_start) > 0
    # A relation with no premise (none given) holds unconditionally: its base stays 1.
    single = not simple and len(premises) == fw.n_relations and bool(has_premises.all())
    row_start = fw.premise_start[:-1][has_premises]
    strengths = base.copy()  # relations start at 0.5
    if not simple:
        base[c:][~has_premises] = 1.0
    delta = 0.0
    iterations = 0
    converged = size == 0
    while not converged and iterations < max_iterations:
        iterations += 1
        if not simple and len(premises):
            claim_strength = strengths[premises]
            if single:
                base[c:] = claim_strength
            else:
                base[c:][has_premises] = np.minimum.reduceat(claim_strength, row_start)
        new = _update(method, base, strengths, att_src, att_tgt, sup_src, sup_tgt, size)
        np.maximum(new, 0.0, out=new)  # np.clip, without its wrapper's overhead
        np.minimum(new, 1.0, out=new)
        change = new - strengths
        np.abs(change, out=change)
        delta = float(change.max()) if size else 0.0
        strengths = new
        converged = delta <= tolerance
        if time.monotonic() > deadline:
            break
    return strengths, converged, iterations, delta


def _update(
    method: GradualName,
    base: FloatArray,
    strengths: FloatArray,
    att_src: IntArray,
    att_tgt: IntArray,
    sup_src: IntArray,
    sup_tgt: IntArray,
    size: int,
) -> FloatArray:
    """One Jacobi step of DF-QuAD or quadratic energy, before clipping to [0, 1]."""
    if method == "dfquad":
        # ufunc.at multiplies in index order, as kernels.gradual_iterations does: the same bits.
        attack = np.ones(size)
        np.multiply.at(attack, att_tgt, 1.0 - strengths[att_src])
        support = np.ones(size)
        np.multiply.at(support, sup_tgt, 1.0 - strengths[sup_src])
        diff = (1.0 - support) - (1.0 - attack)
        new: FloatArray = np.where(diff <= 0, base + base * diff, base + (1.0 - base) * diff)
        return new
    # bincount of an empty array is int64 even with weights: make it float.
    energy = np.bincount(sup_tgt, weights=strengths[sup_src], minlength=size).astype(np.float64)
    energy -= np.bincount(att_tgt, weights=strengths[att_src], minlength=size)
    sq = np.square(energy)
    h = sq / (1.0 + sq)
    new = np.where(energy >= 0, base + (1.0 - base) * h, base - base * h)
    return new


def _kernel_strength(
    fw: Framework,
    weights: FloatArray,
    simple: bool,
    method: GradualName,
    tolerance: float,
    max_iterations: int,
    deadline: float,
) -> tuple[FloatArray, bool, int, float]:
    """`_numpy_strength` through `kernels.gradual_iterations`, a chunk of iterations per call.

    The deadline is checked between chunks, so a run may overshoot it by up to one chunk
    (`CHUNK_WORK` visits, a few tens of milliseconds at most) where the numpy path stops after
    the first iteration past it.
    """
    from maps.evaluation import kernels

    c = fw.n_claims
    size = c if simple else fw.n_nodes
    if size == 0:
        return np.zeros(0), True, 0, 0.0
    incoming = fw.incoming()
    targets, sources, order, owner, premises, first = kernels.gradual_layout(
        c, simple, *incoming, fw.premise_start, fw.premises
    )
    a = len(incoming[1])
    edges = (targets[:a], sources[:a], targets[a:], sources[a:], owner, premises, first)
    current = np.full(size, 0.5)  # relations start at 0.5, as in `_numpy_strength`
    current[:c] = weights
    base = np.ones(size)  # the kernel sets the base of every relation with premises
    base[:c] = weights
    following = np.empty_like(current)
    attack = np.empty_like(current)
    support = np.empty_like(current)
    chunk = max(1, min(CHUNK_MAX_ITERATIONS, CHUNK_WORK // (size + len(sources) + len(premises))))
    dfquad = method == "dfquad"
    iterations = 0
    delta = 0.0
    converged = False
    while iterations < max_iterations:
        steps = int(min(chunk, max_iterations - iterations))
        done, delta, converged = kernels.gradual_iterations(
            dfquad, *edges, base, current, following, attack, support, float(tolerance), steps
        )
        iterations += done
        if done % 2:  # the kernel swaps its two buffers after every iteration
            current, following = following, current
        if converged or time.monotonic() > deadline:
            break
    if not simple:  # back from the kernel's order of relations to the map's
        relations = np.empty(fw.n_relations)
        relations[order] = current[c:]
        current[c:] = relations
    return current, converged, iterations, delta
