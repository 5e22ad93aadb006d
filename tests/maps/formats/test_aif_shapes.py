"""The shape of an AIF document, checked by declaration: each error names its place and says what."""

from __future__ import annotations

import pytest

from maps.formats import aif
from models import InvalidInputError

NODE = {"nodeID": "1", "text": "a", "type": "I"}


@pytest.mark.parametrize(
    ("document", "loc", "message"),
    [
        ("nodes", (), "an AIF document is an object with 'nodes' and 'edges'"),
        ({"edges": []}, ("nodes",), "must be a list of nodes"),
        ({"nodes": [], "edges": {}}, ("edges",), "must be a list of edges"),
        ({"AIF": 3}, ("AIF",), "must be an object with 'nodes' and 'edges'"),
        ({"nodes": [7]}, ("nodes", 0), "must be an object with nodeID, text and type"),
        ({"nodes": [{"type": 5}]}, ("nodes", 0), "has no nodeID"),
        (
            {"nodes": [{**NODE, "nodeID": True}]},
            ("nodes", 0, "nodeID"),
            "must be a string or a number",
        ),
        (
            {"nodes": [{**NODE, "nodeID": 1.5}]},
            ("nodes", 0, "nodeID"),
            "must be a string or a number",
        ),
        ({"nodes": [{**NODE, "nodeID": " "}]}, ("nodes", 0, "nodeID"), "must not be empty"),
        (
            {"nodes": [{**NODE, "nodeID": "x" * 201}]},
            ("nodes", 0, "nodeID"),
            "is longer than 200 characters",
        ),
        ({"nodes": [{"nodeID": "1", "text": "a"}]}, ("nodes", 0, "type"), "type must be one of"),
        ({"nodes": [{**NODE, "text": None}]}, ("nodes", 0, "text"), "text must be a string"),
        ({"nodes": [NODE], "edges": [[]]}, ("edges", 0), "must be an object with fromID and toID"),
        # Both ends are looked for before either is read.
        ({"nodes": [NODE], "edges": [{"fromID": None}]}, ("edges", 0), "has no toID"),
        (
            {"nodes": [NODE], "edges": [{"fromID": [], "toID": "1"}]},
            ("edges", 0, "fromID"),
            "must be a string or a number",
        ),
    ],
)
def test_a_wrong_shape_names_its_place(
    document: object, loc: tuple[object, ...], message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        aif.from_document(document)
    assert caught.value.loc == loc
    assert message in str(caught.value)


def test_numeric_node_ids_are_read_as_text() -> None:
    nodes = [
        {"nodeID": 1, "text": "a", "type": "I"},
        {"nodeID": 2, "text": "b", "type": "I"},
        {"nodeID": 3, "text": "", "type": "RA"},
    ]
    edges = [{"fromID": 2, "toID": 3}, {"fromID": "3", "toID": 1}]
    content, _ = aif.from_document({"nodes": nodes, "edges": edges})
    assert [(r.premises, r.target_claim) for r in content.relations] == [(["2"], "1")]
