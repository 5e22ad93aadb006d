"""Properties of the three-way merge of edits based on one older version (maps/merge.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from factories import small_content
from hypothesis import given
from hypothesis import strategies as st

from maps import edit
from maps.merge import EditConflict, merge_claim, merge_fields, merge_map
from models import ClaimUpdate, MapContent, MapUpdate

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LATER = datetime(2026, 1, 2, tzinfo=UTC)

# Few values per field, so two patches often set one field, to the same or to other values.
claim_patches = st.fixed_dictionaries(
    {},
    optional={
        "text": st.sampled_from(["Support", "Cleaner air", "Less noise", None]),
        "note": st.sampled_from([None, "a note", "another note"]),
        "tags": st.sampled_from([None, [], ["air"], ["air", "noise"]]),
        "accepted": st.sampled_from([True, False, None]),
        "weight": st.sampled_from([None, 0.25, 0.75]),
    },
).map(ClaimUpdate.model_validate)


def _changed(patch: ClaimUpdate, base: MapContent) -> dict[str, Any]:
    """The fields a patch changes from base, as JSON."""
    claim = next(c for c in base.claims if c.id == "s")
    changes = edit.claim_changes(patch)
    was = claim.model_dump(mode="json", include=set(changes))
    now = claim.model_copy(update=changes).model_dump(mode="json", include=set(changes))
    return {name: value for name, value in now.items() if value != was[name]}


def _then_merged(first: ClaimUpdate, second: ClaimUpdate, base: MapContent) -> MapContent:
    current = edit.update_claim(base, "s", first, now=NOW).content
    merged = merge_claim(second, claim_id="s", base=base, current=current)
    return edit.update_claim(current, "s", merged, now=LATER).content


def _claims(content: MapContent) -> list[dict[str, Any]]:
    return [c.model_dump(exclude={"updated_at"}) for c in content.claims]


@given(claim_patches, claim_patches)
def test_patches_that_do_not_clash_merge_alike_in_either_order(
    a: ClaimUpdate, b: ClaimUpdate
) -> None:
    base = small_content()
    mine, theirs = _changed(a, base), _changed(b, base)
    clash = {name for name in mine.keys() & theirs.keys() if mine[name] != theirs[name]}
    if clash:
        with pytest.raises(EditConflict):
            _then_merged(a, b, base)
        return
    assert _claims(_then_merged(a, b, base)) == _claims(_then_merged(b, a, base))


@given(claim_patches, claim_patches)
def test_a_clash_names_every_clashing_field_with_both_values(
    theirs: ClaimUpdate, yours: ClaimUpdate
) -> None:
    base = small_content()
    changed_by_them, changed_by_me = _changed(theirs, base), _changed(yours, base)
    clash = {
        name
        for name in changed_by_them.keys() & changed_by_me.keys()
        if changed_by_them[name] != changed_by_me[name]
    }
    if not clash:
        _then_merged(theirs, yours, base)
        return
    with pytest.raises(EditConflict) as refused:
        _then_merged(theirs, yours, base)
    conflicts = refused.value.conflicts
    assert set(conflicts) == clash
    was = next(c for c in base.claims if c.id == "s").model_dump(mode="json")
    for name, conflict in conflicts.items():
        assert conflict.base == was[name]
        assert conflict.theirs == changed_by_them[name]
        assert conflict.yours == changed_by_me[name]
        assert conflict.theirs != conflict.yours


values = st.sampled_from([None, 0, 1, "a", "b"])
records = st.dictionaries(st.sampled_from("xyz"), values)


@given(records, records, records)
def test_merge_fields_keeps_only_my_changes_and_clashes(
    base: dict[str, Any], theirs: dict[str, Any], yours: dict[str, Any]
) -> None:
    merge = merge_fields(base=base, theirs=theirs, yours=yours)
    assert merge.changes.keys() | merge.conflicts.keys() <= yours.keys()
    assert not merge.changes.keys() & merge.conflicts.keys()
    for name, value in merge.changes.items():
        assert value != base.get(name)
        assert theirs.get(name) == base.get(name)
    for name, conflict in merge.conflicts.items():
        assert (conflict.base, conflict.theirs, conflict.yours) == (
            base.get(name),
            theirs.get(name),
            yours[name],
        )
        assert len({repr(conflict.base), repr(conflict.theirs), repr(conflict.yours)}) == 3


def test_a_claim_deleted_since_is_a_conflict() -> None:
    base = small_content()
    current = edit.delete_claim(base, "b", cascade=True).content
    with pytest.raises(EditConflict, match="deleted"):
        merge_claim(ClaimUpdate(text="x"), claim_id="b", base=base, current=current)


def test_map_title_and_description_merge() -> None:
    base = small_content("Old")
    current = edit.update_map(base, MapUpdate(description="theirs")).content
    merged = merge_map(MapUpdate(title="New"), base=base, current=current)
    assert edit.update_map(current, merged).content.model_dump(
        include={"title", "description"}
    ) == {"title": "New", "description": "theirs"}
