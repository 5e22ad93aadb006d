"""The OpenAPI document, with what only the running app knows: its settings and OPTIONS answers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.methods import methods_by_path
from api.settings import Settings

Document = dict[str, Any]
OPERATION_METHODS = ("get", "put", "post", "delete", "patch", "head", "trace")


def _operations(document: Document) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(path item, operation) of every operation in the document."""
    return [
        (item, operation)
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in OPERATION_METHODS
    ]


def bound_page_size(document: Document, settings: Settings) -> None:
    """`limit` may be at most the page size the settings allow (the routes check it)."""
    for _item, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] == "limit":
                schema = parameter["schema"]
                for option in schema.get("anyOf", [schema]):
                    if option.get("type") == "integer":
                        option["maximum"] = settings.page_size_max


def errors_as_json(document: Document) -> None:
    """Error bodies are JSON even where the success is text (FastAPI files them under its type)."""
    for _item, operation in _operations(document):
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            if int(status) >= 400 and content and "application/json" not in content:
                response["content"] = {"application/json": next(iter(content.values()))}


def describe_options(document: Document) -> None:
    """Document OPTIONS on every path: 204 with the path's methods in `Allow` (api/methods.py)."""
    paths = methods_by_path(document)
    for path, item in document["paths"].items():
        operations = [
            operation for method, operation in item.items() if method in OPERATION_METHODS
        ]
        # OPTIONS answers for any value of a path parameter: each is just a path segment here.
        path_parameters = [
            {"name": p["name"], "in": "path", "required": True, "schema": {"type": "string"}}
            for p in operations[0].get("parameters", [])
            if p["in"] == "path"
        ]
        name = operations[0]["operationId"]
        item["options"] = {
            "tags": operations[0].get("tags", []),
            "summary": "The methods of this path",
            "operationId": f"options_{name}",
            "parameters": path_parameters,
            "responses": {
                "204": {
                    "description": f"No body; `Allow: {', '.join(sorted(paths[path]))}`. "
                    "Any other method is answered 405 with the same `Allow`.",
                    "headers": {"Allow": {"required": True, "schema": {"type": "string"}}},
                }
            },
        }


def install(app: FastAPI, settings: Settings) -> None:
    """Serve the document with the settings' bounds and the OPTIONS answers in it."""

    def openapi() -> Document:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            bound_page_size(document, settings)
            errors_as_json(document)
            describe_options(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
