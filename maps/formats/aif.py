"""AIF JSON (AIFdb, OVA): import and export.

- I nodes are claims (node id kept as the claim id where it is a valid id).
- An RA node is a support: the I nodes with edges into it are its linked premises, the node its
  edge leads to is the target (an I node: a claim; an RA or CA node: that relation).
- A CA node is an objection the same way; a CA aimed at an RA is an undercut.
- MA (rephrase) and PA (preference) nodes, the dialogue layer (L, YA, TA nodes, locutions,
  participants), scheme fulfilments and OVA's layout are reported as not carried over, one item
  per node. A scheme other than the defaults is reported too, whether the node names it in
  `scheme` or, as AIFdb does, only in its `text`. Two scheme nodes that say the same (the same
  premises, kind and target) are one relation, and the report says which was merged.
- The graph may be wrapped as OVA does (`{"AIF": {...}, "OVA": ...}`), the key in any case.
- The export writes I, RA and CA nodes with the default scheme names, edges and empty
  locutions; titles, tags, sources, notes and the other claim fields (and the notes, tags and
  authors of relations) have no place in AIF and are reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, NotRequired, TypeVar

from pydantic import AfterValidator, BeforeValidator, StrictStr, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from maps.formats.common import (
    Deadline,
    IdPool,
    ImportLimits,
    check_counts,
    check_size,
    count_content,
    drop_fields,
    drop_rule,
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
SCHEME_TYPES = ("RA", "CA", "MA", "PA")
# What AIFdb writes as the text of a scheme node that names no scheme.
NO_SCHEME_TEXTS = {"ra", "ca", "ma", "pa", "inference", "conflict", "default"}
TIMESTAMP = "%Y-%m-%d %H:%M:%S"

T = TypeVar("T")


# ---------------------------------------------------------------------------- the shape of AIF


def _number_as_text(value: Any) -> Any:
    """OVA writes node ids as numbers, AIFdb as strings; both are read as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _node_id(value: str) -> str:
    text = value.strip()
    if not text:
        raise PydanticCustomError("aif_node_id", "must not be empty")
    if len(text) > 200:
        raise PydanticCustomError("aif_node_id", "is longer than 200 characters")
    return text


# A node id as AIFdb and OVA write it: a string or a number (not a boolean), read as a string.
NodeId = Annotated[StrictStr, BeforeValidator(_number_as_text), AfterValidator(_node_id)]


class AifGraph(TypedDict):
    """The argument graph of an AIF document (the dialogue layer is reported, not read)."""

    nodes: list[Any]
    edges: NotRequired[list[Any]]


class AifNode(TypedDict):
    nodeID: NodeId
    type: StrictStr
    text: NotRequired[StrictStr]
    scheme: NotRequired[Any]  # a scheme name; anything else is no scheme
    timestamp: NotRequired[Any]  # kept as the claim's created_at when it reads as a time


class AifEdge(TypedDict):
    fromID: NodeId
    toID: NodeId


@dataclass(frozen=True)
class _Shape(Generic[T]):
    """A declared shape, and what an error says when a field (or the whole value) is wrong."""

    adapter: TypeAdapter[T]
    wrong: dict[str, str]  # field -> message; "" for the value as a whole
    ids: tuple[str, ...] = ()  # fields a value cannot do without ("has no <field>")

    def read(self, value: Any, loc: tuple[str | int, ...]) -> T:
        try:
            return self.adapter.validate_python(value)
        except ValidationError as error:
            raise self.error(error, loc) from None

    def error(self, error: ValidationError, loc: tuple[str | int, ...]) -> InvalidInputError:
        """The first error, as the checks in the order of the fields would have found it."""
        errors = error.errors()
        # A missing id is looked for before any field is read.
        missing = [e for e in errors if e["type"] == "missing" and e["loc"][0] in self.ids]
        first = (missing or errors)[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        if field in self.ids and first["type"] == "missing":
            return _shape_error(f"has no {field}", *loc)
        message = (
            first["msg"] if first["type"] == "aif_node_id" else self.wrong.get(field, first["msg"])
        )
        return _shape_error(message, *loc, *first["loc"][:1])


_GRAPH = _Shape(
    TypeAdapter(AifGraph),
    {
        "": "must be an object with 'nodes' and 'edges'",
        "nodes": "must be a list of nodes",
        "edges": "must be a list of edges",
    },
)
_NODE = _Shape(
    TypeAdapter(AifNode),
    {
        "": "must be an object with nodeID, text and type",
        "nodeID": "must be a string or a number",
        "type": "type must be one of I, RA, CA, MA, PA, L, YA, TA",
        "text": "text must be a string",
    },
    ids=("nodeID",),
)
_EDGE = _Shape(
    TypeAdapter(AifEdge),
    {
        "": "must be an object with fromID and toID",
        "fromID": "must be a string or a number",
        "toID": "must be a string or a number",
    },
    ids=("fromID", "toID"),
)
_DOCUMENT = _Shape(
    TypeAdapter(dict[Any, Any]), {"": "an AIF document is an object with 'nodes' and 'edges'"}
)


def _shape_error(message: str, *loc: str | int) -> InvalidInputError:
    where = ".".join(str(p) for p in loc)
    return InvalidInputError(f"{where}: {message}" if where else message, loc=loc)


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    for form in (TIMESTAMP, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.strptime(value.strip(), form)
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------------------- reading


@dataclass
class _Node:
    """A node of the argument graph as read: its type upper-cased, its place in the file."""

    index: int
    type: str
    text: str
    scheme: str | None
    timestamp: Any


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
    graph, prefix = _graph(document, report)
    nodes = _nodes(graph["nodes"], prefix=prefix, deadline=deadline, report=report)
    check_counts(sum(node.type == "I" for node in nodes.values()), 0, limits, (*prefix, "nodes"))
    incoming, outgoing = _edges(graph.get("edges", []), nodes, prefix=prefix, deadline=deadline)
    pool = IdPool()
    ids = {
        node_id: pool.claim(slug(node_id, fallback="n"))
        for node_id, node in nodes.items()
        if node.type in ("I", "RA", "CA")
    }
    claims = _claims(nodes, ids, prefix)
    relations = _relations(nodes, ids, incoming, outgoing, pool=pool, report=report)
    check_counts(len(claims), len(relations), limits, (*prefix, "edges"))
    content = MapContent(
        title=" ".join((title or DEFAULT_TITLE).split())[:200] or DEFAULT_TITLE,
        claims=claims,
        relations=relations,
    )
    try:
        validate_content(content)
    except ArgmapError as error:
        raise InvalidInputError(
            f"the map read from AIF is not valid: {error}", loc=error.loc
        ) from None
    count_content(report, content)
    return content, report


def _graph(document: Any, report: ConversionReport) -> tuple[AifGraph, tuple[str, ...]]:
    """The argument graph, unwrapped from OVA3's `{"AIF": ...}`; the rest is reported."""
    document = _DOCUMENT.read(document, ())
    prefix: tuple[str, ...] = ()
    wrapper = wrapper_key(document)
    if wrapper is not None:
        for key in document:
            if key == "OVA":
                report.drop("OVA layout", "node positions and OVA display data are not kept")
            elif key == "text":
                report.drop("analysed text", "the source text OVA analysed is not kept")
            elif key != wrapper:
                report.drop(f"'{key}'", "not part of the argument graph")
        prefix = (wrapper,)
        document = document[wrapper]
    graph = _GRAPH.read(document, prefix)
    for key in ("locutions", "participants"):
        value = document.get(key)
        if isinstance(value, list) and value:
            report.drop(key, f"{len(value)} {key} of the dialogue layer are not kept")
    fulfilments = document.get("schemefulfillments")
    if isinstance(fulfilments, list) and fulfilments:
        report.drop(
            "schemefulfillments",
            f"{len(fulfilments)} scheme fulfilments (the scheme each scheme node instantiates) "
            "are not kept: argmap records no argument schemes",
        )
    for key in document:
        if key not in ("nodes", "edges", "locutions", "participants", "schemefulfillments"):
            report.drop(f"'{key}'", "not part of the argument graph")
    return graph, prefix


def wrapper_key(document: dict[Any, Any]) -> str | None:
    """The key OVA wraps the graph in (`AIF`, read in any case), if the document has one."""
    return next((k for k in document if isinstance(k, str) and k.upper() == "AIF"), None)


def _nodes(
    raw_nodes: list[Any], *, prefix: tuple[str, ...], deadline: Deadline, report: ConversionReport
) -> dict[str, _Node]:
    """The nodes by id, in the file's order; those argmap has no place for are reported."""
    nodes: dict[str, _Node] = {}
    for index, raw in enumerate(raw_nodes):
        if index % 2048 == 0:
            deadline.check((*prefix, "nodes", index))
        node = _NODE.read(raw, (*prefix, "nodes", index))
        node_id = node["nodeID"]
        if node_id in nodes:
            raise _shape_error(
                f"nodeID {node_id!r} is used twice", *prefix, "nodes", index, "nodeID"
            )
        node_type = node["type"].strip().upper()
        scheme = node.get("scheme")
        if not isinstance(scheme, str) and node_type in SCHEME_TYPES:
            scheme = node.get("text", "").strip()  # AIFdb names the scheme in the text only
        nodes[node_id] = _Node(
            index=index,
            type=node_type,
            text=node.get("text", ""),
            scheme=scheme if isinstance(scheme, str) else None,
            timestamp=node.get("timestamp"),
        )
        if node_type in DIALOGUE_TYPES:
            report.drop(
                f"{node_type} node",
                f"the dialogue layer ({DIALOGUE_TYPES[node_type]}) is not part of an argument map",
                element=node_id,
            )
        elif node_type in OTHER_TYPES:
            report.drop(
                f"{node_type} node",
                f"argmap has no {OTHER_TYPES[node_type]} relation",
                element=node_id,
            )
        elif node_type not in ("I", "RA", "CA"):
            report.drop(f"{node_type} node", "unknown AIF node type", element=node_id)
    return nodes


def _edges(
    raw_edges: list[Any], nodes: dict[str, _Node], *, prefix: tuple[str, ...], deadline: Deadline
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The edges between nodes of the argument graph: (incoming, outgoing) by node id."""
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for index, raw in enumerate(raw_edges):
        if index % 2048 == 0:
            deadline.check((*prefix, "edges", index))
        loc: tuple[str | int, ...] = (*prefix, "edges", index)
        edge = _EDGE.read(raw, loc)
        source, target = edge["fromID"], edge["toID"]
        for end, value in (("fromID", source), ("toID", target)):
            if value not in nodes:
                raise _shape_error(f"node {value!r} does not exist", *loc, end)
        if nodes[source].type in DIALOGUE_TYPES or nodes[target].type in DIALOGUE_TYPES:
            continue
        outgoing.setdefault(source, []).append(target)
        incoming.setdefault(target, []).append(source)
    return incoming, outgoing


def _claims(nodes: dict[str, _Node], ids: dict[str, str], prefix: tuple[str, ...]) -> list[Claim]:
    """Every I node as a claim."""
    claims: list[Claim] = []
    for node_id, node in nodes.items():
        if node.type != "I":
            continue
        loc: tuple[str | int, ...] = (*prefix, "nodes", node.index)
        text = node.text.strip()
        if not text:
            raise _shape_error("an I node needs a text", *loc, "text")
        try:
            claims.append(Claim(id=ids[node_id], text=text, created_at=_timestamp(node.timestamp)))
        except ValidationError as error:
            first = error.errors()[0]
            raise _shape_error(first["msg"], *loc, str(first["loc"][0])) from None
    return claims


def _relations(
    nodes: dict[str, _Node],
    ids: dict[str, str],
    incoming: dict[str, list[str]],
    outgoing: dict[str, list[str]],
    *,
    pool: IdPool,
    report: ConversionReport,
) -> list[Relation]:
    """Every RA and CA node as a relation, one per node it points at."""
    aims = _scheme_aims(nodes, outgoing, report)
    made: dict[tuple[str, int], str] = {}
    for node_id, _target, n in aims:
        made[(node_id, n)] = ids[node_id] if n == 0 else pool.claim(f"{ids[node_id]}-{n + 1}")
    relations: dict[str, Relation] = {}
    keys: dict[Any, str] = {}  # what a relation says -> the AIF node it came from
    for node_id, target, n in aims:
        premises = _premises(node_id, nodes, ids, incoming, report)
        if premises is None:
            continue
        relation = _relation(made[(node_id, n)], node_id, target, premises, nodes, ids, report)
        if relation is None:
            continue
        key = relation_key(relation)
        if key in keys:
            report.drop(
                f"{nodes[node_id].type} node",
                f"the same premises and target as scheme node {keys[key]!r}; merged into it",
                element=node_id,
            )
            continue
        keys[key] = node_id
        relations[relation.id] = relation
    _drop_aimless(relations, report)
    return list(relations.values())


def _scheme_aims(
    nodes: dict[str, _Node], outgoing: dict[str, list[str]], report: ConversionReport
) -> list[tuple[str, str, int]]:
    """(scheme node, node it points at, index among its targets), for every RA and CA node."""
    aims: list[tuple[str, str, int]] = []
    for node_id, node in nodes.items():
        if node.type not in ("RA", "CA"):
            continue
        targets = outgoing.get(node_id, [])
        if not targets:
            report.drop(f"{node.type} node", "it points at nothing", element=node_id)
            continue
        for n, target in enumerate(targets):
            aims.append((node_id, target, n))
        scheme = node.scheme
        if scheme is not None and scheme.strip().lower() not in DEFAULT_SCHEMES | NO_SCHEME_TEXTS:
            report.drop(
                "scheme", f"argmap does not record argument schemes ({scheme!r})", element=node_id
            )
    return aims


def _premises(
    node_id: str,
    nodes: dict[str, _Node],
    ids: dict[str, str],
    incoming: dict[str, list[str]],
    report: ConversionReport,
) -> list[str] | None:
    """The claims that are the linked premises of a scheme node; None if it has none."""
    premises: list[str] = []
    for source in incoming.get(node_id, []):
        if nodes[source].type == "I":
            premises.append(ids[source])
        elif nodes[source].type in ("RA", "CA"):
            continue  # a relation aimed at this one: read from its own side
        else:
            report.drop("edge", f"a {nodes[source].type} node cannot be a premise", element=node_id)
    premises = list(dict.fromkeys(premises))
    if not premises:
        report.drop(f"{nodes[node_id].type} node", "it has no I node as premise", element=node_id)
        return None
    return premises


def _relation(
    relation_id: str,
    node_id: str,
    target: str,
    premises: list[str],
    nodes: dict[str, _Node],
    ids: dict[str, str],
    report: ConversionReport,
) -> Relation | None:
    """The relation of a scheme node aimed at `target`: a claim, or another relation."""
    node_type = nodes[node_id].type
    kind = RelationKind.SUPPORT if node_type == "RA" else RelationKind.OBJECTION
    target_type = nodes[target].type
    if target_type == "I":
        if ids[target] in premises:
            report.drop(f"{node_type} node", "its target is also its premise", element=node_id)
            return None
        return Relation(id=relation_id, kind=kind, premises=premises, target_claim=ids[target])
    if target_type in ("RA", "CA"):
        return Relation(id=relation_id, kind=kind, premises=premises, target_relation=ids[target])
    report.drop(f"{node_type} node", f"it points at a {target_type} node", element=node_id)
    return None


def _drop_aimless(relations: dict[str, Relation], report: ConversionReport) -> None:
    """Relations aimed at a scheme node that carried nothing over cannot stand."""
    changed = True
    while changed:
        changed = False
        for relation_id, relation in list(relations.items()):
            if relation.target_relation is not None and relation.target_relation not in relations:
                del relations[relation_id]
                report.drop(
                    "relation",
                    "it aims at a scheme node that was not carried over",
                    element=relation_id,
                )
                changed = True


def loads(
    text: str, *, limits: ImportLimits | None = None, title: str | None = None
) -> tuple[MapContent, ConversionReport]:
    """Read AIF JSON text."""
    limits = limits or ImportLimits()
    check_size(text, limits)
    return from_document(load_json(text.lstrip("\ufeff"), limits), limits=limits, title=title)


def to_document(content: MapContent) -> tuple[dict[str, Any], ConversionReport]:
    """A map as an AIF document: I nodes, RA and CA nodes with the default schemes, edges."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    for claim in content.claims:
        node: dict[str, Any] = {"nodeID": claim.id, "text": claim.text, "type": "I"}
        if claim.created_at is not None:
            node["timestamp"] = claim.created_at.strftime(TIMESTAMP)
        nodes.append(node)
    for relation in content.relations:
        node_type, scheme, scheme_id = SCHEMES[relation.kind]
        nodes.append(
            {
                "nodeID": relation.id,
                "text": scheme,
                "type": node_type,
                "scheme": scheme,
                "schemeID": scheme_id,
            }
        )
        for premise in relation.premises:
            edges.append(
                {
                    "edgeID": str(len(edges) + 1),
                    "fromID": premise,
                    "toID": relation.id,
                    "formEdgeID": None,
                }
            )
        edges.append(
            {
                "edgeID": str(len(edges) + 1),
                "fromID": relation.id,
                "toID": relation.target,
                "formEdgeID": None,
            }
        )
    return {"nodes": nodes, "edges": edges, "locutions": []}, _export_report(content)


def _export_report(content: MapContent) -> ConversionReport:
    """What AIF has no place for: every field but the text, timestamps but one, the title."""
    report = ConversionReport(format=FORMAT, direction="export")
    drop_fields(
        report,
        content,
        ("title", "tags", "sources", "note", "author", "accepted", "weight", "group", "data"),
        ("note", "tags", "author"),
        "AIF has no place for it",
    )
    for claim in content.claims:
        if claim.updated_at is not None:
            report.drop(
                "timestamps", "AIF keeps one timestamp per node (created_at)", element=claim.id
            )
    for relation in content.relations:
        if relation.created_at is not None or relation.updated_at is not None:
            report.drop(
                "timestamps", "AIF scheme nodes are written without timestamps", element=relation.id
            )
    report.drop("title", "AIF has no map title")
    drop_rule(report, content, "AIF has no place for it")
    if content.description:
        report.drop("description", "AIF has no map description")
    count_content(report, content)
    for name in ("tags", "sources"):
        report.carried[name] = 0
    return report


def dumps(content: MapContent) -> tuple[str, ConversionReport]:
    """Write a map as AIF JSON."""
    document, report = to_document(content)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n", report
