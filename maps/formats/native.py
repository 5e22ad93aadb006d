"""argmap's own file format: the map as JSON (or its YAML twin), lossless."""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import ValidationError

from maps.validation import validate_content
from models import InvalidInputError, MapContent

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


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loading that refuses anchors and aliases (no 'billion laughs')."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InvalidInputError(
                f"YAML aliases are not accepted (line {event.start_mark.line + 1})",
                loc=("line", event.start_mark.line + 1),
            )
        return super().compose_node(parent, index)


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


def loads(data: str) -> MapContent:
    """Read a native map from JSON or YAML text."""
    stripped = data.lstrip("\ufeff").lstrip()
    if stripped.startswith("{"):
        try:
            document = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise InvalidInputError(
                f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
                loc=("line", error.lineno),
            ) from None
    else:
        try:
            document = yaml.load(stripped, Loader=_NoAliasLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise InvalidInputError(f"invalid YAML: {error.problem}{where}") from None
        except yaml.YAMLError as error:
            raise InvalidInputError(f"invalid YAML: {error}") from None
    return from_document(document)
