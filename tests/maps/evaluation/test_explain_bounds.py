"""Defence trees bounded by size as well as depth (issue 10): cut breadth-first, marked."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from typing import Any

import pytest
from factories import make_map, small_content, small_maps, undercut_ladder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from maps.evaluation.defence import MAX_BRANCHES, MAX_NODES
from models import InvalidInputError, MapContent
from models.evaluation import Evaluation

UNBOUNDED = 10**9
MB = 1024 * 1024


def _body(content: MapContent, **options: Any) -> bytes:
    return evaluate(content, **options).json_bytes()


def _whys(body: bytes) -> dict[str, dict[str, Any]]:
    document = json.loads(body)
    elements = {**document["claims"], **document["relations"]}
    return {element_id: element["why"] for element_id, element in elements.items()}


def _breadth_first(forest: list[dict[str, Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(position of the parent in this order, or -1; node), breadth-first."""
    queue = deque((-1, node) for node in forest)
    position = 0
    while queue:
        parent, node = queue.popleft()
        yield parent, node
        queue.extend((position, child) for child in node["children"])
        position += 1


def _shape(forest: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Each node in breadth-first order as (parent position, id, kind, label, reason, text)."""
    return [
        (parent, node["id"], node["kind"], node["label"], node["reason"], node["text"])
        for parent, node in _breadth_first(forest)
    ]


def test_the_ladder_blows_up_with_the_depth_when_unbounded() -> None:
    """The factory's map does trigger the defect: each 3 levels multiply the trees by ~5."""
    sizes = {
        depth: len(
            _body(undercut_ladder(), explanation_depth=depth, explanation_max_nodes=UNBOUNDED)
        )
        for depth in (6, 9, 12)
    }
    assert sizes[9] > 2.5 * sizes[6]
    assert sizes[12] > 2.5 * sizes[9]
    assert sizes[12] > 10 * MB


def test_depth_32_on_the_ladder_stays_small_and_marks_the_cuts() -> None:
    content = undercut_ladder()
    body = _body(content, explanation_depth=32)
    assert len(body) < 5 * MB
    whys = _whys(body)
    cut = [why for why in whys.values() if why["truncated"]]
    assert cut, "the budget must have cut some trees"
    for why in whys.values():
        nodes = [node for _, node in _breadth_first(why["defence"])]
        assert len(nodes) <= MAX_NODES
        if any(node["truncated"] for node in nodes):
            assert why["truncated"]
    top = whys["b0_0"]
    assert top["truncated"]
    assert len(list(_breadth_first(top["defence"]))) == MAX_NODES
    # The cut is breadth-first: the deepest levels shown are the last ones, and marked.
    assert any(
        node["truncated"] and not node["children"] for _, node in _breadth_first(top["defence"])
    )
    Evaluation.model_validate_json(body)  # the JSON matches the response model


@pytest.mark.parametrize("budget", [1, 7, 50, MAX_NODES])
def test_a_cut_tree_is_the_breadth_first_start_of_the_whole_one(budget: int) -> None:
    content = undercut_ladder(layers=6, width=4)
    whole = _whys(_body(content, explanation_depth=12, explanation_max_nodes=UNBOUNDED))
    bounded = _whys(_body(content, explanation_depth=12, explanation_max_nodes=budget))
    assert whole.keys() == bounded.keys()
    for element_id, why in bounded.items():
        full = whole[element_id]
        shape, full_shape = _shape(why["defence"]), _shape(full["defence"])
        assert len(shape) == min(budget, len(full_shape)), element_id
        assert shape == full_shape[: len(shape)], element_id
        if len(full_shape) <= budget:
            assert why == full, element_id  # below the budget: the tree is unchanged
        else:
            assert why["truncated"], element_id
        rest = {key: value for key, value in why.items() if key not in ("defence", "truncated")}
        assert rest == {key: full[key] for key in rest}


def test_a_node_is_marked_truncated_exactly_when_its_children_are_not_all_shown() -> None:
    content = undercut_ladder(layers=5, width=MAX_BRANCHES + 1)  # also more than 5 objections
    whole = _whys(_body(content, explanation_depth=10, explanation_max_nodes=UNBOUNDED))
    bounded = _whys(_body(content, explanation_depth=10, explanation_max_nodes=40))
    for element_id, why in bounded.items():
        full_nodes = [node for _, node in _breadth_first(whole[element_id]["defence"])]
        for position, (_, node) in enumerate(_breadth_first(why["defence"])):
            full = full_nodes[position]
            shown_all = len(node["children"]) == len(full["children"])
            assert node["truncated"] == (full["truncated"] or not shown_all), element_id
    leaf = next(
        node
        for _, node in _breadth_first(whole["b0_0"]["defence"])
        if node["label"] == "in" and node["children"]
    )
    assert len(leaf["children"]) == MAX_BRANCHES
    assert leaf["truncated"]  # six undercuts, five shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_maps(most_claims=6, most_relations=9), st.sampled_from(["loose", "evidential"]))
def test_ordinary_maps_at_the_default_depth_never_reach_the_budget(
    content: MapContent, support: str
) -> None:
    bounded = _body(content, support=support)
    assert bounded == _body(content, support=support, explanation_max_nodes=UNBOUNDED)


def test_the_depth_limit_marks_the_leaf_it_cuts() -> None:
    claims = [f"c{i}" for i in range(8)]
    relations = [(f"r{i}", "objection", [f"c{i + 1}"], f"c{i}") for i in range(7)]
    why = evaluate(make_map(claims, relations), explanation_depth=2).claims["c1"].why
    assert why.truncated
    [objection] = why.defence  # r1, out: its premise c2 is out
    assert not objection.truncated
    [premise] = objection.children
    assert premise.id == "c2"
    assert premise.truncated  # what defeats c2 (r2) is below the depth limit
    assert not premise.children


def test_a_budget_below_one_is_refused_with_a_location() -> None:
    with pytest.raises(InvalidInputError) as error:
        evaluate(small_content(), explanation_max_nodes=0)
    assert error.value.loc == ("explanation_max_nodes",)
