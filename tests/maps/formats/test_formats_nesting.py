"""One nesting limit: claim data up to `DATA_MAX_DEPTH` levels survives every export and import;
deeper data, in the model or in a file, is refused with a location, never a crash."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from maps.formats import native, registry
from maps.formats.common import MAX_DEPTH_DEFAULT, load_yaml
from models import Claim, InvalidInputError, MapContent
from models.map import DATA_MAX_DEPTH, DATA_WRAPPER_LEVELS, nesting_depth

ROUND_TRIP_FORMATS = ["native", "argdown", "aif"]


def nested(levels: int, *, inner: str = "object") -> Any:
    """Objects (or arrays) nesting exactly `levels` deep, a scalar at the bottom."""
    value: Any = 1
    for _ in range(levels):
        value = {"inner": value} if inner == "object" else [value]
    return value


def nested_text(levels: int) -> str:
    """The JSON text of `nested(levels)`, written without recursing."""
    return '{"inner": ' * levels + "1" + "}" * levels


def a_map(data: dict[str, Any]) -> MapContent:
    return MapContent(title="Deep", claims=[Claim(id="c1", text="Deep data", data=data)])


def test_the_limits_leave_room_for_the_levels_a_map_wraps_around_data() -> None:
    document = native.to_document(a_map(nested(1)))
    assert nesting_depth(document, stop_after=10) == DATA_WRAPPER_LEVELS + 1
    assert DATA_MAX_DEPTH + DATA_WRAPPER_LEVELS == MAX_DEPTH_DEFAULT


@pytest.mark.parametrize(
    ("value", "depth"),
    [
        (1, 0),
        ({}, 1),
        ([], 1),
        ({"a": 1}, 1),
        ({"a": [1, {"b": 2}]}, 3),
        (nested(50), 50),
        ([nested(3), nested(7, inner="array")], 8),
    ],
)
def test_nesting_depth_counts_objects_and_arrays(value: Any, depth: int) -> None:
    assert nesting_depth(value, stop_after=100) == depth


def test_nesting_depth_stops_counting_past_the_limit() -> None:
    assert nesting_depth(nested(100_000), stop_after=10) == 11


@pytest.mark.parametrize("inner", ["object", "array"])
def test_a_claim_holds_data_at_the_limit(inner: str) -> None:
    data = {"deep": nested(DATA_MAX_DEPTH - 1, inner=inner)}
    assert Claim(id="c1", text="x", data=data).data == data


@pytest.mark.parametrize("levels", [DATA_MAX_DEPTH + 1, 300, 100_000])
def test_a_claim_refuses_deeper_data_naming_data(levels: int) -> None:
    with pytest.raises(ValidationError) as caught:
        Claim(id="c1", text="x", data={"deep": nested(levels - 1)})
    first = caught.value.errors()[0]
    assert first["loc"] == ("data",)
    assert f"more than {DATA_MAX_DEPTH} levels deep" in first["msg"]


@pytest.mark.parametrize("export_format", ROUND_TRIP_FORMATS)
def test_every_export_of_data_at_the_limit_imports_again(export_format: str) -> None:
    content = a_map(nested(DATA_MAX_DEPTH))
    data, _found, _report = registry.export_map(content, export_format)
    again, _report = registry.import_map(data, format=export_format)
    assert [claim.text for claim in again.claims] == ["Deep data"]
    if export_format != "aif":  # AIF has no place for claim data (its report says so)
        assert again.claims[0].data == content.claims[0].data


def test_the_native_yaml_export_of_data_at_the_limit_imports_again() -> None:
    content = a_map(nested(DATA_MAX_DEPTH))
    again, _report = registry.import_map(native.dumps_yaml(content).encode(), filename="map.yaml")
    assert again.claims[0].data == content.claims[0].data


def native_json(levels: int) -> str:
    document = json.dumps(native.to_document(a_map({"leaf": 1})), indent=1)
    return document.replace('{\n    "leaf": 1\n   }', nested_text(levels))


@pytest.mark.parametrize("levels", [DATA_MAX_DEPTH + 1, 300, 100_000])
def test_a_native_json_file_with_too_deep_data_is_refused_at_its_line(levels: int) -> None:
    text = native_json(levels)
    data_line = next(n for n, line in enumerate(text.splitlines(), 1) if '"data"' in line)
    with pytest.raises(InvalidInputError, match="nested more than") as caught:
        registry.import_map(text.encode())
    assert caught.value.loc == ("line", data_line)


@pytest.mark.parametrize("levels", [DATA_MAX_DEPTH + 1, 300])
def test_a_native_yaml_file_with_too_deep_data_is_refused_at_its_line(levels: int) -> None:
    text = native.dumps_yaml(a_map({"leaf": 1})).replace("leaf: 1", nested_text(levels))
    data_line = next(n for n, line in enumerate(text.splitlines(), 1) if "data:" in line)
    with pytest.raises(InvalidInputError, match="nested more than") as caught:
        registry.import_map(text.encode(), filename="map.yaml")
    assert caught.value.loc[0] == "line"
    assert int(caught.value.loc[1]) >= data_line


def test_yaml_deeper_than_the_limit_is_refused_before_it_is_composed() -> None:
    text = "[" * 10_000 + "]" * 10_000
    with pytest.raises(
        InvalidInputError, match=f"nested more than {MAX_DEPTH_DEFAULT} levels"
    ) as caught:
        load_yaml(text, line_offset=4)
    assert caught.value.loc == ("line", 5)


def test_yaml_at_the_limit_loads() -> None:
    assert load_yaml(nested_text(MAX_DEPTH_DEFAULT - 1)) == nested(MAX_DEPTH_DEFAULT - 1)


@pytest.mark.parametrize("levels", [DATA_MAX_DEPTH + 1, MAX_DEPTH_DEFAULT, 300])
def test_argdown_data_deeper_than_the_limit_is_refused_at_its_line(levels: int) -> None:
    text = "[c1]: A claim\n\n[c2]: Deep data " + nested_text(levels) + "\n"
    with pytest.raises(InvalidInputError) as caught:
        registry.import_map(text.encode(), format="argdown")
    assert caught.value.loc[:2] == ("line", 3)
    assert "levels deep" in str(caught.value)
