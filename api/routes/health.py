"""Liveness and what the service runs on."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.auth.access import AnyoneDep
from api.deps import SettingsDep, StoreDep
from api.responses import answers, operation_id
from api.settings import Settings
from api.store import Store
from maps.diagram.render import engine_info
from maps.evaluation import kernels_ready

router = APIRouter(tags=["service"], generate_unique_id_function=operation_id)


@router.get("/health", responses=answers(503))
async def health(caller: AnyoneDep, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """Whether the service is up; for the admin also which database and diagram engine it
    uses, and whether the compiled evaluation kernels are loaded."""
    # Answered in the event loop, without a worker thread: it must stay prompt while every
    # thread is busy. Only the admin's answer asks the database (and `dot -V`, once).
    if caller.user is None or not caller.user.is_admin:
        return {"status": "ok"}
    return await run_in_threadpool(_details, store, settings)


def _details(store: Store, settings: Settings) -> dict[str, Any]:
    return {
        "status": "ok",
        "version": version("argmap"),
        "database": store.engine.dialect.name,
        "maps": store.count_maps(),
        "diagram_engine": engine_info(settings.render_engine),
        # Whether evaluations run through the compiled kernels yet (loaded after start-up).
        "compiled_kernels": kernels_ready(),
    }
