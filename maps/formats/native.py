"""argmap's own file format: the map as JSON (or its YAML twin), lossless.

Comments are not part of a map's content (they are kept apart from its revisions); a document
may carry them as an optional top-level `comments` list, attributed by display name:

    {"argmap": 1, "title": "...", "claims": [...], "relations": [...],
     "comments": [{"id": "k1", "target": "c1", "author": "Ada", "text": "Which studies?"},
                  {"id": "k2", "target": "c1", "parent": "k1", "author": "Ben", "text": "..."}]}

`from_document` reads the map and leaves them out; `comments_of` reads them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from maps.formats.common import ImportLimits, check_size, count_content, load_json, load_yaml
from maps.validation import validate_content
from models import InvalidInputError, LimitExceededError, MapContent
from models.comments import CommentDocument
from models.report import ConversionReport

FORMAT_MARKER = "argmap"
FORMAT_VERSION = 1
COMMENTS = "comments"
_COMMENT_LIST = TypeAdapter(list[CommentDocument])


def to_document(content: MapContent, *, comments: Sequence[CommentDocument] = ()) -> dict[str, Any]:
    """The map as a plain JSON-able document (derived fields such as `role` left out)."""
    body = content.model_dump(
        mode="json",
        exclude_none=True,
        exclude={"claims": {"__all__": {"role"}}},
    )
    document: dict[str, Any] = {FORMAT_MARKER: FORMAT_VERSION}
    document["title"] = body["title"]
    document["description"] = body.get("description", "")
    document["rule"] = body["rule"]
    document["claims"] = body.get("claims", [])
    document["relations"] = body.get("relations", [])
    if comments:
        document[COMMENTS] = [c.model_dump(mode="json", exclude_none=True) for c in comments]
    return document


def dumps(
    content: MapContent, *, indent: int | None = 2, comments: Sequence[CommentDocument] = ()
) -> str:
    document = to_document(content, comments=comments)
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def dumps_yaml(content: MapContent) -> str:
    return yaml.safe_dump(to_document(content), allow_unicode=True, sort_keys=False, width=100)


def from_document(document: Any) -> MapContent:
    """Validate a parsed document and return its map."""
    if not isinstance(document, dict):
        raise InvalidInputError("the document must be an object with title, claims and relations")
    body = {k: v for k, v in document.items() if k not in (FORMAT_MARKER, COMMENTS)}
    version = document.get(FORMAT_MARKER, FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise InvalidInputError(
            f"unsupported format version {version!r} (this argmap reads {FORMAT_VERSION})",
            loc=(FORMAT_MARKER,),
        )
    try:
        content = MapContent.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInputError(first["msg"], loc=tuple(first["loc"])) from None
    validate_content(content)
    return content


def parse(data: str, *, limits: ImportLimits | None = None) -> Any:
    """The parsed JSON or YAML document of a native map's text."""
    limits = limits or ImportLimits()
    check_size(data, limits)
    stripped = data.lstrip("\ufeff").lstrip()
    if stripped.startswith(("{", "[")):
        return load_json(stripped, limits)
    return load_yaml(stripped)


def loads(data: str, *, limits: ImportLimits | None = None) -> MapContent:
    """Read a native map from JSON or YAML text."""
    return from_document(parse(data, limits=limits))


def comments_of(document: Any, content: MapContent) -> list[CommentDocument]:
    """The comments a native document carries, checked against its map.

    Each is on a claim or relation of the map; a reply names an earlier first comment of the
    same target (threads are one level deep); ids are unique within the document.
    """
    if not isinstance(document, dict) or document.get(COMMENTS) is None:
        return []
    try:
        comments = _COMMENT_LIST.validate_python(document[COMMENTS])
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInputError(first["msg"], loc=(COMMENTS, *first["loc"])) from None
    elements = {c.id for c in content.claims} | {r.id for r in content.relations}
    first_comments: dict[str, str] = {}  # id -> target
    seen: set[str] = set()
    for index, comment in enumerate(comments):
        if comment.id in seen:
            raise InvalidInputError(
                f"two comments have the id {comment.id!r}", loc=(COMMENTS, index, "id")
            )
        seen.add(comment.id)
        if comment.target not in elements:
            raise InvalidInputError(
                f"no claim or relation {comment.target!r} in this map",
                loc=(COMMENTS, index, "target"),
            )
        if comment.parent is None:
            first_comments[comment.id] = comment.target
        elif first_comments.get(comment.parent) != comment.target:
            raise InvalidInputError(
                f"{comment.parent!r} is not an earlier first comment on {comment.target!r}",
                loc=(COMMENTS, index, "parent"),
            )
    return comments


def read(
    data: str, *, limits: ImportLimits | None = None, title: str | None = None
) -> tuple[MapContent, ConversionReport]:
    """Read a native map with a conversion report (nothing is lost: the format is argmap's own)."""
    return finish(loads(data, limits=limits), limits=limits, title=title)


def finish(
    content: MapContent, *, limits: ImportLimits | None = None, title: str | None = None
) -> tuple[MapContent, ConversionReport]:
    """Apply a chosen title and the claim limit to a read map, and report what it holds."""
    limits = limits or ImportLimits()
    if title:
        content = content.model_copy(update={"title": title})
    if len(content.claims) > limits.max_claims:
        raise LimitExceededError(
            f"{len(content.claims)} claims exceed the limit of {limits.max_claims} claims per map",
            loc=("claims",),
        )
    report = ConversionReport(format="native", direction="import")
    count_content(report, content)
    return content, report


def write(content: MapContent) -> tuple[str, ConversionReport]:
    """Write a native JSON map with its (empty) report of losses."""
    report = ConversionReport(format="native", direction="export")
    count_content(report, content)
    return dumps(content), report


SCHEMA_ID = "https://argmap.example/schema/map.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a native map document (what `dumps` writes and `loads` reads)."""
    schema = MapContent.model_json_schema(mode="validation")
    comment_schema = CommentDocument.model_json_schema(mode="validation")
    claim = schema.get("$defs", {}).get("Claim", {})
    claim.get("properties", {}).pop("role", None)
    properties = {
        FORMAT_MARKER: {
            "const": FORMAT_VERSION,
            "description": "Marks an argmap native document and its format version.",
        },
        **schema.get("properties", {}),
        COMMENTS: {
            "type": "array",
            "items": {"$ref": "#/$defs/CommentDocument"},
            "description": "Comments on claims and relations, threads' first comments before "
            "their replies (optional).",
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "argmap map",
        "description": "An argument map: claims, and supports and objections between them "
        "(one or more linked premises; aimed at a claim, or at a relation for an undercut).",
        "type": "object",
        "properties": properties,
        "required": schema.get("required", ["title"]),
        "additionalProperties": False,
        "$defs": {
            **schema.get("$defs", {}),
            **comment_schema.get("$defs", {}),
            "CommentDocument": {k: v for k, v in comment_schema.items() if k != "$defs"},
        },
    }
