"""Liveness and what the service runs on."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from fastapi import APIRouter

from api.auth.access import AnyoneDep
from api.deps import SettingsDep, StoreDep
from api.responses import answers, operation_id
from maps.diagram.render import engine_info
from maps.evaluation import kernels_ready

router = APIRouter(tags=["service"], generate_unique_id_function=operation_id)


@router.get("/health", responses=answers(503))
def health(caller: AnyoneDep, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Whether the service is up; for the admin also which database and diagram engine it
    uses, and whether the compiled evaluation kernels are loaded."""
    if caller.user is None or not caller.user.is_admin:
        return {"status": "ok"}
    return {
        "status": "ok",
        "version": version("argmap"),
        "database": store.engine.dialect.name,
        "maps": store.count_maps(),
        "diagram_engine": engine_info(settings.render_engine),
        # Whether evaluations run through the compiled kernels yet (loaded after start-up).
        "compiled_kernels": kernels_ready(),
    }
