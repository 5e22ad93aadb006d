"""Why each claim and relation has its grounded label, as plain sentences and as data.

The sentences use one vocabulary: a claim *stands* (in), is *defeated* (out) or is *open*
(undecided). They quote claims by title or by text cut at a word, never by id, and say at most
a few things per element ("… and 3 more objections").

- defeated: the objections that stand against it (for a relation: a premise that is defeated,
  or an objection to the step itself); in evidential mode: no support that stands.
- stands: each objection against it and what answers it; the data holds the tree of defence,
  to a bounded depth and size (defence.py). The answer shown for an objection is the one that
  settled it first in the worklist, so the tree is well-founded.
- open: the circle of objections it sits in, or the path to the circle it depends on.

One writer per reason (graph.Reason) makes the sentences and the data of a node; `explain_all`
runs the writer of each node's reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from maps.evaluation.defence import MAX_NODES, DefenceTrees
from maps.evaluation.graph import LABEL_LIST, Graph, quote
from maps.evaluation.grounded import IN

__all__ = ["LABEL_LIST", "MAX_NODES", "MAX_SHOWN", "Graph", "explain_all", "listing", "quote"]

MAX_SHOWN = 3  # objections, supports or answers named per sentence; the rest are counted

Explained = tuple[list[str], dict[str, Any]]  # (sentences, data in the shape of `Explanation`)

NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count(n: int, noun: str) -> str:
    """“two objections”, “one support”."""
    word = NUMBERS[n] if n < len(NUMBERS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def listing(items: list[str], noun: str) -> str:
    """“A”, “B” and 3 more objections: at most MAX_SHOWN items named."""
    shown = items[:MAX_SHOWN]
    rest = len(items) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {count(rest, 'more ' + noun)}"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def period(text: str) -> str:
    """End a sentence with a full stop, unless a quotation that closes it has one already."""
    if text.endswith("”") and text[-2:-1] in (".", "!", "?", "…"):
        return text
    return text + "."


def explain_all(
    g: Graph, *, depth: int, max_nodes: int = MAX_NODES
) -> tuple[list[list[str]], list[dict[str, Any]]]:
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
        self.by_premise: dict[int, dict[str, Any]] = {}
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
        return [f"{self.g.subjects[v]} stands: nothing objects to it."], self.leaves["unattacked"]

    def accepted(self, v: int) -> Explained:
        text = "stands: the group takes it as a starting point, and nothing objects to it."
        return [f"{self.g.subjects[v]} {text}"], self.leaves["accepted"]

    def supported(self, v: int) -> Explained:
        """Stands (evidential): a support stands; nothing is aimed at it (else it is defended)."""
        g = self.g
        backing = [g.sources[s - g.fw.n_claims] for s in g.supporters_of(v) if g.label[s] == IN]
        text = f"{g.subjects[v]} stands: {listing(backing, 'support')} supports it"
        return [text + ", and nothing objects to it."], self.leaves["supported"]

    def defended(self, v: int) -> Explained:
        """Stands: every objection to it is answered, and what answers each."""
        g = self.g
        attackers = g.attackers_of(v)
        sentences = [f"{g.subjects[v]} stands: {self._every(len(attackers))} is answered."]
        for a in attackers[:MAX_SHOWN]:
            beaten = g.defeaters(a)
            if beaten:
                sentences.append(self._answer(a, beaten[0]))
        if len(attackers) > MAX_SHOWN:
            sentences.append(f"… and {count(len(attackers) - MAX_SHOWN, 'more objection')}.")
        defence, truncated = self.trees.defence(v)
        return sentences, self.why("defended", defence=defence, truncated=truncated)

    @staticmethod
    def _every(n: int) -> str:
        return "the one objection to it" if n == 1 else f"each of the {count(n, 'objection')}"

    def _answer(self, a: int, d: int) -> str:
        """How objection `a` is answered: its premise `d` is defeated, or objection `d` to the
        step stands."""
        g = self.g
        c = g.fw.n_claims
        source = g.sources[a - c]
        if d < c:
            beaten = g.defeaters(d)
            by = f" by {g.sources[beaten[0] - c]}" if beaten and beaten[0] >= c else ""
            premise = "it" if g.descriptions[d] == source else g.descriptions[d]
            return period(f"The objection {source} falls: {premise} is itself defeated{by}")
        return f"The objection {source} falls: {g.sources[d - c]} questions that step, and stands."

    def out(self, v: int) -> Explained:
        """Defeated: the standing objections and defeated premises, earliest first."""
        g = self.g
        c = g.fw.n_claims
        found = g.defeaters(v)
        if len(found) == 1 and found[0] >= c:  # most often: one objection stands
            d = found[0]
            noun = "the objection" if v < c else "the objection to this step"
            data = self.why(g.reasons[v], defeaters=[g.ids[d]])
            text = f"{g.subjects[v]} is defeated: {noun} {g.sources[d - c]} stands"
            return [text + ", and nothing answers it."], data
        if len(found) == 1 and v >= c:  # most relations that fall: their one premise did
            p = found[0]
            text = period(
                f"{g.subjects[v]} is defeated: its premise {g.descriptions[p]} is defeated"
            )
            return [text], self._premise_out(p)
        objections = [g.sources[d - c] for d in found if d >= c]
        premises = [g.descriptions[d] for d in found if d < c]
        reasons = []
        if objections:
            many = len(objections) > 1
            noun = "the objections" if many else "the objection"
            verb = "stand, and nothing answers them" if many else "stands, and nothing answers it"
            if v >= c:
                noun = "the objections to this step" if many else "the objection to this step"
            reasons.append(f"{noun} {listing(objections, 'objection')} {verb}")
        if premises:
            many = len(premises) > 1
            noun, verb = ("its premises", "are") if many else ("its premise", "is")
            reasons.append(f"{noun} {listing(premises, 'premise')} {verb} defeated")
        data = self.why(g.reasons[v], defeaters=[g.ids[d] for d in found])
        return [period(f"{g.subjects[v]} is defeated: {'; '.join(reasons)}")], data

    def _premise_out(self, p: int) -> dict[str, Any]:
        """The data of a relation that falls with its premise `p`: one dict per premise,
        shared by the relations resting on it (read-only, within this result)."""
        data = self.by_premise.get(p)
        if data is None:
            data = self.by_premise[p] = self.why("premise_out", defeaters=[self.g.ids[p]])
        return data

    def unsupported(self, v: int) -> Explained:
        g = self.g
        supports = [g.sources[s - g.fw.n_claims] for s in g.supporters_of(v)]
        lead = f"{g.subjects[v]} is defeated: under evidential support a claim needs a support"
        if not supports:
            text = f"{lead} that stands (or to be a starting point), and it has none."
        elif len(supports) == 1:
            text = f"{lead} that stands, and its one support {supports[0]} does not."
        else:
            named = listing(supports, "support")
            text = f"{lead} that stands, and none of its supports ({named}) does."
        return [text], self.leaves["unsupported"]

    def cycle(self, v: int) -> Explained:
        """Open: the circle of objections it sits in, or the path to the one it depends on."""
        g = self.g
        subject = g.subjects[v]
        via, cycle = g.find_cycle(v)
        data = self.why(
            "cycle",
            cycle=[g.ids[x] for x in cycle],
            via=[g.ids[x] for x in via] if len(via) > 1 else None,
        )
        if not cycle:
            return [f"{subject} is open: it depends on claims that are open."], data
        ring = _circle(g, cycle)
        if len(via) > 1:
            where = f"it depends on {g.descriptions[via[-1]]}, which sits in a circle"
        else:
            where = "it sits in a circle"
        return [
            period(f"{subject} is open: {where} of objections that answer each other: {ring}"),
            "Nothing in the map breaks the circle, so this rule settles neither side.",
        ], data


_LEAVES = ("unattacked", "accepted", "supported", "unsupported")  # data without lists


MAX_CIRCLE = 4  # steps of a circle of objections spelled out


def _circle(g: Graph, cycle: list[int]) -> str:
    """“A” is opposed by “B”, which is opposed by “A” (at most MAX_CIRCLE steps)."""
    c = g.fw.n_claims
    parts = [g.descriptions[cycle[0]]]
    steps = [w for w in cycle[1:] if w >= c]  # a premise is named by the relation resting on it
    for w in steps[:MAX_CIRCLE]:
        verb = "is opposed by" if g.objection[w - c] else "needs"
        parts.append(f"{'which ' if len(parts) > 1 else ''}{verb} {g.sources[w - c]}")
    more = ", and so on round" if len(steps) > MAX_CIRCLE else ""
    return parts[0] + " " + ", ".join(parts[1:]) + more
