"""A framework and its grounded labelling as plain lists, for walking an evaluation node by node.

The explanations read one node's parents, defeaters and cycle at a time; Python lists are
several times faster to index one by one than numpy arrays. What every node needs (its reason,
its description) is made for all nodes at once when the view is made.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import pairwise
from typing import Any

import numpy as np

from maps.evaluation.framework import Framework
from maps.evaluation.grounded import IN, OUT, UNDECIDED, Label, LabelArray
from maps.quote import cut

CYCLE_SEARCH_LIMIT = 2000  # nodes visited while looking for a cycle

LABEL_LIST = tuple(label.name.lower() for label in Label)  # the JSON names, indexed by label


class Reason(IntEnum):
    """Why an element has its grounded label: `Explanation.reason` is the name in lower case."""

    CYCLE = 0  # undecided: it sits in a cycle of attacks, or depends on one
    DEFENDED = 1  # in: every objection to it is defeated
    ACCEPTED = 2  # in: the group takes it as given, and nothing stands against it
    SUPPORTED = 3  # in (evidential): a support stands, and nothing stands against it
    UNATTACKED = 4  # in: nothing stands against it
    DEFEATED = 5  # out: an objection to it stands
    PREMISE_OUT = 6  # out (a relation): one of its premises is out
    UNSUPPORTED = 7  # out (evidential): none of its supports stands


REASON_LIST = tuple(reason.name.lower() for reason in Reason)  # indexed by reason code


def quote(text: str) -> str:
    """A claim's title or text as a short quotation, cut at a word boundary."""
    return f"“{cut(text)}”"


@dataclass
class Graph:
    """Plain-list view of a framework and its grounded labelling (see the module docstring)."""

    fw: Framework
    label: list[int]
    generation: list[int]
    target: list[int]
    objection: list[int]
    premise_start: list[int]
    premises: list[int]
    attack_start: list[int]
    attackers: list[int]
    support_start: list[int]
    supporters: list[int]
    evidential: bool
    ids: list[str]
    reasons: list[str]  # the reason name of every node
    # How sentences name each node (`phrases`): a claim by its quoted title or text, a
    # relation by what it says; `subjects` the same capitalised; `sources` the quoted premises
    # of each relation.
    descriptions: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Memos: each node's defeaters and undecided parents are found once per evaluation.
    _defeaters: dict[int, list[int]] = field(default_factory=dict)
    _undecided_parents: dict[int, list[int]] = field(default_factory=dict)
    _cyclic: bytearray | None = None

    @classmethod
    def of(
        cls,
        fw: Framework,
        label: LabelArray,
        generation: np.ndarray[Any, Any],
        *,
        evidential: bool,
    ) -> Graph:
        attack_start, attackers, support_start, supporters = fw.incoming()
        graph = cls(
            fw=fw,
            label=label.tolist(),
            generation=generation.tolist(),
            target=fw.target.tolist(),
            objection=fw.objection.tolist(),
            premise_start=fw.premise_start.tolist(),
            premises=fw.premises.tolist(),
            attack_start=attack_start.tolist(),
            attackers=attackers.tolist(),
            support_start=support_start.tolist(),
            supporters=supporters.tolist(),
            evidential=evidential,
            ids=[*fw.claim_ids, *fw.relation_ids],
            reasons=reasons(fw, label, evidential=evidential),
        )
        graph.descriptions, graph.sources = phrases(graph)
        graph.subjects = [text[:1].upper() + text[1:] for text in graph.descriptions]
        return graph

    def premises_of(self, v: int) -> list[int]:
        j = v - self.fw.n_claims
        return self.premises[self.premise_start[j] : self.premise_start[j + 1]]

    def attackers_of(self, v: int) -> list[int]:
        return self.attackers[self.attack_start[v] : self.attack_start[v + 1]]

    def supporters_of(self, v: int) -> list[int]:
        return self.supporters[self.support_start[v] : self.support_start[v + 1]]

    def needs_support(self, v: int) -> bool:
        return self.evidential and v < self.fw.n_claims and not self.fw.accepted[v]

    def parents(self, v: int) -> list[int]:
        """The nodes whose labels decide this node's label."""
        found = self.attackers_of(v)
        if v >= self.fw.n_claims:
            found = found + self.premises_of(v)
        elif self.needs_support(v):
            found = found + self.supporters_of(v)
        return found

    def defeaters(self, v: int) -> list[int]:
        """What made an `out` node out (standing objections, `out` premises), earliest first.

        Labels are compared as the plain ints 1 (IN) and 2 (OUT), a little faster than with the
        IntEnum members in this loop over most of the map."""
        found = self._defeaters.get(v)
        if found is None:
            label = self.label
            first, last = self.attack_start[v], self.attack_start[v + 1]
            found = [a for a in self.attackers[first:last] if label[a] == 1] if last > first else []
            j = v - self.fw.n_claims
            if j >= 0:
                first, last = self.premise_start[j], self.premise_start[j + 1]
                found += [p for p in self.premises[first:last] if label[p] == 2]
            if len(found) > 1:
                found.sort(key=self.generation.__getitem__)
            self._defeaters[v] = found
        return found

    def undecided_parents(self, v: int) -> list[int]:
        """The parents of `v` that are undecided (made once per node)."""
        found = self._undecided_parents.get(v)
        if found is None:
            label = self.label
            found = self._undecided_parents[v] = [
                w for w in self.parents(v) if label[w] == UNDECIDED
            ]
        return found

    def find_cycle(self, v: int) -> tuple[list[int], list[int]]:
        """(path from v to a node on a cycle, that cycle), through undecided parents."""
        order: list[int] = []
        seen = {v}
        queue = deque([v])
        while queue and len(order) < CYCLE_SEARCH_LIMIT:
            u = queue.popleft()
            order.append(u)
            for w in self.undecided_parents(u):
                if w not in seen:
                    seen.add(w)
                    queue.append(w)
        cyclic = self.cyclic()
        for u in order:
            # A node on no cycle at all is on none inside `seen`: skip its search.
            cycle = self.cycle_through(u, seen) if cyclic[u] else []
            if cycle:
                return self._path(v, u, seen), cycle
        return [], []

    def cyclic(self) -> bytearray:
        """1 for each undecided node that lies on a cycle of undecided parents (in a strongly
        connected component of them of two or more nodes, or its own parent), made once."""
        if self._cyclic is None:
            self._cyclic = _on_cycles(len(self.label), self.label, self.undecided_parents)
        return self._cyclic

    def cycle_through(self, u: int, within: set[int]) -> list[int]:
        """A shortest cycle u -> ... -> u along undecided parents, inside `within`."""
        back: dict[int, int] = {}
        queue = deque([u])
        while queue:
            x = queue.popleft()
            for w in self.undecided_parents(x):
                if w not in within:
                    continue
                if w == u:
                    cycle = [u]
                    while x != u:
                        cycle.append(x)
                        x = back[x]
                    cycle.append(u)
                    return [cycle[0], *reversed(cycle[1:-1]), u]
                if w not in back:
                    back[w] = x
                    queue.append(w)
        return []

    def _path(self, v: int, u: int, within: set[int]) -> list[int]:
        if v == u:
            return [v]
        back: dict[int, int] = {v: v}
        queue = deque([v])
        while queue:
            x = queue.popleft()
            for w in self.undecided_parents(x):
                if w in within and w not in back:
                    back[w] = x
                    if w == u:
                        path = [u]
                        while path[-1] != v:
                            path.append(back[path[-1]])
                        return path[::-1]
                    queue.append(w)
        return [v, u]


def _on_cycles(n: int, label: list[int], parents_of: Any) -> bytearray:
    """`Graph.cyclic`: an iterative Tarjan over the undecided nodes, linear in them and their
    parents (`parents_of(v)`: the undecided parents of `v`)."""
    index = [-1] * n
    low = [0] * n
    on_stack = bytearray(n)
    stack: list[int] = []
    found = bytearray(n)
    counter = 0

    def enter(x: int) -> tuple[int, Iterator[int]]:
        nonlocal counter
        index[x] = low[x] = counter
        counter += 1
        stack.append(x)
        on_stack[x] = 1
        return x, iter(parents_of(x))

    for root in range(n):
        if label[root] != UNDECIDED or index[root] >= 0:
            continue
        work = [enter(root)]
        while work:
            v, parents = work[-1]
            for w in parents:
                if index[w] < 0:
                    work.append(enter(w))
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    component = [stack.pop()]
                    while component[-1] != v:
                        component.append(stack.pop())
                    for w in component:
                        on_stack[w] = 0
                    if len(component) > 1 or v in parents_of(v):
                        for w in component:
                            found[w] = 1
    return found


def phrases(g: Graph) -> tuple[list[str], list[str]]:
    """How sentences name every node, and the quoted premises of every relation.

    A claim is its quoted title or text; a relation says what it is: “the objection “A” to
    “B”” or “the support “A” for “B””, and an undercut is aimed at the step from its target's
    premises. Never an id.
    """
    fw = g.fw
    c = fw.n_claims
    quoted = [quote(name) for name in fw.names[:c]]
    start, premises = g.premise_start, g.premises
    if len(premises) == len(g.objection) and len(set(start)) == len(start):
        sources = [quoted[p] for p in premises]  # one premise each
    else:
        sources = [
            " together with ".join([quoted[p] for p in premises[first:last]]) or "nothing"
            for first, last in pairwise(start)
        ]
    described = [
        f"the objection {source} to {_aim(quoted, sources, t, c)}"
        if objection
        else f"the support {source} for {_aim(quoted, sources, t, c)}"
        for objection, source, t in zip(g.objection, sources, g.target, strict=True)
    ]
    return quoted + described, sources


def _aim(quoted: list[str], sources: list[str], t: int, c: int) -> str:
    """What a relation is aimed at: a claim, or (an undercut) the step from the premises of a
    relation."""
    return quoted[t] if t < c else f"the step from {sources[t - c]}"


def reasons(fw: Framework, label: LabelArray, *, evidential: bool) -> list[str]:
    """The reason of every node's grounded label (numpy): later rules override earlier ones."""
    c = fw.n_claims
    n = fw.n_nodes
    claim = np.arange(n) < c
    accepted = np.zeros(n, dtype=bool)
    accepted[:c] = np.frombuffer(fw.accepted, dtype=np.uint8)[:c] != 0
    attacked = fw.attacker_count > 0
    standing = (fw.objection != 0) & (label[c:] == IN)
    defeated = np.bincount(fw.target[standing], minlength=n) > 0
    is_in = label == IN
    code = np.full(n, Reason.CYCLE, dtype=np.int64)
    code[is_in] = Reason.UNATTACKED
    if evidential:
        code[is_in & claim & ~accepted] = Reason.SUPPORTED
    code[is_in & claim & accepted] = Reason.ACCEPTED
    code[is_in & attacked] = Reason.DEFENDED
    is_out = label == OUT
    code[is_out & claim] = Reason.UNSUPPORTED
    code[is_out & ~claim] = Reason.PREMISE_OUT
    code[is_out & defeated] = Reason.DEFEATED
    return [REASON_LIST[k] for k in code.tolist()]
