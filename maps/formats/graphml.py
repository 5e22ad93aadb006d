"""A map as GraphML for yEd, Gephi and networkx (export only).

Claims are nodes. A relation with one premise, aimed at a claim and not undercut, is one edge
from premise to target. Any other relation (linked premises, aimed at a relation, or undercut)
is a small relation node: each premise has an edge into it, and an edge leads from it to its
target. Data keys: `element` (claim | relation), `kind` (claim, support, objection; on edges:
support, objection or premise), `role` (thesis, support, objection, rebuttal), `text`,
`label`, `tags`, `group`, `note`, `relation` (on edges, the relation id). yEd also gets a shape
with the label, so the file reads in yEd without a mapping step.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from maps.formats.common import count_content, drop_fields, drop_timestamps
from maps.queries import claim_roles
from models import MapContent, Relation, RelationKind
from models.report import ConversionReport

FORMAT = "graphml"
NS = "http://graphml.graphdrawing.org/xmlns"
Y = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
KEYS = (
    ("element", "node", "string"),
    ("kind", "node", "string"),
    ("role", "node", "string"),
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
        ET.SubElement(root, f"{{{NS}}}key", {
            "id": name, "for": domain, "attr.name": attr_name, "attr.type": kind,
        })
    ET.SubElement(root, f"{{{NS}}}key", {"id": "yfiles_node", "for": "node", "yfiles.type": "nodegraphics"})
    graph = ET.SubElement(root, f"{{{NS}}}graph", {"id": "map", "edgedefault": "directed"})
    roles = claim_roles(content)

    def data(parent: ET.Element, key: str, value: str) -> None:
        element = ET.SubElement(parent, f"{{{NS}}}data", {"key": key})
        element.text = value

    def shape(parent: ET.Element, text: str, fill: str, *, small: bool = False) -> None:
        holder = ET.SubElement(parent, f"{{{NS}}}data", {"key": "yfiles_node"})
        node = ET.SubElement(holder, f"{{{Y}}}ShapeNode")
        size = ("30", "30") if small else ("220", "80")
        ET.SubElement(node, f"{{{Y}}}Geometry", {"width": size[0], "height": size[1]})
        ET.SubElement(node, f"{{{Y}}}Fill", {"color": fill})
        label = ET.SubElement(node, f"{{{Y}}}NodeLabel")
        label.text = text
        ET.SubElement(node, f"{{{Y}}}Shape", {"type": "ellipse" if small else "roundrectangle"})

    for claim in content.claims:
        node = ET.SubElement(graph, f"{{{NS}}}node", {"id": claim.id})
        role = roles.get(claim.id)
        data(node, "element", "claim")
        data(node, "kind", "claim")
        if role is not None:
            data(node, "role", role.value)
        data(node, "text", claim.text)
        data(node, "label", claim.text if len(claim.text) <= 120 else claim.text[:119] + "…")
        if claim.tags:
            data(node, "tags", ", ".join(claim.tags))
        if claim.group:
            data(node, "group", claim.group)
        if claim.note:
            data(node, "note", claim.note)
        shape(node, claim.text if len(claim.text) <= 200 else claim.text[:199] + "…",
              COLOURS.get(role.value if role else "thesis", "#FFFFFF"))
    targeted = {r.target_relation for r in content.relations if r.target_relation is not None}
    edges = 0

    def edge(source: str, target: str, kind: str, relation: str, edge_id: str | None = None) -> None:
        nonlocal edges
        edges += 1
        element = ET.SubElement(graph, f"{{{NS}}}edge", {
            "id": edge_id or f"e{edges}", "source": source, "target": target,
        })
        data(element, "edge_kind", kind)
        data(element, "relation", relation)

    for relation in content.relations:
        kind = relation.kind.value
        if _simple(relation, targeted):
            edge(relation.premises[0], str(relation.target_claim), kind, relation.id, relation.id)
            continue
        node = ET.SubElement(graph, f"{{{NS}}}node", {"id": relation.id})
        data(node, "element", "relation")
        data(node, "kind", kind)
        mark = "+" if relation.kind is RelationKind.SUPPORT else "−"
        data(node, "label", mark)
        if relation.note:
            data(node, "note", relation.note)
        shape(node, mark, "#CCEBE0" if relation.kind is RelationKind.SUPPORT else "#F6D5C2", small=True)
        for premise in relation.premises:
            edge(premise, relation.id, "premise", relation.id)
        edge(relation.id, relation.target, kind, relation.id)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    drop_fields(report, content, ("sources", "author", "accepted", "weight", "data"),
                ("author",), "GraphML export keeps text, role, tags, group and note")
    drop_timestamps(report, content, "GraphML export has no timestamps")
    count_content(report, content)
    report.carried["sources"] = 0
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", report
