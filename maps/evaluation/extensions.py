"""Preferred and stable acceptance: a search of the undecided core left by the grounded labelling.

Every preferred (and every stable) extension contains the grounded one and rejects what it
rejects, so only the undecided core is searched: a Dung framework over the undecided nodes
(`core_framework`), one weakly connected component at a time, within a time budget.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

import numpy as np

from maps.evaluation.framework import Framework
from maps.evaluation.grounded import IN, OUT, UNDECIDED, Label, LabelArray

Answer = Literal["yes", "no", "undetermined"]


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


class _Search(IntEnum):
    """The label of an argument in the search for preferred extensions (Nofal et al.)."""

    BLANK = 0  # not decided yet
    IN = 1  # in the set being built
    OUT = 2  # attacked by the set
    MUST_OUT = 3  # attacks the set: must end up out (attacked by it) for the set to stand
    UNDEC = 4  # left out of the set, and not attacked by it


_BLANK, _IN, _OUT, _MUST_OUT, _UNDEC = _Search


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
    lab: dict[int, _Search] = {}
    for v in member_list:
        lab[v] = _UNDEC if v in targets[v] else _BLANK
    found: list[frozenset[int]] = []
    steps = 0
    stack: list[dict[int, _Search]] = [lab]
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
    lab: dict[int, _Search], chosen: int, attackers: list[list[int]], targets: list[list[int]]
) -> dict[int, _Search]:
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
) -> dict[int, tuple[Answer, Answer, Label]] | None:
    """(credulous, sceptical, label) per map argument of a component; None: no stable extension.

    Stable: exact (is there a stable extension with the argument in / not in?). Preferred:
    credulous is exact (an admissible set containing it); sceptical is `no` when an attacker is
    credulously accepted or a stable extension leaves it out, `yes` is not claimed without a
    listing (`undetermined`); the label is `in` only when sceptical, else `undecided`.
    """
    att, tgt = core.attackers, core.targets
    result: dict[int, tuple[Answer, Answer, Label]] = {}
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
    found = Acceptance(
        credulous=["no"] * n,
        sceptical=["no"] * n,
        label=grounded_label.copy(),
        extensions_exist=True,
    )
    for v in np.flatnonzero(grounded_label == IN).tolist():
        found.credulous[v] = found.sceptical[v] = "yes"
    core = core_framework(fw, grounded_label, evidential=evidential)
    deadline = time.monotonic() + budget_seconds
    for part in components(core.attackers, core.targets):
        try:
            _accept_component(core, part, semantics, deadline, enumeration_steps, found)
        except BudgetExceeded:
            map_nodes = [core.nodes[k] for k in part if core.nodes[k] >= 0]
            for v in map_nodes:
                found.credulous[v] = found.sceptical[v] = "undetermined"
            found.undetermined_nodes += len(map_nodes)
            if found.extensions_exist:
                found.extensions_exist = None
    if found.extensions_exist is False:  # no stable extension: nothing is accepted
        found.credulous = ["no"] * n
        found.sceptical = ["no"] * n
        found.label[:] = UNDECIDED
    return found


def _accept_component(
    core: CoreAF,
    part: list[int],
    semantics: str,
    deadline: float,
    enumeration_steps: int,
    found: Acceptance,
) -> None:
    """Settle the arguments of one component into `found`: from the list of its extensions, or
    (too many to list) by targeted searches per argument. Raises BudgetExceeded past
    `deadline`."""
    try:
        extensions = preferred_extensions(
            core.attackers, core.targets, part, deadline=deadline, max_steps=enumeration_steps
        )
    except BudgetExceeded:
        if time.monotonic() > deadline:
            raise
        answers = _per_argument(core, part, semantics, deadline)
        if answers is None:
            found.extensions_exist = False
            return
        for k, (credulous, sceptical, label) in answers.items():
            v = core.nodes[k]
            found.credulous[v], found.sceptical[v] = credulous, sceptical
            found.label[v] = label
            if "undetermined" in (credulous, sceptical):
                found.undetermined_nodes += 1
        return
    if semantics == "stable":
        members = set(part)
        extensions = [
            e for e in extensions if members <= e.union(t for a in e for t in core.targets[a])
        ]
        if not extensions:
            found.extensions_exist = False
    found.extension_counts.append(len(extensions))
    _record_extensions(core, part, extensions, found)


def _record_extensions(
    core: CoreAF, part: list[int], extensions: list[frozenset[int]], found: Acceptance
) -> None:
    """Each map argument of the component: in every extension (sceptical, `in`), in some
    (credulous), or attacked by every one (`out`)."""
    for k in part:
        v = core.nodes[k]
        if v < 0:
            continue
        inside = [k in e for e in extensions]
        attacked = [any(a in e for a in core.attackers[k]) for e in extensions]
        found.credulous[v] = "yes" if any(inside) else "no"
        found.sceptical[v] = "yes" if inside and all(inside) else "no"
        if inside and all(inside):
            found.label[v] = IN
        elif attacked and all(attacked):
            found.label[v] = OUT
