"""The attack structure of a map: claims and relations as numbered arguments over integer arrays.

Node numbers: claim `i` of the map is node `i`; relation `j` is node `n_claims + j`. Every array
below is indexed by those numbers, so the semantics run over contiguous numpy arrays, vectorised
where a step touches many nodes and through memoryviews where a worklist walks one node at a time,
without touching a pydantic object.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from operator import attrgetter, is_, is_not
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from models import InvalidInputError, MapContent, RelationKind

_TARGET_CLAIM = attrgetter("target_claim")
_TARGET_RELATION = attrgetter("target_relation")
_PREMISES = attrgetter("premises")
_KIND = attrgetter("kind")
_ID = attrgetter("id")

IntArray = NDArray[np.int64]


class NumberedIds(Sequence[str]):
    """The ids `prefix1 .. prefixN`, made on demand (frameworks read from ICCMA files)."""

    def __init__(self, prefix: str, count: int) -> None:
        self.prefix = prefix
        self.size = count

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [f"{self.prefix}{k + 1}" for k in range(*index.indices(self.size))]
        if not -self.size <= index < self.size:
            raise IndexError(index)
        return f"{self.prefix}{index % self.size + 1}"


class Framework:
    """Claims and relations of one map as numbered arguments (see the module docstring).

    Integer arrays (numpy, int64): `target[j]` is the node relation `j` points at;
    `premises[premise_start[j]:premise_start[j + 1]]` are its premise claims;
    `uses[uses_start[i]:uses_start[i + 1]]` are the relation nodes claim `i` is a premise of;
    `attacker_count[v]` counts the objection relations aimed at node `v` and `support_count[i]`
    the support relations aimed at claim `i`. `objection[j]` is 1 for an objection, 0 for a
    support (uint8).
    """

    __slots__ = (
        "_incoming",
        "accepted",
        "attacker_count",
        "claim_ids",
        "n_claims",
        "n_relations",
        "objection",
        "premise_start",
        "premises",
        "relation_ids",
        "support_count",
        "target",
        "texts",
        "uses",
        "uses_start",
        "weights",
    )

    def __init__(
        self,
        *,
        claim_ids: Sequence[str],
        relation_ids: Sequence[str],
        objection: bytes,
        target: list[int] | IntArray,
        premise_start: list[int] | IntArray,
        premises: list[int] | IntArray,
        accepted: bytes | None = None,
        weights: list[float] | None = None,
        texts: list[str] | None = None,
    ) -> None:
        self.claim_ids = claim_ids
        self.relation_ids = relation_ids
        c = self.n_claims = len(claim_ids)
        self.n_relations = len(relation_ids)
        n = c + self.n_relations
        self.objection: NDArray[np.uint8] = np.frombuffer(objection, dtype=np.uint8).copy()
        self.accepted = accepted if accepted is not None else bytes(c)
        self.weights = weights if weights is not None else [0.5] * c
        self.texts: Sequence[str] = texts if texts is not None else claim_ids
        self._incoming: tuple[IntArray, IntArray, IntArray, IntArray] | None = None
        self.target: IntArray = np.asarray(target, dtype=np.int64).reshape(-1)
        self.premise_start: IntArray = np.asarray(premise_start, dtype=np.int64).reshape(-1)
        self.premises: IntArray = np.asarray(premises, dtype=np.int64).reshape(-1)
        obj = self.objection.astype(bool)
        self.attacker_count: IntArray = np.bincount(self.target[obj], minlength=n)
        self.support_count: IntArray = np.bincount(self.target[~obj], minlength=n)[:c]
        owner = np.repeat(np.arange(c, n, dtype=np.int64), np.diff(self.premise_start))
        order = np.argsort(self.premises, kind="stable")
        self.uses: IntArray = owner[order]
        self.uses_start: IntArray = np.concatenate(
            ([0], np.cumsum(np.bincount(self.premises, minlength=c)[:c]))
        ).astype(np.int64)

    @property
    def n_nodes(self) -> int:
        return self.n_claims + self.n_relations

    def node_id(self, node: int) -> str:
        """The claim or relation id of a node."""
        if node < self.n_claims:
            return self.claim_ids[node]
        return self.relation_ids[node - self.n_claims]

    def incoming(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Relations aimed at each node: (attack_start, attackers, support_start, supporters).

        `attackers[attack_start[v]:attack_start[v + 1]]` are the objection relation nodes aimed
        at node `v`; likewise the support relation nodes. Built on first use.
        """
        if self._incoming is None:
            n = self.n_nodes
            obj = self.objection.astype(bool)
            nodes = np.arange(self.n_claims, n, dtype=np.int64)
            parts: list[IntArray] = []
            for mask in (obj, ~obj):
                sel = self.target[mask]
                order = np.argsort(sel, kind="stable")
                parts.append(
                    np.concatenate(([0], np.cumsum(np.bincount(sel, minlength=n)))).astype(np.int64)
                )
                parts.append(nodes[mask][order])
            self._incoming = (parts[0], parts[1], parts[2], parts[3])
        return self._incoming


def build_framework(content: MapContent) -> Framework:
    """The attack structure of a map (raises InvalidInputError on a dangling reference)."""
    claims = content.claims
    relations = content.relations
    targets_claim: list[str | None] = list(map(_TARGET_CLAIM, relations))
    targets_relation: list[str | None] | None = None
    if None in targets_claim:
        targets_relation = list(map(_TARGET_RELATION, relations))
    try:
        return framework_from_columns(
            claim_ids=list(map(_ID, claims)),
            relation_ids=list(map(_ID, relations)),
            objection=bytes(map(is_, map(_KIND, relations), repeat(RelationKind.OBJECTION))),
            premises=list(map(_PREMISES, relations)),
            target_claims=targets_claim,
            target_relations=targets_relation,
            accepted=bytes(map(attrgetter("accepted"), claims)),
            weights=[0.5 if w is None else w for w in map(attrgetter("weight"), claims)],
            texts=list(map(attrgetter("text"), claims)),
        )
    except _Dangling:
        _raise_dangling(content)
        raise


class _Dangling(Exception):
    pass


def framework_from_columns(
    *,
    claim_ids: list[str],
    relation_ids: list[str],
    objection: bytes,
    premises: list[list[str]],
    target_claims: list[str | None],
    target_relations: list[str | None] | None = None,
    accepted: bytes | None = None,
    weights: list[float] | None = None,
    texts: list[str] | None = None,
) -> Framework:
    """The attack structure from a map held as columns (one list per field, one entry per element).

    `target_relations` may be None when every relation targets a claim.
    """
    c = len(claim_ids)
    index: dict[str, int] = dict(zip(claim_ids, range(c), strict=True))
    if len(index) != c:
        _raise_duplicate(claim_ids)
    if target_relations is not None:
        # Relation ids are looked up only when some relation aims at a relation (an undercut).
        index.update(zip(relation_ids, range(c, c + len(relation_ids)), strict=True))
        if len(index) != c + len(relation_ids):
            _raise_duplicate(claim_ids + relation_ids)
    targets: list[Any] = target_claims
    if target_relations is not None:
        targets = [
            t if t is not None else u for t, u in zip(target_claims, target_relations, strict=True)
        ]
    try:
        target = np.fromiter(map(index.__getitem__, targets), dtype=np.int64, count=len(targets))
        lengths = np.fromiter(map(len, premises), dtype=np.int64, count=len(premises))
        premise_start = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        flat = np.fromiter(
            map(index.__getitem__, chain.from_iterable(premises)),
            dtype=np.int64,
            count=int(premise_start[-1]),
        )
    except KeyError:
        raise _Dangling from None
    if len(flat) and int(flat.max()) >= c:
        raise _Dangling
    if target_relations is not None:
        aims_claim = np.frombuffer(bytes(map(is_not, target_claims, repeat(None))), dtype=np.uint8)
        if not np.array_equal(target < c, aims_claim.astype(bool)):
            raise _Dangling
    elif len(target) and int(target.max()) >= c:
        raise _Dangling
    return Framework(
        claim_ids=claim_ids,
        relation_ids=relation_ids,
        objection=objection,
        target=target,
        premise_start=premise_start,
        premises=flat,
        accepted=accepted,
        weights=weights,
        texts=texts,
    )


def _raise_duplicate(ids: list[str]) -> None:
    seen: set[str] = set()
    for position, element_id in enumerate(ids):
        if element_id in seen:
            raise InvalidInputError(f"id {element_id!r} is used twice", loc=("id", position))
        seen.add(element_id)


def _raise_dangling(content: MapContent) -> None:
    c = len(content.claims)
    index = {claim.id: k for k, claim in enumerate(content.claims)}
    index.update((relation.id, c + j) for j, relation in enumerate(content.relations))
    for j, relation in enumerate(content.relations):
        for k, premise in enumerate(relation.premises):
            if index.get(premise, c) >= c:
                raise InvalidInputError(
                    f"claim {premise!r} does not exist in this map",
                    loc=("relations", j, "premises", k),
                )
        aims_claim = relation.target_claim is not None
        found = index.get(relation.target)
        if found is None or (found < c) != aims_claim:
            field = "target_claim" if aims_claim else "target_relation"
            raise InvalidInputError(
                f"{field.removeprefix('target_')} {relation.target!r} does not exist in this map",
                loc=("relations", j, field),
            )
    raise InvalidInputError("the map refers to an element that does not exist")
