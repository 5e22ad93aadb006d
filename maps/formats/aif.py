"""AIF JSON (AIFdb, OVA): import and export.

- I nodes are claims (node id kept as the claim id where it is a valid id).
- An RA node is a support: the I nodes with edges into it are its linked premises, the node its
  edge leads to is the target (an I node: a claim; an RA or CA node: that relation).
- A CA node is an objection the same way; a CA aimed at an RA is an undercut.
- MA (rephrase) and PA (preference) nodes, the dialogue layer (L, YA, TA nodes, locutions,
  participants) and OVA's layout are reported as not carried over, one item per node.
- The export writes I, RA and CA nodes with the default scheme names, edges and empty
  locutions; tags, sources, notes and the other claim fields have no place in AIF and are
  reported.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from maps.formats.common import (
    Deadline,
    IdPool,
    ImportLimits,
    check_counts,
    check_size,
    count_content,
    drop_fields,
    load_json,
    slug,
)
from maps.validation import relation_key, validate_content
from models import (
    ArgmapError,
    Claim,
    InvalidInputError,
    MapContent,
    Relation,
    RelationKind,
)
from models.report import ConversionReport

FORMAT = "aif"
DEFAULT_TITLE = "Imported AIF map"
SCHEMES = {
    RelationKind.SUPPORT: ("RA", "Default Inference", "72"),
    RelationKind.OBJECTION: ("CA", "Default Conflict", "71"),
}
DIALOGUE_TYPES = {"L": "locution", "YA": "illocution", "TA": "transition"}
OTHER_TYPES = {"MA": "rephrase", "PA": "preference"}
DEFAULT_SCHEMES = {"default inference", "default conflict", "", None}
TIMESTAMP = "%Y-%m-%d %H:%M:%S"


def _shape_error(message: str, *loc: str | int) -> InvalidInputError:
    where = ".".join(str(p) for p in loc)
    return InvalidInputError(f"{where}: {message}" if where else message, loc=loc)


def _node_id(value: Any, loc: tuple[str | int, ...]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _shape_error("must be a string or a number", *loc)
    text = str(value).strip()
    if not text:
        raise _shape_error("must not be empty", *loc)
    if len(text) > 200:
        raise _shape_error("is longer than 200 characters", *loc)
    return text


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    for form in (TIMESTAMP, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(value.strip(), form)
        except ValueError:
            continue
    return None


def from_document(
    document: Any,
    *,
    limits: ImportLimits | None = None,
    title: str | None = None,
) -> tuple[MapContent, ConversionReport]:
    """Read a parsed AIF (or OVA3-wrapped AIF) document."""
    limits = limits or ImportLimits()
    deadline = Deadline(limits.timeout_seconds)
    report = ConversionReport(format=FORMAT, direction="import")
    if not isinstance(document, dict):
        raise _shape_error("an AIF document is an object with 'nodes' and 'edges'")
    prefix: tuple[str, ...] = ()
    if "AIF" in document:
        if not isinstance(document["AIF"], dict):
            raise _shape_error("must be an object with 'nodes' and 'edges'", "AIF")
        for key in document:
            if key == "OVA":
                report.drop("OVA layout", "node positions and OVA display data are not kept")
            elif key == "text":
                report.drop("analysed text", "the source text OVA analysed is not kept")
            elif key != "AIF":
                report.drop(f"'{key}'", "not part of the argument graph")
        prefix = ("AIF",)
        document = document["AIF"]
    nodes = document.get("nodes")
    edges = document.get("edges", [])
    if not isinstance(nodes, list):
        raise _shape_error("must be a list of nodes", *prefix, "nodes")
    if not isinstance(edges, list):
        raise _shape_error("must be a list of edges", *prefix, "edges")
    for key in ("locutions", "participants", "schemefulfillments"):
        value = document.get(key)
        if isinstance(value, list) and value:
            report.drop(key, f"{len(value)} {key} of the dialogue layer are not kept")
    for key in document:
        if key not in ("nodes", "edges", "locutions", "participants", "schemefulfillments"):
            report.drop(f"'{key}'", "not part of the argument graph")

    # ------------------------------------------------------------------ nodes
    kinds: dict[str, str] = {}
    texts: dict[str, str] = {}
    schemes: dict[str, str | None] = {}
    stamps: dict[str, Any] = {}
    order: list[str] = []
    for index, node in enumerate(nodes):
        if index % 2048 == 0:
            deadline.check((*prefix, "nodes", index))
        loc: tuple[str | int, ...] = (*prefix, "nodes", index)
        if not isinstance(node, dict):
            raise _shape_error("must be an object with nodeID, text and type", *loc)
        if "nodeID" not in node:
            raise _shape_error("has no nodeID", *loc)
        node_id = _node_id(node["nodeID"], (*loc, "nodeID"))
        if node_id in kinds:
            raise _shape_error(f"nodeID {node_id!r} is used twice", *loc, "nodeID")
        node_type = node.get("type")
        if not isinstance(node_type, str):
            raise _shape_error("type must be one of I, RA, CA, MA, PA, L, YA, TA", *loc, "type")
        node_type = node_type.strip().upper()
        text = node.get("text", "")
        if not isinstance(text, str):
            raise _shape_error("text must be a string", *loc, "text")
        scheme = node.get("scheme")
        kinds[node_id] = node_type
        texts[node_id] = text
        schemes[node_id] = scheme if isinstance(scheme, str) else None
        stamps[node_id] = node.get("timestamp")
        order.append(node_id)
        if node_type in DIALOGUE_TYPES:
            report.drop(f"{node_type} node", f"the dialogue layer ({DIALOGUE_TYPES[node_type]}) is not "
                        "part of an argument map", element=node_id)
        elif node_type in OTHER_TYPES:
            report.drop(f"{node_type} node", f"argmap has no {OTHER_TYPES[node_type]} relation",
                        element=node_id)
        elif node_type not in ("I", "RA", "CA"):
            report.drop(f"{node_type} node", "unknown AIF node type", element=node_id)
    claims_total = sum(kind == "I" for kind in kinds.values())
    check_counts(claims_total, 0, limits, (*prefix, "nodes"))

    # ------------------------------------------------------------------ edges
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for index, edge in enumerate(edges):
        if index % 2048 == 0:
            deadline.check((*prefix, "edges", index))
        loc = (*prefix, "edges", index)
        if not isinstance(edge, dict):
            raise _shape_error("must be an object with fromID and toID", *loc)
        for end in ("fromID", "toID"):
            if end not in edge:
                raise _shape_error(f"has no {end}", *loc)
        source = _node_id(edge["fromID"], (*loc, "fromID"))
        target = _node_id(edge["toID"], (*loc, "toID"))
        for end, value in (("fromID", source), ("toID", target)):
            if value not in kinds:
                raise _shape_error(f"node {value!r} does not exist", *loc, end)
        if kinds[source] in DIALOGUE_TYPES or kinds[target] in DIALOGUE_TYPES:
            continue
        outgoing.setdefault(source, []).append(target)
        incoming.setdefault(target, []).append(source)

    # ------------------------------------------------------------------ claims
    pool = IdPool()
    ids: dict[str, str] = {}
    for node_id in order:
        if kinds[node_id] in ("I", "RA", "CA"):
            ids[node_id] = pool.claim(slug(node_id, fallback="n"))
    claims: list[Claim] = []
    for index, node_id in enumerate(order):
        if kinds[node_id] != "I":
            continue
        text = texts[node_id].strip()
        if not text:
            raise _shape_error("an I node needs a text", *prefix, "nodes", index, "text")
        try:
            claims.append(Claim(id=ids[node_id], text=text, created_at=_timestamp(stamps[node_id])))
        except ValidationError as error:
            first = error.errors()[0]
            raise _shape_error(first["msg"], *prefix, "nodes", index, str(first["loc"][0])) from None

    # ------------------------------------------------------------------ relations
    relations: dict[str, Relation] = {}
    keys: set[Any] = set()
    pending: list[tuple[str, str, int]] = []  # (scheme node, target node, index among targets)
    for node_id in order:
        if kinds[node_id] not in ("RA", "CA"):
            continue
        targets = outgoing.get(node_id, [])
        if not targets:
            report.drop(f"{kinds[node_id]} node", "it points at nothing", element=node_id)
            continue
        for n, target in enumerate(targets):
            pending.append((node_id, target, n))
        scheme = schemes[node_id]
        if scheme is not None and scheme.strip().lower() not in DEFAULT_SCHEMES:
            report.drop("scheme", f"argmap does not record argument schemes ({scheme!r})",
                        element=node_id)
    made: dict[tuple[str, int], str] = {}
    for node_id, _target, n in pending:
        made[(node_id, n)] = ids[node_id] if n == 0 else pool.claim(f"{ids[node_id]}-{n + 1}")
    for node_id, target, n in pending:
        kind = RelationKind.SUPPORT if kinds[node_id] == "RA" else RelationKind.OBJECTION
        premises: list[str] = []
        for source in incoming.get(node_id, []):
            if kinds[source] == "I":
                premises.append(ids[source])
            elif kinds[source] in ("RA", "CA"):
                continue  # a relation aimed at this one: read from its own side
            else:
                report.drop("edge", f"a {kinds[source]} node cannot be a premise", element=node_id)
        premises = list(dict.fromkeys(premises))
        if not premises:
            report.drop(f"{kinds[node_id]} node", "it has no I node as premise", element=node_id)
            continue
        relation_id = made[(node_id, n)]
        if kinds[target] == "I":
            if ids[target] in premises:
                report.drop(f"{kinds[node_id]} node", "its target is also its premise", element=node_id)
                continue
            relation = Relation(id=relation_id, kind=kind, premises=premises, target_claim=ids[target])
        elif kinds[target] in ("RA", "CA"):
            relation = Relation(id=relation_id, kind=kind, premises=premises,
                                target_relation=ids[target])
        else:
            report.drop(f"{kinds[node_id]} node", f"it points at a {kinds[target]} node",
                        element=node_id)
            continue
        key = relation_key(relation)
        if key in keys:
            continue
        keys.add(key)
        relations[relation_id] = relation
    # Relations aimed at a scheme node that carried nothing over cannot stand.
    changed = True
    while changed:
        changed = False
        for relation_id, relation in list(relations.items()):
            if relation.target_relation is not None and relation.target_relation not in relations:
                del relations[relation_id]
                report.drop("relation", "it aims at a scheme node that was not carried over",
                            element=relation_id)
                changed = True
    check_counts(len(claims), len(relations), limits, (*prefix, "edges"))
    content = MapContent(
        title=" ".join((title or DEFAULT_TITLE).split())[:200] or DEFAULT_TITLE,
        claims=claims,
        relations=list(relations.values()),
    )
    try:
        validate_content(content)
    except ArgmapError as error:
        raise InvalidInputError(f"the map read from AIF is not valid: {error}", loc=error.loc) from None
    count_content(report, content)
    return content, report


def loads(
    text: str, *, limits: ImportLimits | None = None, title: str | None = None
) -> tuple[MapContent, ConversionReport]:
    """Read AIF JSON text."""
    limits = limits or ImportLimits()
    check_size(text, limits)
    return from_document(load_json(text.lstrip("\ufeff"), limits), limits=limits, title=title)


def to_document(content: MapContent) -> tuple[dict[str, Any], ConversionReport]:
    report = ConversionReport(format=FORMAT, direction="export")
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for claim in content.claims:
        node: dict[str, Any] = {"nodeID": claim.id, "text": claim.text, "type": "I"}
        if claim.created_at is not None:
            node["timestamp"] = claim.created_at.strftime(TIMESTAMP)
        nodes.append(node)
    for relation in content.relations:
        node_type, scheme, scheme_id = SCHEMES[relation.kind]
        nodes.append({"nodeID": relation.id, "text": scheme, "type": node_type, "scheme": scheme,
                      "schemeID": scheme_id})
        for premise in relation.premises:
            edges.append({"edgeID": str(len(edges) + 1), "fromID": premise, "toID": relation.id,
                          "formEdgeID": None})
        edges.append({"edgeID": str(len(edges) + 1), "fromID": relation.id, "toID": relation.target,
                      "formEdgeID": None})
    drop_fields(
        report, content,
        ("tags", "sources", "note", "author", "accepted", "weight", "group", "data"),
        ("note", "author"),
        "AIF has no place for it",
    )
    for claim in content.claims:
        if claim.updated_at is not None:
            report.drop("timestamps", "AIF keeps one timestamp per node (created_at)", element=claim.id)
    for relation in content.relations:
        if relation.created_at is not None or relation.updated_at is not None:
            report.drop("timestamps", "AIF scheme nodes are written without timestamps",
                        element=relation.id)
    report.drop("title", "AIF has no map title")
    if content.description:
        report.drop("description", "AIF has no map description")
    count_content(report, content)
    for name in ("tags", "sources"):
        report.carried[name] = 0
    return {"nodes": nodes, "edges": edges, "locutions": []}, report


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """Write a map as AIF JSON."""
    document, report = to_document(content)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n", report


