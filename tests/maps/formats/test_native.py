"""The native format: lossless round trip, published JSON Schema, limits."""

from __future__ import annotations

import json

import pytest
from format_helpers import same_map

from maps.formats import native
from maps.formats.common import ImportLimits
from maps.samples import load_sample
from models import InvalidInputError, LimitExceededError


def test_sample_round_trip_is_exact() -> None:
    sample = load_sample()
    content, report = native.read(native.write(sample)[0])
    assert content == sample
    same_map(content, sample)
    assert report.not_carried == []
    assert native.write(sample)[1].not_carried == []


def test_json_schema_describes_the_document() -> None:
    schema = native.json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"]["argmap"] == {
        "const": 1,
        "description": "Marks an argmap native document and its format version.",
    }
    assert {"title", "claims", "relations"} <= set(schema["properties"])
    assert "role" not in schema["$defs"]["Claim"]["properties"]
    assert {"Claim", "Relation", "Source"} <= set(schema["$defs"])
    document = native.to_document(load_sample())
    assert set(document) <= set(schema["properties"])
    claim_keys = set(schema["$defs"]["Claim"]["properties"])
    assert all(set(claim) <= claim_keys for claim in document["claims"])
    json.dumps(schema)  # serialisable as is


def test_title_override_and_claim_limit() -> None:
    text = native.dumps(load_sample())
    content, _ = native.read(text, title="Renamed")
    assert content.title == "Renamed"
    with pytest.raises(LimitExceededError):
        native.read(text, limits=ImportLimits(max_claims=3))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"title": "x", "claims": [', "invalid JSON"),
        ('{"title": "x", "claims": ' + "[" * 50_000 + "]" * 50_000 + "}", "levels deep"),
        ("a: &a [1, 2]\nb: [*a, *a, *a]\n", "aliases"),
        ('{"title": "x", "claims": "not a list"}', "list"),
        ('[{"title": "x"}]', "object"),
        (
            '{"title": "x", "claims": [{"id": "a", "text": "a"}], "relations": '
            '[{"id": "r", "kind": "support", "premises": ["nowhere"], "target_claim": "a"}]}',
            "does not exist",
        ),
    ],
)
def test_hostile_native_files(text: str, words: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        native.read(text)
    assert words in str(caught.value)
