"""The plain words of a result beyond the grounded explanations: what the extensions say, why
supports did not save a defeated claim, what a strength means, and what would change a verdict.

Every sentence names claims as the explanations do (graph.phrases): by title or by text cut at
a word, never by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from maps.evaluation.explain import count, listing
from maps.evaluation.extensions import Acceptance
from maps.evaluation.graph import Graph
from maps.evaluation.grounded import IN, UNDECIDED
from maps.evaluation.moves import Search, move_data

# What the preponderance standard says of a defeated claim with standing supports.
_WEIGHED = {
    "yes": "it would hold",
    "no": "it would still fall",
    "undetermined": "it would stay open",
}


def overlay_acceptance(
    sentences: list[list[str]],
    whys: list[dict[str, Any]],
    accepted: Acceptance,
    g: Graph,
    semantics: str,
) -> None:
    """Lead each explanation with what the preferred or stable extensions say (in place)."""
    if accepted.extensions_exist is False:
        lead = (
            "The map has no stable reading (a circle of an odd number of objections has none), "
            "so nothing stands under stable semantics."
        )
        for v, said in enumerate(sentences):
            sentences[v] = [lead, *_grounded(said)]
            whys[v] = {**whys[v], "reason": "no_stable_extension"}
        return
    for v, said in enumerate(sentences):
        if g.label[v] != UNDECIDED:
            continue  # every extension agrees with the grounded label, for the same reasons
        credulous, sceptical = accepted.credulous[v], accepted.sceptical[v]
        subject = g.subjects[v]
        if credulous == "undetermined":
            whys[v] = {**whys[v], "reason": "undetermined"}
            lead = f"{subject} is open: time ran out before {semantics} semantics settled it."
        else:
            whys[v] = {**whys[v], "reason": "extensions"}
            if sceptical == "yes":
                lead = f"{subject} stands in every {semantics} reading of the map."
            elif credulous == "yes":
                lead = f"{subject} is open: it stands in some {semantics} readings but not all."
            else:
                lead = f"{subject} stands in no {semantics} reading of the map."
        sentences[v] = [lead, *_grounded(said)]


def _grounded(said: list[str]) -> list[str]:
    """The first grounded sentence, marked as the grounded reading (a few sentences in all)."""
    return [f"Under grounded semantics, {said[0]}"] if said else []


def note_supports(
    sentences: list[list[str]],
    g: Graph,
    final: list[int],
    standards: list[dict[str, Any]],
    *,
    semantics: str,
    support: str,
) -> None:
    """Say why the standing supports of a defeated claim do not save it, and what a rule that
    weighs them against its objections would find (in place)."""
    c = g.fw.n_claims
    for v in range(c):
        if final[v] == IN or g.reasons[v] != "defeated":
            continue
        backing = [g.sources[s - c] for s in g.supporters_of(v) if g.label[s] == IN]
        if not backing:
            continue
        verb = "stand" if len(backing) > 1 else "stands"
        weighed = _WEIGHED[standards[v]["preponderance"]]
        sentences[v] = [
            *sentences[v],
            f"Its support {listing(backing, 'support')} {verb}, but under this map's rule "
            f"({semantics} semantics, {support} support) an objection that stands defeats a "
            "claim whatever supports it.",
            "Weighing its strongest support against its strongest objection instead (the "
            f"preponderance standard), {weighed}.",
        ]


def strength_texts(g: Graph, strengths: Sequence[float]) -> list[str]:
    """What each claim's strength means: “Support balance 64%: base 50%, raised by two
    supports, lowered by one objection.”"""
    c = g.fw.n_claims
    weights = g.fw.weights
    texts = []
    for v in range(c):
        supports = g.support_start[v + 1] - g.support_start[v]
        objections = g.attack_start[v + 1] - g.attack_start[v]
        moved = []
        if supports:
            moved.append(f"raised by {count(supports, 'support')}")
        if objections:
            moved.append(f"lowered by {count(objections, 'objection')}")
        why = ", ".join(moved) if moved else "nothing for or against it"
        texts.append(f"Support balance {strengths[v]:.0%}: base {weights[v]:.0%}, {why}.")
    return texts


def changes(search: Search, final: list[int]) -> list[list[dict[str, Any]] | None]:
    """The moves of every claim that does not stand, in claim order, within the budget."""
    g = search.graph
    found: list[list[dict[str, Any]] | None] = []
    for v in range(g.fw.n_claims):
        moves = search.changes(v) if final[v] != IN else None
        found.append(None if moves is None else [move_data(g, v, m, w) for m, w in moves])
    return found
