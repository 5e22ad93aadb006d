"""The evaluation result held as plain data: the same JSON and models as fully validated ones."""

from __future__ import annotations

import gc
import json

from factories import small_maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from models import MapContent
from models.evaluation import ClaimEvaluation, Evaluation, LazyElements


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    small_maps(most_claims=5, most_relations=7),
    st.sampled_from(["grounded", "preferred", "stable"]),
    st.sampled_from(["loose", "evidential"]),
)
def test_plain_data_serialises_like_validated_models(
    content: MapContent, semantics: str, support: str
) -> None:
    result = evaluate(content, semantics=semantics, support=support)
    assert isinstance(result.claims, LazyElements)
    text = result.model_dump_json()
    validated = Evaluation.model_validate_json(text)  # every element a real model
    assert json.loads(validated.model_dump_json()) == json.loads(text)
    assert json.loads(result.json_bytes()) == json.loads(text)
    assert json.loads(validated.json_bytes()) == json.loads(text)
    assert result.model_dump() == validated.model_dump()
    for claim_id, claim in result.claims.items():
        assert isinstance(claim, ClaimEvaluation)
        assert claim == validated.claims[claim_id]
    assert dict(result.relations) == validated.relations


def test_the_collector_is_restored_after_an_evaluation() -> None:
    content = MapContent.model_validate(
        {"title": "t", "claims": [{"id": "a", "text": "A."}], "relations": []}
    )
    assert gc.isenabled()
    evaluate(content)
    assert gc.isenabled()
    gc.disable()
    try:
        evaluate(content)
        assert not gc.isenabled()
    finally:
        gc.enable()
