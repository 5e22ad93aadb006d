"""GraphML export: a directed graph yEd, Gephi and networkx read, with kind and role as data."""

from __future__ import annotations

from defusedxml import ElementTree

from maps.formats import graphml
from maps.queries import claim_roles
from maps.samples import load_sample
from models import Claim, MapContent, Relation

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


def parse(text: str):  # type: ignore[no-untyped-def]
    return ElementTree.fromstring(text.encode("utf-8"))


def data_of(element, key_names: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        key_names[d.get("key")]: d.text or ""
        for d in element.findall("g:data", NS)
        if d.get("key") in key_names
    }


def test_sample_as_graphml() -> None:
    sample = load_sample()
    text, report = graphml.dumps(sample)
    root = parse(text)
    keys = {
        k.get("id"): k.get("attr.name") for k in root.findall("g:key", NS) if k.get("attr.name")
    }
    assert {"kind", "role", "text", "element", "tags", "group"} <= set(keys.values())
    graph = root.find("g:graph", NS)
    assert graph is not None
    assert graph.get("edgedefault") == "directed"
    nodes = {n.get("id"): data_of(n, keys) for n in graph.findall("g:node", NS)}
    edges = [
        (e.get("source"), e.get("target"), data_of(e, keys)) for e in graph.findall("g:edge", NS)
    ]
    roles = claim_roles(sample)
    for claim in sample.claims:
        assert nodes[claim.id]["text"] == claim.text
        assert nodes[claim.id]["role"] == roles[claim.id].value
        assert nodes[claim.id]["kind"] == "claim"
    ids = set(nodes)
    assert all(source in ids and target in ids for source, target, _ in edges)
    # One edge per plain relation; a relation node for linked premises and undercut targets.
    relation_nodes = {i for i, d in nodes.items() if d["element"] == "relation"}
    targeted = {r.target_relation for r in sample.relations if r.target_relation}
    complex_ids = {
        r.id
        for r in sample.relations
        if len(r.premises) > 1 or r.target_relation or r.id in targeted
    }
    assert relation_nodes == complex_ids
    kinds = {d["kind"] for _, _, d in edges}
    assert kinds <= {"support", "objection", "premise"}
    assert {(i.what, i.element) for i in report.not_carried} == {
        ("sources", c.id) for c in sample.claims if c.sources
    } | {("author", c.id) for c in sample.claims if c.author} | {
        ("data", c.id) for c in sample.claims if c.data
    } | {("weight", c.id) for c in sample.claims if c.weight is not None} | {
        ("accepted", c.id) for c in sample.claims if c.accepted
    } | {("author", r.id) for r in sample.relations if r.author}


def test_markup_in_text_is_escaped() -> None:
    content = MapContent(
        title="x",
        claims=[
            Claim(id="a", text='<node id="evil"/> & "quotes" ]]>'),
            Claim(id="b", text="b"),
        ],
        relations=[Relation(id="r", kind="objection", premises=["b"], target_claim="a")],
    )
    text, _ = graphml.dumps(content)
    root = parse(text)
    graph = root.find("g:graph", NS)
    assert graph is not None
    assert len(graph.findall("g:node", NS)) == 2
    assert '<node id="evil"/> & "quotes" ]]>' in [
        d.text for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data")
    ]
