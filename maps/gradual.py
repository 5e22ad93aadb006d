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

When the framework runs compiled kernels (`Framework.kernels`, numba), `gradual_kernel` does the
same Jacobi iteration (every new strength from the previous iteration's strengths) compiled,
over flat lists of the relations aimed at each node (`Framework.incoming`). Both paths multiply
the `1 - s` of a node's objections (and supports) and add their strengths (quadratic energy) in
relation order, so they give the same strengths to the last bit and the same iteration counts.
A relation given no premise holds unconditionally (base 1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from maps.framework import Framework, IntArray, compiled

GradualName = Literal["dfquad", "quadratic_energy"]
GRADUAL_SEMANTICS: tuple[GradualName, ...] = ("dfquad", "quadratic_energy")

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
    With `fw.kernels` the iteration runs compiled (`gradual_kernel`, the same result to the last
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
    kernel = compiled(gradual_kernel) if fw.kernels else None
    if kernel is not None:
        strengths, converged, iterations, delta = _kernel_strength(
            kernel, fw, weights, simple, method, tolerance, max_iterations, deadline
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
        if method == "dfquad":
            # ufunc.at multiplies in index order, as gradual_kernel does: the same bits.
            attack = np.ones(size)
            np.multiply.at(attack, att_tgt, 1.0 - strengths[att_src])
            support = np.ones(size)
            np.multiply.at(support, sup_tgt, 1.0 - strengths[sup_src])
            diff = (1.0 - support) - (1.0 - attack)
            new = np.where(diff <= 0, base + base * diff, base + (1.0 - base) * diff)
        else:
            # bincount of an empty array is int64 even with weights: make it float.
            energy = np.bincount(sup_tgt, weights=strengths[sup_src], minlength=size).astype(
                np.float64
            )
            energy -= np.bincount(att_tgt, weights=strengths[att_src], minlength=size)
            sq = np.square(energy)
            h = sq / (1.0 + sq)
            new = np.where(energy >= 0, base + (1.0 - base) * h, base - base * h)
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


def _kernel_strength(
    kernel: Callable[..., tuple[int, float, bool]],
    fw: Framework,
    weights: FloatArray,
    simple: bool,
    method: GradualName,
    tolerance: float,
    max_iterations: int,
    deadline: float,
) -> tuple[FloatArray, bool, int, float]:
    """`_numpy_strength` through `gradual_kernel`, a chunk of iterations per call.

    The deadline is checked between chunks, so a run may overshoot it by up to one chunk
    (`CHUNK_WORK` visits, a few tens of milliseconds at most) where the numpy path stops after
    the first iteration past it.
    """
    layout = compiled(gradual_layout_kernel)
    assert layout is not None  # compiled(gradual_kernel) was not None: numba is there
    c = fw.n_claims
    size = c if simple else fw.n_nodes
    if size == 0:
        return np.zeros(0), True, 0, 0.0
    attack_start, attackers, support_start, supporters = fw.incoming()
    targets, sources, order, owner, premises, first = layout(
        c,
        simple,
        attack_start,
        attackers,
        support_start,
        supporters,
        fw.premise_start,
        fw.premises,
    )
    a = len(attackers)
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
        done, delta, converged = kernel(
            dfquad,
            targets[:a],
            sources[:a],
            targets[a:],
            sources[a:],
            owner,
            premises,
            first,
            base,
            current,
            following,
            attack,
            support,
            float(tolerance),
            int(min(chunk, max_iterations - iterations)),
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


def gradual_layout_kernel(
    c: int,
    simple: bool,
    attack_start: IntArray,
    attackers: IntArray,
    support_start: IntArray,
    supporters: IntArray,
    premise_start: IntArray,
    premises: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, NDArray[np.uint8]]:
    """The edge lists and premise lists `gradual_kernel` iterates over, from `Framework.incoming`.

    Returns (targets, sources, order, owner, premises, first). Edge `k` is objection `k` of the
    incoming lists, then (from `len(attackers)` on) the supports, in the same order: by target,
    and by relation within a target. It carries the strength of node `sources[k]` to node
    `targets[k]`.

    In the simple case the nodes are the claims: a source is the relation's one premise, and
    the other arrays are empty. Otherwise the kernel numbers relation nodes in edge order:
    internal node `c + k` is the relation of edge `k` (map relation `order[k]`), so each
    iteration reads the relations' strengths in one sweep instead of at random places; targets
    are renumbered to match. Premise `i` of that numbering is claim `premises[i]` of internal
    relation node `owner[i]`; `first[i]` is 1 on the first premise of each relation.
    """
    n = len(attack_start) - 1
    size = c if simple else n
    a = len(attackers)
    e = a + len(supporters)
    # Row starts counted and summed up: loops free of unpredictable branches.
    targets = np.zeros(e, dtype=np.int64)
    for v in range(1, size):
        row = attack_start[v]
        if row < a:
            targets[row] += 1
        row = a + support_start[v]
        if row < e:
            targets[row] += 1
    row = 0
    for k in range(a):
        row += targets[k]
        targets[k] = row
    row = 0
    for k in range(a, e):
        row += targets[k]
        targets[k] = row
    sources = np.empty(e, dtype=np.int64)
    if simple:
        for k in range(a):
            sources[k] = premises[attackers[k] - c]
        for k in range(a, e):
            sources[k] = premises[supporters[k - a] - c]
        empty = np.empty(0, dtype=np.int64)
        return targets, sources, empty, empty, empty, np.empty(0, dtype=np.uint8)
    order = np.empty(e, dtype=np.int64)
    for k in range(a):
        order[k] = attackers[k] - c
    for k in range(a, e):
        order[k] = supporters[k - a] - c
    internal = np.empty(e, dtype=np.int64)
    for k in range(e):
        sources[k] = c + k
        internal[order[k]] = c + k
    for k in range(e):
        v = targets[k]
        if v >= c:  # an undercut (rare): a relation aimed at a relation
            targets[k] = internal[v - c]
    count = 0
    for k in range(e):
        j = order[k]
        count += premise_start[j + 1] - premise_start[j]
    owner = np.empty(count, dtype=np.int64)
    listed = np.empty(count, dtype=np.int64)
    first = np.zeros(count, dtype=np.uint8)
    i = 0
    for k in range(e):
        j = order[k]
        start = premise_start[j]
        end = premise_start[j + 1]
        if start < end:
            first[i] = 1
        for p in range(start, end):
            owner[i] = c + k
            listed[i] = premises[p]
            i += 1
    return targets, sources, order, owner, listed, first


def gradual_kernel(
    dfquad: bool,
    attack_target: IntArray,
    attack_source: IntArray,
    support_target: IntArray,
    support_source: IntArray,
    owner: IntArray,
    premises: IntArray,
    first: NDArray[np.uint8],
    base: FloatArray,
    current: FloatArray,
    following: FloatArray,
    attack: FloatArray,
    support: FloatArray,
    tolerance: float,
    steps: int,
) -> tuple[int, float, bool]:
    """Up to `steps` Jacobi iterations of the strengths of nodes `0 .. len(current) - 1`, compiled.

    `current` holds the strengths going in; each iteration writes the next ones into
    `following` and swaps the two, so after an odd number of iterations the result is in
    `following`. Objection `k` carries the strength of node `attack_source[k]` to node
    `attack_target[k]`, likewise the supports; within a target they come in relation order, the
    order in which numpy's ufunc.at and bincount take them (see `gradual_layout_kernel`).
    `base` holds the claims' weights, and the kernel sets the base of relation node `owner[i]`
    to the weakest strength of its premises (`premises[i]`, the first where `first[i]`); a
    relation without premises keeps the base it has (1). `attack` and `support` are scratch
    space. Returns (iterations run, the last iteration's largest change, whether that was within
    the tolerance): it stops at the first that was.

    The relations are walked as flat lists (one multiply, add or minimum per entry, into the
    target's slot) rather than per target: a loop per target mispredicts its exit on most
    targets, and that costs more than the memory traffic on large maps. For the same reason the
    loops hold no branch on the data: the choices below compile to selects.
    """
    size = len(current)
    done = 0
    delta = 0.0
    converged = False
    while done < steps:
        done += 1
        for i in range(len(premises)):
            o = owner[i]
            strength = current[premises[i]]
            weakest = base[o]
            # As np.minimum.reduceat: a later premise replaces the minimum only when smaller.
            base[o] = strength if (first[i] != 0) | (strength < weakest) else weakest
        delta = 0.0
        if dfquad:
            # attack[v] and support[v] get prod(1 - s): the attack `va` is 1 - attack[v].
            attack[:] = 1.0
            support[:] = 1.0
            for k in range(len(attack_source)):
                attack[attack_target[k]] *= 1.0 - current[attack_source[k]]
            for k in range(len(support_source)):
                support[support_target[k]] *= 1.0 - current[support_source[k]]
            for v in range(size):
                b = base[v]
                diff = (1.0 - support[v]) - (1.0 - attack[v])
                # b + b * diff or b + (1 - b) * diff: a select on the factor, not a branch
                # on the (unpredictable) sign.
                strength = b + (b if diff <= 0 else 1.0 - b) * diff
                if strength < 0.0:  # as np.maximum and np.minimum do, to the last bit
                    strength = 0.0
                if strength > 1.0:
                    strength = 1.0
                following[v] = strength
                change = abs(strength - current[v])
                if change > delta:
                    delta = change
        else:
            attack[:] = 0.0
            support[:] = 0.0
            for k in range(len(attack_source)):
                attack[attack_target[k]] += current[attack_source[k]]
            for k in range(len(support_source)):
                support[support_target[k]] += current[support_source[k]]
            for v in range(size):
                b = base[v]
                energy = support[v] - attack[v]
                sq = energy * energy
                h = sq / (1.0 + sq)
                # b + (1 - b) h or b - b h (the same bits as b + (-b) h), as a select.
                strength = b + (1.0 - b if energy >= 0 else -b) * h
                if strength < 0.0:
                    strength = 0.0
                if strength > 1.0:
                    strength = 1.0
                following[v] = strength
                change = abs(strength - current[v])
                if change > delta:
                    delta = change
        current, following = following, current
        converged = delta <= tolerance
        if converged:
            break
    return done, delta, converged
