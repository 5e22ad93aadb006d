"""The compiled fast paths of the evaluation (numba), at most one per algorithm.

Each does what a plain reference in its own module does, and the tests hold the two to the same
result (to the last bit). Each is kept because it runs at least 1.5 times as fast as its
reference on maps the product serves (bench/evaluation.py):

- `framework_counts`: objections and supports aimed at each node and the relations resting on
  each claim, in two passes (framework.py, np.bincount and numpy's stable argsort);
- `group_rows`: CSR rows by key, a counting sort, for the relations aimed at each node
  (framework.py `group`, numpy's stable argsort);
- `id_lookup`: ids to node numbers through an open-addressing hash table over the ids joined in
  one buffer (framework.py, a dict), for maps of `KERNEL_MIN_ELEMENTS` elements and more;
- `grounded_worklist`: the grounded worklist (grounded.py `_worklist`), over 64-bit or (when
  they fit, 1.4x to 1.5x faster at a million claims) 32-bit node numbers and counts;
- `gradual_layout` and `gradual_iterations`: the Jacobi iteration of gradual strength
  (gradual.py `_numpy_strength`).

This module imports nothing of argmap's: kernels take and return numpy arrays and numbers.
Importing it loads numba (0.4 s), so the modules that call a kernel import this one on first use.
A kernel compiles on its first call in a fresh install (a second or two) and is cached on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, cast

import numba
import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
LabelArray = NDArray[np.uint8]
NodeArray = NDArray[Any]  # int64, or int32 where node numbers and counts fit
FloatArray = NDArray[np.float64]

Function = TypeVar("Function", bound=Callable[..., Any])


def _compiled(function: Function, *, inline: Literal["never", "always"] = "never") -> Function:
    """`function` compiled by numba, cached on disk when its cache directory is writable."""
    try:
        jitted: Any = numba.njit(cache=True, nogil=True, inline=inline)(function)
    except RuntimeError:  # no writable cache directory: compile in memory, once per process
        jitted = numba.njit(nogil=True, inline=inline)(function)
    return cast(Function, jitted)


def _part(function: Function) -> Function:
    """A piece of a kernel, compiled into the kernel that calls it (numba's IR inlining): a
    call per element of a hot loop would cost more than the work it does."""
    return _compiled(function, inline="always")


@_compiled
def group_rows(keys: IntArray, values: IntArray, size: int) -> tuple[IntArray, IntArray]:
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


@_compiled
def framework_counts(
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


_PRIME = np.uint64(1099511628211)
_BLOCK = 64  # ids hashed, then their slots loaded, then probed, a block at a time


@_compiled
def id_lookup(
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
    mask = np.uint64(len(table) // 4 - 1)
    positions = np.full(0 if insert else count_all, -1, dtype=np.int64)
    duplicate = -1
    # Per id of a block: hash, first 8 bytes, next 8 bytes, start, length.
    hs = np.empty(_BLOCK, dtype=np.uint64)
    w0s = np.empty(_BLOCK, dtype=np.uint64)
    w1s = np.empty(_BLOCK, dtype=np.uint64)
    starts = np.empty(_BLOCK, dtype=np.int64)
    lengths = np.empty(_BLOCK, dtype=np.int64)
    touched = np.uint64(0)
    too_long = False
    x = 0
    for first in range(0, count_all, _BLOCK):
        count = min(_BLOCK, count_all - first)
        x, long_id = _hash_block(buffer, x, count, hs, w0s, w1s, starts, lengths)
        too_long |= long_id
        for q in range(count):  # independent loads, overlapped
            touched ^= table[4 * (hs[q] & mask) + np.uint64(3)]
        repeated = _probe_block(
            table,
            key_start,
            keys,
            buffer,
            first,
            count,
            hs,
            w0s,
            w1s,
            starts,
            lengths,
            positions,
            insert,
        )
        if duplicate < 0:
            duplicate = repeated
    # Bit 63 of a meta word is never set, so this never holds; it keeps the touching loads.
    if touched >> np.uint64(63):
        duplicate = -2
    end = len(buffer)
    whole = (x == end + 1 or (count_all == 0 and end == 0)) and not too_long
    return duplicate, positions, whole


@_part
def _hash_block(
    buffer: NDArray[np.uint8],
    x: int,
    count: int,
    hs: NDArray[np.uint64],
    w0s: NDArray[np.uint64],
    w1s: NDArray[np.uint64],
    starts: IntArray,
    lengths: IntArray,
) -> tuple[int, bool]:
    """Hash the next `count` lines of `buffer` from byte `x`: (where the next line starts,
    whether one was too long for the meta word)."""
    end = len(buffer)
    too_long = False
    for q in range(count):
        a = x
        h = np.uint64(14695981039346656037)
        w0 = np.uint64(0)
        w1 = np.uint64(0)
        while x < end and buffer[x] != 10:
            b = np.uint64(buffer[x])
            h = (h ^ b) * _PRIME
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
    return x, too_long


@_part
def _probe_block(
    table: NDArray[np.uint64],
    key_start: IntArray,
    keys: NDArray[np.uint8],
    buffer: NDArray[np.uint8],
    first: int,
    count: int,
    hs: NDArray[np.uint64],
    w0s: NDArray[np.uint64],
    w1s: NDArray[np.uint64],
    starts: IntArray,
    lengths: IntArray,
    positions: IntArray,
    insert: bool,
) -> int:
    """Look up (or insert) the `count` hashed ids of a block, ids `first` on; the first of them
    already in the table when inserting, else -1.

    Probes run here rather than in a function per id: numba counts a reference to each array
    handed to a function, per call.
    """
    mask = np.uint64(len(table) // 4 - 1)
    position_bits = np.uint64(0xFFFFFFFFFF)  # meta word: position + 1, the length from bit 40
    duplicate = -1
    for q in range(count):
        h, length, a = hs[q], lengths[q], starts[q]
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
            key_start[first + q] = a
            table[k] = h
            table[k + 1] = w0s[q]
            table[k + 2] = w1s[q]
            table[k + 3] = np.uint64(first + q + 1) | (np.uint64(length) << np.uint64(40))
    return duplicate


@_compiled
def grounded_worklist(
    c: int,
    target: NodeArray,
    objection: NDArray[np.uint8],
    uses_start: NodeArray,
    uses: NodeArray,
    label: LabelArray,
    neg: NodeArray,
    pos: NodeArray,
    alive: NodeArray,
    evidential: bool,
    frontier: IntArray,
    generation: IntArray,
    step: int,
) -> int:
    """The grounded worklist (maps/evaluation/grounded.py) as one compiled loop over a FIFO queue.

    Nodes are processed level by level, so `generation` (when not empty) gets the same steps
    as the frontier-by-frontier loop. Returns the next step number.

    One loop on purpose: numba counts a reference to every array handed to a function, so
    helpers called per node (one per kind of node) made it twice as slow (measured at 200,000
    claims).
    """
    n = len(label)
    queue = np.empty(n + len(frontier), dtype=target.dtype)
    tail = len(frontier)
    queue[:tail] = frontier
    head = 0
    level_end = tail
    record = len(generation) > 0
    if tail == 0:
        return step
    while head < tail:
        if head == level_end:
            step += 1
            level_end = tail
        v = queue[head]
        head += 1
        if record:
            generation[v] = step
        if v < c:  # a claim: the relations resting on it
            for k in range(uses_start[v], uses_start[v + 1]):
                r = uses[k]
                if label[v] == 1:
                    pos[r] -= 1
                    settle = 1 if pos[r] == 0 and neg[r] == 0 else 0
                else:
                    settle = 2
                if settle and label[r] == 0:
                    label[r] = settle
                    queue[tail] = r
                    tail += 1
            continue
        j = v - c
        t = target[j]
        settle = 0
        if objection[j]:
            if label[v] == 1:
                settle = 2
            else:
                neg[t] -= 1
                settle = 1 if neg[t] == 0 and pos[t] == 0 else 0
        elif evidential and t < c and pos[t] != 0:
            if label[v] == 1:
                pos[t] = 0
                settle = 1 if neg[t] == 0 else 0
            else:
                alive[t] -= 1
                settle = 2 if alive[t] == 0 else 0
        if settle and label[t] == 0:
            label[t] = settle
            queue[tail] = t
            tail += 1
    return step + 1


@_compiled
def gradual_layout(
    c: int,
    simple: bool,
    attack_start: IntArray,
    attackers: IntArray,
    support_start: IntArray,
    supporters: IntArray,
    premise_start: IntArray,
    premises: IntArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, NDArray[np.uint8]]:
    """The edge lists and premise lists `gradual_iterations` iterates over, from `Framework.incoming`.

    Returns (targets, sources, order, owner, premises, first). Edge `k` is objection `k` of the
    incoming lists, then (from `len(attackers)` on) the supports, in the same order: by target,
    and by relation within a target. It carries the strength of node `sources[k]` to node
    `targets[k]`.

    In the simple case the nodes are the claims: a source is the relation's one premise, and
    the other arrays are empty. Otherwise the kernel numbers relation nodes in edge order:
    internal node `c + k` is the relation of edge `k` (map relation `order[k]`), so each
    iteration reads the relations' strengths in one sweep instead of at random places; targets
    are renumbered to match. Premise `i` of that numbering is claim `premises[i]` of internal
    relation node `owner[i]`; `first[i]` is 1 on the first premise of each relation.
    """
    size = c if simple else len(attack_start) - 1
    targets = _edge_targets(size, attack_start, attackers, support_start, supporters)
    a = len(attackers)
    e = len(targets)
    order = np.empty(e, dtype=np.int64)  # the map relation of each edge
    for k in range(a):
        order[k] = attackers[k] - c
    for k in range(a, e):
        order[k] = supporters[k - a] - c
    sources = np.empty(e, dtype=np.int64)
    if simple:
        for k in range(e):
            sources[k] = premises[order[k]]
        empty = np.empty(0, dtype=np.int64)
        return targets, sources, empty, empty, empty, np.empty(0, dtype=np.uint8)
    internal = np.empty(e, dtype=np.int64)
    for k in range(e):
        sources[k] = c + k
        internal[order[k]] = c + k
    for k in range(e):
        v = targets[k]
        if v >= c:  # an undercut (rare): a relation aimed at a relation
            targets[k] = internal[v - c]
    owner, listed, first = _premise_lists(c, order, premise_start, premises)
    return targets, sources, order, owner, listed, first


@_part
def _edge_targets(
    size: int,
    attack_start: IntArray,
    attackers: IntArray,
    support_start: IntArray,
    supporters: IntArray,
) -> IntArray:
    """The target node of each edge (objections, then supports) of the first `size` nodes.

    Row starts counted and summed up: loops free of unpredictable branches.
    """
    a = len(attackers)
    e = a + len(supporters)
    targets = np.zeros(e, dtype=np.int64)
    for v in range(1, size):
        row = attack_start[v]
        if row < a:
            targets[row] += 1
        row = a + support_start[v]
        if row < e:
            targets[row] += 1
    row = 0
    for k in range(a):
        row += targets[k]
        targets[k] = row
    row = 0
    for k in range(a, e):
        row += targets[k]
        targets[k] = row
    return targets


@_part
def _premise_lists(
    c: int, order: IntArray, premise_start: IntArray, premises: IntArray
) -> tuple[IntArray, IntArray, NDArray[np.uint8]]:
    """(owner, premises, first) of `gradual_layout`: the premises of the relations in edge
    order, each with its internal relation node, and 1 on the first of each relation."""
    e = len(order)
    count = 0
    for k in range(e):
        j = order[k]
        count += premise_start[j + 1] - premise_start[j]
    owner = np.empty(count, dtype=np.int64)
    listed = np.empty(count, dtype=np.int64)
    first = np.zeros(count, dtype=np.uint8)
    i = 0
    for k in range(e):
        j = order[k]
        start = premise_start[j]
        end = premise_start[j + 1]
        if start < end:
            first[i] = 1
        for p in range(start, end):
            owner[i] = c + k
            listed[i] = premises[p]
            i += 1
    return owner, listed, first


@_compiled
def gradual_iterations(
    dfquad: bool,
    attack_target: IntArray,
    attack_source: IntArray,
    support_target: IntArray,
    support_source: IntArray,
    owner: IntArray,
    premises: IntArray,
    first: NDArray[np.uint8],
    base: FloatArray,
    current: FloatArray,
    following: FloatArray,
    attack: FloatArray,
    support: FloatArray,
    tolerance: float,
    steps: int,
) -> tuple[int, float, bool]:
    """Up to `steps` Jacobi iterations of the strengths of nodes `0 .. len(current) - 1`, compiled.

    `current` holds the strengths going in; each iteration writes the next ones into
    `following` and swaps the two, so after an odd number of iterations the result is in
    `following`. Objection `k` carries the strength of node `attack_source[k]` to node
    `attack_target[k]`, likewise the supports; within a target they come in relation order, the
    order in which numpy's ufunc.at and bincount take them (see `gradual_layout`).
    `base` holds the claims' weights, and the kernel sets the base of relation node `owner[i]`
    to the weakest strength of its premises (`premises[i]`, the first where `first[i]`); a
    relation without premises keeps the base it has (1). `attack` and `support` are scratch
    space. Returns (iterations run, the last iteration's largest change, whether that was within
    the tolerance): it stops at the first that was.

    The relations are walked as flat lists (one multiply, add or minimum per entry, into the
    target's slot) rather than per target: a loop per target mispredicts its exit on most
    targets, and that costs more than the memory traffic on large maps. For the same reason the
    loops hold no branch on the data: the choices below compile to selects.
    """
    done = 0
    delta = 0.0
    converged = False
    while done < steps:
        done += 1
        _relation_bases(owner, premises, first, base, current)
        if dfquad:
            attack[:] = 1.0
            support[:] = 1.0
            _products(attack_target, attack_source, current, attack)
            _products(support_target, support_source, current, support)
            delta = _dfquad_update(base, current, following, attack, support)
        else:
            attack[:] = 0.0
            support[:] = 0.0
            _sums(attack_target, attack_source, current, attack)
            _sums(support_target, support_source, current, support)
            delta = _energy_update(base, current, following, attack, support)
        current, following = following, current
        converged = delta <= tolerance
        if converged:
            break
    return done, delta, converged


@_part
def _relation_bases(
    owner: IntArray,
    premises: IntArray,
    first: NDArray[np.uint8],
    base: FloatArray,
    current: FloatArray,
) -> None:
    """The base of each relation node: the weakest current strength of its premises."""
    for i in range(len(premises)):
        o = owner[i]
        strength = current[premises[i]]
        weakest = base[o]
        # As np.minimum.reduceat: a later premise replaces the minimum only when smaller.
        base[o] = strength if (first[i] != 0) | (strength < weakest) else weakest


@_part
def _products(target: IntArray, source: IntArray, current: FloatArray, into: FloatArray) -> None:
    """`into[v]` *= 1 - s over the edges into `v` (DF-QuAD: the attack `va` is 1 - into[v])."""
    for k in range(len(source)):
        into[target[k]] *= 1.0 - current[source[k]]


@_part
def _sums(target: IntArray, source: IntArray, current: FloatArray, into: FloatArray) -> None:
    """`into[v]` += s over the edges into `v` (quadratic energy)."""
    for k in range(len(source)):
        into[target[k]] += current[source[k]]


@_part
def _dfquad_update(
    base: FloatArray,
    current: FloatArray,
    following: FloatArray,
    attack: FloatArray,
    support: FloatArray,
) -> float:
    """The next DF-QuAD strengths into `following`; the largest change."""
    delta = 0.0
    for v in range(len(current)):
        b = base[v]
        diff = (1.0 - support[v]) - (1.0 - attack[v])
        # b + b * diff or b + (1 - b) * diff: a select on the factor, not a branch on the
        # (unpredictable) sign.
        strength = b + (b if diff <= 0 else 1.0 - b) * diff
        if strength < 0.0:  # as np.maximum and np.minimum do, to the last bit
            strength = 0.0
        if strength > 1.0:
            strength = 1.0
        following[v] = strength
        change = abs(strength - current[v])
        if change > delta:
            delta = change
    return delta


@_part
def _energy_update(
    base: FloatArray,
    current: FloatArray,
    following: FloatArray,
    attack: FloatArray,
    support: FloatArray,
) -> float:
    """The next quadratic-energy strengths into `following`; the largest change."""
    delta = 0.0
    for v in range(len(current)):
        b = base[v]
        energy = support[v] - attack[v]
        sq = energy * energy
        h = sq / (1.0 + sq)
        # b + (1 - b) h or b - b h (the same bits as b + (-b) h), as a select.
        strength = b + (1.0 - b if energy >= 0 else -b) * h
        if strength < 0.0:
            strength = 0.0
        if strength > 1.0:
            strength = 1.0
        following[v] = strength
        change = abs(strength - current[v])
        if change > delta:
            delta = change
    return delta
