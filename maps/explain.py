"""Why each claim and relation has its grounded label, as sentences and as data.

- `out`: the standing objections that defeat it (for a relation: an `out` premise or a standing
  undercut; in evidential mode: no standing support).
- `in`: each objection against it and what defeats that objection, recursively, to a bounded
  depth (the tree of defence). The defeater shown for an `out` element is the one that settled it
  first in the worklist, so the tree is well-founded: it never goes round in a circle.
- `undecided`: the cycle of attacks it sits in, or the path to the cycle it depends on.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from maps.framework import Framework
from maps.semantics import IN, OUT, UNDECIDED, LabelArray

EXCERPT = 80
MAX_BRANCHES = 5  # defeaters / attackers listed per tree node
CYCLE_SEARCH_LIMIT = 2000  # nodes visited while looking for a cycle

LABEL_NAMES = {IN: "in", OUT: "out", UNDECIDED: "undecided"}


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
        return cls(
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
        )

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
        fw = self.fw
        if v < fw.n_claims:
            return quote(fw.texts[v])
        j = v - fw.n_claims
        kind = "objection" if self.objection[j] else "support"
        premises = " and ".join(quote(fw.texts[p]) for p in self.premises_of(v))
        return f"the {kind} from {premises} ({fw.relation_ids[j]})"

    def defeaters(self, v: int) -> list[int]:
        """What made an `out` node out, the earliest-settled first."""
        label = self.label
        found = [a for a in self.attackers_of(v) if label[a] == IN]
        if v >= self.fw.n_claims:
            found += [p for p in self.premises_of(v) if label[p] == OUT]
        found.sort(key=self.generation.__getitem__)
        return found

    def reason(self, v: int) -> str:
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

    def step(self, v: int, depth: int) -> tuple[dict[str, Any], bool]:
        """The defence tree below a node, as data; and whether the depth limit cut it."""
        fw = self.fw
        node: dict[str, Any] = {
            "id": fw.node_id(v),
            "kind": self.node_kind(v),
            "label": LABEL_NAMES[self.label[v]],
            "reason": self.reason(v),
            "children": [],
        }
        if v < fw.n_claims:
            node["text"] = fw.texts[v]
        if self.label[v] == IN:
            below = self.attackers_of(v)
        elif self.label[v] == OUT:
            below = self.defeaters(v)[:1]
        else:
            below = []
        if not below:
            return node, False
        if depth <= 0:
            return node, True
        truncated = len(below) > MAX_BRANCHES
        for w in below[:MAX_BRANCHES]:
            child, cut = self.step(w, depth - 1)
            node["children"].append(child)
            truncated = truncated or cut
        return node, truncated

    def find_cycle(self, v: int) -> tuple[list[int], list[int]]:
        """(path from v to a node on a cycle, that cycle), through undecided parents."""
        label = self.label
        order: list[int] = []
        seen = {v}
        queue = deque([v])
        while queue and len(order) < CYCLE_SEARCH_LIMIT:
            u = queue.popleft()
            order.append(u)
            for w in self.parents(u):
                if label[w] == UNDECIDED and w not in seen:
                    seen.add(w)
                    queue.append(w)
        for u in order:
            cycle = self._cycle_through(u, seen)
            if cycle:
                return self._path(v, u, seen), cycle
        return [], []

    def _cycle_through(self, u: int, within: set[int]) -> list[int]:
        """A shortest cycle u -> ... -> u along undecided parents, inside `within`."""
        back: dict[int, int] = {}
        queue = deque([u])
        while queue:
            x = queue.popleft()
            for w in self.parents(x):
                if w not in within or self.label[w] != UNDECIDED:
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
            for w in self.parents(x):
                if w in within and w not in back:
                    back[w] = x
                    if w == u:
                        path = [u]
                        while path[-1] != v:
                            path.append(back[path[-1]])
                        return path[::-1]
                    queue.append(w)
        return [v, u]


def explain(g: Graph, v: int, *, depth: int) -> tuple[str, dict[str, Any]]:
    """Sentences and data saying why node `v` has its grounded label."""
    fw = g.fw
    label = g.label[v]
    reason = g.reason(v)
    subject = g.describe(v)
    data: dict[str, Any] = {"reason": reason}
    if label == OUT:
        defeaters = g.defeaters(v)
        data["defeaters"] = [fw.node_id(d) for d in defeaters]
        if reason == "unsupported":
            return f"{_cap(subject)} is out: none of its supports stands.", data
        parts = []
        for d in defeaters[:MAX_BRANCHES]:
            if d < fw.n_claims:
                parts.append(f"its premise {g.describe(d)} is out")
            else:
                parts.append(f"{g.describe(d)} stands")
        more = (
            f" (and {len(defeaters) - MAX_BRANCHES} more)" if len(defeaters) > MAX_BRANCHES else ""
        )
        return f"{_cap(subject)} is out: {'; '.join(parts)}{more}.", data
    if label == IN:
        attackers = g.attackers_of(v)
        if reason == "accepted":
            text = (
                f"{_cap(subject)} is in: the group takes it as given and nothing stands against it."
            )
        elif reason == "supported":
            backing = [s for s in g.supporters_of(v) if g.label[s] == IN]
            text = f"{_cap(subject)} is in: {g.describe(backing[0]) if backing else 'a support'} stands"
            text += " and nothing stands against it." if not attackers else "."
        elif not attackers:
            text = f"{_cap(subject)} is in: nothing stands against it."
        else:
            text = f"{_cap(subject)} is in: every objection to it is defeated."
        defence: list[dict[str, Any]] = []
        truncated = False
        sentences = []
        for a in attackers[:MAX_BRANCHES]:
            node, cut = g.step(a, depth - 1)
            defence.append(node)
            truncated = truncated or cut
            beaten = g.defeaters(a)
            if beaten:
                b = beaten[0]
                how = (
                    f"its premise {g.describe(b)} is out"
                    if b < fw.n_claims
                    else f"{g.describe(b)} stands against it"
                )
                sentences.append(f"{_cap(g.describe(a))} is defeated: {how}.")
        if len(attackers) > MAX_BRANCHES:
            truncated = True
            sentences.append(f"({len(attackers) - MAX_BRANCHES} more objections are defeated too.)")
        data["defence"] = defence
        data["truncated"] = truncated
        return " ".join([text, *sentences]), data
    via, cycle = g.find_cycle(v)
    data["cycle"] = [fw.node_id(x) for x in cycle]
    data["via"] = [fw.node_id(x) for x in via] if len(via) > 1 else []
    if not cycle:
        return f"{_cap(subject)} is undecided: it depends on undecided elements.", data
    ring = _cycle_sentence(g, cycle)
    if len(via) > 1:
        return (
            f"{_cap(subject)} is undecided: it depends on {g.describe(via[-1])}, "
            f"which sits in a cycle of attacks: {ring}."
        ), data
    return f"{_cap(subject)} is undecided: it sits in a cycle of attacks: {ring}.", data


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
