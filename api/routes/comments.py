"""Comments on the claims and relations of a map, in threads of one level."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from api.auth.access import CanComment, CanView, MapCaller
from api.deps import SettingsDep, StoreDep
from api.events import Broker, Notice
from api.responses import answers, operation_id
from api.store.comments import CommentStore
from models import ForbiddenError, InvalidInputError, LimitExceededError, MapContent
from models.comments import Comment, CommentCreate, Comments, CommentUpdate, Thread
from models.people import Person, at_least

router = APIRouter(tags=["comments"], generate_unique_id_function=operation_id)
CommentId = Annotated[str, Path(max_length=64)]
WRITE_ANSWERS = answers(400, 401, 403, 404, 413, 422, 429, 503)


def comments_of(request: Request) -> CommentStore:
    comments: CommentStore = request.app.state.comments
    return comments


CommentsDep = Annotated[CommentStore, Depends(comments_of)]


def targets(content: MapContent) -> set[str]:
    """The ids a comment may be on: the map's claims and relations."""
    return {claim.id for claim in content.claims} | {r.id for r in content.relations}


def threads(comments: list[Comment]) -> Comments:
    """Comments (oldest first) as threads, with the number of comments on each target."""
    found: dict[str, Thread] = {}
    counts: dict[str, int] = {}
    for comment in comments:
        counts[comment.target] = counts.get(comment.target, 0) + 1
        if comment.parent is None:
            found[comment.id] = Thread(**comment.model_dump())
    for comment in comments:
        if comment.parent is not None and comment.parent in found:
            found[comment.parent].replies.append(comment)
    return Comments(threads=list(found.values()), counts=counts)


def _broker(request: Request) -> Broker:
    broker: Broker = request.app.state.broker
    return broker


BrokerDep = Annotated[Broker, Depends(_broker)]


def _tell(broker: Broker, map_id: str, action: str, comment: Comment, person: Person) -> None:
    """Push the news to the map's event streams (api/events)."""
    news = {
        "action": action,
        "target": comment.target,
        "comment_id": comment.id,
        "author": person.model_dump(),
    }
    broker.publish(Notice(map_id, "comment", news))


def _person(allowed: MapCaller) -> Person:
    person = allowed.caller.person
    assert person is not None  # a commenter is signed in: nobody else holds that role
    return person


def _check_text(text: str, limit: int) -> None:
    if len(text) > limit:
        raise InvalidInputError(
            f"a comment has at most {limit} characters (ARGMAP_MAX_COMMENT_TEXT), "
            f"this one {len(text)}",
            loc=("body", "text"),
        )


@router.get(
    "/maps/{map_id}/comments", response_model=Comments, responses=answers(401, 404, 422, 503)
)
def list_comments(
    map_id: str,
    allowed: CanView,
    store: StoreDep,
    comments: CommentsDep,
    target: Annotated[
        str | None, Query(max_length=64, description="Only this claim or relation.")
    ] = None,
) -> Comments:
    """The comment threads of the map (or of one claim or relation), and counts per target."""
    present = targets(store.get_map(map_id))  # comments of a deleted element go with it
    return threads([c for c in comments.comments(map_id, target) if c.target in present])


@router.post(
    "/maps/{map_id}/comments", status_code=201, response_model=Comment, responses=WRITE_ANSWERS
)
def add_comment(
    map_id: str,
    body: CommentCreate,
    allowed: CanComment,
    store: StoreDep,
    comments: CommentsDep,
    settings: SettingsDep,
    broker: BrokerDep,
) -> Comment:
    """Comment on a claim or relation, or reply (`parent`) to a thread's first comment."""
    _check_text(body.text, settings.max_comment_text)
    if body.target not in targets(store.get_map(map_id)):
        raise InvalidInputError(
            f"no claim or relation {body.target[:64]!r} in this map", loc=("body", "target")
        )
    if body.parent is not None:
        parent = next(
            (c for c in comments.comments(map_id, body.target) if c.id == body.parent), None
        )
        if parent is None or parent.parent is not None:
            raise InvalidInputError(
                f"{body.parent[:64]!r} is not the first comment of a thread on {body.target!r}",
                loc=("body", "parent"),
            )
    if comments.count(map_id) >= settings.max_comments_per_map:
        raise LimitExceededError(
            f"this map has the most comments allowed, {settings.max_comments_per_map} "
            "(ARGMAP_MAX_COMMENTS_PER_MAP)",
            loc=("body",),
        )
    person = _person(allowed)
    comment = comments.add(
        map_id, target=body.target, text=body.text, parent=body.parent, author=person
    )
    _tell(broker, map_id, "added", comment, person)
    return comment


@router.patch(
    "/maps/{map_id}/comments/{comment_id}", response_model=Comment, responses=WRITE_ANSWERS
)
def change_comment(
    map_id: str,
    comment_id: CommentId,
    body: CommentUpdate,
    allowed: CanComment,
    comments: CommentsDep,
    settings: SettingsDep,
    broker: BrokerDep,
) -> Comment:
    """Edit your own comment's text; resolve or reopen a thread (editors and owners)."""
    comment = comments.get(map_id, comment_id)
    person = _person(allowed)
    if body.text is not None:
        _check_text(body.text, settings.max_comment_text)
        if comment.author is None or comment.author.id != person.id:
            raise ForbiddenError("only its author may edit a comment", loc=("body", "text"))
    if body.resolved is not None:
        if not at_least(allowed.access.role, "editor"):
            raise ForbiddenError(
                f"your role on this map is {allowed.access.role}; resolving a thread needs "
                "editor or higher",
                loc=("body", "resolved"),
            )
        if comment.parent is not None:
            raise InvalidInputError(
                "resolve a thread on its first comment, not on a reply", loc=("body", "resolved")
            )
    changed = comments.update(
        map_id, comment_id, text=body.text, resolved=body.resolved, resolver=person.display_name
    )
    if body.resolved is not None and body.resolved != comment.resolved:
        _tell(broker, map_id, "resolved" if body.resolved else "reopened", changed, person)
    if changed.text != comment.text:
        _tell(broker, map_id, "edited", changed, person)
    return changed


@router.delete(
    "/maps/{map_id}/comments/{comment_id}",
    status_code=204,
    responses=answers(400, 401, 403, 404, 422, 429, 503),
)
def delete_comment(
    map_id: str,
    comment_id: CommentId,
    allowed: CanComment,
    comments: CommentsDep,
    broker: BrokerDep,
) -> Response:
    """Delete your own comment (the owner may delete any); a first comment takes its replies."""
    comment = comments.get(map_id, comment_id)
    own = comment.author is not None and comment.author.id == _person(allowed).id
    if not own and not at_least(allowed.access.role, "owner"):
        raise ForbiddenError(
            "only its author or the map's owner may delete a comment", loc=("path", "comment_id")
        )
    comments.delete(map_id, comment_id)
    _tell(broker, map_id, "deleted", comment, _person(allowed))
    return Response(status_code=204)
