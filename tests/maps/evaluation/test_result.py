"""The evaluation result held as plain data: the same JSON and models as fully validated ones."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator

import pytest
from factories import small_maps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maps.evaluation import evaluate
from maps.samples import load_sample
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


def test_an_evaluation_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """No process-wide switch: the garbage collector is neither paused nor run (by the
    evaluation: the server's kernel loader, in a thread of its own, may freeze meanwhile)."""
    calls: list[str] = []
    here = threading.current_thread()

    def note(name: str) -> None:
        if threading.current_thread() is here:
            calls.append(name)

    for name in ("disable", "enable", "collect", "freeze"):
        monkeypatch.setattr(gc, name, lambda *args, _name=name: note(_name))
    evaluate(load_sample(), semantics="preferred", support="evidential")
    assert calls == []


def mutable_parts(data: object) -> Iterator[object]:
    """Every list and dict inside plain data, once each."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)) and id(item) not in seen:
            seen.add(id(item))
            yield item
            stack.extend(item.values() if isinstance(item, dict) else item)
        elif isinstance(item, tuple):
            stack.extend(item)


@pytest.mark.parametrize("semantics", ["grounded", "preferred"])
def test_two_results_share_no_mutable_data(semantics: str) -> None:
    first, second = (evaluate(load_sample(), semantics=semantics) for _ in range(2))
    assert isinstance(first.claims, LazyElements)
    assert isinstance(second.claims, LazyElements)
    assert isinstance(first.relations, LazyElements)
    assert isinstance(second.relations, LazyElements)
    mine = {id(part) for part in mutable_parts([first.claims.data, first.relations.data])}
    theirs = {id(part) for part in mutable_parts([second.claims.data, second.relations.data])}
    assert mine
    assert not mine & theirs
