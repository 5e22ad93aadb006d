"""Liveness and what the service runs on."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from fastapi import APIRouter

from api.deps import SettingsDep, StoreDep
from maps.render import engine_info

router = APIRouter(tags=["service"])


@router.get("/health")
def health(store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Whether the service is up, and which database and diagram engine it uses."""
    return {
        "status": "ok",
        "version": version("argmap"),
        "database": store.engine.dialect.name,
        "maps": store.count_maps(),
        "diagram_engine": engine_info(settings.render_engine),
    }
