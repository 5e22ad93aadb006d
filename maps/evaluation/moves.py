"""What would change a verdict: the single moves in a map that change a claim's label.

For a defeated or open claim the candidates are few and local: answer one of the objections
that defeat it (or that hold it in a circle) by objecting to its premise (*rebut*) or to the
step itself (*undercut*), or, in evidential mode, accept the claim or a premise of one of its
supports as a starting point. Each candidate is checked by re-evaluating, never guessed: the
move is applied to a copy of the part of the map that decides the claim, that part is labelled
again under the same semantics, and the move is kept when the claim's label changes.

The part that decides a claim is the claim with everything it depends on (its ancestors along
objections, premises and, in evidential mode, supports): under grounded and preferred semantics
a claim's label depends on nothing else (directionality, Baroni and Giacomin 2007), so the
part gives the label the whole map would. Stable semantics is not directional (an odd circle
anywhere leaves no stable extension at all), so under it the whole map is re-labelled.

The checks cost time linear in the parts they find and re-label; `budget` bounds their sum over
one evaluation (a few milliseconds at the default), so a large map gets the moves of the claims
that fit, says that it stopped (`changes` None), and serves the rest one claim at a time
(maps.evaluation.what_would_change).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from maps.evaluation.extensions import acceptance
from maps.evaluation.framework import Framework
from maps.evaluation.graph import Graph
from maps.evaluation.grounded import IN, OUT, UNDECIDED, grounded
from models import Claim, MapContent, Relation, RelationKind
from models.evaluation import VERDICTS, MoveKind, Verdict

MOVE_BUDGET = 3_000  # nodes visited finding parts and re-labelling them, per evaluation
MAX_CANDIDATES = 6  # moves tried per claim
CHECK_SECONDS = 0.05  # time budget of one preferred or stable re-labelling

NEW_CLAIM = "(the new claim)"  # stands in for the claim a move would add

_LABEL_VERDICT: dict[int, Verdict] = {
    IN: VERDICTS["in"],
    OUT: VERDICTS["out"],
    UNDECIDED: VERDICTS["undecided"],
}


@dataclass(frozen=True)
class Move:
    """A candidate move on nodes of the framework: `relation` is a relation node or -1,
    `claim` a claim node or -1 (see `models.evaluation.Move`)."""

    kind: MoveKind
    relation: int = -1
    claim: int = -1


@dataclass
class Search:
    """The state of the search over one evaluation: what is left of the budget. `final` is
    the label of every node under `semantics` (what a move must change)."""

    graph: Graph
    final: list[int]
    semantics: str
    budget: int = MOVE_BUDGET
    searched: int = 0
    complete: bool = True
    _below: dict[int, set[int]] = field(default_factory=dict)
    _uses: tuple[list[int], list[int]] | None = None

    def changes(self, v: int) -> list[tuple[Move, Verdict]] | None:
        """The moves that change the label of claim `v`, with its verdict after each; None when
        what is left of the budget does not cover the checks (finding the part counts too)."""
        g = self.graph
        candidates = candidates_for(g, v)
        if not candidates:
            self.searched += 1
            return []
        nodes = self._part(v, limit=self.budget)
        if nodes is None:
            self.complete = False  # skip it: a later claim with a smaller part may still fit
            return None
        self.budget -= len(nodes)
        before = self.final[v]
        found: list[tuple[Move, Verdict]] = []
        for move in candidates:
            if not self._may_change(v, move):
                continue
            if len(nodes) > self.budget:  # its moves are not all known: say none are
                self.complete = False
                return None
            self.budget -= len(nodes)
            after = label_after(g, nodes, v, move, semantics=self.semantics)
            if after is not None and after != before:
                found.append((move, _LABEL_VERDICT[after]))
        self.searched += 1
        found.sort(key=lambda item: item[1] != "stands")  # moves that make it stand first
        return found

    def _may_change(self, v: int, move: Move) -> bool:
        """False when `move` cannot change the label of `v`, so it need not be checked.

        A move changes only the labels of what lies downstream of the node it touches (under
        grounded and preferred semantics, see the module docstring). A claim defeated by an
        objection that stands and is not downstream keeps that objection, and stays defeated.
        """
        if self.semantics == "stable":
            return True
        g = self.graph
        touched = move.claim if move.kind != "undercut" else move.relation
        standing = [a for a in g.attackers_of(v) if self.final[a] == IN]
        if not standing:
            return True
        below = self._downstream(touched)
        return all(a in below for a in standing)

    def _downstream(self, x: int) -> set[int]:
        """`x` and every node whose label depends on it (memoised)."""
        found = self._below.get(x)
        if found is None:
            if self._uses is None:
                self._uses = (self.graph.fw.uses_start.tolist(), self.graph.fw.uses.tolist())
            uses_start, uses = self._uses
            c = self.graph.fw.n_claims
            target = self.graph.target
            found = {x}
            stack = [x]
            while stack:
                u = stack.pop()
                after = uses[uses_start[u] : uses_start[u + 1]] if u < c else [target[u - c]]
                for w in after:
                    if w not in found:
                        found.add(w)
                        stack.append(w)
            self._below[x] = found
        return found

    def _part(self, v: int, *, limit: int) -> list[int] | None:
        """The nodes that decide `v`, or None (its search charged) when they are over `limit`."""
        g = self.graph
        if self.semantics == "stable":
            everything = len(g.label)
            return list(range(everything)) if everything <= limit else None
        nodes = ancestors(g, v, limit=limit)
        if nodes is None:
            self.budget -= limit  # the search visited that many before giving up
        return nodes


def candidates_for(g: Graph, v: int) -> list[Move]:
    """The moves worth checking for claim `v` (defeated or open), at most MAX_CANDIDATES."""
    c = g.fw.n_claims
    reason = g.reasons[v]
    objections: list[int] = []
    accept: list[int] = []
    if reason == "defeated":
        objections = [d for d in g.defeaters(v) if d >= c]
    elif reason == "cycle":
        via, cycle = g.find_cycle(v)
        objections = [w for w in [*via, *cycle] if w >= c and g.objection[w - c]]
        accept = [w for w in [*via, *cycle] if w < c and g.needs_support(w)]
    elif reason == "unsupported":
        accept = [v]
        for s in g.supporters_of(v):
            objections += [d for d in g.defeaters(s) if d >= c]
            accept += [p for p in g.premises_of(s) if g.needs_support(p)]
    moves: list[Move] = []
    rebutted: set[int] = set()  # objecting to a premise is one move, whichever objection uses it
    for a in dict.fromkeys(objections):
        moves.append(Move("undercut", relation=a))
        for p in g.premises_of(a):
            if p != v and p not in rebutted:
                rebutted.add(p)
                moves.append(Move("rebut", relation=a, claim=p))
    moves += [Move("accept", claim=z) for z in dict.fromkeys(accept) if g.evidential]
    return moves[:MAX_CANDIDATES]


def ancestors(g: Graph, v: int, *, limit: int) -> list[int] | None:
    """`v` and every node its label depends on, in node order (claims first); None when they
    are more than `limit`."""
    seen = {v}
    stack = [v]
    while stack:
        for w in g.parents(stack.pop()):
            if w not in seen:
                seen.add(w)
                stack.append(w)
        if len(seen) > limit:
            return None
    return sorted(seen)


def label_after(g: Graph, nodes: list[int], v: int, move: Move, *, semantics: str) -> int | None:
    """The label of node `v` once `move` is made, re-labelling the part `nodes` (closed under
    parents, holding `v`); None when the search ran out of time."""
    fw, local = part_framework(g, nodes, move)
    label = grounded(fw, evidential=g.evidential)
    if semantics == "grounded":
        return int(label[local[v]])
    found = acceptance(
        fw,
        label,
        semantics="stable" if semantics == "stable" else "preferred",
        evidential=g.evidential,
        budget_seconds=CHECK_SECONDS,
    )
    if found.undetermined_nodes:
        return None
    return int(found.label[local[v]])


def part_framework(g: Graph, nodes: list[int], move: Move) -> tuple[Framework, dict[int, int]]:
    """The framework of `nodes` (claims first, closed under parents) with `move` made, and
    the local number of each node. A rebut or undercut adds one claim and its objection."""
    c = g.fw.n_claims
    claims = [u for u in nodes if u < c]
    relations = [u for u in nodes if u >= c]
    adds = move.kind != "accept"
    size = len(claims) + adds  # the new claim, if any, is the last claim
    local = {u: k for k, u in enumerate(claims)}
    local.update((u, size + k) for k, u in enumerate(relations))
    accepted = bytearray(g.fw.accepted[u] for u in claims)
    if move.kind == "accept":
        accepted[local[move.claim]] = 1
    objection = [g.objection[u - c] for u in relations]
    target = [local[g.target[u - c]] for u in relations]
    premises = [[local[p] for p in g.premises_of(u)] for u in relations]
    if adds:
        accepted.append(1)  # a starting point, so that it stands in evidential mode too
        objection.append(1)
        aimed = move.claim if move.kind == "rebut" else move.relation
        target.append(local[aimed])
        premises.append([size - 1])
    starts = [0]
    for listed in premises:
        starts.append(starts[-1] + len(listed))
    ids = [g.ids[u] for u in claims] + [NEW_CLAIM] * adds
    framework = Framework(
        claim_ids=ids,
        relation_ids=[f"r{k}" for k in range(len(objection))],
        objection=bytes(objection),
        target=target,
        premise_start=starts,
        premises=[p for listed in premises for p in listed],
        accepted=bytes(accepted),
        kernels=False,
    )
    return framework, local


def move_sentence(g: Graph, v: int, move: Move, verdict: Verdict) -> str:
    """The move in plain words, with what it would do to claim `v` (“this claim”)."""
    c = g.fw.n_claims
    then = {"stands": "stand", "defeated": "be defeated", "open": "be open"}[verdict]
    if move.kind == "accept":
        if move.claim == v:
            return f"Accept this claim as a starting point: it would then {then}."
        return (
            f"Accept {g.descriptions[move.claim]} as a starting point: this claim would then "
            f"{then}."
        )
    result = f"this claim would then {then}."
    source = g.sources[move.relation - c]
    if move.kind == "undercut":
        aim = g.descriptions[g.target[move.relation - c]]
        return f"Question whether {source} really counts against {aim}: {result}"
    premise = g.descriptions[move.claim]
    if premise == source:
        return f"Answer the objection {source} with an objection to it: {result}"
    return f"Answer the objection {source} with an objection to {premise}: {result}"


def move_data(g: Graph, v: int, move: Move, verdict: Verdict) -> dict[str, Any]:
    """The move in the JSON shape of `models.evaluation.Move`."""
    return {
        "kind": move.kind,
        "relation": g.ids[move.relation] if move.relation >= 0 else None,
        "claim": g.ids[move.claim] if move.claim >= 0 else None,
        "verdict": verdict,
        "sentence": move_sentence(g, v, move, verdict),
    }


def apply_move(
    content: MapContent,
    *,
    kind: MoveKind,
    relation: str | None = None,
    claim: str | None = None,
    text: str = "A new claim answering it.",
) -> MapContent:
    """The map with the move made (`models.evaluation.Move`): a rebut or an undercut adds a
    claim with `text`, accepted as a starting point, and its objection."""
    if kind == "accept":
        claims = [
            item.model_copy(update={"accepted": True}) if item.id == claim else item
            for item in content.claims
        ]
        return content.model_copy(update={"claims": claims})
    taken = {item.id for item in content.claims} | {item.id for item in content.relations}
    new_claim, new_relation = _fresh("move-claim", taken), _fresh("move-relation", taken)
    added = Relation(
        id=new_relation,
        kind=RelationKind.OBJECTION,
        premises=[new_claim],
        target_claim=claim if kind == "rebut" else None,
        target_relation=relation if kind == "undercut" else None,
    )
    return content.model_copy(
        update={
            "claims": [*content.claims, Claim(id=new_claim, text=text, accepted=True)],
            "relations": [*content.relations, added],
        }
    )


def _fresh(stem: str, taken: Sequence[str] | set[str]) -> str:
    k = 1
    while f"{stem}-{k}" in taken:
        k += 1
    return f"{stem}-{k}"
