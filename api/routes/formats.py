"""Import and export: Argdown, AIF, Kialo, native JSON in; those plus GraphML, Markdown, DOT out."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from api.auth.access import AnyoneDep, CanView, SignedInDep
from api.deps import AuthorDep, SettingsDep, StoreDep
from api.responses import READ, answers, link, links, operation_id
from api.routes.comments import CommentsDep, targets
from api.routes.maps import map_body
from api.settings import Settings
from api.store.comments import CommentStore, documents_of
from api.store.repository import ADMIN_ID
from api.work import Workload
from maps.formats import native, registry
from maps.formats.common import ImportLimits
from models import InvalidInputError, LimitExceededError, MapContent
from models.comments import CommentDocument
from models.report import ConversionReport, FormatInfo, ImportResult
from models.text import TITLE_MAX

router = APIRouter(tags=["formats"], generate_unique_id_function=operation_id)

FORMAT_HELP = "Detected from the file when left out."
# What an export is served as: each format's own type (native and AIF as JSON, the rest as text).
EXPORT_TYPES = {
    media_type: {"schema": {"type": "object" if media_type.endswith("json") else "string"}}
    for media_type in sorted(
        {registry.FORMATS[name].content_type.split(";")[0] for name in registry.EXPORT_FORMATS}
    )
}


def import_limits(settings: Settings) -> ImportLimits:
    """The import limits of these settings (shared with the CLI)."""
    return ImportLimits(
        max_bytes=settings.import_max_bytes,
        max_claims=settings.max_claims_per_map,
        max_relations=settings.max_relations_per_map,
        timeout_seconds=settings.import_timeout_seconds,
        max_text=settings.max_claim_text,
    )


async def _upload(request: Request, limit: int) -> tuple[bytes, str | None]:
    """The uploaded file: the `file` part of a multipart form, or the raw request body."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10, max_part_size=limit + 1)
        try:
            upload = form.get("file")
            if isinstance(upload, str):  # a file part sent with an empty file name
                data, name = upload.encode("utf-8"), None
            elif isinstance(upload, UploadFile):
                data = await upload.read(limit + 1)
                name = upload.filename
            else:
                raise InvalidInputError(
                    "send the file as the form field 'file' (or as the raw request body)",
                    loc=("body", "file"),
                )
        finally:
            await form.close()
    else:
        data = await request.body()
        name = None
    if len(data) > limit:
        raise LimitExceededError(
            f"the file is larger than the limit of {limit} bytes (ARGMAP_IMPORT_MAX_BYTES)",
            loc=("body",),
        )
    if not data.strip():
        raise InvalidInputError("the file is empty", loc=("body",))
    return data, name


@router.post(
    "/maps/import",
    status_code=201,
    response_model=ImportResult,
    responses=answers(400, 409, 413, 422, 503)
    | links(201, get_map=link(map_id="$response.body#/map/id")),
)
async def import_map(
    caller: SignedInDep,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    author: AuthorDep,
    comments: CommentsDep,
    format: Annotated[str | None, Query(description=FORMAT_HELP, max_length=20)] = None,
    title: Annotated[
        str | None, Query(max_length=TITLE_MAX, description="Title of the new map.")
    ] = None,
    filename: Annotated[
        str | None, Query(max_length=255, description="Name of the file, for detection.")
    ] = None,
) -> JSONResponse:
    """Import a map from a file (multipart `file` or raw body): native (with its comments),
    argdown, aif or kialo."""
    limits = import_limits(settings)
    data, upload_name = await _upload(request, limits.max_bytes)

    def convert() -> tuple[MapContent, ConversionReport, list[CommentDocument]]:
        content, report = registry.import_map(
            data,
            format=format,
            filename=filename or upload_name,
            limits=limits,
            title=title.strip() if title and title.strip() else None,
        )
        found = _comments_in(data, content, settings) if report.format == "native" else []
        if found:
            report.count("comments", len(found))
        return content, report, found

    # Parse and validate the whole file first; only a complete map is ever stored.
    work: Workload = request.app.state.work  # a turn of the bounded work (api/work.py)
    content, report, found = await run_in_threadpool(work.run, convert)
    created = await run_in_threadpool(
        store.create_map,
        content,
        author=author,
        description=f"import from {report.format}",
        owner_id=caller.user.id if caller.user else ADMIN_ID,
    )
    await run_in_threadpool(comments.add_documents, created.id, found)
    body = ImportResult(map=map_body(created), report=report)
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/api/v1/maps/{created.id}", "ETag": f'"{created.version}"'},
    )


def _comments_in(data: bytes, content: MapContent, settings: Settings) -> list[CommentDocument]:
    """The comments of a native file, within the comment limits."""
    found = native.comments_of(native.parse(registry.decode(data)), content)
    if len(found) > settings.max_comments_per_map:
        raise LimitExceededError(
            f"{len(found)} comments exceed the limit of {settings.max_comments_per_map} per map "
            "(ARGMAP_MAX_COMMENTS_PER_MAP)",
            loc=("comments",),
        )
    for index, comment in enumerate(found):
        if len(comment.text) > settings.max_comment_text:
            raise InvalidInputError(
                f"a comment has at most {settings.max_comment_text} characters "
                "(ARGMAP_MAX_COMMENT_TEXT)",
                loc=("comments", index, "text"),
            )
    return found


def _exported(
    store: Any, comments: CommentStore, map_id: str, format: str, version: int | None
) -> tuple[Any, ...]:
    """The map (or a revision) in a format; the native format also carries its comments.

    Comments on elements the exported map does not hold are left out, as the API hides them.
    """
    argument_map = store.get_map(map_id) if version is None else store.get_revision(map_id, version)
    content = argument_map.content()
    data, found, report = registry.export_map(content, format)
    present = targets(content)
    kept = documents_of(c for c in comments.comments(map_id) if c.target in present)
    if found.name == "native" and kept:
        data = native.dumps(content, comments=kept).encode("utf-8")
        report.count("comments", len(kept))
    else:
        for comment in kept:
            report.drop(
                "comment",
                f"{found.name} has no place for comments; the native format carries them",
                element=comment.target,
            )
    return argument_map, data, found, report


@router.get(
    "/maps/{map_id}/export",
    response_class=Response,
    responses={200: {"content": EXPORT_TYPES}, **answers(*READ)},
)
def export_map(
    allowed: CanView,
    map_id: str,
    store: StoreDep,
    comments: CommentsDep,
    format: Annotated[
        str, Query(description="native, argdown, aif, kialo, graphml, markdown or dot")
    ] = "native",
    version: Annotated[int | None, Query(ge=1, description="Export this revision instead.")] = None,
) -> Response:
    """Download a map in an interchange format (as an attachment named after its title)."""
    argument_map, data, found, report = _exported(store, comments, map_id, format, version)
    name = registry.file_name(argument_map.title, found)
    return Response(
        content=data,
        media_type=found.content_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}",
            "X-Argmap-Not-Carried": str(len(report.not_carried) + report.omitted),
        },
    )


@router.get(
    "/maps/{map_id}/export/report", response_model=ConversionReport, responses=answers(*READ)
)
def export_report(
    allowed: CanView,
    map_id: str,
    store: StoreDep,
    comments: CommentsDep,
    format: Annotated[str, Query(description="An export format.")] = "native",
    version: Annotated[int | None, Query(ge=1)] = None,
) -> ConversionReport:
    """What an export in this format would carry over, and what it would leave out."""
    report: ConversionReport = _exported(store, comments, map_id, format, version)[3]
    return report


@router.get("/formats", response_model=list[FormatInfo])
def list_formats(
    caller: AnyoneDep,
) -> list[FormatInfo]:
    """The formats argmap reads and writes."""
    return registry.formats()


@router.get(
    "/schema/map.json",
    response_class=Response,
    responses={200: {"content": {"application/schema+json": {"schema": {"type": "object"}}}}},
)
def map_schema(
    caller: AnyoneDep,
) -> JSONResponse:
    """The JSON Schema of the native map document."""
    return JSONResponse(native.json_schema(), media_type="application/schema+json")
