"""Which claims stand: evaluation of a stored map, and its attack structure for ICCMA solvers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import SettingsDep, StoreDep
from api.settings import Settings
from maps.evaluation import evaluate
from maps.formats import iccma
from models import ArgumentMap
from models.evaluation import Evaluation, GradualName, SemanticsName, SupportMode

router = APIRouter(tags=["evaluation"])

SemanticsQuery = Annotated[
    SemanticsName,
    Query(description="grounded (default), or preferred / stable (credulous and sceptical)."),
]
SupportQuery = Annotated[
    SupportMode,
    Query(
        description="loose: supports never defeat; evidential: a claim not marked accepted "
        "stands only while one of its supports stands."
    ),
]
GradualQuery = Annotated[
    GradualName, Query(description="Gradual strength: dfquad or quadratic_energy.")
]
DepthQuery = Annotated[
    int | None,
    Query(ge=1, le=32, description="Depth of the defence trees (default: the server setting)."),
]
RevisionPath = Annotated[int, Path(ge=1, description="Revision number.")]


def _evaluate(
    argument_map: ArgumentMap,
    settings: Settings,
    semantics: str,
    support: str,
    gradual: str,
    depth: int | None,
) -> Response:
    # The result is written as JSON directly: handing the model to FastAPI would validate its
    # ten thousand nested models again, several times the cost of the evaluation itself.
    result = evaluate(
        argument_map.content(),
        semantics=semantics,
        support=support,
        gradual=gradual,
        budget_seconds=settings.evaluation_budget_seconds,
        explanation_depth=depth or settings.explanation_depth,
        version=argument_map.version,
    )
    return Response(content=result.json_bytes(), media_type="application/json")


@router.get("/maps/{map_id}/evaluation", response_model=Evaluation)
def map_evaluation(
    map_id: str,
    store: StoreDep,
    settings: SettingsDep,
    semantics: SemanticsQuery = "grounded",
    support: SupportQuery = "loose",
    gradual: GradualQuery = "dfquad",
    depth: DepthQuery = None,
) -> Response:
    """Labels, strengths, proof standards and explanations of every claim and relation."""
    return _evaluate(store.get_map(map_id), settings, semantics, support, gradual, depth)


@router.get("/maps/{map_id}/revisions/{number}/evaluation", response_model=Evaluation)
def revision_evaluation(
    map_id: str,
    number: RevisionPath,
    store: StoreDep,
    settings: SettingsDep,
    semantics: SemanticsQuery = "grounded",
    support: SupportQuery = "loose",
    gradual: GradualQuery = "dfquad",
    depth: DepthQuery = None,
) -> Response:
    """The evaluation of the map as it was at revision `number`."""
    return _evaluate(
        store.get_revision(map_id, number), settings, semantics, support, gradual, depth
    )


def _attacks(argument_map: ArgumentMap, support: str, fmt: str) -> PlainTextResponse:
    af = iccma.dung_framework(argument_map.content(), support=support)
    if fmt == "apx":
        text = iccma.dumps_apx(af, title=argument_map.title)
    else:
        text = iccma.dumps_i23(af, title=argument_map.title)
    filename = f"{argument_map.id}-v{argument_map.version}.{fmt}"
    return PlainTextResponse(
        text, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/maps/{map_id}/evaluation/attacks.{fmt}", response_class=PlainTextResponse)
def map_attacks(
    map_id: str,
    fmt: Annotated[str, Path(pattern="^(i23|apx)$", description="i23 (p af N) or apx.")],
    store: StoreDep,
    support: SupportQuery = "loose",
) -> PlainTextResponse:
    """The map's attack structure in an ICCMA format, with the id side table as comments."""
    return _attacks(store.get_map(map_id), support, fmt)
