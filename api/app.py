"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import errors
from api.limits import BodySizeLimit
from api.routes import claims, diagrams, evaluation, formats, health, maps, revisions
from api.settings import Settings
from api.store import Store, open_store

log = logging.getLogger("argmap")
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


def load_sample_if_empty(store: Store) -> str | None:
    """Load the bundled sample map into an empty database; return its id."""
    if store.count_maps() > 0:
        return None
    from maps.samples import load_sample

    created = store.create_map(load_sample(), author="argmap", description="load sample map")
    log.info("loaded the sample map as %s", created.id)
    return created.id


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.store.engine.dispose()

    app = FastAPI(
        title="argmap",
        summary="Argument maps: claims, supports, objections, rebuttals; evaluation, diagrams, "
        "interchange formats.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store or open_store(settings)
    if settings.load_sample:
        load_sample_if_empty(app.state.store)
    errors.install(app)
    app.add_middleware(BodySizeLimit, settings=settings)
    for module in (health, maps, claims, revisions, diagrams, evaluation, formats):
        app.include_router(module.router, prefix="/api/v1")
    if FRONTEND.is_dir():
        app.mount("/", StaticFiles(directory=FRONTEND, html=True), name="frontend")
    return app
