"""A map as GraphML for yEd, Gephi and networkx (export only).

Claims are nodes. A relation with one premise, aimed at a claim and not undercut, is one edge
from premise to target. Any other relation (linked premises, aimed at a relation, or undercut)
is a small relation node: each premise has an edge into it, and an edge leads from it to its
target. Data keys: `element` (claim | relation), `kind` (claim, support, objection; on edges:
support, objection or premise), `role` (thesis, support, objection, rebuttal), `title`, `text`,
`label` (the title where there is one, else the text cut short), `tags` (of claims and of
relation nodes), `group`, `note`, `relation` (on edges, the relation id). yEd also gets a shape
with the label, so the file reads in yEd without a mapping step.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from maps.formats.common import count_content, drop_fields, drop_rule, drop_timestamps
from maps.queries import claim_roles
from models import Claim, MapContent, Relation, RelationKind
from models.report import ConversionReport

FORMAT = "graphml"
NS = "http://graphml.graphdrawing.org/xmlns"
Y = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = (
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
)
KEYS = (
    ("element", "node", "string"),
    ("kind", "node", "string"),
    ("role", "node", "string"),
    ("title", "node", "string"),
    ("text", "node", "string"),
    ("label", "node", "string"),
    ("tags", "node", "string"),
    ("group", "node", "string"),
    ("note", "node", "string"),
    ("edge_kind", "edge", "string"),
    ("relation", "edge", "string"),
)
COLOURS = {
    "thesis": "#FFFFFF",
    "support": "#CCEBE0",
    "objection": "#F6D5C2",
    "rebuttal": "#CCE3F0",
}


def _simple(relation: Relation, targeted: set[str]) -> bool:
    return (
        len(relation.premises) == 1
        and relation.target_claim is not None
        and relation.id not in targeted
    )


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """Write the map as a GraphML document."""
    report = ConversionReport(format=FORMAT, direction="export")
    ET.register_namespace("", NS)
    ET.register_namespace("y", Y)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}graphml", {f"{{{XSI}}}schemaLocation": SCHEMA})
    for name, domain, kind in KEYS:
        attr_name = "kind" if name == "edge_kind" else name
        ET.SubElement(
            root,
            f"{{{NS}}}key",
            {
                "id": name,
                "for": domain,
                "attr.name": attr_name,
                "attr.type": kind,
            },
        )
    ET.SubElement(
        root, f"{{{NS}}}key", {"id": "yfiles_node", "for": "node", "yfiles.type": "nodegraphics"}
    )
    writer = _Graph(ET.SubElement(root, f"{{{NS}}}graph", {"id": "map", "edgedefault": "directed"}))
    roles = claim_roles(content)
    for claim in content.claims:
        role = roles.get(claim.id)
        writer.claim(claim, role.value if role else None)
    targeted = {r.target_relation for r in content.relations if r.target_relation is not None}
    for relation in content.relations:
        writer.relation(relation, simple=_simple(relation, targeted))
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    drop_fields(
        report,
        content,
        ("sources", "author", "accepted", "weight", "data"),
        ("author",),
        "GraphML export keeps title, text, role, tags, group and note",
    )
    for relation in content.relations:
        if relation.tags and _simple(relation, targeted):
            report.drop(
                "tags",
                "a plain relation is one edge, and GraphML edges here carry no tags",
                element=relation.id,
            )
    drop_timestamps(report, content, "GraphML export has no timestamps")
    drop_rule(report, content, "GraphML export has no place for it")
    count_content(report, content)
    report.carried["sources"] = 0
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", report


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


class _Graph:
    """Writes claims and relations as GraphML nodes and edges (with yEd's shapes)."""

    def __init__(self, graph: ET.Element) -> None:
        self.graph = graph
        self.edges = 0

    def data(self, parent: ET.Element, key: str, value: str) -> None:
        element = ET.SubElement(parent, f"{{{NS}}}data", {"key": key})
        element.text = value

    def shape(self, parent: ET.Element, text: str, fill: str, *, small: bool = False) -> None:
        holder = ET.SubElement(parent, f"{{{NS}}}data", {"key": "yfiles_node"})
        node = ET.SubElement(holder, f"{{{Y}}}ShapeNode")
        size = ("30", "30") if small else ("220", "80")
        ET.SubElement(node, f"{{{Y}}}Geometry", {"width": size[0], "height": size[1]})
        ET.SubElement(node, f"{{{Y}}}Fill", {"color": fill})
        label = ET.SubElement(node, f"{{{Y}}}NodeLabel")
        label.text = text
        ET.SubElement(node, f"{{{Y}}}Shape", {"type": "ellipse" if small else "roundrectangle"})

    def claim(self, claim: Claim, role: str | None) -> None:
        node = ET.SubElement(self.graph, f"{{{NS}}}node", {"id": claim.id})
        self.data(node, "element", "claim")
        self.data(node, "kind", "claim")
        if role is not None:
            self.data(node, "role", role)
        if claim.title:
            self.data(node, "title", claim.title)
        self.data(node, "text", claim.text)
        self.data(node, "label", claim.title or _cut(claim.text, 120))
        if claim.tags:
            self.data(node, "tags", ", ".join(claim.tags))
        if claim.group:
            self.data(node, "group", claim.group)
        if claim.note:
            self.data(node, "note", claim.note)
        shown = claim.title or _cut(claim.text, 200)
        self.shape(node, shown, COLOURS.get(role or "thesis", "#FFFFFF"))

    def edge(
        self, source: str, target: str, kind: str, relation: str, edge_id: str | None = None
    ) -> None:
        self.edges += 1
        element = ET.SubElement(
            self.graph,
            f"{{{NS}}}edge",
            {
                "id": edge_id or f"e{self.edges}",
                "source": source,
                "target": target,
            },
        )
        self.data(element, "edge_kind", kind)
        self.data(element, "relation", relation)

    def relation(self, relation: Relation, *, simple: bool) -> None:
        """One edge for a plain relation; else a small node with an edge from each premise."""
        kind = relation.kind.value
        if simple:
            self.edge(
                relation.premises[0], str(relation.target_claim), kind, relation.id, relation.id
            )
            return
        node = ET.SubElement(self.graph, f"{{{NS}}}node", {"id": relation.id})
        self.data(node, "element", "relation")
        self.data(node, "kind", kind)
        support = relation.kind is RelationKind.SUPPORT
        mark = "+" if support else "−"
        self.data(node, "label", mark)
        if relation.tags:
            self.data(node, "tags", ", ".join(relation.tags))
        if relation.note:
            self.data(node, "note", relation.note)
        self.shape(node, mark, "#CCEBE0" if support else "#F6D5C2", small=True)
        for premise in relation.premises:
            self.edge(premise, relation.id, "premise", relation.id)
        self.edge(relation.id, relation.target, kind, relation.id)
