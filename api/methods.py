"""Which methods a path has: `OPTIONS` answers 204 with them in `Allow`, any other method 405.

FastAPI makes one route per method, so Starlette's own 405 names the methods of the first route
whose path matched rather than those of the path. Here `Allow` lists the methods the OpenAPI
document gives the path, and OPTIONS. As OpenAPI reads paths, a concrete path wins over a
template that also matches it: `GET /maps/import` is a 405 (that path has only POST), not a
lookup of a map named "import". A method no route of the path has (HEAD too) is a 405 rather
than a request for a file of the web app mounted at `/`.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Route

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def methods_by_path(document: dict[str, Any]) -> dict[str, list[str]]:
    """Every path of the document with the methods it answers, sorted."""
    paths = {}
    for path, item in document["paths"].items():
        methods = {method.upper() for method in item if method.upper() in METHODS}
        methods.add("OPTIONS")
        paths[path] = sorted(methods)
    return paths


def _pattern(path: str) -> re.Pattern[str]:
    """`/maps/{map_id}` as a pattern: each parameter is one path segment (or part of one)."""
    parts = re.split(r"\{[^}]+\}", path)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def _most_concrete(paths: list[str]) -> str:
    return min(paths, key=lambda path: (path.count("{"), -len(path)))


def allowed(app: FastAPI, path: str) -> str | None:
    """The `Allow` header for a request path, or None if no path of the API matches it."""
    paths = methods_by_path(app.openapi())
    matching = [template for template in paths if _pattern(template).fullmatch(path)]
    if not matching:
        return None
    return ", ".join(paths[_most_concrete(matching)])


async def _method_not_allowed(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    allow = allowed(request.app, request.url.path)
    if allow is None:  # not a path of the API (the web app's files)
        return JSONResponse(
            {"detail": error.detail, "loc": []}, status_code=405, headers=error.headers
        )
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": allow})
    return JSONResponse(
        {"detail": f"{request.method} is not allowed here; this path answers {allow}", "loc": []},
        status_code=405,
        headers={"Allow": allow},
    )


async def _not_allowed(request: Request) -> Response:
    raise HTTPException(status_code=405)


def _shadowed(paths: dict[str, list[str]]) -> dict[str, list[str]]:
    """Concrete paths that a template also matches (`/maps/import` and `/maps/{map_id}`)."""
    return {
        path: methods
        for path, methods in paths.items()
        if "{" not in path
        and any(other != path and _pattern(other).fullmatch(path) for other in paths)
    }


def install(app: FastAPI) -> None:
    """Answer OPTIONS and other methods with the path's `Allow`.

    Call once the API's routes are in and before the web app is mounted at `/`.
    """
    app.add_exception_handler(405, _method_not_allowed)
    paths = methods_by_path(app.openapi())
    for path, methods in _shadowed(paths).items():
        others = [method for method in METHODS if method not in methods]
        app.router.routes.insert(0, Route(path, _not_allowed, methods=others))
    for path in paths:  # after the real routes: whatever method they leave
        app.router.routes.append(Route(path, _not_allowed))
