"""The attack structure of a map: claims and relations as numbered arguments over integer arrays.

Node numbers: claim `i` of the map is node `i`; relation `j` is node `n_claims + j`. Every array
below is indexed by those numbers, so the semantics run over contiguous numpy arrays, vectorised
where a step touches many nodes and through memoryviews where a worklist walks one node at a time,
without touching a pydantic object.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
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

# Maps with at least this many elements go through compiled kernels (numba, when installed):
# below it the plain paths take a millisecond or two, and loading compiled code (0.4 s) would
# cost a one-off command more than it saves. A long-running process loads them up front
# (maps.evaluation.prepare_kernels) and from then on every map uses them.
KERNEL_MIN_ELEMENTS = 50_000
NARROW_LIMIT = 2**31 - 1  # node numbers and counts below this fit in 32 bits


@functools.cache
def compiled(function: Callable[..., Any]) -> Callable[..., Any] | None:
    """`function` compiled by numba (cached on disk when a cache directory is writable), or None.

    numba is imported on first use only (it takes 0.4 s), so small maps, the CLI and the API
    never load it unless a large map arrives. The first call of a kernel in a fresh install
    compiles it (a second or two); later processes load it from numba's cache.
    """
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is optional
        return None
    try:
        jitted: Callable[..., Any] = numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # no writable cache directory: compile in memory, once per process
        jitted = numba.njit(nogil=True)(function)
    return jitted


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
    return kernels and compiled(group_kernel) is not None


def group_kernel(keys: IntArray, values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """CSR rows by key (a stable counting sort): `values[k]` grouped under `keys[k]`."""
    start = np.zeros(size + 1, dtype=np.int64)
    for k in keys:
        start[k + 1] += 1
    for i in range(size):
        start[i + 1] += start[i]
    fill = start[:-1].copy()
    grouped = np.empty(len(keys), dtype=np.int64)
    for i in range(len(keys)):
        k = keys[i]
        grouped[fill[k]] = values[i]
        fill[k] += 1
    return start, grouped


def counts_kernel(
    c: int,
    n: int,
    target: IntArray,
    objection: NDArray[np.uint8],
    premise_start: IntArray,
    premises: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """(attacker_count, support_count, uses_start, uses) of `Framework`, in two passes.

    `uses` lists, for each claim, the relation nodes it is a premise of in relation order (the
    same as `group(premises, owner, c)`).
    """
    attacker_count = np.zeros(n, dtype=np.int64)
    support_count = np.zeros(c, dtype=np.int64)
    uses_start = np.zeros(c + 1, dtype=np.int64)
    for j in range(len(target)):
        t = target[j]
        if objection[j]:
            attacker_count[t] += 1
        elif t < c:
            support_count[t] += 1
    for k in range(len(premises)):
        uses_start[premises[k] + 1] += 1
    for i in range(c):
        uses_start[i + 1] += uses_start[i]
    fill = uses_start[:-1].copy()
    uses = np.empty(len(premises), dtype=np.int64)
    for j in range(len(target)):
        for k in range(premise_start[j], premise_start[j + 1]):
            p = premises[k]
            uses[fill[p]] = c + j
            fill[p] += 1
    return attacker_count, support_count, uses_start, uses


def group(
    keys: IntArray, values: IntArray, size: int, *, kernels: bool
) -> tuple[IntArray, IntArray]:
    """(start, grouped): `grouped[start[k]:start[k + 1]]` are the values whose key is `k`."""
    if kernels:
        kernel = compiled(group_kernel)
        if kernel is not None:
            start, grouped = kernel(keys, values, size)
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
        self._incoming: tuple[IntArray, IntArray, IntArray, IntArray] | None = None
        self._narrow: tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]] | None = None
        self.target: IntArray = np.asarray(target, dtype=np.int64).reshape(-1)
        self.premise_start: IntArray = np.asarray(premise_start, dtype=np.int64).reshape(-1)
        self.premises: IntArray = np.asarray(premises, dtype=np.int64).reshape(-1)
        self.kernels = use_kernels(n, kernels)
        counted = compiled(counts_kernel) if self.kernels else None
        if counted is not None:  # one pass each, no temporaries (large maps)
            self.attacker_count, self.support_count, self.uses_start, self.uses = counted(
                c, n, self.target, self.objection, self.premise_start, self.premises
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

    def narrow(self) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32]]:
        """`target`, `uses_start` and `uses` as 32-bit arrays (for maps of fewer than
        `NARROW_LIMIT` nodes), made on first use."""
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
    # The compiled id lookup pays off from tens of thousands of ids (it starts a thread).
    lookup = kernels if kernels is not None else c + m >= KERNEL_MIN_ELEMENTS
    resolved = _lookup_joined(keys, targets, premises) if run_kernels and lookup else None
    if resolved is not None:
        duplicate, target, flat, flat_ids, single = resolved
        if duplicate >= 0:
            _raise_duplicate(keys)
        if (len(target) and int(target.min()) < 0) or (len(flat) and int(flat.min()) < 0):
            raise _Dangling
    else:
        flat_ids, single = _flat_premises(premises)
        index: dict[str, int] = dict(zip(keys, range(len(keys)), strict=True))
        if len(index) != len(keys):
            _raise_duplicate(keys)
        try:
            target = np.fromiter(
                map(index.__getitem__, targets), dtype=np.int64, count=len(targets)
            )
            flat = np.fromiter(
                map(index.__getitem__, flat_ids), dtype=np.int64, count=len(flat_ids)
            )
        except KeyError:
            raise _Dangling from None
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
        kernels=run_kernels,
    )


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
    each relation has exactly one premise).

    Positions are -1 for an unknown id. Python-level dict lookups of millions of ids cost half
    a microsecond each (every lookup touches a random place in a large dict); joining the ids
    into one buffer is one C-level pass, and the compiled hash table looks them up in a tight
    loop that does not hold the GIL: a second thread fills the table and looks the targets up
    while this one gathers and joins the premises. None: fall back to dicts.
    """
    kernel = compiled(lookup_kernel)
    key_bytes = _joined(keys)
    target_bytes = _joined(targets)
    if kernel is None or key_bytes is None or target_bytes is None:
        return None
    size = 16
    while size < 2 * len(keys):
        size *= 2
    table = np.zeros(4 * size, dtype=np.uint64)
    key_start = np.empty(max(len(keys), 1), dtype=np.int64)
    with ThreadPoolExecutor(max_workers=1) as worker:  # runs the two in order
        filled = worker.submit(kernel, table, key_start, key_bytes, key_bytes, len(keys), True)
        on_targets = worker.submit(
            kernel, table, key_start, key_bytes, target_bytes, len(targets), False
        )
        flat_ids, single = _flat_premises(premises)
        premise_bytes = _joined(flat_ids)
        duplicate, _, keys_whole = filled.result()
        flat, premises_whole = None, False
        if premise_bytes is not None and keys_whole:
            _, flat, premises_whole = kernel(
                table, key_start, key_bytes, premise_bytes, len(flat_ids), False
            )
        _, target, targets_whole = on_targets.result()
    if flat is None or not (premises_whole and targets_whole):
        return None
    return int(duplicate), target, flat, flat_ids, single


def lookup_kernel(
    table: NDArray[np.uint64],
    key_start: IntArray,
    keys: NDArray[np.uint8],
    buffer: NDArray[np.uint8],
    count_all: int,
    insert: bool,
) -> tuple[int, IntArray, bool]:
    """Insert the ids of `buffer` (lines) into `table`, or look them up there.

    `table` (zeros, 4 words a slot, a power of two slots, at least twice the keys) is an
    open-addressing hash table over the lines of `keys`; `key_start` receives where each key
    starts. Inserting (`buffer` is `keys`) returns (first repeated key or -1, nothing, whole);
    looking up returns (-1, the position of each line among the keys or -1, whole). `whole` is
    false when the buffer does not hold exactly `count_all` lines (an id held a line break) or
    an id is 16 MiB or longer (the meta word keeps 24 bits of length).

    A slot holds an id's 64-bit hash, its first 16 bytes, its length and its position, so a
    probe reads one cache line, and ids of up to 16 bytes (argmap's own ids have 9) are
    confirmed without reading the key buffer; longer ones compare their remaining bytes. Ids are
    hashed a block at a time and the block's slots read before they are probed, so the
    processor overlaps the cache misses of a whole block instead of waiting for each in turn.
    FNV-1a hashes with a final mix, linear probing.
    """
    prime = np.uint64(1099511628211)
    mask = np.uint64(len(table) // 4 - 1)
    position_bits = np.uint64(0xFFFFFFFFFF)  # meta word: position + 1, the length from bit 40
    positions = np.full(0 if insert else count_all, -1, dtype=np.int64)
    duplicate = -1
    block = 64
    hs = np.empty(block, dtype=np.uint64)
    w0s = np.empty(block, dtype=np.uint64)
    w1s = np.empty(block, dtype=np.uint64)
    starts = np.empty(block, dtype=np.int64)
    lengths = np.empty(block, dtype=np.int64)
    touched = np.uint64(0)
    too_long = False
    x = 0
    end = len(buffer)
    for first in range(0, count_all, block):
        count = min(block, count_all - first)
        for q in range(count):
            a = x
            h = np.uint64(14695981039346656037)
            w0 = np.uint64(0)
            w1 = np.uint64(0)
            while x < end and buffer[x] != 10:
                b = np.uint64(buffer[x])
                h = (h ^ b) * prime
                d = x - a
                if d < 8:
                    w0 |= b << np.uint64(8 * d)
                elif d < 16:
                    w1 |= b << np.uint64(8 * (d - 8))
                x += 1
            lengths[q] = x - a
            if x - a >= 1 << 24:  # longer than the meta word holds: let the dicts do it
                too_long = True
            starts[q] = a
            x += 1
            # FNV-1a alone leaves the low bits of similar ids (c1, c2, ...) clustered.
            h ^= h >> np.uint64(33)
            h *= np.uint64(0xFF51AFD7ED558CCD)
            h ^= h >> np.uint64(33)
            hs[q] = h
            w0s[q] = w0
            w1s[q] = w1
        for q in range(count):  # independent loads, overlapped
            touched ^= table[4 * (hs[q] & mask) + np.uint64(3)]
        for q in range(count):
            h = hs[q]
            length = lengths[q]
            a = starts[q]
            s = h & mask
            found = -1
            while True:
                k = 4 * s
                other = table[k + 3]
                if other == 0:
                    break
                if (
                    table[k] == h
                    and table[k + 1] == w0s[q]
                    and table[k + 2] == w1s[q]
                    and (other >> np.uint64(40)) == np.uint64(length)
                ):
                    found = int(other & position_bits) - 1
                    if length > 16:  # the first 16 bytes matched; compare the rest
                        b0 = key_start[found]
                        for y in range(16, length):
                            if buffer[a + y] != keys[b0 + y]:
                                found = -1
                                break
                    if found >= 0:
                        break
                s = (s + np.uint64(1)) & mask
            if not insert:
                positions[first + q] = found
            elif found >= 0:
                if duplicate < 0:
                    duplicate = first + q
            else:
                i = first + q
                key_start[i] = a
                k = 4 * s
                table[k] = h
                table[k + 1] = w0s[q]
                table[k + 2] = w1s[q]
                table[k + 3] = np.uint64(i + 1) | (np.uint64(length) << np.uint64(40))
    # Bit 63 of a meta word is never set, so this never holds; it keeps the touching loads.
    if touched >> np.uint64(63):
        duplicate = -2
    whole = (x == end + 1 or (count_all == 0 and end == 0)) and not too_long
    return duplicate, positions, whole


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
