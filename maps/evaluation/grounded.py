"""The grounded labelling of a map's attack structure, by one worklist.

Labels are `Label` values in a numpy array (uint8) indexed by node (see framework.py).

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
premise once, so the grounded labelling costs time linear in claims plus relations. `_worklist`
is the plain reference, node by node over the arrays; a framework that runs compiled kernels
takes the same worklist compiled (kernels.grounded_worklist), which the tests hold to the same
labels and the same generations.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maps.evaluation.framework import Framework, IntArray


class Label(IntEnum):
    """The label of a claim or relation (a uint8 in label arrays)."""

    UNDECIDED = 0  # neither: it sits in a cycle of attacks, or rests on one
    IN = 1  # it stands: every objection to it is out (for a relation: and every premise is in)
    OUT = 2  # it falls: an objection to it is in (for a relation: or a premise is out)


UNDECIDED, IN, OUT = Label.UNDECIDED, Label.IN, Label.OUT

LabelArray = NDArray[np.uint8]
CountArray = NDArray[Any]


def grounded(
    fw: Framework, *, evidential: bool = False, generation: IntArray | None = None
) -> LabelArray:
    """The grounded labelling (least fixed point) of every claim and relation.

    When `generation` (an int64 array, one entry per node) is given, it receives the worklist
    step at which each node was labelled (the explanations use it to pick first causes).
    """
    state, frontier = _start(fw, evidential=evidential)
    step = _run(fw, state, frontier, generation, 0)
    while evidential:
        unfounded = _unfounded(fw, state)
        if not len(unfounded):
            break
        state.label[unfounded] = OUT
        step = _run(fw, state, unfounded, generation, step)
    return state.label


@dataclass
class _State:
    """What the worklist reads and updates, per node."""

    label: LabelArray
    # Counts: int64, or int32 on the compiled path when the map fits (Framework.narrow).
    neg: CountArray  # objections aimed at the node that are not yet out
    pos: CountArray  # relation: premises not yet in; claim needing support: 1 until one stands
    alive: CountArray  # claim needing support: supports not yet out
    evidential: bool


def _start(fw: Framework, *, evidential: bool) -> tuple[_State, IntArray]:
    """The counts before any label is set, and the nodes labelled from the start."""
    c, n = fw.n_claims, fw.n_nodes
    counts = np.int32 if fw.kernels and fw.narrow() is not None else np.int64
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
    state = _State(label=label, neg=neg, pos=pos, alive=alive, evidential=evidential)
    return state, np.concatenate((start, born_out))


def _run(
    fw: Framework, state: _State, frontier: IntArray, generation: IntArray | None, step: int
) -> int:
    """Propagate from the nodes just labelled (compiled when `fw.kernels`); the next step.

    The compiled worklist walks 32-bit node numbers and counts when they fit: half the memory
    to touch at random, which is where its time goes on large maps (1.4x to 1.5x faster at a
    million claims; the same kernel, compiled for either width).
    """
    if not fw.kernels:
        return _worklist(fw, state, frontier.tolist(), generation, step)
    from maps.evaluation import kernels

    narrow = fw.narrow() if state.neg.dtype == np.int32 else None
    target, uses_start, uses = narrow or (fw.target, fw.uses_start, fw.uses)
    next_step: int = kernels.grounded_worklist(
        fw.n_claims,
        target,
        fw.objection,
        uses_start,
        uses,
        state.label,
        state.neg,
        state.pos,
        state.alive,
        state.evidential,
        frontier,
        generation if generation is not None else np.zeros(0, dtype=np.int64),
        step,
    )
    return next_step


def _worklist(
    fw: Framework, state: _State, frontier: list[int], generation: IntArray | None, step: int
) -> int:
    """The worklist, generation by generation: each node labelled tells the nodes it decides.

    An `in` objection puts its target `out`; an `out` one counts down the target's live
    objections (`in` at none, if nothing else is missing). An `in` claim counts down the missing
    premises of the relations resting on it; an `out` one puts them `out`. In evidential mode a
    support that goes `in` founds its target, and one that goes `out` counts down its live
    supports (`out` at none). Returns the step after the last generation.
    """
    c = fw.n_claims
    label, neg, pos, alive = (x.data for x in (state.label, state.neg, state.pos, state.alive))
    target, objection = fw.target.data, fw.objection.data
    uses, uses_start = fw.uses.data, fw.uses_start.data
    record = generation.data if generation is not None else None
    while frontier:
        found: list[int] = []
        push = found.append
        for v in frontier:
            if record is not None:
                record[v] = step
            if v >= c:
                j = v - c
                t = target[j]
                if objection[j]:
                    if label[v] == IN:
                        if label[t] == UNDECIDED:
                            label[t] = OUT
                            push(t)
                    else:
                        neg[t] -= 1
                        if not neg[t] and not pos[t] and label[t] == UNDECIDED:
                            label[t] = IN
                            push(t)
                elif state.evidential and t < c and pos[t]:
                    if label[v] == IN:
                        pos[t] = 0
                        if not neg[t] and label[t] == UNDECIDED:
                            label[t] = IN
                            push(t)
                    else:
                        alive[t] -= 1
                        if not alive[t] and label[t] == UNDECIDED:
                            label[t] = OUT
                            push(t)
            elif label[v] == IN:
                for r in uses[uses_start[v] : uses_start[v + 1]]:
                    pos[r] -= 1
                    if not pos[r] and not neg[r] and label[r] == UNDECIDED:
                        label[r] = IN
                        push(r)
            else:
                for r in uses[uses_start[v] : uses_start[v + 1]]:
                    if label[r] == UNDECIDED:
                        label[r] = OUT
                        push(r)
        frontier = found
        step += 1
    return step


def _unfounded(fw: Framework, state: _State) -> IntArray:
    """Undecided nodes that no chain of supports from a starting point can reach."""
    label = state.label
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
            undecided < c, state.pos[np.minimum(undecided, c - 1)] == 0, missing[undecided] == 0
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
