"""The grounded labelling of a map's attack structure, by one worklist.

Labels are small integers in a numpy array indexed by node (see maps/evaluation/framework.py):
`UNDECIDED = 0`, `IN = 1`, `OUT = 2`.

Each node has an acceptance condition over its parents (a bipolar abstract dialectical
framework, Brewka and Woltran 2010), evaluated by one worklist:

- a relation is `in` when all its premises are `in` and every objection aimed at it (an undercut)
  is `out`; it is `out` as soon as one premise is `out` or one undercut is `in`;
- a claim is `in` when every objection aimed at it is `out`; `out` as soon as one is `in`;
- in evidential mode a claim that is not `accepted` also needs a standing support: it is `in` only
  once one of its supports is `in`, and `out` once all of them are `out` (or it has none). Support
  that only goes round in a circle never founds a claim (Oren and Norman 2008), so after the
  worklist settles, undecided claims that no chain of supports from a starting point can reach
  are set `out` and the worklist resumes.

Every node enters the worklist once, and each relation is looked at from its target and from each
premise once, so the grounded labelling costs time linear in claims plus relations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from maps.evaluation.framework import NARROW_LIMIT, Framework, IntArray

UNDECIDED = 0
IN = 1
OUT = 2

LabelArray = NDArray[np.uint8]
CountArray = NDArray[Any]  # int64, or int32 on the compiled path

# Frontiers at least this large are processed with numpy in one step; smaller ones node by node.
# Wide frontiers (random maps) then cost a few vector operations, and long chains never pay the
# fixed cost of a vector step per link.
VECTOR_FRONTIER = 128


def grounded(
    fw: Framework,
    *,
    evidential: bool = False,
    generation: IntArray | None = None,
    vector_frontier: int = VECTOR_FRONTIER,
) -> LabelArray:
    """The grounded labelling (least fixed point) of every claim and relation.

    When `generation` (an int64 array, one entry per node) is given, it receives the worklist
    step at which each node was labelled (the explanations use it to pick first causes).
    """
    c = fw.n_claims
    n = fw.n_nodes
    # The compiled worklist runs over 32-bit counts and node numbers when they fit: half the
    # memory to walk at random, which is where its time goes on large maps.
    narrow = n < NARROW_LIMIT and len(fw.uses) < NARROW_LIMIT
    counts = np.int32 if fw.kernels and narrow else np.int64
    label = np.zeros(n, dtype=np.uint8)
    neg = fw.attacker_count.astype(counts)
    pos = np.zeros(n, dtype=counts)
    pos[c:] = np.diff(fw.premise_start)
    alive = np.zeros(c, dtype=counts)
    born_out = np.zeros(0, dtype=np.int64)
    if evidential:
        alive = fw.support_count.astype(counts)
        needs = np.frombuffer(fw.accepted, dtype=np.uint8) == 0
        pos[:c][needs] = 1
        born_out = np.flatnonzero(needs & (alive == 0))
        label[born_out] = OUT
    start = np.flatnonzero((neg == 0) & (pos == 0) & (label == UNDECIDED))
    label[start] = IN
    worklist = _Worklist(fw, label, neg, pos, alive, evidential=evidential, generation=generation)
    worklist.vector_frontier = vector_frontier
    worklist.run(np.concatenate((start, born_out)))
    if evidential:
        while True:
            unfounded = worklist.unfounded()
            if not len(unfounded):
                break
            label[unfounded] = OUT
            worklist.run(unfounded)
    return label


class _Worklist:
    """The grounded worklist over one framework's arrays (see the module docstring)."""

    def __init__(
        self,
        fw: Framework,
        label: LabelArray,
        neg: CountArray,
        pos: CountArray,
        alive: CountArray,
        *,
        evidential: bool,
        generation: IntArray | None = None,
    ) -> None:
        self.generation = generation
        self.vector_frontier = VECTOR_FRONTIER
        self.step = 0
        self.fw = fw
        self.label = label
        self.neg = neg
        self.pos = pos
        self.alive = alive
        self.evidential = evidential
        self.mark = np.zeros(fw.n_nodes, dtype=np.int64)

    def run(self, frontier: IntArray) -> None:
        """Propagate from nodes whose label was just set, generation by generation."""
        if self.fw.kernels:
            from maps.evaluation import kernels

            fw = self.fw
            target, uses_start, uses = (
                fw.narrow()
                if self.neg.dtype == np.int32
                else (
                    fw.target,
                    fw.uses_start,
                    fw.uses,
                )
            )
            self.step = kernels.grounded_worklist(
                fw.n_claims,
                target,
                fw.objection,
                uses_start,
                uses,
                self.label,
                self.neg,
                self.pos,
                self.alive,
                self.evidential,
                np.asarray(frontier, dtype=np.int64),
                self.generation if self.generation is not None else self.mark[:0],
                self.step,
            )
            return
        current: IntArray | list[int] = frontier
        while len(current):
            if self.generation is not None:
                self.generation[np.asarray(current, dtype=np.int64)] = self.step
            self.step += 1
            if len(current) >= self.vector_frontier:
                current = self._vector_step(np.asarray(current, dtype=np.int64))
            else:
                current = self._scalar_step([int(v) for v in current])

    def _unique(self, nodes: IntArray) -> IntArray:
        if len(nodes) < 2:
            return nodes
        order = np.arange(len(nodes))
        self.mark[nodes] = order
        unique: IntArray = nodes[self.mark[nodes] == order]
        return unique

    def _decrement(self, counts: IntArray, nodes: IntArray) -> None:
        if len(nodes) > len(counts) // 8:
            counts -= np.bincount(nodes, minlength=len(counts))
        else:
            np.subtract.at(counts, nodes, 1)

    def _vector_step(self, frontier: IntArray) -> IntArray:
        fw, label, neg, pos = self.fw, self.label, self.neg, self.pos
        c = fw.n_claims
        found: list[IntArray] = []
        is_in = label[frontier] == IN
        relation = frontier >= c
        j_in = frontier[relation & is_in] - c
        j_out = frontier[relation & ~is_in] - c
        claims_in = frontier[~relation & is_in]
        claims_out = frontier[~relation & ~is_in]

        objecting = fw.objection[j_in].astype(bool)
        hit = fw.target[j_in[objecting]]
        hit = self._unique(hit[label[hit] == UNDECIDED])
        label[hit] = OUT
        found.append(hit)

        objecting_out = fw.objection[j_out].astype(bool)
        freed = fw.target[j_out[objecting_out]]
        self._decrement(neg, freed)
        freed = freed[(neg[freed] == 0) & (pos[freed] == 0) & (label[freed] == UNDECIDED)]
        freed = self._unique(freed)
        label[freed] = IN
        found.append(freed)

        if self.evidential:
            backed = fw.target[j_in[~objecting]]
            backed = backed[backed < c]
            backed = backed[pos[backed] > 0]
            pos[backed] = 0
            backed = self._unique(backed[(neg[backed] == 0) & (label[backed] == UNDECIDED)])
            label[backed] = IN
            found.append(backed)
            lost = fw.target[j_out[~objecting_out]]
            lost = lost[lost < c]
            lost = lost[pos[lost] > 0]
            self._decrement(self.alive, lost)
            lost = self._unique(lost[(self.alive[lost] == 0) & (label[lost] == UNDECIDED)])
            label[lost] = OUT
            found.append(lost)

        enabled = _gather(fw.uses_start, fw.uses, claims_in)
        self._decrement(pos, enabled)
        enabled = enabled[(pos[enabled] == 0) & (neg[enabled] == 0) & (label[enabled] == UNDECIDED)]
        enabled = self._unique(enabled)
        label[enabled] = IN
        found.append(enabled)

        broken = _gather(fw.uses_start, fw.uses, claims_out)
        broken = self._unique(broken[label[broken] == UNDECIDED])
        label[broken] = OUT
        found.append(broken)
        return np.concatenate(found)

    def _scalar_step(self, frontier: list[int]) -> list[int]:
        fw = self.fw
        c = fw.n_claims
        label = self.label.data
        neg = self.neg.data
        pos = self.pos.data
        alive = self.alive.data
        target = fw.target.data
        objection = fw.objection.data
        uses = fw.uses.data
        uses_start = fw.uses_start.data
        evidential = self.evidential
        found: list[int] = []
        push = found.append
        for v in frontier:
            if v >= c:
                j = v - c
                t = target[j]
                if objection[j]:
                    if label[v] == IN:
                        if not label[t]:
                            label[t] = OUT
                            push(t)
                    else:
                        neg[t] -= 1
                        if not neg[t] and not pos[t] and not label[t]:
                            label[t] = IN
                            push(t)
                elif evidential and t < c and pos[t]:
                    if label[v] == IN:
                        pos[t] = 0
                        if not neg[t] and not label[t]:
                            label[t] = IN
                            push(t)
                    else:
                        alive[t] -= 1
                        if not alive[t] and not label[t]:
                            label[t] = OUT
                            push(t)
            elif label[v] == IN:
                for r in uses[uses_start[v] : uses_start[v + 1]]:
                    pos[r] -= 1
                    if not pos[r] and not neg[r] and not label[r]:
                        label[r] = IN
                        push(r)
            else:
                for r in uses[uses_start[v] : uses_start[v + 1]]:
                    if not label[r]:
                        label[r] = OUT
                        push(r)
        return found

    def unfounded(self) -> IntArray:
        """Undecided nodes that no chain of supports from a starting point can reach."""
        fw, label = self.fw, self.label
        c = fw.n_claims
        undecided = np.flatnonzero(label == UNDECIDED)
        if not len(undecided):
            return undecided
        # A relation waits for its undecided premises; an undecided claim that already has a
        # standing support (or is accepted) is founded from the start.
        owner = np.repeat(np.arange(c, fw.n_nodes, dtype=np.int64), np.diff(fw.premise_start))
        waiting = owner[label[fw.premises] == UNDECIDED]
        missing = np.bincount(waiting, minlength=fw.n_nodes)
        founded = np.zeros(fw.n_nodes, dtype=np.uint8)
        seeds = undecided[
            np.where(
                undecided < c, self.pos[np.minimum(undecided, c - 1)] == 0, missing[undecided] == 0
            )
        ]
        founded[seeds] = 1
        stack = seeds.tolist()
        mv_founded = founded.data
        mv_label = label.data
        mv_missing = missing.data
        target = fw.target.data
        objection = fw.objection.data
        uses = fw.uses.data
        uses_start = fw.uses_start.data
        while stack:
            v = stack.pop()
            if v < c:
                for r in uses[uses_start[v] : uses_start[v + 1]]:
                    if mv_label[r] == UNDECIDED:
                        mv_missing[r] -= 1
                        if not mv_missing[r] and not mv_founded[r]:
                            mv_founded[r] = 1
                            stack.append(r)
            else:
                j = v - c
                t = target[j]
                if not objection[j] and t < c and mv_label[t] == UNDECIDED and not mv_founded[t]:
                    mv_founded[t] = 1
                    stack.append(t)
        left: IntArray = undecided[founded[undecided] == 0]
        return left


def _gather(starts: IntArray, flat: IntArray, nodes: IntArray) -> IntArray:
    """Concatenate the CSR rows `flat[starts[v]:starts[v + 1]]` of the given nodes."""
    first = starts[nodes]
    lengths = starts[nodes + 1] - first
    total = int(lengths.sum())
    if not total:
        return flat[:0]
    shift = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    return flat[shift + np.arange(total)]
