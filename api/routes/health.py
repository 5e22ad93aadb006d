"""Liveness and what the service runs on."""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import APIRouter

from api.deps import StoreDep

router = APIRouter(tags=["service"])


def _diagram_engine() -> dict[str, Any] | None:
    try:
        render = importlib.import_module("maps.render")
    except ImportError:
        return None
    info = getattr(render, "engine_info", None)
    return info() if callable(info) else None


@router.get("/health")
def health(store: StoreDep) -> dict[str, Any]:
    """Whether the service is up, and which database and diagram engine it uses."""
    from importlib.metadata import version

    return {
        "status": "ok",
        "version": version("argmap"),
        "database": store.engine.dialect.name,
        "maps": store.count_maps(),
        "diagram_engine": _diagram_engine(),
    }
