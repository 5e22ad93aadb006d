"""Why each claim and relation has its grounded label, as sentences and as data.

- `out`: the standing objections that defeat it (for a relation: an `out` premise or a standing
  undercut; in evidential mode: no standing support).
- `in`: each objection against it and what defeats that objection, recursively, to a bounded
  depth and size (the tree of defence, see `DefenceTrees`). The defeater shown for an `out`
  element is the one that settled it first in the worklist, so the tree is well-founded: it
  never goes round in a circle.
- `undecided`: the cycle of attacks it sits in, or the path to the cycle it depends on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import pairwise, repeat
from typing import Any

import numpy as np

from maps.evaluation.framework import Framework
from maps.evaluation.grounded import IN, OUT, UNDECIDED, Label, LabelArray

EXCERPT = 80
MAX_BRANCHES = 5  # defeaters / attackers listed per tree node
MAX_NODES = 100  # nodes in one element's defence trees (a default-depth tree has at most 60)
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
    """A claim text as a short quotation."""
    text = " ".join(text.split())
    if len(text) > EXCERPT:
        text = text[: EXCERPT - 1].rstrip() + "…"
    return f"“{text}”"


@dataclass
class Graph:
    """Plain-list view of a framework and its labelling, for walking small maps node by node."""

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
    ids: list[str] = field(default_factory=list)
    # Memos: each node is described once per evaluation.
    _described: dict[int, str] = field(default_factory=dict)
    _defeaters: dict[int, list[int]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    label_array: LabelArray | None = None  # `label` as given
    generation_array: np.ndarray[Any, Any] | None = None  # `generation` as given
    _first_defeaters: list[int] | None = None
    _cyclic: bytearray | None = None
    _undecided_parents: dict[int, list[int]] = field(default_factory=dict)
    descriptions: list[str] = field(default_factory=list)  # `describe` of every node
    subjects: list[str] = field(default_factory=list)  # the same, capitalised
    # Data that elements of one result share, read-only: the empty list, the explanation of
    # every unattacked (accepted) element. Made per graph, so no two results share them.
    empty: list[Any] = field(default_factory=list)
    why_unattacked: dict[str, Any] = field(init=False)
    why_accepted: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.why_unattacked = _leaf_why("unattacked", self.empty)
        self.why_accepted = _leaf_why("accepted", self.empty)

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
        )
        graph.label_array = label
        graph.generation_array = generation
        graph.reasons = _reasons(fw, label, evidential=evidential)
        graph.descriptions, graph.subjects = _descriptions(graph)
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

    def describe(self, v: int) -> str:
        """A claim as its quoted text; a relation as what it says and its id."""
        if self.descriptions:
            return self.descriptions[v]
        text = self._described.get(v)
        if text is not None:
            return text
        fw = self.fw
        if v < fw.n_claims:
            text = quote(fw.texts[v])
        else:
            j = v - fw.n_claims
            kind = "objection" if self.objection[j] else "support"
            premises = " and ".join(map(self.describe, self.premises_of(v)))
            text = f"the {kind} from {premises} ({self.ids[v]})"
        self._described[v] = text
        return text

    def defeaters(self, v: int) -> list[int]:
        """What made an `out` node out, the earliest-settled first."""
        found = self._defeaters.get(v)
        if found is not None:
            return found
        label = self.label
        first, last = self.attack_start[v], self.attack_start[v + 1]
        found = [a for a in self.attackers[first:last] if label[a] == IN] if last > first else []
        j = v - self.fw.n_claims
        if j >= 0:
            first, last = self.premise_start[j], self.premise_start[j + 1]
            if last == first + 1:
                if label[self.premises[first]] == OUT:
                    found.append(self.premises[first])
            else:
                found += [p for p in self.premises[first:last] if label[p] == OUT]
        if len(found) > 1:
            found.sort(key=self.generation.__getitem__)
        self._defeaters[v] = found
        return found

    def first_defeaters(self) -> list[int]:
        """`defeaters(v)[0]` of every node at once (numpy), -1 where there is none."""
        if self._first_defeaters is not None:
            return self._first_defeaters
        fw = self.fw
        c, n = fw.n_claims, fw.n_nodes
        label = self.label_array
        if label is None:
            label = np.asarray(self.label, dtype=np.uint8)
        generation = self.generation_array
        if generation is None:
            generation = np.asarray(self.generation, dtype=np.int64)
        # Candidates: standing objections (in relation order), then out premises (in order).
        standing = np.flatnonzero((fw.objection != 0) & (label[c:] == IN))
        owner = np.repeat(np.arange(c, n, dtype=np.int64), np.diff(fw.premise_start))
        out_premise = np.flatnonzero(label[fw.premises] == OUT)
        node = np.concatenate((fw.target[standing], owner[out_premise]))
        by = np.concatenate((standing + c, fw.premises[out_premise]))
        # Earliest settled first; ties in the order `defeaters` lists them, which is the order
        # of the candidates (a stable sort). Candidates are labelled, so generations are small.
        settled = generation[by]
        latest = int(settled.max(initial=0))
        if latest < 2**31 and n < 2**31:
            order = np.argsort(node * (latest + 1) + settled, kind="stable")
        else:
            order = np.lexsort((settled, node))
        node, by = node[order], by[order]
        first = np.ones(len(node), dtype=bool)
        first[1:] = node[1:] != node[:-1]
        found = np.full(n, -1, dtype=np.int64)
        found[node[first]] = by[first]
        self._first_defeaters = found.tolist()
        return self._first_defeaters

    def subject(self, v: int) -> str:
        """`describe`, capitalised to open a sentence."""
        if self.subjects:
            return self.subjects[v]
        return _cap(self.describe(v))

    def reason(self, v: int) -> str:
        if self.reasons:
            return self.reasons[v]
        label = self.label[v]
        is_claim = v < self.fw.n_claims
        if label == IN:
            if self.attackers_of(v):
                return "defended"
            if is_claim and self.fw.accepted[v]:
                return "accepted"
            if self.needs_support(v):
                return "supported"
            return "unattacked"
        if label == OUT:
            if any(self.label[a] == IN for a in self.attackers_of(v)):
                return "defeated"
            if not is_claim:
                return "premise_out"
            return "unsupported"
        return "cycle"

    def node_kind(self, v: int) -> str:
        return "claim" if v < self.fw.n_claims else "relation"

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
            cycle = self._cycle_through(u, seen) if cyclic[u] else []
            if cycle:
                return self._path(v, u, seen), cycle
        return [], []

    def undecided_parents(self, v: int) -> list[int]:
        """The parents of `v` that are undecided (made once per node)."""
        found = self._undecided_parents.get(v)
        if found is None:
            label = self.label
            found = self._undecided_parents[v] = [
                w for w in self.parents(v) if label[w] == UNDECIDED
            ]
        return found

    def cyclic(self) -> bytearray:
        """1 for each undecided node that lies on a cycle of undecided parents (in a strongly
        connected component of them of two or more nodes, or its own parent), made once.

        An iterative Tarjan over the undecided nodes: time linear in them and their parents.
        """
        if self._cyclic is not None:
            return self._cyclic
        label = self.label
        n = len(label)
        index = [-1] * n
        low = [0] * n
        on_stack = bytearray(n)
        stack: list[int] = []
        found = bytearray(n)
        counter = 0

        def undecided_parents(x: int) -> Iterator[int]:
            return iter(self.undecided_parents(x))

        for root in range(n):
            if label[root] != UNDECIDED or index[root] >= 0:
                continue
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack[root] = 1
            work = [(root, undecided_parents(root))]
            while work:
                v, parents = work[-1]
                for w in parents:
                    if index[w] < 0:
                        index[w] = low[w] = counter
                        counter += 1
                        stack.append(w)
                        on_stack[w] = 1
                        work.append((w, undecided_parents(w)))
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
                        if len(component) > 1 or v in self.undecided_parents(v):
                            for w in component:
                                found[w] = 1
        self._cyclic = found
        return found

    def _cycle_through(self, u: int, within: set[int]) -> list[int]:
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


# Shared read-only pieces of explanation data (most elements have the same empty lists).
_NO_NODES: tuple[int, ...] = ()


def _leaf_why(reason: str, empty: list[Any]) -> dict[str, Any]:
    """The explanation data of an `in` element with nothing against it."""
    return {
        "reason": reason,
        "defeaters": empty,
        "defence": empty,
        "cycle": empty,
        "via": empty,
        "truncated": False,
    }


def _descriptions(g: Graph) -> tuple[list[str], list[str]]:
    """`Graph.describe` of every node at once, and the same capitalised (`Graph.subject`)."""
    fw = g.fw
    c = fw.n_claims
    quoted = [quote(text) for text in fw.texts[:c]]
    start, premises = g.premise_start, g.premises
    if len(premises) == len(g.objection) and len(set(start)) == len(start):
        sources = [quoted[p] for p in premises]  # one premise each
    else:
        sources = [
            " and ".join([quoted[p] for p in premises[first:last]])
            for first, last in pairwise(start)
        ]
    described = [
        f"the {'objection' if objection else 'support'} from {source} ({id_})"
        for objection, source, id_ in zip(g.objection, sources, g.ids[c:], strict=True)
    ]
    descriptions = quoted + described
    # A quotation opens with “: nothing to capitalise.
    subjects = quoted + ["T" + text[1:] for text in described]
    return descriptions, subjects


def _reasons(fw: Framework, label: LabelArray, *, evidential: bool) -> list[str]:
    """`Graph.reason` of every node at once (numpy), in the same order of tests."""
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


class DefenceTrees:
    """The defence trees of one evaluation, bounded by depth and by size.

    A node's children are what decided its label: for an `in` node the objections against it
    (at most MAX_BRANCHES), for an `out` node the defeater that settled it first. Each subtree
    is built once per (node, depth) and shared between the trees that contain it, so memory
    stays small; but the JSON writes each tree out in full, and on chains of undercuts that
    cross-link, trees grow exponentially with the depth. So an element's defence holds at most
    `max_nodes` nodes: a larger one is cut breadth-first, as its first `max_nodes` nodes in
    breadth-first order. Below the budget a tree is exactly as deep as the depth allows.

    Every node has `truncated`: its children are not all shown (depth, branches or budget).
    Trees are shared: treat them as read-only.
    """

    def __init__(self, g: Graph, *, depth: int, max_nodes: int) -> None:
        fw = g.fw
        self.depth = depth
        self.max_nodes = max_nodes
        self._c = fw.n_claims
        self._ids, self._label, self._texts = g.ids, g.label, fw.texts
        self._reasons = g.reasons or [g.reason(v) for v in range(fw.n_nodes)]
        self._attack_start, self._attackers = g.attack_start, g.attackers
        self._first_defeater = g.first_defeaters()
        self._empty = g.empty
        self._stride = depth + 1
        # v * stride + depth -> (node, truncated anywhere in it, nodes in it)
        self._memo: dict[int, tuple[dict[str, Any], bool, int]] = {}

    def defence(self, v: int) -> tuple[list[dict[str, Any]], bool]:
        """The trees below element `v` (its objections and what defeats each), and whether
        anything was cut."""
        below, more = self._below(v)
        steps = [self._step(w, self.depth - 1) for w in below]
        if sum(size for _, _, size in steps) <= self.max_nodes:
            return [node for node, _, _ in steps], more or any(cut for _, cut, _ in steps)
        return self._cut(below, self.depth - 1), True

    def _below(self, v: int) -> tuple[Sequence[int], bool]:
        """The children of `v` in a tree, and whether it has more than these."""
        lab = self._label[v]
        if lab == IN:
            first, last = self._attack_start[v], self._attack_start[v + 1]
            return self._attackers[first : min(last, first + MAX_BRANCHES)], (
                last - first > MAX_BRANCHES
            )
        if lab == OUT:
            d = self._first_defeater[v]
            return ([d] if d >= 0 else _NO_NODES), False
        return _NO_NODES, False

    def _node(self, v: int) -> dict[str, Any]:
        """A tree node of `v` without children."""
        return {
            "id": self._ids[v],
            "kind": "claim" if v < self._c else "relation",
            "label": LABEL_LIST[self._label[v]],
            "reason": self._reasons[v],
            "text": self._texts[v] if v < self._c else None,
            "children": self._empty,  # a leaf, unless replaced
            "truncated": False,
        }

    def _step(self, v: int, depth: int) -> tuple[dict[str, Any], bool, int]:
        """The shared tree of `v` down to `depth` more levels (memoised)."""
        key = v * self._stride + depth
        memo = self._memo.get(key)
        if memo is None:
            memo = self._memo[key] = self._build(v, depth)
        return memo

    def _build(self, v: int, depth: int) -> tuple[dict[str, Any], bool, int]:
        node = self._node(v)
        below, more = self._below(v)
        if not below:
            return node, False, 1
        if depth <= 0:
            node["truncated"] = True
            return node, True, 1
        steps = [self._step(w, depth - 1) for w in below]
        node["children"] = [child for child, _, _ in steps]
        node["truncated"] = more
        cut = more or any(cut for _, cut, _ in steps)
        return node, cut, 1 + sum(size for _, _, size in steps)

    def _cut(self, roots: Sequence[int], depth: int) -> list[dict[str, Any]]:
        """The first `max_nodes` nodes of the trees of `roots`, breadth-first (new nodes)."""
        budget = self.max_nodes
        forest = [self._node(w) for w in roots[:budget]]
        queue = deque(zip(forest, roots, repeat(depth), strict=False))
        count = len(forest)
        while queue:
            node, v, left = queue.popleft()
            below, more = self._below(v)
            if not below:
                continue
            shown = below[: budget - count] if left > 0 else _NO_NODES
            node["truncated"] = more or len(shown) < len(below)
            if shown:
                node["children"] = children = [self._node(w) for w in shown]
                queue.extend(zip(children, shown, repeat(left - 1), strict=False))
                count += len(shown)
        return forest


def explain(g: Graph, v: int, *, trees: DefenceTrees) -> tuple[str, dict[str, Any]]:
    """Sentences and data saying why node `v` has its grounded label (its defence from `trees`).

    The data has every field of `models.evaluation.Explanation`; empty lists may be shared
    between nodes, so treat it as read-only.
    """
    fw = g.fw
    describe = g.describe if not g.descriptions else g.descriptions.__getitem__
    label = g.label[v]
    reason = g.reasons[v] if g.reasons else g.reason(v)
    subject = g.subject(v)
    ids = g.ids
    c = fw.n_claims
    if label == OUT:
        defeaters = g.defeaters(v)
        data = {
            "reason": reason,
            "defeaters": [ids[d] for d in defeaters],
            "defence": g.empty,
            "cycle": g.empty,
            "via": g.empty,
            "truncated": False,
        }
        if reason == "unsupported":
            return f"{subject} is out: none of its supports stands.", data
        if len(defeaters) == 1:
            d = defeaters[0]
            why = f"its premise {describe(d)} is out" if d < c else f"{describe(d)} stands"
            return f"{subject} is out: {why}.", data
        parts = [
            f"its premise {describe(d)} is out" if d < c else f"{describe(d)} stands"
            for d in defeaters[:MAX_BRANCHES]
        ]
        more = (
            f" (and {len(defeaters) - MAX_BRANCHES} more)" if len(defeaters) > MAX_BRANCHES else ""
        )
        return f"{subject} is out: {'; '.join(parts)}{more}.", data
    if label == IN:
        attackers = g.attackers_of(v)
        if not attackers:
            if reason == "unattacked":
                return f"{subject} is in: nothing stands against it.", g.why_unattacked
            if reason == "accepted":
                text = (
                    f"{subject} is in: the group takes it as given and nothing stands against it."
                )
                return text, g.why_accepted
        if reason == "supported":
            backing = [s for s in g.supporters_of(v) if g.label[s] == IN]
            text = f"{subject} is in: {describe(backing[0]) if backing else 'a support'} stands"
            text += " and nothing stands against it." if not attackers else "."
        else:
            text = f"{subject} is in: every objection to it is defeated."
        defence, truncated = trees.defence(v)
        sentences = [text]
        for a in attackers[:MAX_BRANCHES]:
            beaten = g.defeaters(a)
            if beaten:
                b = beaten[0]
                how = (
                    f"its premise {describe(b)} is out"
                    if b < c
                    else f"{describe(b)} stands against it"
                )
                sentences.append(f"{g.subject(a)} is defeated: {how}.")
        if len(attackers) > MAX_BRANCHES:
            sentences.append(f"({len(attackers) - MAX_BRANCHES} more objections are defeated too.)")
        data = {
            "reason": reason,
            "defeaters": g.empty,
            "defence": defence,
            "cycle": g.empty,
            "via": g.empty,
            "truncated": truncated,
        }
        return " ".join(sentences), data
    data = {
        "reason": reason,
        "defeaters": g.empty,
        "defence": g.empty,
        "cycle": g.empty,
        "via": g.empty,
        "truncated": False,
    }
    via, cycle = g.find_cycle(v)
    data["cycle"] = [ids[x] for x in cycle]
    data["via"] = [ids[x] for x in via] if len(via) > 1 else []
    if not cycle:
        return f"{subject} is undecided: it depends on undecided elements.", data
    ring = _cycle_sentence(g, cycle)
    if len(via) > 1:
        return (
            f"{subject} is undecided: it depends on {describe(via[-1])}, "
            f"which sits in a cycle of attacks: {ring}."
        ), data
    return f"{subject} is undecided: it sits in a cycle of attacks: {ring}.", data


def _cycle_sentence(g: Graph, cycle: list[int]) -> str:
    """“A” is opposed by the objection from “B” (r1), which is opposed by ... (back to “A”)."""
    c = g.fw.n_claims
    parts = [g.describe(cycle[0])]
    for w in cycle[1:]:
        if w < c:
            continue  # a premise: already named by the relation that rests on it
        verb = "is opposed by" if g.objection[w - c] else "needs"
        parts.append(f"{'which ' if len(parts) > 1 else ''}{verb} {g.describe(w)}")
    return parts[0] + " " + ", ".join(parts[1:])


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def explain_all(
    g: Graph, *, depth: int, max_nodes: int = MAX_NODES
) -> tuple[list[str], list[dict[str, Any]]]:
    """`explain` of every node in order: (sentences, data), the common cases in one pass.

    Defence trees go `depth` levels deep and hold at most `max_nodes` nodes each (DefenceTrees).
    Unattacked and `out` nodes (most of a map) are written here directly; defended and
    undecided nodes go through `explain`.
    """
    label, reasons, subjects, descriptions = g.label, g.reasons, g.subjects, g.descriptions
    trees = DefenceTrees(g, depth=depth, max_nodes=max_nodes)
    if not (reasons and subjects and descriptions):
        pairs = [explain(g, v, trees=trees) for v in range(len(label))]
        return [text for text, _ in pairs], [data for _, data in pairs]
    fw = g.fw
    c, n = fw.n_claims, fw.n_nodes
    texts = [""] * n
    whys = [g.why_unattacked] * n
    # Split the nodes with numpy: unattacked (and in), relations out only through their single
    # premise, and the rest.
    lab = g.label_array if g.label_array is not None else np.asarray(label, dtype=np.uint8)
    unattacked = fw.attacker_count == 0
    single = np.zeros(n, dtype=bool)
    single[c:] = np.diff(fw.premise_start) == 1
    rest = np.ones(n, dtype=bool)
    free = unattacked & (lab == IN)
    rest[free] = False
    for v in np.flatnonzero(free).tolist():
        if reasons[v] == "unattacked":
            texts[v] = subjects[v] + " is in: nothing stands against it."
        else:
            rest[v] = True
    only_premise = unattacked & single & (lab == OUT)
    rest[only_premise] = False
    # Claims out through exactly one standing objection: `defeater` names it.
    standing = np.flatnonzero((fw.objection != 0) & (lab[c:] == IN))
    hit = fw.target[standing]
    defeater = np.full(n, -1, dtype=np.int64)
    defeater[hit] = standing + c
    once = np.zeros(n, dtype=bool)
    once[:c] = (np.bincount(hit, minlength=n)[:c] == 1) & (lab[:c] == OUT)
    rest[once] = False
    ids, descriptions = g.ids, g.descriptions
    for v, d in zip(np.flatnonzero(once).tolist(), defeater[once].tolist(), strict=True):
        texts[v] = f"{subjects[v]} is out: {descriptions[d]} stands."
        whys[v] = {
            "reason": "defeated",
            "defeaters": [ids[d]],
            "defence": g.empty,
            "cycle": g.empty,
            "via": g.empty,
            "truncated": False,
        }
    _explain_rest(g, trees, texts, whys, only_premise, rest)
    return texts, whys


def _explain_rest(
    g: Graph,
    trees: DefenceTrees,
    texts: list[str],
    whys: list[dict[str, Any]],
    only_premise: np.ndarray[Any, Any],
    rest: np.ndarray[Any, Any],
) -> None:
    """`explain_all` of relations out through their one premise, then of the `rest`."""
    ids, label, reasons, subjects, descriptions = (
        g.ids,
        g.label,
        g.reasons,
        g.subjects,
        g.descriptions,
    )
    c = g.fw.n_claims
    attack_start, attackers = g.attack_start, g.attackers
    premise_start, premises = g.premise_start, g.premises
    generation = g.generation
    memo = g._defeaters
    # Relations out through the same premise share their (read-only) data.
    by_premise: dict[int, dict[str, Any]] = {}
    for v in np.flatnonzero(only_premise).tolist():
        p = premises[premise_start[v - c]]
        if label[p] != OUT:  # not in a grounded labelling; the general path says why
            rest[v] = True
            continue
        texts[v] = f"{subjects[v]} is out: its premise {descriptions[p]} is out."
        why = by_premise.get(p)
        if why is None:
            why = by_premise[p] = {
                "reason": "premise_out",
                "defeaters": [ids[p]],
                "defence": g.empty,
                "cycle": g.empty,
                "via": g.empty,
                "truncated": False,
            }
        whys[v] = why
    for v in np.flatnonzero(rest).tolist():
        lab_v, reason = label[v], reasons[v]
        first, last = attack_start[v], attack_start[v + 1]
        if lab_v == IN and reason == "defended":
            texts[v], whys[v] = _defended(g, v, trees)
            continue
        if lab_v != OUT or reason == "unsupported":
            texts[v], whys[v] = explain(g, v, trees=trees)
            continue
        # `out`: Graph.defeaters, inlined (and memoised for the defence trees).
        found = [a for a in attackers[first:last] if label[a] == IN] if last > first else []
        if v >= c:
            j = v - c
            p0, p1 = premise_start[j], premise_start[j + 1]
            if p1 == p0 + 1:
                if label[premises[p0]] == OUT:
                    found.append(premises[p0])
            else:
                found += [p for p in premises[p0:p1] if label[p] == OUT]
        if len(found) > 1:
            found.sort(key=generation.__getitem__)
        memo[v] = found
        whys[v] = {
            "reason": reason,
            "defeaters": [ids[d] for d in found],
            "defence": g.empty,
            "cycle": g.empty,
            "via": g.empty,
            "truncated": False,
        }
        if len(found) == 1:
            d = found[0]
            if d < c:
                texts[v] = f"{subjects[v]} is out: its premise {descriptions[d]} is out."
            else:
                texts[v] = f"{subjects[v]} is out: {descriptions[d]} stands."
            continue
        parts = [
            f"its premise {descriptions[d]} is out" if d < c else f"{descriptions[d]} stands"
            for d in found[:MAX_BRANCHES]
        ]
        more = f" (and {len(found) - MAX_BRANCHES} more)" if len(found) > MAX_BRANCHES else ""
        texts[v] = f"{subjects[v]} is out: {'; '.join(parts)}{more}."


def _defended(g: Graph, v: int, trees: DefenceTrees) -> tuple[str, dict[str, Any]]:
    """`explain` of an `in` node whose every objection is defeated (bulk descriptions)."""
    subjects, descriptions = g.subjects, g.descriptions
    c = g.fw.n_claims
    first_defeater = g.first_defeaters()
    first, last = g.attack_start[v], g.attack_start[v + 1]
    sentences = [subjects[v] + " is in: every objection to it is defeated."]
    defence, truncated = trees.defence(v)
    for a in g.attackers[first : min(last, first + MAX_BRANCHES)]:
        b = first_defeater[a]
        if b >= 0:
            if b < c:
                sentences.append(
                    f"{subjects[a]} is defeated: its premise {descriptions[b]} is out."
                )
            else:
                sentences.append(f"{subjects[a]} is defeated: {descriptions[b]} stands against it.")
    if last - first > MAX_BRANCHES:
        sentences.append(f"({last - first - MAX_BRANCHES} more objections are defeated too.)")
    data = {
        "reason": "defended",
        "defeaters": g.empty,
        "defence": defence,
        "cycle": g.empty,
        "via": g.empty,
        "truncated": truncated,
    }
    return " ".join(sentences), data
