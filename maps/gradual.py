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
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from maps.framework import Framework

GradualName = Literal["dfquad", "quadratic_energy"]
GRADUAL_SEMANTICS: tuple[GradualName, ...] = ("dfquad", "quadratic_energy")


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
    """
    if method not in GRADUAL_SEMANTICS:
        raise ValueError(f"unknown gradual semantics {method!r}")
    c = fw.n_claims
    n = fw.n_nodes
    weights = np.asarray(fw.weights, dtype=np.float64)
    objection = fw.objection.astype(bool)
    simple = fw.n_relations == len(fw.premises) and bool(np.all(fw.target < c))
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
    premise_start = fw.premise_start
    premises = fw.premises
    single = fw.n_relations == len(premises)
    strengths = base.copy()
    delta = 0.0
    iterations = 0
    converged = size == 0
    with np.errstate(divide="ignore"):
        while not converged and iterations < max_iterations:
            iterations += 1
            if not simple and fw.n_relations:
                claim_strength = strengths[premises]
                base[c:] = (
                    claim_strength
                    if single
                    else np.minimum.reduceat(claim_strength, premise_start[:-1])
                )
            if method == "dfquad":
                attack = -np.expm1(
                    np.bincount(att_tgt, weights=np.log1p(-strengths[att_src]), minlength=size)
                )
                support = -np.expm1(
                    np.bincount(sup_tgt, weights=np.log1p(-strengths[sup_src]), minlength=size)
                )
                diff = support - attack
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
