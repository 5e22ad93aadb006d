"""Why each claim and relation has its grounded label, as sentences and as data.

- `out`: the standing objections that defeat it (for a relation: an `out` premise or a standing
  undercut; in evidential mode: no standing support).
- `in`: each objection against it and what defeats that objection, recursively, to a bounded
  depth and size (the tree of defence, defence.py). The defeater shown for an `out` element is
  the one that settled it first in the worklist, so the tree is well-founded.
- `undecided`: the cycle of attacks it sits in, or the path to the cycle it depends on.

One writer per reason (graph.Reason) makes the sentences and the data of a node; `explain_all`
runs the writer of each node's reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from maps.evaluation.defence import MAX_BRANCHES, MAX_NODES, DefenceTrees
from maps.evaluation.graph import LABEL_LIST, Graph, quote
from maps.evaluation.grounded import IN

__all__ = ["LABEL_LIST", "MAX_BRANCHES", "MAX_NODES", "Graph", "explain_all", "quote"]

Explained = tuple[str, dict[str, Any]]  # (sentences, data in the shape of `Explanation`)


def explain_all(
    g: Graph, *, depth: int, max_nodes: int = MAX_NODES
) -> tuple[list[str], list[dict[str, Any]]]:
    """The sentences and the data of every node, in node order.

    Defence trees go `depth` levels deep and hold at most `max_nodes` nodes each (DefenceTrees).
    The data of one result shares its empty lists and the data of its leaves (read-only).
    """
    explainer = _Explainer(g, DefenceTrees(g, depth=depth, max_nodes=max_nodes))
    writers = explainer.writers
    explained = [writers[reason](v) for v, reason in enumerate(g.reasons)]
    return [text for text, _ in explained], [data for _, data in explained]


class _Explainer:
    """One writer per reason: the sentences and the data of a node with that reason."""

    def __init__(self, g: Graph, trees: DefenceTrees) -> None:
        self.g = g
        self.trees = trees
        # Shared by the elements of this one result: most have the same empty lists, and an
        # unattacked element's data is that of every other. Nothing is shared between results.
        self.empty: list[Any] = []
        self.leaves = {reason: self.why(reason) for reason in _LEAVES}
        self.writers: dict[str, Callable[[int], Explained]] = {
            "unattacked": self.unattacked,
            "accepted": self.accepted,
            "supported": self.supported,
            "defended": self.defended,
            "defeated": self.out,
            "premise_out": self.out,
            "unsupported": self.unsupported,
            "cycle": self.cycle,
        }

    def why(
        self,
        reason: str,
        *,
        defeaters: list[str] | None = None,
        defence: list[dict[str, Any]] | None = None,
        cycle: list[str] | None = None,
        via: list[str] | None = None,
        truncated: bool = False,
    ) -> dict[str, Any]:
        """The data of an explanation (`models.evaluation.Explanation`), every field present."""
        empty = self.empty
        return {
            "reason": reason,
            "defeaters": defeaters or empty,
            "defence": defence or empty,
            "cycle": cycle or empty,
            "via": via or empty,
            "truncated": truncated,
        }

    def unattacked(self, v: int) -> Explained:
        return f"{self.g.subjects[v]} is in: nothing stands against it.", self.leaves["unattacked"]

    def accepted(self, v: int) -> Explained:
        text = "is in: the group takes it as given and nothing stands against it."
        return f"{self.g.subjects[v]} {text}", self.leaves["accepted"]

    def supported(self, v: int) -> Explained:
        """In (evidential): a support stands; nothing is aimed at it (else it is defended)."""
        g = self.g
        backing = [s for s in g.supporters_of(v) if g.label[s] == IN]
        support = g.descriptions[backing[0]] if backing else "a support"
        text = f"{g.subjects[v]} is in: {support} stands and nothing stands against it."
        return text, self.leaves["supported"]

    def defended(self, v: int) -> Explained:
        """In: every objection to it is defeated, and what defeats each."""
        g = self.g
        attackers = g.attackers_of(v)
        sentences = [f"{g.subjects[v]} is in: every objection to it is defeated."]
        for a in attackers[:MAX_BRANCHES]:
            beaten = g.defeaters(a)
            if beaten:
                sentences.append(f"{g.subjects[a]} is defeated: {self._against(beaten[0])}.")
        if len(attackers) > MAX_BRANCHES:
            sentences.append(f"({len(attackers) - MAX_BRANCHES} more objections are defeated too.)")
        defence, truncated = self.trees.defence(v)
        return " ".join(sentences), self.why("defended", defence=defence, truncated=truncated)

    def _against(self, d: int) -> str:
        """What defeats an objection: its premise `d` is out, or `d` stands against it."""
        if d < self.g.fw.n_claims:
            return f"its premise {self.g.descriptions[d]} is out"
        return f"{self.g.descriptions[d]} stands against it"

    def out(self, v: int) -> Explained:
        """Out: the standing objections and `out` premises that defeat it, earliest first."""
        g = self.g
        found = g.defeaters(v)
        c = g.fw.n_claims
        parts = [
            f"its premise {g.descriptions[d]} is out" if d < c else f"{g.descriptions[d]} stands"
            for d in found[:MAX_BRANCHES]
        ]
        more = f" (and {len(found) - MAX_BRANCHES} more)" if len(found) > MAX_BRANCHES else ""
        data = self.why(g.reasons[v], defeaters=[g.ids[d] for d in found])
        return f"{g.subjects[v]} is out: {'; '.join(parts)}{more}.", data

    def unsupported(self, v: int) -> Explained:
        return f"{self.g.subjects[v]} is out: none of its supports stands.", self.leaves[
            "unsupported"
        ]

    def cycle(self, v: int) -> Explained:
        """Undecided: the cycle of attacks it sits in, or the path to the one it depends on."""
        g = self.g
        subject = g.subjects[v]
        via, cycle = g.find_cycle(v)
        data = self.why(
            "cycle",
            cycle=[g.ids[x] for x in cycle],
            via=[g.ids[x] for x in via] if len(via) > 1 else None,
        )
        if not cycle:
            return f"{subject} is undecided: it depends on undecided elements.", data
        ring = _cycle_sentence(g, cycle)
        if len(via) > 1:
            return (
                f"{subject} is undecided: it depends on {g.descriptions[via[-1]]}, "
                f"which sits in a cycle of attacks: {ring}."
            ), data
        return f"{subject} is undecided: it sits in a cycle of attacks: {ring}.", data


_LEAVES = ("unattacked", "accepted", "supported", "unsupported")  # data without lists


def _cycle_sentence(g: Graph, cycle: list[int]) -> str:
    """“A” is opposed by the objection from “B” (r1), which is opposed by ... (back to “A”)."""
    c = g.fw.n_claims
    parts = [g.descriptions[cycle[0]]]
    for w in cycle[1:]:
        if w < c:
            continue  # a premise: already named by the relation that rests on it
        verb = "is opposed by" if g.objection[w - c] else "needs"
        parts.append(f"{'which ' if len(parts) > 1 else ''}{verb} {g.descriptions[w]}")
    return parts[0] + " " + ", ".join(parts[1:])
