"""DOT export goes through maps.diagram.dot and reports what a diagram leaves out."""

from __future__ import annotations

from maps.formats import registry
from maps.samples import load_sample


def test_dot_export_of_the_sample() -> None:
    sample = load_sample()
    data, found, report = registry.export_map(sample, "dot")
    text = data.decode("utf-8")
    assert text.lstrip().startswith("digraph")
    assert found.content_type.startswith("text/vnd.graphviz")
    for claim in sample.claims:
        assert f"claim-{claim.id}" in text
    assert {(i.what, i.element) for i in report.not_carried} == {
        ("sources", c.id) for c in sample.claims if c.sources
    }
