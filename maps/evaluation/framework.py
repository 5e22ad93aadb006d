"""The attack structure of a map: claims and relations as numbered arguments over integer arrays.

Node numbers: claim `i` of the map is node `i`; relation `j` is node `n_claims + j`. Every array
below is indexed by those numbers, so the semantics run over contiguous numpy arrays (vectorised,
or through memoryviews where a worklist walks one node at a time) without touching a pydantic
object. The same structure as a plain Dung framework, for ICCMA solvers, is at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter, is_, is_not
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from maps.validation import check_references
from models import InvalidInputError, MapContent, RelationKind

_TARGET_CLAIM = attrgetter("target_claim")
_TARGET_RELATION = attrgetter("target_relation")
_PREMISES = attrgetter("premises")
_KIND = attrgetter("kind")
_ID = attrgetter("id")

IntArray = NDArray[np.int64]

# Maps with at least this many elements go through compiled kernels (maps/evaluation/kernels.py):
# below it the plain paths take a millisecond or two, and loading compiled code (0.4 s) would
# cost a one-off command more than it saves. A long-running process loads them up front
# (maps.evaluation.prepare_kernels) and from then on every map uses them.
KERNEL_MIN_ELEMENTS = 50_000
NARROW_LIMIT = 2**31 - 1  # node numbers and counts below this fit in 32 bits


_kernels_ready = False  # set by maps.evaluation.prepare_kernels


def kernels_ready() -> bool:
    """Whether this process has loaded the compiled kernels (then every map uses them)."""
    return _kernels_ready


def mark_kernels_ready() -> None:
    global _kernels_ready
    _kernels_ready = True


def use_kernels(elements: int, kernels: bool | None) -> bool:
    """Whether to run the compiled kernels: `kernels` if given, else for large maps, and for
    every map once a long-running process (the API server) has loaded them."""
    if kernels is None:
        kernels = elements >= KERNEL_MIN_ELEMENTS or _kernels_ready
    return kernels


def group(
    keys: IntArray, values: IntArray, size: int, *, kernels: bool
) -> tuple[IntArray, IntArray]:
    """(start, grouped): `grouped[start[k]:start[k + 1]]` are the values whose key is `k`, in
    their order (a stable sort by key; compiled: kernels.group_rows)."""
    if kernels:
        from maps.evaluation import kernels as compiled

        start, grouped = compiled.group_rows(keys, values, size)
        return start, grouped
    order = np.argsort(keys, kind="stable")
    start = np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=size)[:size]))).astype(
        np.int64
    )
    return start, values[order]


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
        "_narrow",
        "accepted",
        "attacker_count",
        "claim_ids",
        "kernels",
        "n_claims",
        "n_relations",
        "names",
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
        names: list[str] | None = None,
        kernels: bool | None = None,
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
        # How sentences name a claim: its title where it has one, else its text.
        self.names: Sequence[str] = names if names is not None else self.texts
        self._incoming: tuple[IntArray, IntArray, IntArray, IntArray] | None = None
        self._narrow: tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]] | None = None
        self.target: IntArray = np.asarray(target, dtype=np.int64).reshape(-1)
        self.premise_start: IntArray = np.asarray(premise_start, dtype=np.int64).reshape(-1)
        self.premises: IntArray = np.asarray(premises, dtype=np.int64).reshape(-1)
        self.kernels = use_kernels(n, kernels)
        if self.kernels:  # one pass each, no temporaries: 2.6x numpy's at 1M claims
            from maps.evaluation import kernels as compiled

            self.attacker_count, self.support_count, self.uses_start, self.uses = (
                compiled.framework_counts(
                    c, n, self.target, self.objection, self.premise_start, self.premises
                )
            )
            return
        obj = self.objection.astype(bool)
        self.attacker_count = np.bincount(self.target[obj], minlength=n)
        self.support_count = np.bincount(self.target[~obj], minlength=n)[:c]
        owner = np.arange(c, n, dtype=np.int64)
        lengths = np.diff(self.premise_start)
        if not (lengths == 1).all():  # linked premises, or none
            owner = np.repeat(owner, lengths)
        self.uses_start, self.uses = group(self.premises, owner, c, kernels=False)

    def narrow(self) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]] | None:
        """`target`, `uses_start` and `uses` as 32-bit arrays, made on first use; None when
        the map has `NARROW_LIMIT` nodes or premise uses or more."""
        if max(self.n_nodes, len(self.uses)) >= NARROW_LIMIT:
            return None
        if self._narrow is None:
            self._narrow = (
                self.target.astype(np.int32),
                self.uses_start.astype(np.int32),
                self.uses.astype(np.int32),
            )
        return self._narrow

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
                parts.extend(group(self.target[mask], nodes[mask], n, kernels=self.kernels))
            self._incoming = (parts[0], parts[1], parts[2], parts[3])
        return self._incoming


def build_framework(content: MapContent, *, kernels: bool | None = None) -> Framework:
    """The attack structure of a map (raises InvalidInputError on a dangling reference).

    `kernels`: as in `framework_from_columns`."""
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
            names=[claim.title or claim.text for claim in claims],
            kernels=kernels,
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
    names: list[str] | None = None,
    kernels: bool | None = None,
) -> Framework:
    """The attack structure from a map held as columns (one list per field, one entry per element).

    `target_relations` may be None when every relation targets a claim. `kernels` forces the
    compiled id lookup and worklist on (True) or off (False); None picks them for large maps.
    """
    c = len(claim_ids)
    m = len(relation_ids)
    run_kernels = use_kernels(c + m, kernels)
    keys: list[str] = claim_ids
    if target_relations is not None:
        # Relation ids are looked up only when some relation aims at a relation (an undercut).
        keys = claim_ids + relation_ids
    targets: list[Any] = target_claims
    if target_relations is not None:
        targets = [
            t if t is not None else u for t, u in zip(target_claims, target_relations, strict=True)
        ]
    # The compiled id lookup pays off from tens of thousands of ids (measured: none at 5000).
    lookup = kernels if kernels is not None else c + m >= KERNEL_MIN_ELEMENTS
    target, flat, single = _resolve(keys, targets, premises, table=run_kernels and lookup)
    if single:
        premise_start = np.arange(m + 1, dtype=np.int64)
    else:
        lengths = np.fromiter(map(len, premises), dtype=np.int64, count=m)
        premise_start = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
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
        names=names,
        kernels=run_kernels,
    )


def _resolve(
    keys: list[str], targets: list[Any], premises: list[list[str]], *, table: bool
) -> tuple[IntArray, IntArray, bool]:
    """(target node of each relation, premise claims flattened, whether each relation has
    exactly one premise): ids resolved through the compiled hash table when `table` (and the
    ids allow it), else a dict. Raises _Dangling on an unknown id."""
    resolved = _lookup_joined(keys, targets, premises) if table else None
    if resolved is not None:
        duplicate, target, flat, _, single = resolved
        if duplicate >= 0:
            _raise_duplicate(keys)
        if (len(target) and int(target.min()) < 0) or (len(flat) and int(flat.min()) < 0):
            raise _Dangling
        return target, flat, single
    flat_ids, single = _flat_premises(premises)
    index: dict[str, int] = dict(zip(keys, range(len(keys)), strict=True))
    if len(index) != len(keys):
        _raise_duplicate(keys)
    try:
        target = np.fromiter(map(index.__getitem__, targets), dtype=np.int64, count=len(targets))
        flat = np.fromiter(map(index.__getitem__, flat_ids), dtype=np.int64, count=len(flat_ids))
    except KeyError:
        raise _Dangling from None
    return target, flat, single


def _flat_premises(premises: list[list[str]]) -> tuple[list[str], bool]:
    """Every relation's premise ids in one list, and whether each relation has exactly one."""
    try:
        return [premise for (premise,) in premises], True  # the common case, checked by unpacking
    except ValueError:  # linked premises (or none)
        return list(chain.from_iterable(premises)), False


def _joined(ids: list[Any]) -> NDArray[np.uint8] | None:
    """The ids as one byte buffer, one per line; None when one is not a string or cannot be
    encoded. (An id holding a line break makes more lines than ids: the kernel notices.)"""
    try:
        text = "\n".join(ids)
    except TypeError:  # None among targets (undercuts are resolved by the dict path)
        return None
    try:
        return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    except UnicodeEncodeError:
        return None


def _lookup_joined(
    keys: list[str], targets: list[Any], premises: list[list[str]]
) -> tuple[int, IntArray, IntArray, list[str], bool] | None:
    """(duplicate key position or -1, target positions, premise positions, premise ids, whether
    each relation has exactly one premise), through kernels.id_lookup; None: use the dict.

    Positions are -1 for an unknown id. Python-level dict lookups of millions of ids cost half
    a microsecond each (every lookup touches a random place in a large dict); joining the ids
    into one buffer is one C-level pass, and the compiled hash table looks them up in a tight
    loop.
    """
    from maps.evaluation import kernels

    key_bytes = _joined(keys)
    target_bytes = _joined(targets)
    if key_bytes is None or target_bytes is None:
        return None
    size = 16
    while size < 2 * len(keys):
        size *= 2
    table = np.zeros(4 * size, dtype=np.uint64)
    key_start = np.empty(max(len(keys), 1), dtype=np.int64)
    duplicate, _, keys_whole = kernels.id_lookup(
        table, key_start, key_bytes, key_bytes, len(keys), True
    )
    flat_ids, single = _flat_premises(premises)
    premise_bytes = _joined(flat_ids)
    if premise_bytes is None or not keys_whole:
        return None
    _, target, targets_whole = kernels.id_lookup(
        table, key_start, key_bytes, target_bytes, len(targets), False
    )
    _, flat, premises_whole = kernels.id_lookup(
        table, key_start, key_bytes, premise_bytes, len(flat_ids), False
    )
    if not (premises_whole and targets_whole):
        return None
    return int(duplicate), target, flat, flat_ids, single


def _raise_duplicate(ids: list[str]) -> None:
    seen: set[str] = set()
    for position, element_id in enumerate(ids):
        if element_id in seen:
            raise InvalidInputError(f"id {element_id!r} is used twice", loc=("id", position))
        seen.add(element_id)


def _raise_dangling(content: MapContent) -> None:
    """Raise the error of the first relation that refers to an element the map does not have."""
    claim_ids = {claim.id for claim in content.claims}
    relation_ids = {relation.id for relation in content.relations}
    for j, relation in enumerate(content.relations):
        check_references(
            relation, claim_ids=claim_ids, relation_ids=relation_ids, loc=("relations", j)
        )
    raise InvalidInputError("the map refers to an element that does not exist")


# --- the plain Dung framework (ICCMA) ---------------------------------------------------------

ArgumentKind = str  # "claim" | "relation" | "not" | "unsupported" | "argument"


@dataclass
class DungFramework:
    """Arguments 0..n-1 and attacks between them; `names[k]` = (kind, argmap id) when known."""

    n: int
    attackers: np.ndarray  # attack sources (int64)
    targets: np.ndarray  # attack targets (int64)
    names: dict[int, tuple[ArgumentKind, str]] = field(default_factory=dict)

    @property
    def attacks(self) -> list[tuple[int, int]]:
        return list(zip(self.attackers.tolist(), self.targets.tolist(), strict=True))


def dung_framework(content: MapContent | Framework, *, support: str = "loose") -> DungFramework:
    """The plain Dung framework of a map's attack structure (see the module docstring)."""
    fw = content if isinstance(content, Framework) else build_framework(content)
    c = fw.n_claims
    n = fw.n_nodes
    names: dict[int, tuple[str, str]] = {v: ("claim", fw.claim_ids[v]) for v in range(c)}
    names.update((c + j, ("relation", rid)) for j, rid in enumerate(fw.relation_ids))
    objection = fw.objection.astype(bool)
    relation_nodes = np.arange(c, n, dtype=np.int64)
    sources = [relation_nodes[objection]]
    targets = [fw.target[objection]]
    used = np.unique(fw.premises)
    negation = np.full(c, -1, dtype=np.int64)
    negation[used] = np.arange(n, n + len(used), dtype=np.int64)
    for k, p in enumerate(used.tolist()):
        names[n + k] = ("not", fw.claim_ids[p])
    owner = np.repeat(relation_nodes, np.diff(fw.premise_start))
    sources += [used, negation[fw.premises]]
    targets += [negation[used], owner]
    size = n + len(used)
    if support == "evidential":
        needy = np.flatnonzero(np.frombuffer(fw.accepted, dtype=np.uint8) == 0)
        unsupported = np.full(c, -1, dtype=np.int64)
        unsupported[needy] = np.arange(size, size + len(needy), dtype=np.int64)
        for k, i in enumerate(needy.tolist()):
            names[size + k] = ("unsupported", fw.claim_ids[i])
        size += len(needy)
        supports = ~objection & (fw.target < c)
        aimed = fw.target[supports]
        keep = unsupported[aimed] >= 0
        sources += [unsupported[needy], relation_nodes[supports][keep]]
        targets += [needy, unsupported[aimed][keep]]
    return DungFramework(
        n=size,
        attackers=np.concatenate(sources).astype(np.int64),
        targets=np.concatenate(targets).astype(np.int64),
        names=names,
    )


def to_framework(af: DungFramework) -> Framework:
    """The framework's arguments as claims `a1..aN`, its attacks as objections `att1..attM`."""
    m = len(af.attackers)
    return Framework(
        claim_ids=NumberedIds("a", af.n),
        relation_ids=NumberedIds("att", m),
        objection=b"\x01" * m,
        target=af.targets,
        premise_start=np.arange(m + 1, dtype=np.int64),
        premises=af.attackers,
    )
