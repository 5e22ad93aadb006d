"""Who may read and change a map: visibility, members, share links, groups."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Annotated

import segno
from fastapi import APIRouter, Path, Request, Response

from api.auth.access import CanView, IsOwner, MapCaller, SignedInDep
from api.auth.caller import PeopleDep
from api.responses import answers, operation_id
from api.store.people import People
from models import NotFoundError
from models.people import (
    Group,
    GroupCreate,
    GroupShare,
    Member,
    MemberRoleSet,
    MemberSet,
    Person,
    ShareLink,
    ShareLinkCreate,
    Sharing,
    VisibilitySet,
)

router = APIRouter(tags=["sharing"], generate_unique_id_function=operation_id)
Id = Annotated[str, Path(max_length=64)]
OWNER_ANSWERS = answers(400, 401, 403, 404, 422, 429, 503)


def _sharing(people: People, allowed: MapCaller) -> Sharing:
    access = allowed.access
    members = people.members(access.map_id, access.owner_id)
    viewer = allowed.caller.user.id if allowed.caller.user else None
    owner = members[0].user if members and members[0].via == "owner" else None
    return Sharing(
        visibility=access.visibility,
        your_role=access.role,
        owner=Person(id=access.owner_id, display_name=owner.display_name if owner else "?"),
        members=members[1:] if owner else members,
        groups=people.map_groups(access.map_id, viewer),
    )


@router.get("/maps/{map_id}/sharing", response_model=Sharing, responses=answers(401, 404, 422, 503))
def get_sharing(map_id: str, allowed: CanView, people: PeopleDep) -> Sharing:
    """The map's visibility, owner, members and groups, and your own role on it."""
    return _sharing(people, allowed)


@router.put("/maps/{map_id}/visibility", response_model=Sharing, responses=OWNER_ANSWERS)
def set_visibility(
    map_id: str, body: VisibilitySet, allowed: IsOwner, people: PeopleDep
) -> Sharing:
    """private (members only), link (anyone with the map's address), or public (listed)."""
    people.set_visibility(map_id, body.visibility)
    return _sharing(
        people, MapCaller(allowed.caller, replace(allowed.access, visibility=body.visibility))
    )


@router.put("/maps/{map_id}/members", response_model=list[Member], responses=OWNER_ANSWERS)
def add_member(map_id: str, body: MemberSet, allowed: IsOwner, people: PeopleDep) -> list[Member]:
    """Give a person (by username) a role on the map."""
    found = people.find_username(body.username)
    if found is None:
        raise NotFoundError(f"no user named {body.username!r}", loc=("body", "username"))
    user = found[0]
    if user.id != allowed.access.owner_id:
        people.set_member(map_id, user.id, body.role)
    return people.members(map_id, allowed.access.owner_id)


@router.patch(
    "/maps/{map_id}/members/{user_id}", response_model=list[Member], responses=OWNER_ANSWERS
)
def change_member(
    map_id: str, user_id: Id, body: MemberRoleSet, allowed: IsOwner, people: PeopleDep
) -> list[Member]:
    """Change a member's role."""
    if user_id not in {m.user.id for m in people.members(map_id, allowed.access.owner_id)[1:]}:
        raise NotFoundError(f"no member {user_id!r} on this map", loc=("path", "user_id"))
    people.set_member(map_id, user_id, body.role)
    return people.members(map_id, allowed.access.owner_id)


@router.delete("/maps/{map_id}/members/{user_id}", status_code=204, responses=OWNER_ANSWERS)
def remove_member(map_id: str, user_id: Id, allowed: IsOwner, people: PeopleDep) -> Response:
    """Take a member off the map."""
    people.remove_member(map_id, user_id)
    return Response(status_code=204)


@router.post(
    "/maps/{map_id}/links", status_code=201, response_model=ShareLink, responses=OWNER_ANSWERS
)
def create_link(
    map_id: str, body: ShareLinkCreate, allowed: IsOwner, people: PeopleDep
) -> ShareLink:
    """A share link: whoever opens it becomes a member with its role (a guest if need be)."""
    assert allowed.caller.user is not None
    return people.create_link(map_id, body.role, allowed.caller.user.id, body.expires_at)


@router.get("/maps/{map_id}/links", response_model=list[ShareLink], responses=OWNER_ANSWERS)
def list_links(map_id: str, allowed: IsOwner, people: PeopleDep) -> list[ShareLink]:
    """The map's share links."""
    return people.links(map_id)


@router.delete("/maps/{map_id}/links/{link_id}", status_code=204, responses=OWNER_ANSWERS)
def revoke_link(map_id: str, link_id: Id, allowed: IsOwner, people: PeopleDep) -> Response:
    """Revoke a link: it stops working, and guests who came only through it lose access."""
    people.revoke_link(map_id, link_id)
    return Response(status_code=204)


@router.get(
    "/maps/{map_id}/links/{link_id}/qr.svg",
    response_class=Response,
    responses={**OWNER_ANSWERS, 200: {"content": {"image/svg+xml": {}}}},
)
def link_qr(
    map_id: str, link_id: Id, request: Request, allowed: IsOwner, people: PeopleDep
) -> Response:
    """The link as a QR code (SVG), to show on a projector."""
    link = next((k for k in people.links(map_id) if k.id == link_id), None)
    if link is None:
        raise NotFoundError(f"no link {link_id!r} on this map", loc=("path", "link_id"))
    url = str(request.base_url).rstrip("/") + link.url
    out = io.BytesIO()  # a standalone SVG document (with its xmlns), which <img> can show
    segno.make(url, error="m").save(
        out, kind="svg", scale=6, border=2, dark="#111", light="#fff", xmldecl=False
    )
    return Response(out.getvalue(), media_type="image/svg+xml")


@router.post(
    "/groups",
    status_code=201,
    response_model=Group,
    responses=answers(400, 401, 403, 422, 429, 503),
)
def create_group(body: GroupCreate, caller: SignedInDep, people: PeopleDep) -> Group:
    """A study group: you are its first member; its invite link adds others."""
    assert caller.user is not None
    return people.create_group(body.name, caller.user.id)


@router.get("/groups", response_model=list[Group], responses=answers(401, 503))
def list_groups(caller: SignedInDep, people: PeopleDep) -> list[Group]:
    """The groups you belong to."""
    assert caller.user is not None
    return people.groups_of(caller.user.id)


@router.put("/maps/{map_id}/groups", response_model=Sharing, responses=OWNER_ANSWERS)
def share_with_group(map_id: str, body: GroupShare, allowed: IsOwner, people: PeopleDep) -> Sharing:
    """Share the map with a group you belong to: every member gets the role."""
    user = allowed.caller.user
    assert user is not None
    known = people.is_group_member(body.group_id, user.id) or (
        user.is_admin and people.group_exists(body.group_id)
    )
    if not known:
        raise NotFoundError(f"you are in no group {body.group_id!r}", loc=("body", "group_id"))
    people.share_with_group(map_id, body.group_id, body.role)
    return _sharing(people, allowed)


@router.delete("/maps/{map_id}/groups/{group_id}", status_code=204, responses=OWNER_ANSWERS)
def unshare_group(map_id: str, group_id: Id, allowed: IsOwner, people: PeopleDep) -> Response:
    """Stop sharing the map with a group."""
    people.unshare_group(map_id, group_id)
    return Response(status_code=204)
