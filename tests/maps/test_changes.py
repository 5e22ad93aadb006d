"""The word diff of a text edit and the changes of a revision (maps/changes.py)."""

from __future__ import annotations

import itertools

from factories import small_content
from hypothesis import given
from hypothesis import strategies as st

from maps import edit
from maps.changes import revision_changes, word_diff
from models import ClaimUpdate

words = st.lists(st.sampled_from(["cars", "air", "clean", "the", " ", "  ", "\n"]), max_size=12)


@given(words, words)
def test_the_pieces_join_to_the_old_and_the_new_text(old: list[str], new: list[str]) -> None:
    before, after = " ".join(old), " ".join(new)
    pieces = word_diff(before, after)
    assert "".join(p.text for p in pieces if p.op != "added") == before
    assert "".join(p.text for p in pieces if p.op != "removed") == after
    assert all(a.op != b.op for a, b in itertools.pairwise(pieces))


def test_an_added_phrase_is_one_piece() -> None:
    pieces = [(p.op, p.text) for p in word_diff("Cars pollute", "Cars pollute the air")]
    assert pieces == [("same", "Cars pollute"), ("added", " the air")]


def test_a_revision_lists_added_removed_and_changed_elements() -> None:
    from datetime import UTC, datetime

    before = small_content()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    after = edit.update_claim(before, "s", ClaimUpdate(text="Cleaner support"), now=now).content
    after = edit.delete_claim(after, "b", cascade=True).content
    changes = revision_changes(before, after, number=2)
    assert [c.id for c in changes.claims.removed] == ["b"]
    assert [r.id for r in changes.relations.removed] == ["r3"]
    (changed,) = changes.claims.changed
    assert changed.id == "s"
    assert set(changed.fields) == {"text"}
    assert [(p.op, p.text) for p in changed.fields["text"].words or []] == [
        ("removed", "Support"),
        ("added", "Cleaner support"),
    ]
    first = revision_changes(None, before, number=1)
    assert len(first.claims.added) == 4
    assert first.map["title"].after == "Small map"


def test_a_change_of_the_rule_of_decision_is_said_in_words() -> None:
    from maps.changes import summary
    from models import DecisionRule

    before = small_content()
    after = before.model_copy(update={"rule": DecisionRule(semantics="preferred")})
    changes = revision_changes(before, after, number=2)
    assert set(changes.map) == {"rule"}
    assert changes.map["rule"].after["semantics"] == "preferred"
    assert summary(changes, before, after, "") == (
        "changed the rule of decision to preferred semantics, loose support, the preponderance "
        "standard, DF-QuAD strength"
    )
