"""argmap's own file format: the map as JSON (or its YAML twin), lossless."""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import ValidationError

from maps.formats.common import ImportLimits, check_size, count_content, load_json, load_yaml
from maps.validation import validate_content
from models import InvalidInputError, LimitExceededError, MapContent
from models.report import ConversionReport

FORMAT_MARKER = "argmap"
FORMAT_VERSION = 1


def to_document(content: MapContent) -> dict[str, Any]:
    """The map as a plain JSON-able document (derived fields such as `role` left out)."""
    body = content.model_dump(
        mode="json",
        exclude_none=True,
        exclude={"claims": {"__all__": {"role"}}},
    )
    document: dict[str, Any] = {FORMAT_MARKER: FORMAT_VERSION}
    document["title"] = body["title"]
    document["description"] = body.get("description", "")
    document["claims"] = body.get("claims", [])
    document["relations"] = body.get("relations", [])
    return document


def dumps(content: MapContent, *, indent: int | None = 2) -> str:
    return json.dumps(to_document(content), ensure_ascii=False, indent=indent) + "\n"


def dumps_yaml(content: MapContent) -> str:
    return yaml.safe_dump(to_document(content), allow_unicode=True, sort_keys=False, width=100)


def from_document(document: Any) -> MapContent:
    """Validate a parsed document and return its map."""
    if not isinstance(document, dict):
        raise InvalidInputError("the document must be an object with title, claims and relations")
    body = {k: v for k, v in document.items() if k != FORMAT_MARKER}
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


def loads(data: str, *, limits: ImportLimits | None = None) -> MapContent:
    """Read a native map from JSON or YAML text."""
    limits = limits or ImportLimits()
    check_size(data, limits)
    stripped = data.lstrip("\ufeff").lstrip()
    if stripped.startswith(("{", "[")):
        document = load_json(stripped, limits)
    else:
        document = load_yaml(stripped)
    return from_document(document)


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
    claim = schema.get("$defs", {}).get("Claim", {})
    claim.get("properties", {}).pop("role", None)
    properties = {
        FORMAT_MARKER: {
            "const": FORMAT_VERSION,
            "description": "Marks an argmap native document and its format version.",
        },
        **schema.get("properties", {}),
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
        "$defs": schema.get("$defs", {}),
    }
