"""The attack structure of a map: numbering, and the errors a broken map gives."""

from __future__ import annotations

import pytest
from factories import make_map

from maps.evaluation.framework import build_framework
from maps.validation import not_in_map
from models import InvalidInputError, MapContent


def test_claims_then_relations_are_numbered_in_map_order() -> None:
    fw = build_framework(
        make_map(
            ["t", "o", "r"], [("r1", "objection", ["o"], "t"), ("u", "objection", ["r"], "r1")]
        )
    )
    assert [fw.node_id(v) for v in range(fw.n_nodes)] == ["t", "o", "r", "r1", "u"]
    assert fw.target.tolist() == [0, 3]
    assert fw.premises.tolist() == [1, 2]


def broken(premises: list[str], target: dict[str, str]) -> MapContent:
    return MapContent.model_validate(
        {
            "title": "broken",
            "claims": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
            "relations": [
                {"id": "r1", "kind": "objection", "premises": ["a"], "target_claim": "b"},
                {"id": "r2", "kind": "objection", "premises": premises, **target},
            ],
        }
    )


@pytest.mark.parametrize("kernels", [False, True])
@pytest.mark.parametrize(
    ("content", "kind", "missing", "loc"),
    [
        (broken(["a", "x"], {"target_claim": "b"}), "claim", "x", ("premises", 1)),
        (broken(["r1"], {"target_claim": "b"}), "claim", "r1", ("premises", 0)),
        (broken(["a"], {"target_claim": "x"}), "claim", "x", ("target_claim",)),
        (broken(["a"], {"target_relation": "x"}), "relation", "x", ("target_relation",)),
        (broken(["a"], {"target_relation": "b"}), "relation", "b", ("target_relation",)),
    ],
)
def test_a_reference_to_nothing_gives_the_validation_error(
    content: MapContent, kind: str, missing: str, loc: tuple[str | int, ...], kernels: bool
) -> None:
    expected = not_in_map(kind, missing, loc=("relations", 1, *loc))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError) as error:
        build_framework(content, kernels=kernels)
    assert error.value.message == expected.message
    assert error.value.loc == expected.loc
