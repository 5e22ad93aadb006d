"""The FastAPI application factory."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import errors, methods, openapi, security
from api.auth.access import describe_access
from api.auth.bootstrap import admin_token
from api.auth.ratelimit import RateLimits
from api.events import Broker, Notice
from api.events.build import Builder
from api.events.postgres import PostgresBroker
from api.limits import BodySizeLimit
from api.quotas import Quotas
from api.responses import RESPONSES
from api.routes import (
    auth,
    claims,
    comments,
    diagrams,
    evaluation,
    events,
    formats,
    health,
    maps,
    pages,
    revisions,
    sharing,
)
from api.settings import Settings
from api.store import Store, open_store
from api.store.comments import CommentStore
from api.store.people import People
from api.store.presence import PresenceStore
from api.store.repository import ADMIN_ID
from api.work import Workload

log = logging.getLogger("argmap")
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
THREADS_FOR_REQUESTS = 40  # anyio's default number of worker threads


def load_sample_if_empty(store: Store) -> str | None:
    """Load the bundled sample map into an empty database; return its id."""
    if store.count_maps() > 0:
        return None
    from maps.samples import load_sample

    created = store.create_map(
        load_sample(),
        author="argmap",
        description="load sample map",
        owner_id=ADMIN_ID,
        visibility="public",
    )
    log.info("loaded the sample map as %s", created.id)
    return created.id


_kernels_lock = threading.Lock()
_kernels_thread: threading.Thread | None = None


def _load_kernels() -> None:
    from maps.evaluation import prepare_kernels

    started = time.perf_counter()
    try:
        ready = prepare_kernels()
    except Exception:  # pragma: no cover - the plain paths still answer every request
        log.exception("could not load the compiled evaluation kernels; using the plain paths")
        return
    if ready:
        log.info("compiled evaluation kernels ready in %.1f s", time.perf_counter() - started)
        # What loading made (numba's types and functions: some 80,000 objects) lives as long as
        # the process: out of the collector's reach, as start-up's is (see the lifespan). Left
        # in, they were nine tenths of what a full collection walked: 41-86 ms with 8 writers,
        # during which no request in flight moved.
        gc.freeze()
    else:  # pragma: no cover - numba is a dependency
        log.info("numba is not installed; evaluations use the plain paths")


def start_loading_kernels() -> None:
    """Load the compiled evaluation kernels in a background thread, once per process.

    Loading takes about 0.4 s (a few seconds the first time, when numba compiles them into its
    disk cache); requests are served meanwhile on the plain paths, with the same results.
    """
    global _kernels_thread
    with _kernels_lock:
        if _kernels_thread is None:
            _kernels_thread = threading.Thread(
                target=_load_kernels, name="argmap-kernels", daemon=True
            )
            _kernels_thread.start()


API_MODULES = (
    health,
    auth,
    maps,
    claims,
    comments,
    events,
    revisions,
    sharing,
    diagrams,
    evaluation,
    formats,
)


def _error_answer(status: int) -> dict[str, object]:
    """A status of `api.responses.RESPONSES` as an OpenAPI response (an `Error` body)."""
    declared = RESPONSES[status]
    answer: dict[str, object] = {
        "description": declared["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if "headers" in declared:
        answer["headers"] = declared["headers"]
    return answer


def _describe_access(app: FastAPI) -> None:
    """Put each operation's access rule in the OpenAPI document; refuse a route without one."""
    base = app.openapi

    def document() -> dict[str, object]:
        schema = base()
        if not schema.get("x-argmap-access-described"):
            answers = {status: _error_answer(status) for status in (401, 403, 404, 429)}
            problems = [
                *(
                    problem
                    for module in API_MODULES
                    for problem in describe_access(schema, module.router.routes, "/api/v1", answers)
                ),
                *describe_access(schema, pages.router.routes, "", answers),
            ]
            if problems:
                raise RuntimeError("routes without exactly one access rule: " + "; ".join(problems))
            schema["x-argmap-access-described"] = True
        return schema

    app.openapi = document  # type: ignore[method-assign]


def install_events(app: FastAPI, settings: Settings) -> None:
    """The broker of this process (through PostgreSQL's NOTIFY when the store is there), fed
    by every change the store commits while the app serves (from its lifespan)."""
    store: Store = app.state.store
    builder = Builder(store, app.state.comments, app.state.presence)
    limits = {
        "max_streams": settings.events_max_streams,
        "max_per_person": settings.events_max_streams_per_person,
        "queue_size": settings.events_queue,
    }
    broker: Broker
    if store.engine.dialect.name == "postgresql":
        broker = PostgresBroker(builder.build, store.engine, **limits)
    else:
        broker = Broker(builder.build, **limits)

    def changed(map_id: str, version: int) -> None:
        broker.publish(Notice(map_id, "change", {"version": version}))

    app.state.builder = builder
    app.state.broker = broker
    app.state.tell_change = changed


def _make_room_for_waiting_work(settings: Settings) -> None:
    """Give the worker threads of plain-`def` routes room for the bounded pool as well.

    A render waiting its turn in the pool (api/work.py) waits in one of these threads, of which
    anyio has 40 by default: 48 renders waiting took them all, and `/health` waited behind them
    for a free thread (5.7 s). With the pool's places added, the waiting work never takes the
    threads the small requests need.
    """
    limiter = anyio.to_thread.current_default_thread_limiter()
    room = THREADS_FOR_REQUESTS + settings.work_concurrency + settings.work_queue
    limiter.total_tokens = max(limiter.total_tokens, room)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.compiled_kernels:
            start_loading_kernels()
        # What start-up made (modules, routes, the sample) lives as long as the process: moved
        # out of the collector's reach, full collections stop landing inside requests (the
        # 1000-claim evaluation's p90 went from 80-120 ms to 18-29 ms).
        gc.freeze()
        _make_room_for_waiting_work(settings)
        await app.state.broker.start()
        app.state.store.listeners.append(app.state.tell_change)
        yield
        await app.state.broker.stop()
        app.state.store.listeners.remove(app.state.tell_change)
        app.state.people.close()
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
    app.state.people = People(app.state.store.engine, session_days=settings.session_days)
    app.state.comments = CommentStore(app.state.store.engine)
    app.state.presence = PresenceStore(
        app.state.store.engine, timeout_seconds=settings.presence_timeout_seconds
    )
    install_events(app, settings)
    app.state.rate_limits = RateLimits(settings)
    app.state.quotas = Quotas(app.state.store.engine, settings)
    app.state.work = Workload(
        running=settings.work_concurrency,
        waiting=settings.work_queue,
        wait_seconds=settings.work_wait_seconds,
    )
    app.state.admin_token = admin_token(settings, app.state.people)
    if settings.load_sample:
        load_sample_if_empty(app.state.store)
    errors.install(app)
    app.add_middleware(BodySizeLimit, settings=settings)
    security.install(app, settings)
    for module in API_MODULES:
        app.include_router(module.router, prefix="/api/v1")
    app.include_router(pages.router)
    openapi.install(app, settings)
    _describe_access(app)
    methods.install(app)
    if FRONTEND.is_dir():
        app.mount("/", StaticFiles(directory=FRONTEND, html=True), name="frontend")
    build_routes(app)
    return app


def build_routes(app: FastAPI) -> None:
    """Build every route's request handling now, in this thread, before any request is served.

    FastAPI (0.165) builds the routes of an included router lazily, at the first request that
    reaches them. Building a parameter's validator makes pydantic warn about FastAPI's own
    `Field(alias=...)`, which FastAPI silences with `warnings.catch_warnings()`; that swaps the
    process-wide filter list and is not thread-safe, so under concurrent requests another thread
    could restore the filters mid-build and the warning escape (an error under `-W error`, a
    500 in a server thread). Generating the OpenAPI document builds them all, once, here.
    """
    app.openapi()
