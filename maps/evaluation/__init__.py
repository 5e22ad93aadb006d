"""Which claims stand: labels, acceptance, proof standards, strengths and explanations of a map.

The attack structure
--------------------
Every claim and every relation of a map is an argument (framework.py numbers them). An
objection relation attacks its target, a claim or (an *undercut*) another relation. A relation
holds only while all its premises hold (linked premises hold only together) and no undercut
aimed at it holds. So each element has an acceptance condition over its parents, as in a bipolar
abstract dialectical framework (Brewka and Woltran 2010):

    claim     in  <=> every objection aimed at it is out
                      (evidential mode, claim not `accepted`: and one of its supports is in)
    relation  in  <=> all its premises are in and every undercut aimed at it is out

and `out` as soon as the condition can no longer hold. Supports never defeat anything in the
default `loose` mode: an unattacked claim stands. In `evidential` mode (Oren and Norman 2008) a
claim the group has not marked `accepted` (a starting point) stands only while one of its
supports stands; support going round in a circle founds nothing.

The grounded labelling (Dung 1995's least fixed point) is computed by one worklist over those
conditions (grounded.py), in time linear in claims plus relations. For an ICCMA solver the
same structure becomes a plain Dung framework (framework.py `dung_framework`): a claim `p` used as a
premise gets an auxiliary argument `not p` that `p` attacks and that attacks every relation
resting on `p`; a claim that needs support gets `unsupported c`, attacked by each of its
supports and attacking `c`. Complete labellings of the two correspond one to one.

Preferred and stable semantics keep everything grounded settles (every extension contains the
grounded one) and search only the undecided core, component by component, within a time budget;
what the budget does not settle is `undetermined`. The `label` is then `in` when the element is
in every extension (sceptical), `out` when it is out in every extension, else `undecided`
(extensions.py).

Worked example
--------------
Claims: `t` "The city centre should be car-free", `a` "Shops in the centre will lose
customers", `b` "Car-free streets raised shop takings in Copenhagen", `s` "Air quality improves".
Relations: `r1` objection a -> t, `r2` objection b -> a (a rebuttal), `r3` support s -> t.

    b is unattacked: in.  r2 rests on b: in.  a is attacked by r2 (in): out.
    r1 rests on a (out): out.  t is attacked only by r1 (out): in.  s, r3: in.

In plain words: "“The city centre should be car-free” stands: the one objection to it is
answered. The objection “Shops in the centre will lose customers” falls: it is itself defeated
by “Car-free streets raised shop takings in Copenhagen”." Add `u` "Copenhagen is not like our
city" undercutting r2 (objection u -> r2): r2 goes out, a is reinstated, r1 stands, and t is
defeated; its moves (moves.py) then include "Question whether “Shops in the centre will lose
customers” really counts against “The city centre should be car-free”: this claim would then
stand." Add instead an objection from `a` back onto `b`: a and b attack each other, both (and t)
are open under grounded, each is credulously but not sceptically accepted under preferred, "it
sits in a circle of objections that answer each other: “Shops ...” is opposed by “Car-free
...”, which is opposed by “Shops ...”".

Every label has its word (models.evaluation.VERDICTS): in *stands*, out *defeated*, undecided
*open*; sentences quote claims by title or by text cut at a word, never by id (graph.phrases).

Proof standards (Carneades: Gordon, Prakken and Walton 2007) are judged per claim on its
standing supports and objections, each weighing as much as its weakest premise's `weight`
(default 0.5; standards.py). Gradual strengths come from gradual.py (DF-QuAD or quadratic
energy), explanations from explain.py (over the plain-list view of graph.py, with the defence
trees of defence.py) and verdicts.py, the moves that would change a verdict from moves.py. The
compiled fast paths live in kernels.py, each tested against the plain reference it replaces.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, get_args

import numpy as np

from maps.evaluation.explain import LABEL_LIST, MAX_NODES, Graph, explain_all
from maps.evaluation.extensions import Acceptance, acceptance
from maps.evaluation.framework import (
    Framework,
    build_framework,
    framework_from_columns,
    kernels_ready,
    mark_kernels_ready,
)
from maps.evaluation.gradual import GradualResult, gradual_strength
from maps.evaluation.grounded import IN, OUT, UNDECIDED, LabelArray, grounded
from maps.evaluation.moves import MAX_CANDIDATES, MOVE_BUDGET, Search, apply_move, move_data
from maps.evaluation.standards import proof_standards
from maps.evaluation.verdicts import changes, note_supports, overlay_acceptance, strength_texts
from models import InvalidInputError, MapContent, NotFoundError
from models.evaluation import (
    VERDICT_LABELS,
    VERDICTS,
    Evaluation,
    GradualName,
    Move,
    ProofStandardName,
    SemanticsName,
    SupportMode,
)

SEMANTICS: tuple[str, ...] = get_args(SemanticsName)
SUPPORT_MODES: tuple[str, ...] = get_args(SupportMode)
GRADUAL_SEMANTICS: tuple[str, ...] = get_args(GradualName)
PROOF_STANDARDS: tuple[str, ...] = get_args(ProofStandardName)


def check_choice(value: str, allowed: tuple[str, ...], *, name: str) -> None:
    """Raise InvalidInputError (located at `name`) unless `value` is one of `allowed`."""
    if value not in allowed:
        raise InvalidInputError(
            f"unknown {name} {value!r}; choose one of {', '.join(allowed)}", loc=(name,)
        )


def prepare_kernels() -> bool:
    """Compile (or load from numba's disk cache) every kernel an evaluation uses, then let maps
    of every size use them (framework.use_kernels). For long-running processes: the API
    server calls it in the background at start-up. Returns True once they are ready. Safe to
    call more than once and from several threads.
    """
    tiny = framework_from_columns(
        claim_ids=["a", "b", "c"],
        relation_ids=["r1", "r2"],
        objection=bytes([1, 0]),
        premises=[["a"], ["b", "c"]],
        target_claims=["b", "a"],
        kernels=True,
    )
    for evidential in (False, True):
        grounded(tiny, evidential=evidential, generation=np.zeros(tiny.n_nodes, np.int64))
        grounded(tiny, evidential=evidential)
    for method in GRADUAL_SEMANTICS:
        gradual_strength(tiny, method=method)  # type: ignore[arg-type]
    tiny.incoming()
    mark_kernels_ready()
    return True


def evaluate(
    content: MapContent,
    *,
    semantics: str | None = None,
    support: str | None = None,
    budget_seconds: float = 2.0,
    explanation_depth: int = 4,
    explanation_max_nodes: int = MAX_NODES,
    gradual: str | None = None,
    proof_standard: str | None = None,
    version: int | None = None,
    kernels: bool | None = None,
    move_budget: int = MOVE_BUDGET,
) -> Evaluation:
    """Label, weigh and explain every claim and relation of a map (see the module docstring).

    `semantics`, `support`, `gradual` and `proof_standard` left out are the map's rule of
    decision (`content.rule`), so every viewer reaches the same verdicts.

    Each defence tree goes at most `explanation_depth` levels deep and holds at most
    `explanation_max_nodes` nodes (defence.DefenceTrees); what is cut is `truncated`. The moves
    that would change a verdict are checked by re-labelling, at most `move_budget` claims and
    relations in all (moves.py); claims past it have `changes` None.
    `kernels` forces the compiled kernels on or off (framework.use_kernels decides by
    default); the result is the same either way.
    """
    rule = content.rule
    semantics = semantics or rule.semantics
    support = support or rule.support
    gradual = gradual or rule.gradual
    proof_standard = proof_standard or rule.proof_standard
    _check_options(
        semantics=semantics,
        support=support,
        gradual=gradual,
        budget_seconds=budget_seconds,
        explanation_depth=explanation_depth,
        explanation_max_nodes=explanation_max_nodes,
    )
    check_choice(proof_standard, PROOF_STANDARDS, name="proof_standard")
    evidential = support == "evidential"
    fw = build_framework(content, kernels=kernels)
    generation = np.full(fw.n_nodes, np.iinfo(np.int64).max, dtype=np.int64)
    label = grounded(fw, evidential=evidential, generation=generation)
    accepted = _acceptance(fw, label, semantics, evidential=evidential, budget=budget_seconds)
    final = label if accepted is None else accepted.label
    strength = gradual_strength(
        fw,
        method="quadratic_energy" if gradual == "quadratic_energy" else "dfquad",
        deadline=time.monotonic() + budget_seconds,
    )
    graph = Graph.of(fw, label, generation, evidential=evidential)
    sentences, whys = explain_all(graph, depth=explanation_depth, max_nodes=explanation_max_nodes)
    if accepted is not None:
        overlay_acceptance(sentences, whys, accepted, graph, semantics)
    final_list = final.tolist()
    standards = proof_standards(fw, final)
    note_supports(sentences, graph, final_list, standards, semantics=semantics, support=support)
    search = Search(graph, final_list, semantics, budget=move_budget)
    columns = _columns(graph, final_list, strength, accepted, sentences, whys)
    claims = _claims(
        columns,
        fw.n_claims,
        proof_standards=standards,
        meets_standard=[answers[proof_standard] for answers in standards],
        strength_text=strength_texts(graph, columns["strength"]),
        changes=changes(search, final_list),
    )
    kinds = ["objection" if objection else "support" for objection in graph.objection]
    relations = _relations(columns, fw.n_claims, kinds)
    options = {
        "version": version,
        "semantics": semantics,
        "support": support,
        "proof_standard": proof_standard,
    }
    summary = _summary(fw, final, strength, accepted, options, budget_seconds=budget_seconds)
    summary["changes_searched"] = search.searched
    summary["changes_complete"] = search.complete
    return Evaluation.from_data(summary, claims=claims, relations=relations)


def what_would_change(
    content: MapContent,
    claim_id: str,
    *,
    semantics: str | None = None,
    support: str | None = None,
    budget_seconds: float = 2.0,
) -> list[Move]:
    """The single moves that would change the verdict of one claim (none when it stands),
    searched whatever the size of the part of the map that decides it (moves.py); options
    left out are the map's rule."""
    semantics = semantics or content.rule.semantics
    support = support or content.rule.support
    _check_options(
        semantics=semantics,
        support=support,
        gradual="dfquad",
        budget_seconds=budget_seconds,
        explanation_depth=1,
        explanation_max_nodes=1,
    )
    evidential = support == "evidential"
    fw = build_framework(content)
    v = next((i for i, claim in enumerate(content.claims) if claim.id == claim_id), None)
    if v is None:
        raise NotFoundError(f"claim {claim_id!r} not found in this map", loc=("claim_id",))
    generation = np.full(fw.n_nodes, np.iinfo(np.int64).max, dtype=np.int64)
    label = grounded(fw, evidential=evidential, generation=generation)
    accepted = _acceptance(fw, label, semantics, evidential=evidential, budget=budget_seconds)
    final = (label if accepted is None else accepted.label).tolist()
    if final[v] == IN:
        return []
    graph = Graph.of(fw, label, generation, evidential=evidential)
    search = Search(graph, final, semantics, budget=fw.n_nodes * (MAX_CANDIDATES + 1))
    found = search.changes(v) or []
    return [Move.model_validate(move_data(graph, v, move, after)) for move, after in found]


def _acceptance(
    fw: Framework, label: LabelArray, semantics: str, *, evidential: bool, budget: float
) -> Acceptance | None:
    """Preferred or stable acceptance over the grounded `label`; None under grounded."""
    if semantics == "grounded":
        return None
    return acceptance(
        fw,
        label,
        semantics="stable" if semantics == "stable" else "preferred",
        evidential=evidential,
        budget_seconds=budget,
    )


def _summary(
    fw: Framework,
    final: LabelArray,
    strength: GradualResult,
    accepted: Acceptance | None,
    options: dict[str, Any],
    *,
    budget_seconds: float,
) -> dict[str, Any]:
    """Everything of the result but its elements (`options`: version, semantics, support),
    as plain data in the JSON shape."""
    counts = np.bincount(final[: fw.n_claims], minlength=3).tolist()
    return {
        **options,
        "gradual": {
            "method": strength.method,
            "converged": strength.converged,
            "iterations": strength.iterations,
            "max_delta": strength.max_delta,
            "tolerance": strength.tolerance,
        },
        "acceptance": None
        if accepted is None
        else {
            "extensions_exist": accepted.extensions_exist,
            "undetermined": accepted.undetermined_nodes,
            "budget_seconds": budget_seconds,
        },
        "counts": {
            name: counts[label]
            for name, label in (("in", IN), ("out", OUT), ("undecided", UNDECIDED))
        },
        "verdicts": {VERDICTS[LABEL_LIST[k]]: counts[k] for k in (IN, OUT, UNDECIDED)},
    }


def _check_options(
    *,
    semantics: str,
    support: str,
    gradual: str,
    budget_seconds: float,
    explanation_depth: int,
    explanation_max_nodes: int,
) -> None:
    """Raise InvalidInputError (located at the option) on an option `evaluate` cannot take."""
    check_choice(semantics, SEMANTICS, name="semantics")
    check_choice(support, SUPPORT_MODES, name="support")
    check_choice(gradual, GRADUAL_SEMANTICS, name="gradual")
    if budget_seconds <= 0:
        raise InvalidInputError("the time budget must be positive", loc=("budget_seconds",))
    if explanation_depth < 1:
        raise InvalidInputError(
            "the explanation depth must be at least 1", loc=("explanation_depth",)
        )
    if explanation_max_nodes < 1:
        raise InvalidInputError(
            "the explanation node budget must be at least 1", loc=("explanation_max_nodes",)
        )


def _columns(
    graph: Graph,
    final: list[int],
    strength: GradualResult,
    accepted: Acceptance | None,
    sentences: list[list[str]],
    whys: list[dict[str, Any]],
) -> dict[str, Sequence[Any]]:
    """The fields every claim and relation has, one list per field in node order."""
    labels = [LABEL_LIST[k] for k in final]
    verdicts = [VERDICTS[label] for label in labels]
    nothing: list[Any] = [None] * len(labels)
    return {
        "id": graph.ids,
        "label": labels,
        "credulous": nothing if accepted is None else accepted.credulous,
        "sceptical": nothing if accepted is None else accepted.sceptical,
        "verdict": verdicts,
        "verdict_label": [VERDICT_LABELS[verdict] for verdict in verdicts],
        "strength": strength.strengths.tolist(),
        "sentences": sentences,
        "explanation": [" ".join(said) for said in sentences],
        "why": whys,
    }


def _claims(
    columns: dict[str, Sequence[Any]], c: int, **own: Sequence[Any]
) -> dict[str, dict[str, Any]]:
    """The claims (nodes below `c`) as plain data in the JSON shape, keyed by id; `own`: the
    fields only claims have (proof_standards, strength_text, changes).

    Every field is present, each dict written as a display (several times faster than
    dict(zip(...)) per row); models are made only when read (models.evaluation.LazyElements):
    validating 10,000 nested models would cost more than the whole evaluation.
    """
    shared = [columns[name][:c] for name in _SHARED]
    rows = zip(
        *shared,
        own["proof_standards"],
        own["meets_standard"],
        own["strength_text"],
        own["changes"],
        strict=True,
    )
    return {
        id_: {
            "id": id_,
            "label": label,
            "credulous": credulous,
            "sceptical": sceptical,
            "verdict": verdict,
            "verdict_label": verdict_label,
            "strength": strength,
            "sentences": sentences,
            "explanation": explanation,
            "why": why,
            "proof_standards": standards,
            "meets_standard": meets,
            "strength_text": strength_text,
            "changes": changes,
        }
        for (
            id_,
            label,
            credulous,
            sceptical,
            verdict,
            verdict_label,
            strength,
            sentences,
            explanation,
            why,
            standards,
            meets,
            strength_text,
            changes,
        ) in rows
    }


def _relations(
    columns: dict[str, Sequence[Any]], c: int, kinds: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The relations (nodes from `c` on) as plain data in the JSON shape, keyed by id."""
    shared = [columns[name][c:] for name in _SHARED]
    return {
        id_: {
            "id": id_,
            "label": label,
            "credulous": credulous,
            "sceptical": sceptical,
            "verdict": verdict,
            "verdict_label": verdict_label,
            "strength": strength,
            "sentences": sentences,
            "explanation": explanation,
            "why": why,
            "kind": kind,
        }
        for (
            id_,
            label,
            credulous,
            sceptical,
            verdict,
            verdict_label,
            strength,
            sentences,
            explanation,
            why,
            kind,
        ) in zip(*shared, kinds, strict=True)
    }


# The fields of every element, in the order `_claims` and `_relations` unpack them.
_SHARED = (
    "id",
    "label",
    "credulous",
    "sceptical",
    "verdict",
    "verdict_label",
    "strength",
    "sentences",
    "explanation",
    "why",
)


__all__ = [
    "GRADUAL_SEMANTICS",
    "PROOF_STANDARDS",
    "SEMANTICS",
    "SUPPORT_MODES",
    "apply_move",
    "check_choice",
    "evaluate",
    "kernels_ready",
    "prepare_kernels",
    "what_would_change",
]
