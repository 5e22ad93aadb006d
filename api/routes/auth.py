"""Signing in and out, your account and API tokens, joining through a link; the admin's users."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Path, Query, Request, Response

from api.auth.access import AdminDep, AnyoneDep, SignedInDep
from api.auth.caller import Caller, PeopleDep, RateLimitsDep
from api.auth.passwords import check_password, hash_password
from api.auth.sessions import end_session_cookie, start_session
from api.deps import SettingsDep
from api.responses import answers, operation_id
from models import ForbiddenError, InvalidInputError, NotFoundError, NotSignedInError
from models.people import (
    GrantedRole,
    JoinRequest,
    JoinResult,
    LoginRequest,
    ProfileUpdate,
    SessionInfo,
    TokenCreate,
    TokenCreated,
    TokenInfo,
    User,
    UserCreate,
)

router = APIRouter(tags=["people"], generate_unique_id_function=operation_id)
Token = Annotated[str, Path(max_length=200, description="The secret part of the link.")]


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/auth/session", response_model=SessionInfo, responses=answers(401, 503))
def get_session(caller: AnyoneDep) -> SessionInfo:
    """Who you are, and the CSRF token that unsafe requests with the session cookie carry."""
    return SessionInfo(user=caller.user, csrf_token=caller.csrf_token)


@router.post(
    "/auth/login", response_model=SessionInfo, responses=answers(400, 401, 403, 422, 429, 503)
)
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    caller: AnyoneDep,
    people: PeopleDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
) -> SessionInfo:
    """Sign in with a username and password: sets the session cookie."""
    limits.hit("login_address", _address(request))
    limits.hit("login", body.username.lower())
    found = people.find_username(body.username)
    user, hashed = found if found else (None, None)
    if not check_password(body.password, hashed) or user is None:
        raise NotSignedInError("wrong username or password", loc=("body", "password"))
    csrf = start_session(response, request, people=people, settings=settings, user_id=user.id)
    return SessionInfo(user=user, csrf_token=csrf)


@router.post("/auth/logout", status_code=204, responses=answers(401, 403, 422, 503))
def logout(
    request: Request,
    caller: SignedInDep,
    people: PeopleDep,
    settings: SettingsDep,
    everywhere: Annotated[bool, Query(description="End every session you have.")] = False,
) -> Response:
    """Sign out: end this session (or all of yours)."""
    assert caller.user is not None
    if everywhere:
        people.end_sessions(caller.user.id)
    elif caller.session_id is not None:
        people.end_session(caller.session_id)
    response = Response(status_code=204)
    end_session_cookie(response, request, settings)
    return response


@router.patch("/auth/me", response_model=User, responses=answers(400, 401, 403, 409, 422, 429, 503))
def update_me(body: ProfileUpdate, caller: SignedInDep, people: PeopleDep) -> User:
    """Change your display name, username or password (a guest who sets one keeps the account)."""
    assert caller.user is not None
    password_hash = None
    if body.password is not None:
        found = people.find_username(caller.user.username)
        current_hash = found[1] if found else None
        if current_hash and not check_password(body.current_password or "", current_hash):
            raise ForbiddenError("current_password is wrong", loc=("body", "current_password"))
        password_hash = hash_password(body.password)
    user = people.update_user(
        caller.user.id,
        display_name=body.display_name,
        username=body.username,
        password_hash=password_hash,
    )
    if password_hash is not None:
        people.end_sessions(user.id, keep=caller.session_id)  # other browsers sign in again
    return user


@router.post(
    "/auth/tokens",
    status_code=201,
    response_model=TokenCreated,
    responses=answers(400, 401, 403, 422, 429, 503),
)
def create_token(body: TokenCreate, caller: SignedInDep, people: PeopleDep) -> TokenCreated:
    """A personal API token for scripts and the CLI; its secret is shown this once."""
    assert caller.user is not None
    return people.create_token(caller.user.id, body.name)


@router.get("/auth/tokens", response_model=list[TokenInfo], responses=answers(401, 503))
def list_tokens(caller: SignedInDep, people: PeopleDep) -> list[TokenInfo]:
    """Your API tokens (without their secrets)."""
    assert caller.user is not None
    return people.list_tokens(caller.user.id)


@router.delete(
    "/auth/tokens/{token_id}", status_code=204, responses=answers(401, 403, 404, 422, 429, 503)
)
def revoke_token(
    token_id: Annotated[str, Path(max_length=64)], caller: SignedInDep, people: PeopleDep
) -> Response:
    """Revoke one of your API tokens."""
    assert caller.user is not None
    people.delete_token(caller.user.id, token_id)
    return Response(status_code=204)


@router.get("/users", response_model=list[User], responses=answers(401, 403, 503))
def list_users(caller: AdminDep, people: PeopleDep) -> list[User]:
    """Every account (the admin's)."""
    return people.list_users()


@router.post(
    "/users", status_code=201, response_model=User, responses=answers(400, 401, 403, 409, 422, 503)
)
def create_user(body: UserCreate, caller: AdminDep, people: PeopleDep) -> User:
    """Make an account with a password (the admin's)."""
    return people.create_user(
        body.username,
        body.display_name or body.username,
        password_hash=hash_password(body.password),
    )


def _count_join(request: Request, caller: Caller, limits: RateLimitsDep) -> None:
    """A join attempt counts against the address, and against the account when signed in."""
    limits.hit("join", _address(request))
    if caller.user is not None:
        limits.hit("join", caller.user.id)


def _joiner(
    body: JoinRequest,
    request: Request,
    response: Response,
    caller: Caller,
    people: PeopleDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
) -> tuple[User, str | None]:
    """The person who joins: the caller, or a new guest signed in on this browser."""
    if caller.user is not None:
        return caller.user, caller.csrf_token
    if caller.via == "anonymous" and not body.display_name:
        raise InvalidInputError(
            "give a display_name to join as a guest", loc=("body", "display_name")
        )
    limits.hit("accounts", _address(request))
    guest = people.create_guest(body.display_name or "Guest")
    csrf = start_session(response, request, people=people, settings=settings, user_id=guest.id)
    return guest, csrf


@router.post(
    "/join/{token}", response_model=JoinResult, responses=answers(400, 403, 404, 422, 429, 503)
)
def join_map(
    token: Token,
    body: JoinRequest,
    request: Request,
    response: Response,
    caller: AnyoneDep,
    people: PeopleDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
) -> JoinResult:
    """Open a share link: become a member of its map with its role (a guest if not signed in)."""
    _count_join(request, caller, limits)
    link = people.link_by_token(token)
    if link is None:
        raise NotFoundError(
            "this link does not work: it was revoked or has expired", loc=("path", "token")
        )
    user, csrf = _joiner(body, request, response, caller, people, limits, settings)
    access = people.access(link.map_id, user)
    role = access.role if access else None
    if role != "owner":
        role = people.set_member(
            link.map_id,
            user.id,
            cast(GrantedRole, link.role),
            link_id=link.id,
            only_raise=True,
        )
    return JoinResult(user=user, map_id=link.map_id, role=role, csrf_token=csrf)


@router.post(
    "/groups/join/{token}",
    response_model=JoinResult,
    responses=answers(400, 403, 404, 422, 429, 503),
)
def join_group(
    token: Token,
    body: JoinRequest,
    request: Request,
    response: Response,
    caller: AnyoneDep,
    people: PeopleDep,
    limits: RateLimitsDep,
    settings: SettingsDep,
) -> JoinResult:
    """Open a group's invite link: become a member of the group (a guest if not signed in)."""
    _count_join(request, caller, limits)
    group = people.group_by_token(token)
    if group is None:
        raise NotFoundError("this invite link does not work", loc=("path", "token"))
    user, csrf = _joiner(body, request, response, caller, people, limits, settings)
    people.join_group(group.id, user.id)
    return JoinResult(user=user, group_id=group.id, csrf_token=csrf)
