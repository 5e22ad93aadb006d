"""Inputs the API fuzzing turned up, pinned as format-level tests."""

from __future__ import annotations

import pytest

from maps.formats import argdown, kialo
from models import InvalidInputError


def test_json_read_as_argdown_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="looks like JSON"):
        argdown.loads('{"argmap": 1, "title": "t", "claims": [], "relations": []}')


def test_kialo_claim_before_its_parent_is_refused() -> None:
    text = "Discussion Title: T\n\n1. Thesis\n1.5.7. Pro: orphan\n"
    with pytest.raises(InvalidInputError, match=r"before its parent 1\.5") as caught:
        kialo.loads(text)
    assert caught.value.loc == ("line", 4)


def test_kialo_wrapped_line_that_starts_with_a_number_stays_text() -> None:
    content, _ = kialo.loads("Discussion Title: T\n\n1. Thesis in\n2.5. million words\n")
    assert [c.text for c in content.claims] == ["Thesis in\n2.5. million words"]
