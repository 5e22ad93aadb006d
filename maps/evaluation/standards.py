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
    on_claim = fw.target < c
    # Per claim and kind: slot 2 * claim for its supports, 2 * claim + 1 for its objections.
    slot = fw.target * 2 + (fw.objection != 0).astype(np.int64)
    rel_label = labels[c:]
    weight = _relation_weights(fw)
    # The largest weight of the open (not `out`) and of the standing (`in`) relations per slot;
    # -1 where there is none.
    hi = np.full(2 * c, -1.0)
    lo = np.full(2 * c, -1.0)
    open_ = on_claim & (rel_label != OUT)
    np.maximum.at(hi, slot[open_], weight[open_])
    standing = on_claim & (rel_label == IN)
    np.maximum.at(lo, slot[standing], weight[standing])
    related = np.zeros(2 * c, dtype=bool)
    related[slot[on_claim]] = True
    answers = _answers(hi, lo)
    # The standing supports and objections of each claim, in relation order.
    standing_rel = np.flatnonzero(standing)
    standing_slot = slot[standing_rel]
    order = np.argsort(standing_slot, kind="stable")
    grouped = [fw.relation_ids[j] for j in standing_rel[order].tolist()]
    start = np.concatenate(([0], np.cumsum(np.bincount(standing_slot, minlength=2 * c))))
    return _standards(
        cast(list[bool], related.reshape(c, 2).any(axis=1).tolist()),
        answers,
        lo,
        grouped,
        start.tolist(),
        empty,
    )


def _relation_weights(fw: Framework) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The weight of each relation: that of its weakest premise (0.5 without premises)."""
    r = fw.n_relations
    weights = np.asarray(fw.weights, dtype=np.float64)
    premise_start, premises = fw.premise_start, fw.premises
    lengths = np.diff(premise_start)
    if premises.size == r and bool((lengths == 1).all()):
        return weights[premises]
    relation_weight = np.full(r, 0.5)
    some = lengths > 0
    if premises.size:
        relation_weight[some] = np.minimum.reduceat(weights[premises], premise_start[:-1][some])
    return relation_weight


def _answers(hi: np.ndarray[Any, Any], lo: np.ndarray[Any, Any]) -> list[list[int]]:
    """(scintilla, preponderance, dialectical validity) per claim as `Answer` codes, from the
    largest open (`hi`) and standing (`lo`) weights per slot."""
    s_open, o_open = hi[0::2] >= 0.0, hi[1::2] >= 0.0
    s_in, o_in = lo[0::2] >= 0.0, lo[1::2] >= 0.0
    lo_s, lo_o, hi_s, hi_o = lo[0::2], lo[1::2], hi[0::2], hi[1::2]
    no, yes, open_ = Answer.NO, Answer.YES, Answer.UNDETERMINED
    scintilla = np.where(s_in, yes, np.where(s_open, open_, no))
    validity = np.where(s_in & ~o_open, yes, np.where(~s_open | o_in, no, open_))
    preponderance = np.where(
        s_in & (lo_s > hi_o), yes, np.where(~s_open | (hi_s <= lo_o), no, open_)
    )
    return [scintilla.tolist(), preponderance.tolist(), validity.tolist()]


def _standards(
    related: list[bool],
    answers: list[list[int]],
    lo: np.ndarray[Any, Any],
    grouped: list[str],
    start: list[int],
    empty: list[Any],
) -> list[dict[str, Any]]:
    """The standards of each claim as plain data (`models.evaluation.ProofStandards`).

    Claims no relation aims at share one dict, and so do claims with nothing standing and the
    same answers (read-only, within this result).
    """
    names = ANSWER_LIST
    unrelated = _unrelated(empty)
    results: list[dict[str, Any]] = []
    append = results.append
    unsettled: dict[tuple[int, int, int], dict[str, Any]] = {}
    rows = zip(related, *answers, lo[0::2].tolist(), lo[1::2].tolist(), strict=True)
    for i, (rel, sc, pr, va, sw, ow) in enumerate(rows):
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
                    "scintilla": names[sc],
                    "preponderance": names[pr],
                    "dialectical_validity": names[va],
                }
            append(shared)
            continue
        append(
            {
                "scintilla": names[sc],
                "preponderance": names[pr],
                "dialectical_validity": names[va],
                "standing_supports": grouped[s0:s1] if s1 > s0 else empty,
                "standing_objections": grouped[s1:s2] if s2 > s1 else empty,
                "support_weight": sw if sw >= 0.0 else None,
                "objection_weight": ow if ow >= 0.0 else None,
            }
        )
    return results
