"""The layout of a whole-map overview, chosen from the map's shape before Graphviz runs.

Argument maps are shallow and wide: a few theses, many direct reasons, most of them leaves.
Drawn top-down, the sample (65 claims, 27 on one rank) is a strip of 9 : 1. Two levers of
Graphviz fix that, and `choose_layout` picks among them by estimating each candidate's size:

- direction: `LR` stacks a wide rank vertically (boxes are wider than tall, so a rank of boxes
  is shorter stacked than side by side) with a small `nodesep`; `TB` suits deep, narrow maps;
- staggering, as Graphviz's `unflatten -l`: leaves (claims nothing supports or objects to) are
  spread over `stagger` ranks by giving the edge to each a `minlen` of 1, 2, ..., in turn.

The estimate (box sizes from line lengths, ranks by breadth-first depth from the theses) is
rough, but only the comparison between candidates matters; one Graphviz run stays one run.
Maps of `LARGE_MAP_CLAIMS` or more keep the top-down layout they always had: no screen shows
them whole, and staggering adds virtual nodes to a layout that must stay under seconds.

In those, a claim that is a premise of several relations is ranked by one of them only
(`loose_premises`): the one aiming at its shallowest target. Ranked by all of them, Graphviz puts
it below its deepest target, its subtree follows, and the edges to its other targets span several
ranks. On the 5000-claim DAG of bench/render.py that made 9000 virtual nodes and 535,000
crossings, and crossing minimisation took two thirds of `dot`'s time (6-10 s of CPU). Ranked by
the shallowest target, each claim sits one rank below it, as its depth from the theses; an edge
to another target is drawn level or upward (a tenth of the edges there), the initial order has
47,000 crossings and mincross takes 0.3 s.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from models import Claim, MapContent, Relation
from models.diagram import Direction

# Points of a line of 11 pt Helvetica per character, and a box's margins (0.14 in, 0.07 in).
CHAR_WIDTH = 6.1
LINE_HEIGHT = 13.2
BOX_MARGIN = (20.0, 10.0)
RANKSEP = 0.45 * 72
HEADING = (700.0, 70.0)
SCREEN = (1920.0, 1080.0)
STAGGERS = (1, 2, 3)


@dataclass(frozen=True)
class Layout:
    """A resolved layout: a direction (never `auto`), leaf staggering and the node spacing."""

    direction: Direction
    stagger: int = 1
    nodesep: float = 0.3


DEFAULT_LAYOUT = Layout(Direction.TB)


def claim_depths(content: MapContent) -> dict[str, int]:
    """Relations between each claim and the nearest thesis above it (breadth first)."""
    premises = premises_of(content)
    is_premise = {p for relation in content.relations for p in relation.premises}
    depth = {claim.id: 0 for claim in content.claims if claim.id not in is_premise}
    queue = deque(depth)
    while queue:
        target = queue.popleft()
        for premise in premises[target]:
            if premise not in depth:
                depth[premise] = depth[target] + 1
                queue.append(premise)
    for claim in content.claims:  # on a cycle with no thesis above it
        depth.setdefault(claim.id, 0)
    return depth


def leaves(content: MapContent) -> set[str]:
    """Claims that no relation has as its target (nothing supports or objects to them)."""
    targets = {r.target_claim for r in content.relations if r.target_claim is not None}
    return {claim.id for claim in content.claims if claim.id not in targets}


def premises_of(content: MapContent) -> Mapping[str, list[str]]:
    """Each claim's premises, an undercut's counted at the claim its target relation aims at."""
    by_id = {relation.id: relation for relation in content.relations}
    premises: defaultdict[str, list[str]] = defaultdict(list)
    for relation in content.relations:
        aimed = _aimed_claim(relation, by_id)
        if aimed is not None:
            premises[aimed].extend(relation.premises)
    return premises


def _aimed_claim(relation: Relation, by_id: Mapping[str, Relation]) -> str | None:
    """The claim a relation aims at, through the relations an undercut targets (None on a
    circle of undercuts)."""
    aimed, seen = relation, set()
    while aimed.target_claim is None and aimed.id not in seen:
        seen.add(aimed.id)
        aimed = by_id[str(aimed.target_relation)]
    return aimed.target_claim


def loose_premises(content: MapContent) -> frozenset[tuple[str, int]]:
    """The premise edges (relation id, premise position) that should not rank their premise:
    all but one per premise claim, the one kept being of the relation aiming at the shallowest
    claim (by `claim_depths`), the first such in the map's order."""
    depth = claim_depths(content)
    by_id = {relation.id: relation for relation in content.relations}
    ranking: dict[str, tuple[tuple[int, int], tuple[str, int]]] = {}
    for index, relation in enumerate(content.relations):
        aimed = _aimed_claim(relation, by_id)
        key = (depth[aimed] if aimed is not None else len(depth), index)
        for position, premise in enumerate(relation.premises):
            if premise not in ranking or key < ranking[premise][0]:
                ranking[premise] = (key, (relation.id, position))
    kept = {edge for _, edge in ranking.values()}
    return frozenset(
        (relation.id, position)
        for relation in content.relations
        for position in range(len(relation.premises))
        if (relation.id, position) not in kept
    )


def staggered_depths(
    content: MapContent, depth: Mapping[str, int], stagger: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Depths after staggering, and the `minlen` of the edge to each staggered leaf."""
    moved = dict(depth)
    minlen: dict[str, int] = {}
    turn = 0
    movable = leaves(content) & _single_premises(content)
    # In the map's order within a depth: a set's order changes with each process's hash seed.
    for claim_id in sorted(
        (claim.id for claim in content.claims if claim.id in movable), key=depth.__getitem__
    ):
        if depth[claim_id] == 0 or stagger == 1:
            continue
        minlen[claim_id] = 1 + turn % stagger
        moved[claim_id] = depth[claim_id] + minlen[claim_id] - 1
        turn += 1
    return moved, minlen


def _single_premises(content: MapContent) -> set[str]:
    """Claims that are the one premise of exactly one relation: the ones an edge's `minlen`
    can move on their own."""
    count: defaultdict[str, int] = defaultdict(int)
    for relation in content.relations:
        for premise in relation.premises:
            count[premise] += 1 if len(relation.premises) == 1 else 2
    return {claim_id for claim_id, n in count.items() if n == 1}


def estimate(
    claims: Sequence[Claim],
    depth: Mapping[str, int],
    box: Callable[[Claim], tuple[float, float]],
    layout: Layout,
) -> tuple[float, float]:
    """Rough width and height in points of the drawing with `layout`."""
    along: defaultdict[int, float] = defaultdict(float)  # a rank's length
    across: defaultdict[int, float] = defaultdict(float)  # a rank's thickness
    gap = layout.nodesep * 72
    for claim in claims:
        width, height = box(claim)
        if layout.direction in (Direction.LR, Direction.RL):
            width, height = height, width
        along[depth[claim.id]] += width + gap
        across[depth[claim.id]] = max(across[depth[claim.id]], height)
    length = max(along.values(), default=0.0)
    thickness = sum(across.values()) + RANKSEP * max(0, len(across) - 1)
    if layout.direction in (Direction.LR, Direction.RL):
        return max(thickness, HEADING[0]), length + HEADING[1]
    return max(length, HEADING[0]), thickness + HEADING[1]


def fitted_scale(size: tuple[float, float], screen: tuple[float, float] = SCREEN) -> float:
    """The scale at which a drawing of `size` points fits the screen."""
    return min(screen[0] / max(size[0], 1.0), screen[1] / max(size[1], 1.0))


def choose_layout(
    content: MapContent,
    box: Callable[[Claim], tuple[float, float]],
    *,
    large: bool,
) -> tuple[Layout, Mapping[str, int]]:
    """The candidate layout that shows the map largest on a screen, and the `minlen` of the
    edges to staggered leaves (by premise claim id)."""
    if large or not content.claims:
        return DEFAULT_LAYOUT, {}
    depth = claim_depths(content)
    sizes = {claim.id: box(claim) for claim in content.claims}
    best: tuple[float, Layout, Mapping[str, int]] | None = None
    for direction, nodesep in ((Direction.TB, 0.3), (Direction.LR, 0.12)):
        for stagger in STAGGERS:
            layout = Layout(direction, stagger, nodesep)
            moved, minlen = staggered_depths(content, depth, stagger)
            scale = fitted_scale(estimate(content.claims, moved, lambda c: sizes[c.id], layout))
            # A further rank of staggering must pay for its longer edges: 10% larger at least.
            if best is None or scale > best[0] * 1.1:
                best = (scale, layout, minlen)
    assert best is not None
    return best[1], best[2]
