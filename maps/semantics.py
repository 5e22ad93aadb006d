"""Labellings of a map's attack structure: grounded (worklist), preferred and stable (search).

Labels are small integers in a `bytearray` indexed by node (see maps/framework.py):
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

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from maps.framework import NARROW_LIMIT, Framework, IntArray, compiled

UNDECIDED = 0
IN = 1
OUT = 2

Answer = Literal["yes", "no", "undetermined"]


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
        kernel = compiled(worklist_kernel) if self.fw.kernels else None
        if kernel is not None:
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
            self.step = kernel(
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


def worklist_kernel(
    c: int,
    target: IntArray,
    objection: NDArray[np.uint8],
    uses_start: IntArray,
    uses: IntArray,
    label: LabelArray,
    neg: CountArray,
    pos: CountArray,
    alive: CountArray,
    evidential: bool,
    frontier: IntArray,
    generation: IntArray,
    step: int,
) -> int:
    """The worklist of `_Worklist._scalar_step` as one compiled loop over a FIFO queue.

    Nodes are processed level by level, so `generation` (when not empty) gets the same steps
    as the frontier-by-frontier loop. Returns the next step number.
    """
    n = len(label)
    queue = np.empty(n + len(frontier), dtype=target.dtype)
    tail = len(frontier)
    queue[:tail] = frontier
    head = 0
    level_end = tail
    record = len(generation) > 0
    if tail == 0:
        return step
    while head < tail:
        if head == level_end:
            step += 1
            level_end = tail
        v = queue[head]
        head += 1
        if record:
            generation[v] = step
        if v >= c:
            j = v - c
            t = target[j]
            if objection[j]:
                if label[v] == 1:
                    if label[t] == 0:
                        label[t] = 2
                        queue[tail] = t
                        tail += 1
                else:
                    neg[t] -= 1
                    if neg[t] == 0 and pos[t] == 0 and label[t] == 0:
                        label[t] = 1
                        queue[tail] = t
                        tail += 1
            elif evidential and t < c and pos[t] != 0:
                if label[v] == 1:
                    pos[t] = 0
                    if neg[t] == 0 and label[t] == 0:
                        label[t] = 1
                        queue[tail] = t
                        tail += 1
                else:
                    alive[t] -= 1
                    if alive[t] == 0 and label[t] == 0:
                        label[t] = 2
                        queue[tail] = t
                        tail += 1
        elif label[v] == 1:
            for k in range(uses_start[v], uses_start[v + 1]):
                r = uses[k]
                pos[r] -= 1
                if pos[r] == 0 and neg[r] == 0 and label[r] == 0:
                    label[r] = 1
                    queue[tail] = r
                    tail += 1
        else:
            for k in range(uses_start[v], uses_start[v + 1]):
                r = uses[k]
                if label[r] == 0:
                    label[r] = 2
                    queue[tail] = r
                    tail += 1
    return step + 1


def _gather(starts: IntArray, flat: IntArray, nodes: IntArray) -> IntArray:
    """Concatenate the CSR rows `flat[starts[v]:starts[v + 1]]` of the given nodes."""
    first = starts[nodes]
    lengths = starts[nodes + 1] - first
    total = int(lengths.sum())
    if not total:
        return flat[:0]
    shift = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    return flat[shift + np.arange(total)]


# --- preferred and stable on the undecided core ----------------------------------------------


@dataclass
class CoreAF:
    """The Dung framework of the undecided core: map nodes first, then auxiliary arguments.

    Auxiliary arguments make the acceptance conditions plain attacks: `not p` (attacked by claim
    `p`, attacking every relation `p` is a premise of) and, in evidential mode, `unsupported c`
    (attacked by each support of claim `c`, attacking `c`).
    """

    nodes: list[int]  # map node of each local argument (-1 for auxiliary ones)
    attackers: list[list[int]]
    targets: list[list[int]]


def core_framework(fw: Framework, label: LabelArray, *, evidential: bool) -> CoreAF:
    """The Dung framework over the undecided nodes of a grounded labelling."""
    c = fw.n_claims
    nodes: list[int] = np.flatnonzero(label == UNDECIDED).tolist()
    local = {v: k for k, v in enumerate(nodes)}
    attacks: list[tuple[int, int]] = []
    negation: dict[int, int] = {}
    names = list(nodes)
    labels = label.data
    premise_start = fw.premise_start
    for v in nodes:
        if v < c:
            continue
        j = v - c
        t = int(fw.target[j])
        if fw.objection[j] and t in local:
            attacks.append((local[v], local[t]))
        for p in fw.premises[premise_start[j] : premise_start[j + 1]].tolist():
            if labels[p] == UNDECIDED:
                if p not in negation:
                    names.append(-1)
                    negation[p] = len(names) - 1
                    attacks.append((local[p], negation[p]))
                attacks.append((negation[p], local[v]))
    if evidential:
        _attack_start, _attackers, support_start, supporters = fw.incoming()
        for v in nodes:
            if v >= c or fw.accepted[v]:
                continue
            backing = supporters[support_start[v] : support_start[v + 1]].tolist()
            if any(labels[s] == IN for s in backing):
                continue
            names.append(-1)
            unsupported = len(names) - 1
            attacks.append((unsupported, local[v]))
            attacks.extend((local[s], unsupported) for s in backing if labels[s] == UNDECIDED)
    size = len(names)
    attackers: list[list[int]] = [[] for _ in range(size)]
    targets: list[list[int]] = [[] for _ in range(size)]
    for a, b in attacks:
        attackers[b].append(a)
        targets[a].append(b)
    return CoreAF(nodes=names, attackers=attackers, targets=targets)


def components(attackers: list[list[int]], targets: list[list[int]]) -> list[list[int]]:
    """Weakly connected components, smallest first."""
    size = len(attackers)
    seen = bytearray(size)
    found: list[list[int]] = []
    for root in range(size):
        if seen[root]:
            continue
        seen[root] = 1
        part = [root]
        k = 0
        while k < len(part):
            v = part[k]
            k += 1
            for w in attackers[v] + targets[v]:
                if not seen[w]:
                    seen[w] = 1
                    part.append(w)
        found.append(part)
    found.sort(key=len)
    return found


class BudgetExceeded(Exception):
    """The time budget ran out before the search finished."""


_BLANK, _IN, _OUT, _MUST_OUT, _UNDEC = 0, 1, 2, 3, 4


def preferred_extensions(
    attackers: list[list[int]],
    targets: list[list[int]],
    members: Iterable[int],
    *,
    deadline: float = float("inf"),
    max_steps: int | None = None,
    force_in: int | None = None,
    first_only: bool = False,
) -> list[frozenset[int]]:
    """All preferred extensions (maximal admissible sets) of the framework restricted to members.

    A labelling search in the manner of Nofal, Atkinson and Dunne (2014): arguments go `in`
    (their targets `out`, their attackers `must-out`) or `undec`; a leaf without `must-out`
    arguments is admissible; only maximal ones are kept. Raises BudgetExceeded past `deadline`.
    """
    member_list = list(members)
    lab: dict[int, int] = {}
    for v in member_list:
        lab[v] = _UNDEC if v in targets[v] else _BLANK
    found: list[frozenset[int]] = []
    steps = 0
    stack: list[dict[int, int]] = [lab]
    if force_in is not None:
        if lab[force_in] != _BLANK:
            return []
        stack = [_take(lab, force_in, attackers, targets)]
    while stack:
        steps += 1
        if steps % 16 == 1 and time.monotonic() > deadline:
            raise BudgetExceeded
        if max_steps is not None and steps > max_steps:
            raise BudgetExceeded
        lab = stack.pop()
        blanks = [v for v, x in lab.items() if x == _BLANK]
        ins = frozenset(v for v, x in lab.items() if x == _IN)
        if found and blanks:
            reach = ins.union(blanks)
            if any(reach <= f for f in found):
                continue
        must_out = [v for v, x in lab.items() if x == _MUST_OUT]
        if any(not any(lab.get(a) == _BLANK for a in attackers[z]) for z in must_out):
            continue  # some attacker of the set can no longer be counter-attacked
        if not blanks:
            if must_out:
                continue
            if any(ins <= f for f in found):
                continue
            found = [f for f in found if not f <= ins]
            found.append(ins)
            if first_only:
                return found
            continue
        # Prefer an argument that defends the set (attacks a must-out one).
        chosen = blanks[0]
        for z in must_out:
            defender = next((a for a in attackers[z] if lab.get(a) == _BLANK), None)
            if defender is not None:
                chosen = defender
                break
        undec = dict(lab)
        undec[chosen] = _UNDEC
        stack.append(undec)
        if any(lab.get(a) == _IN for a in attackers[chosen]) or any(
            lab.get(t) == _IN for t in targets[chosen]
        ):
            continue
        stack.append(_take(lab, chosen, attackers, targets))
    return found


def _take(
    lab: dict[int, int], chosen: int, attackers: list[list[int]], targets: list[list[int]]
) -> dict[int, int]:
    take = dict(lab)
    take[chosen] = _IN
    for t in targets[chosen]:
        if t in take:
            take[t] = _OUT
    for a in attackers[chosen]:
        if a in take and take[a] != _OUT:
            take[a] = _MUST_OUT
    return take


def find_stable(
    attackers: list[list[int]],
    targets: list[list[int]],
    members: list[int],
    *,
    fixed: dict[int, bool],
    deadline: float = float("inf"),
) -> dict[int, bool] | None:
    """One stable extension of the component (as in/out per member) honouring `fixed`, or None.

    A DPLL-style search: an `in` argument puts its attackers and targets `out`; an argument whose
    attackers are all `out` must be `in`; an `out` one needs an `in` attacker (the last candidate
    is forced `in`). Raises BudgetExceeded past `deadline`.
    """
    steps = 0
    stack: list[dict[int, bool]] = [dict(fixed)]
    order = sorted(members, key=lambda v: -len(attackers[v]) - len(targets[v]))
    while stack:
        steps += 1
        if steps % 16 == 1 and time.monotonic() > deadline:
            raise BudgetExceeded
        assignment = _propagate_stable(stack.pop(), attackers, targets, members)
        if assignment is None:
            continue
        free = next((v for v in order if v not in assignment), None)
        if free is None:
            return assignment
        stack.append({**assignment, free: False})
        stack.append({**assignment, free: True})
    return None


def _propagate_stable(
    assignment: dict[int, bool],
    attackers: list[list[int]],
    targets: list[list[int]],
    members: list[int],
) -> dict[int, bool] | None:
    queue = list(assignment) if assignment else list(members)
    queue += [v for v in members if not attackers[v]]
    while queue:
        v = queue.pop()
        state = assignment.get(v)
        if state is True:
            for w in attackers[v] + targets[v]:
                if assignment.get(w) is True:
                    return None
                if w not in assignment:
                    assignment[w] = False
                    queue.append(w)
                    queue.extend(targets[w])
            continue
        live = [a for a in attackers[v] if assignment.get(a) is not False]
        if state is False:
            if not any(assignment.get(a) is True for a in live):
                if not live:
                    return None
                if len(live) == 1:
                    assignment[live[0]] = True
                    queue.append(live[0])
        elif not live:
            assignment[v] = True
            queue.append(v)
    return assignment


# Listing extensions stops after this many search steps; beyond it each argument is asked about
# with targeted searches instead (many extensions, e.g. a dozen independent even cycles).
ENUMERATION_STEPS = 20_000


def _per_argument(
    core: CoreAF, part: list[int], semantics: str, deadline: float
) -> dict[int, tuple[Answer, Answer, int]] | None:
    """(credulous, sceptical, label) per map argument of a component; None: no stable extension.

    Stable: exact (is there a stable extension with the argument in / not in?). Preferred:
    credulous is exact (an admissible set containing it); sceptical is `no` when an attacker is
    credulously accepted or a stable extension leaves it out, `yes` is not claimed without a
    listing (`undetermined`); the label is `in` only when sceptical, else `undecided`.
    """
    att, tgt = core.attackers, core.targets
    result: dict[int, tuple[Answer, Answer, int]] = {}
    if semantics == "stable":
        if find_stable(att, tgt, part, fixed={}, deadline=deadline) is None:
            return None
        for k in part:
            if core.nodes[k] < 0:
                continue
            can_in = find_stable(att, tgt, part, fixed={k: True}, deadline=deadline) is not None
            can_out = find_stable(att, tgt, part, fixed={k: False}, deadline=deadline) is not None
            lab = IN if not can_out else (OUT if not can_in else UNDECIDED)
            result[k] = ("yes" if can_in else "no", "no" if can_out else "yes", lab)
        return result
    cred: dict[int, bool] = {}
    for k in part:
        cred[k] = bool(
            preferred_extensions(att, tgt, part, deadline=deadline, force_in=k, first_only=True)
        )
    for k in part:
        if core.nodes[k] < 0:
            continue
        if not cred[k]:
            result[k] = ("no", "no", UNDECIDED)
        elif any(cred[a] for a in att[k]) or (
            find_stable(att, tgt, part, fixed={k: False}, deadline=deadline) is not None
        ):
            result[k] = ("yes", "no", UNDECIDED)
        else:
            result[k] = ("yes", "undetermined", UNDECIDED)
    return result


@dataclass
class Acceptance:
    """Credulous and sceptical acceptance of every map node, with a label."""

    credulous: list[Answer]
    sceptical: list[Answer]
    label: LabelArray  # IN = sceptically accepted, OUT = out in every extension
    extensions_exist: bool | None
    undetermined_nodes: int = 0
    extension_counts: list[int] = field(default_factory=list)


def acceptance(
    fw: Framework,
    grounded_label: LabelArray,
    *,
    semantics: Literal["preferred", "stable"],
    evidential: bool,
    budget_seconds: float,
    enumeration_steps: int = ENUMERATION_STEPS,
) -> Acceptance:
    """Credulous and sceptical acceptance under preferred or stable semantics.

    Every preferred (and every stable) extension contains the grounded one and rejects what it
    rejects, so only the undecided core is searched, one weakly connected component at a time
    (the extensions of a disjoint union are the products of the parts'), smallest first, until
    the budget runs out; unsearched components answer `undetermined`.
    """
    n = fw.n_nodes
    credulous: list[Answer] = ["no"] * n
    sceptical: list[Answer] = ["no"] * n
    label = grounded_label.copy()
    for v in np.flatnonzero(grounded_label == IN).tolist():
        credulous[v] = sceptical[v] = "yes"
    core = core_framework(fw, grounded_label, evidential=evidential)
    deadline = time.monotonic() + budget_seconds
    exists: bool | None = True
    undetermined = 0
    counts: list[int] = []
    for part in components(core.attackers, core.targets):
        map_nodes = [core.nodes[k] for k in part if core.nodes[k] >= 0]
        try:
            try:
                extensions = preferred_extensions(
                    core.attackers,
                    core.targets,
                    part,
                    deadline=deadline,
                    max_steps=enumeration_steps,
                )
            except BudgetExceeded:
                if time.monotonic() > deadline:
                    raise
                # Too many extensions to list: answer per argument with targeted searches.
                found = _per_argument(core, part, semantics, deadline)
                if found is None:
                    exists = False
                    continue
                for k, (cred, scep, lab) in found.items():
                    v = core.nodes[k]
                    credulous[v], sceptical[v] = cred, scep
                    label[v] = lab
                    if cred == "undetermined" or scep == "undetermined":
                        undetermined += 1
                continue
        except BudgetExceeded:
            for v in map_nodes:
                credulous[v] = sceptical[v] = "undetermined"
            undetermined += len(map_nodes)
            if exists:
                exists = None
            continue
        if semantics == "stable":
            members = set(part)
            extensions = [
                e for e in extensions if members <= e.union(t for a in e for t in core.targets[a])
            ]
            if not extensions:
                exists = False
        counts.append(len(extensions))
        for k in part:
            v = core.nodes[k]
            if v < 0:
                continue
            inside = [k in e for e in extensions]
            attacked = [any(a in e for a in core.attackers[k]) for e in extensions]
            credulous[v] = "yes" if any(inside) else "no"
            sceptical[v] = "yes" if inside and all(inside) else "no"
            if inside and all(inside):
                label[v] = IN
            elif attacked and all(attacked):
                label[v] = OUT
    if exists is False:
        credulous = ["no"] * n
        sceptical = ["no"] * n
        label[:] = UNDECIDED
    return Acceptance(
        credulous=credulous,
        sceptical=sceptical,
        label=label,
        extensions_exist=exists,
        undetermined_nodes=undetermined,
        extension_counts=counts,
    )
