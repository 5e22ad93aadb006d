"""Property tests: any sequence of edits keeps a map valid, refused edits change nothing, and
every revision restores to exactly what it was."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from api.settings import Settings
from api.store import open_store
from maps import edit
from maps.validation import validate_content
from models import (
    ArgmapError,
    ClaimCreate,
    ClaimRelationSpec,
    MapContent,
    RelationCreate,
    RelationKind,
    RelationUpdate,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LIMITS = edit.Limits(max_claims=30, max_relations=60)

# An operation picks its ids by index into the map's current claims/relations (or a ghost id).
index = st.integers(min_value=0, max_value=12)
kind = st.sampled_from(list(RelationKind))
operation = st.one_of(
    st.tuples(st.just("claim"), st.text(min_size=0, max_size=8)),
    st.tuples(st.just("claim_with"), kind, index, st.booleans()),
    st.tuples(st.just("co_premise"), index),
    st.tuples(
        st.just("relation"), kind, st.lists(index, min_size=1, max_size=3), index, st.booleans()
    ),
    st.tuples(st.just("delete_claim"), index, st.booleans()),
    st.tuples(st.just("delete_relation"), index, st.booleans()),
    st.tuples(st.just("retarget"), index, index, st.booleans()),
)


def _pick(items: list[Any], position: int) -> str:
    return items[position].id if position < len(items) else "ghost"


def apply(content: MapContent, op: tuple[Any, ...]) -> edit.Edit:
    claims, relations = content.claims, content.relations
    name = op[0]
    if name == "claim":
        return edit.add_claim(content, ClaimCreate(text=op[1] or "x"), now=NOW, limits=LIMITS)
    if name == "claim_with":
        target = _pick(claims, op[2]) if op[3] else None
        spec = ClaimRelationSpec(
            kind=op[1],
            target_claim=target,
            target_relation=None if op[3] else _pick(relations, op[2]),
        )
        return edit.add_claim(content, ClaimCreate(text="c", relation=spec), now=NOW, limits=LIMITS)
    if name == "co_premise":
        body = ClaimCreate(text="p", premise_of=_pick(relations, op[1]))
        return edit.add_claim(content, body, now=NOW, limits=LIMITS)
    if name == "relation":
        premises = list(dict.fromkeys(_pick(claims, i) for i in op[2]))
        body = RelationCreate(
            kind=op[1],
            premises=premises,
            target_claim=_pick(claims, op[3]) if op[4] else None,
            target_relation=None if op[4] else _pick(relations, op[3]),
        )
        return edit.add_relation(content, body, now=NOW, limits=LIMITS)
    if name == "delete_claim":
        return edit.delete_claim(content, _pick(claims, op[1]), cascade=op[2])
    if name == "delete_relation":
        return edit.delete_relation(content, _pick(relations, op[1]), cascade=op[2])
    body_update = (
        RelationUpdate(target_claim=_pick(claims, op[2]))
        if op[3]
        else RelationUpdate(target_relation=_pick(relations, op[2]))
    )
    return edit.update_relation(content, _pick(relations, op[1]), body_update, now=NOW)


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=40))
def test_edits_keep_the_map_valid(operations: list[tuple[Any, ...]]) -> None:
    content = MapContent(title="Property")
    for op in operations:
        before = content.model_copy(deep=True)
        try:
            result = apply(content, op)
        except (ArgmapError, ValidationError):  # a 4xx in the API
            assert content == before  # a refused edit changes nothing
            continue
        ids = {e.id for e in [*before.claims, *before.relations]}
        content = result.content
        validate_content(content, max_claims=LIMITS.max_claims)
        assert result.description
        # Descriptions speak of claims by their words, never by id.
        ids |= {e.id for e in [*content.claims, *content.relations]}
        assert not [i for i in ids if i in result.description], result.description


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(operation, min_size=1, max_size=15), st.data())
def test_every_revision_restores_exactly(
    operations: list[tuple[Any, ...]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Settings(data_dir=Path(folder), load_sample=False))
        try:
            created = store.create_map(MapContent(title="Restore me"))
            history = {1: created.content()}
            for op in operations:
                try:
                    change = store.change(created.id, lambda c, _now, op=op: apply(c, op))
                except (ArgmapError, ValidationError):
                    continue
                history[change.map.version] = change.map.content()
            for number, content in history.items():
                assert store.get_revision(created.id, number).content() == content
            number = data.draw(st.sampled_from(sorted(history)))
            restored = store.restore_revision(created.id, number)
            assert store.get_map(created.id).content() == history[number]
            latest = max(history)
            if history[number] == history[latest]:  # nothing to change: no empty revision
                assert restored.map.version == latest
            else:
                assert restored.map.version == latest + 1
        finally:
            store.engine.dispose()
