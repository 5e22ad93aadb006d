"""Claim titles and relation tags in every format: carried where the format has a place for
them (native, Argdown, GraphML, the Markdown handout), reported where it has none."""

from __future__ import annotations

import pytest

from maps.formats import registry
from models import Claim, MapContent, Relation


def titled_map() -> MapContent:
    return MapContent(
        title="Museums",
        claims=[
            Claim(id="c1", text="Museums should be free to enter.", title="Free museums"),
            Claim(id="c2", text="More people from poorer areas visit."),
            Claim(id="c3", text="Fees pay for conservation.", title="Fees pay"),
        ],
        relations=[
            Relation(id="r1", kind="support", premises=["c2"], target_claim="c1", tags=["access"]),
            Relation(id="r2", kind="objection", premises=["c3"], target_claim="c1"),
        ],
    )


@pytest.mark.parametrize("name", ["native", "argdown"])
def test_titles_and_relation_tags_round_trip(name: str) -> None:
    content = titled_map()
    data, _found, report = registry.export_map(content, name)
    again, _ = registry.import_map(data, format=name)
    assert {c.id: c.title for c in again.claims} == {
        "c1": "Free museums",
        "c2": None,
        "c3": "Fees pay",
    }
    assert {r.kind.value: r.tags for r in again.relations} == {
        "support": ["access"],
        "objection": [],
    }
    assert not [i for i in report.not_carried if i.what in ("title", "tags")]


@pytest.mark.parametrize("name", ["aif", "kialo"])
def test_titles_and_relation_tags_are_reported_where_the_format_has_no_place(name: str) -> None:
    _data, _found, report = registry.export_map(titled_map(), name)
    reported = {(i.what, i.element) for i in report.not_carried}
    assert {("title", "c1"), ("title", "c3"), ("tags", "r1")} <= reported
    assert ("title", "c2") not in reported


def test_graphml_and_markdown_show_titles() -> None:
    graphml, _found, report = registry.export_map(titled_map(), "graphml")
    assert b'<data key="title">Free museums</data>' in graphml
    assert b'<data key="label">Free museums</data>' in graphml
    assert ("tags", "r1") in {(i.what, i.element) for i in report.not_carried}
    markdown, _found, report = registry.export_map(titled_map(), "markdown")
    assert "**Free museums:** Museums should be free to enter." in markdown.decode()
    assert ("tags", "r1") in {(i.what, i.element) for i in report.not_carried}
