"""Which claims stand: evaluation of a stored map, and its attack structure for ICCMA solvers."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, NamedTuple

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import PlainTextResponse, Response

from api.auth.access import CanView
from api.deps import SettingsDep, StoreDep
from api.render_cache import Rendered, app_cache, cached_or_made, etag_for
from api.responses import READ, answers, operation_id
from api.settings import Settings
from api.store import Store
from maps.evaluation import evaluate, what_would_change
from maps.evaluation.framework import dung_framework
from maps.formats import iccma
from models import ArgumentMap
from models.evaluation import (
    Evaluation,
    GradualName,
    Move,
    ProofStandardName,
    SemanticsName,
    SupportMode,
)

router = APIRouter(tags=["evaluation"], generate_unique_id_function=operation_id)

SemanticsQuery = Annotated[
    SemanticsName | None,
    Query(
        description="grounded, or preferred / stable (credulous and sceptical). Default: the "
        "map's rule of decision."
    ),
]
SupportQuery = Annotated[
    SupportMode | None,
    Query(
        description="loose: supports never defeat; evidential: a claim not marked accepted "
        "stands only while one of its supports stands. Default: the map's rule of decision."
    ),
]
GradualQuery = Annotated[
    GradualName | None,
    Query(
        description="Gradual strength: dfquad or quadratic_energy. Default: the map's rule of "
        "decision."
    ),
]
StandardQuery = Annotated[
    ProofStandardName | None,
    Query(
        description="The proof standard `meets_standard` answers: scintilla, preponderance or "
        "dialectical_validity. Default: the map's rule of decision."
    ),
]
DepthQuery = Annotated[
    int | None,
    Query(ge=1, le=32, description="Depth of the defence trees (default: the server setting)."),
]
RevisionPath = Annotated[int, Path(ge=1, description="Revision number.")]
IfNoneMatch = Annotated[str | None, Header()]


class EvaluationOptions(NamedTuple):
    """The options from the query string; None: the map's rule of decision decides."""

    semantics: str | None
    support: str | None
    gradual: str | None
    proof_standard: str | None
    depth: int | None


def evaluation_options(
    semantics: SemanticsQuery = None,
    support: SupportQuery = None,
    gradual: GradualQuery = None,
    proof_standard: StandardQuery = None,
    depth: DepthQuery = None,
) -> EvaluationOptions:
    """The evaluation options from the query string."""
    return EvaluationOptions(semantics, support, gradual, proof_standard, depth)


OptionsDep = Annotated[EvaluationOptions, Depends(evaluation_options)]


# Part of every cache key and ETag: bump it when the evaluation of the same map changes.
EVALUATION_VERSION = 5  # 5: the map's rule of decision, meets_standard (issue 15)


def _evaluate(
    request: Request,
    store: Store,
    settings: Settings,
    map_id: str,
    revision: int | None,
    options: EvaluationOptions,
    if_none_match: str | None,
    current: int,
) -> Response:
    """The evaluation as JSON, from the app's cache when this version was evaluated already.

    Keys name everything the result depends on (map id, version or revision, options, the time
    budget), so an entry never goes stale; a matching `If-None-Match` gets its 304 without
    evaluating, even after the entry was evicted.
    """
    semantics, support, gradual, proof_standard, depth = options
    depth = depth or settings.explanation_depth
    which = "map" if revision is None else "revision"

    def key_for(version: int) -> Hashable:
        return (
            map_id,
            which,
            version,
            semantics,
            support,
            gradual,
            proof_standard,
            depth,
            settings.explanation_max_nodes,
            settings.evaluation_budget_seconds,
            settings.evaluation_move_budget,
            EVALUATION_VERSION,
        )

    def make(loaded: ArgumentMap, key: Hashable) -> Rendered:
        # Written as JSON directly: handing the model to FastAPI would validate its ten
        # thousand nested models again, several times the cost of the evaluation itself.
        result = evaluate(
            loaded.content(),
            semantics=semantics,
            support=support,
            gradual=gradual,
            proof_standard=proof_standard,
            budget_seconds=settings.evaluation_budget_seconds,
            explanation_depth=depth,
            explanation_max_nodes=settings.explanation_max_nodes,
            move_budget=settings.evaluation_move_budget,
            version=loaded.version,
        )
        return Rendered(body=result.json_bytes(), etag=etag_for(key, "e"))

    cache = app_cache(
        request.app,
        name="evaluation_cache",
        max_entries=settings.evaluation_cache_entries,
        max_bytes=settings.evaluation_cache_bytes,
    )
    cached = cached_or_made(
        cache,
        store,
        map_id,
        revision,
        key_for=key_for,
        make=make,
        if_none_match=if_none_match,
        kind="e",
        work=request.app.state.work,
        current=current,
    )
    if isinstance(cached, Response):
        return cached
    return Response(
        content=cached.body,
        media_type="application/json",
        headers={"ETag": cached.etag, "Cache-Control": "no-cache"},
    )


@router.get("/maps/{map_id}/evaluation", response_model=Evaluation, responses=answers(304, *READ))
def map_evaluation(
    allowed: CanView,
    map_id: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    options: OptionsDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Labels, strengths, proof standards and explanations of every claim and relation.

    Each version of a map is evaluated once per set of options: later requests are served from
    a cache, and the ETag lets a client revalidate (304) without a body.
    """
    return _evaluate(
        request, store, settings, map_id, None, options, if_none_match, allowed.access.version
    )


@router.get(
    "/maps/{map_id}/revisions/{number}/evaluation",
    response_model=Evaluation,
    responses=answers(304, *READ),
)
def revision_evaluation(
    allowed: CanView,
    map_id: str,
    number: RevisionPath,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    options: OptionsDep,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The evaluation of the map as it was at revision `number`."""
    return _evaluate(
        request, store, settings, map_id, number, options, if_none_match, allowed.access.version
    )


def _attacks(argument_map: ArgumentMap, support: str, fmt: str) -> PlainTextResponse:
    af = dung_framework(argument_map.content(), support=support)
    if fmt == "apx":
        text = iccma.dumps_apx(af, title=argument_map.title)
    else:
        text = iccma.dumps_i23(af, title=argument_map.title)
    filename = f"{argument_map.id}-v{argument_map.version}.{fmt}"
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get(
    "/maps/{map_id}/evaluation/attacks.{fmt}",
    response_class=PlainTextResponse,
    responses=answers(*READ),
)
def map_attacks(
    allowed: CanView,
    map_id: str,
    fmt: Annotated[str, Path(pattern="^(i23|apx)$", description="i23 (p af N) or apx.")],
    store: StoreDep,
    support: SupportQuery = None,
) -> PlainTextResponse:
    """The map's attack structure in an ICCMA format, with the id side table as comments."""
    argument_map = store.get_map(map_id)
    return _attacks(argument_map, support or argument_map.rule.support, fmt)


@router.get(
    "/maps/{map_id}/evaluation/claims/{claim_id}/changes",
    response_model=list[Move],
    responses=answers(*READ),
)
def claim_changes(
    allowed: CanView,
    map_id: str,
    claim_id: str,
    store: StoreDep,
    settings: SettingsDep,
    semantics: SemanticsQuery = None,
    support: SupportQuery = None,
) -> list[Move]:
    """The single moves that would change one claim's verdict, searched without the budget."""
    return what_would_change(
        store.get_map(map_id).content(),
        claim_id,
        semantics=semantics,
        support=support,
        budget_seconds=settings.evaluation_budget_seconds,
    )
