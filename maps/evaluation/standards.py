"""Carneades proof standards (Gordon, Prakken and Walton 2007) of every claim of a map.

Each claim is judged on its standing supports and objections, each weighing as much as its
weakest premise's `weight` (default 0.5).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, cast

import numpy as np

from maps.evaluation.framework import Framework
from maps.evaluation.grounded import IN, OUT, LabelArray


class Answer(IntEnum):
    """Whether a claim meets a proof standard (the JSON says the name in lower case)."""

    NO = 0
    YES = 1
    UNDETERMINED = 2  # it would, or would not, depending on relations still open (undecided)


ANSWER_LIST = tuple(answer.name.lower() for answer in Answer)  # indexed by answer


def _unrelated(empty: list[Any]) -> dict[str, Any]:
    """The standards of a claim no relation aims at: every answer is no."""
    return {
        "scintilla": "no",
        "preponderance": "no",
        "dialectical_validity": "no",
        "standing_supports": empty,
        "standing_objections": empty,
        "support_weight": None,
        "objection_weight": None,
    }


def proof_standards(fw: Framework, labels: LabelArray) -> list[dict[str, Any]]:
    """Carneades proof standards of every claim, over the given labels of its relations.

    Judged for all claims at once over arrays: per claim, whether any support (objection) is
    open (not `out`) or standing (`in`), and the largest weight of each kind.
    """
    c, r = fw.n_claims, fw.n_relations
    # Shared by the claims of this result, read-only: made per call, so no two results share them.
    empty: list[Any] = []
    unrelated = _unrelated(empty)
    if r == 0:
        return [unrelated] * c
    weights = np.asarray(fw.weights, dtype=np.float64)
    premise_start, premises = fw.premise_start, fw.premises
    lengths = np.diff(premise_start)
    # A relation weighs as much as its weakest premise.
    if premises.size == r and bool((lengths == 1).all()):
        relation_weight = weights[premises]
    else:
        relation_weight = np.full(r, 0.5)
        some = lengths > 0
        if premises.size:
            relation_weight[some] = np.minimum.reduceat(weights[premises], premise_start[:-1][some])
    target = fw.target
    on_claim = target < c
    rel_label = labels[c:]
    is_in = rel_label == IN
    is_open = rel_label != OUT
    objection = fw.objection != 0
    # Per claim and kind (0 support, 1 objection): any open, any standing, largest weights.
    kind = objection.astype(np.int64)
    slot = (target * 2 + kind)[on_claim]
    related = np.zeros(2 * c, dtype=bool)
    related[slot] = True
    hi = np.full(2 * c, -1.0)
    lo = np.full(2 * c, -1.0)
    open_ = on_claim & is_open
    np.maximum.at(hi, (target * 2 + kind)[open_], relation_weight[open_])
    standing = on_claim & is_in
    np.maximum.at(lo, (target * 2 + kind)[standing], relation_weight[standing])
    any_open = hi >= 0.0
    any_in = lo >= 0.0
    s_open, o_open = any_open[0::2], any_open[1::2]
    s_in, o_in = any_in[0::2], any_in[1::2]
    lo_s, lo_o, hi_s, hi_o = lo[0::2], lo[1::2], hi[0::2], hi[1::2]
    no, yes, open_ = Answer.NO, Answer.YES, Answer.UNDETERMINED
    scintilla = np.where(s_in, yes, np.where(s_open, open_, no))
    validity = np.where(s_in & ~o_open, yes, np.where(~s_open | o_in, no, open_))
    preponderance = np.where(
        s_in & (lo_s > hi_o), yes, np.where(~s_open | (hi_s <= lo_o), no, open_)
    )
    # The standing supports and objections of each claim, in relation order.
    rel_ids = fw.relation_ids
    standing_rel = np.flatnonzero(standing)
    order = np.argsort(slot_of := (target * 2 + kind)[standing_rel], kind="stable")
    grouped = [rel_ids[j] for j in standing_rel[order].tolist()]
    start = np.concatenate(([0], np.cumsum(np.bincount(slot_of, minlength=2 * c)))).tolist()
    answers = ANSWER_LIST
    results: list[dict[str, Any]] = []
    append = results.append
    unsettled: dict[tuple[int, int, int], dict[str, Any]] = {}
    for i, rel, sc, pr, va, sw, ow in zip(
        range(c),
        cast(list[bool], related.reshape(c, 2).any(axis=1).tolist()),
        scintilla.tolist(),
        preponderance.tolist(),
        validity.tolist(),
        lo_s.tolist(),
        lo_o.tolist(),
        strict=True,
    ):
        if not rel:
            append(unrelated)
            continue
        s0, s1, s2 = start[2 * i : 2 * i + 3]
        if s0 == s2:  # nothing stands: the answers alone tell claims apart; share the data
            key = (sc, pr, va)
            shared = unsettled.get(key)
            if shared is None:
                shared = unsettled[key] = {
                    **unrelated,
                    "scintilla": answers[sc],
                    "preponderance": answers[pr],
                    "dialectical_validity": answers[va],
                }
            append(shared)
            continue
        append(
            {
                "scintilla": answers[sc],
                "preponderance": answers[pr],
                "dialectical_validity": answers[va],
                "standing_supports": grouped[s0:s1] if s1 > s0 else empty,
                "standing_objections": grouped[s1:s2] if s2 > s1 else empty,
                "support_weight": sw if sw >= 0.0 else None,
                "objection_weight": ow if ow >= 0.0 else None,
            }
        )
    return results
