"""The reasons, descriptions and defeaters of the explanations, node by node as defined.

Production makes them for every node at once (maps/evaluation/graph.py); these per-node
definitions are what the tests hold it to.
"""

from __future__ import annotations

from maps.evaluation.graph import Graph, quote
from maps.evaluation.grounded import IN, OUT


def reason(g: Graph, v: int) -> str:
    """Why node `v` has its grounded label, tested in the order of `Reason`'s comments."""
    label = g.label[v]
    is_claim = v < g.fw.n_claims
    if label == IN:
        if g.attackers_of(v):
            return "defended"
        if is_claim and g.fw.accepted[v]:
            return "accepted"
        if g.needs_support(v):
            return "supported"
        return "unattacked"
    if label == OUT:
        if any(g.label[a] == IN for a in g.attackers_of(v)):
            return "defeated"
        return "unsupported" if is_claim else "premise_out"
    return "cycle"


def describe(g: Graph, v: int) -> str:
    """A claim as its quoted title or text; a relation as what it says, never its id."""
    c = g.fw.n_claims
    if v < c:
        return quote(g.fw.names[v])
    premises = " together with ".join(describe(g, p) for p in g.premises_of(v)) or "nothing"
    t = g.target[v - c]
    aim = describe(g, t) if t < c else f"the step from {g.sources[t - c]}"
    if g.objection[v - c]:
        return f"the objection {premises} to {aim}"
    return f"the support {premises} for {aim}"


def subject(g: Graph, v: int) -> str:
    text = describe(g, v)
    return text[:1].upper() + text[1:]


def defeaters(g: Graph, v: int) -> list[int]:
    """The standing objections and `out` premises of `v`, the earliest settled first."""
    found = [a for a in g.attackers_of(v) if g.label[a] == IN]
    if v >= g.fw.n_claims:
        found += [p for p in g.premises_of(v) if g.label[p] == OUT]
    return sorted(found, key=lambda d: g.generation[d])
