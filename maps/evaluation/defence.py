"""The defence trees of an evaluation: why an `in` element stands, objection by objection.

A node's children are what decided its label: for an `in` node the objections against it (at
most MAX_BRANCHES), for an `out` node the defeater that settled it first in the worklist, so a
tree never goes round in a circle.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from maps.evaluation.graph import LABEL_LIST, Graph
from maps.evaluation.grounded import IN, OUT

MAX_BRANCHES = 5  # defeaters / attackers listed per tree node
MAX_NODES = 100  # nodes in one element's defence trees (a default-depth tree has at most 60)

_NO_NODES: tuple[int, ...] = ()


class DefenceTrees:
    """The defence trees of one evaluation, bounded by depth and by size.

    Each subtree is built once per (node, depth) and shared between the trees that contain it,
    so memory stays small; but the JSON writes each tree out in full, and on chains of undercuts
    that cross-link, trees grow exponentially with the depth. So an element's defence holds at
    most `max_nodes` nodes: a larger one is cut breadth-first, as its first `max_nodes` nodes in
    breadth-first order. Below the budget a tree is exactly as deep as the depth allows.

    Every node has `truncated`: its children are not all shown (depth, branches or budget).
    Trees are shared within one result: treat them as read-only.
    """

    def __init__(self, g: Graph, *, depth: int, max_nodes: int) -> None:
        self.depth = depth
        self.max_nodes = max_nodes
        self._g = g
        self._c = g.fw.n_claims
        self._texts = g.fw.texts
        self._empty: list[Any] = []
        self._stride = depth + 1
        # v * stride + depth -> (node, truncated anywhere in it, nodes in it)
        self._memo: dict[int, tuple[dict[str, Any], bool, int]] = {}

    def defence(self, v: int) -> tuple[list[dict[str, Any]], bool]:
        """The trees below element `v` (its objections and what defeats each), and whether
        anything was cut."""
        below, more = self._below(v)
        steps = [self._step(w, self.depth - 1) for w in below]
        if sum(size for _, _, size in steps) <= self.max_nodes:
            return [node for node, _, _ in steps], more or any(cut for _, cut, _ in steps)
        return self._cut(below, self.depth - 1), True

    def _below(self, v: int) -> tuple[Sequence[int], bool]:
        """The children of `v` in a tree, and whether it has more than these."""
        g = self._g
        label = g.label[v]
        if label == IN:
            first, last = g.attack_start[v], g.attack_start[v + 1]
            shown = g.attackers[first : min(last, first + MAX_BRANCHES)]
            return shown, last - first > MAX_BRANCHES
        if label == OUT:
            defeaters = g.defeaters(v)
            return defeaters[:1], False
        return _NO_NODES, False

    def _node(self, v: int) -> dict[str, Any]:
        """A tree node of `v` without children."""
        g = self._g
        return {
            "id": g.ids[v],
            "kind": "claim" if v < self._c else "relation",
            "label": LABEL_LIST[g.label[v]],
            "reason": g.reasons[v],
            "text": self._texts[v] if v < self._c else None,
            "children": self._empty,  # a leaf, unless replaced
            "truncated": False,
        }

    def _step(self, v: int, depth: int) -> tuple[dict[str, Any], bool, int]:
        """The shared tree of `v` down to `depth` more levels (memoised)."""
        key = v * self._stride + depth
        memo = self._memo.get(key)
        if memo is None:
            memo = self._memo[key] = self._build(v, depth)
        return memo

    def _build(self, v: int, depth: int) -> tuple[dict[str, Any], bool, int]:
        node = self._node(v)
        below, more = self._below(v)
        if not below:
            return node, False, 1
        if depth <= 0:
            node["truncated"] = True
            return node, True, 1
        steps = [self._step(w, depth - 1) for w in below]
        node["children"] = [child for child, _, _ in steps]
        node["truncated"] = more
        cut = more or any(cut for _, cut, _ in steps)
        return node, cut, 1 + sum(size for _, _, size in steps)

    def _cut(self, roots: Sequence[int], depth: int) -> list[dict[str, Any]]:
        """The first `max_nodes` nodes of the trees of `roots`, breadth-first (new nodes)."""
        budget = self.max_nodes
        forest = [self._node(w) for w in roots[:budget]]
        queue = deque(zip(forest, roots, repeat(depth), strict=False))
        count = len(forest)
        while queue:
            node, v, left = queue.popleft()
            below, more = self._below(v)
            if not below:
                continue
            shown = below[: budget - count] if left > 0 else _NO_NODES
            node["truncated"] = more or len(shown) < len(below)
            if shown:
                node["children"] = children = [self._node(w) for w in shown]
                queue.extend(zip(children, shown, repeat(left - 1), strict=False))
                count += len(shown)
        return forest
