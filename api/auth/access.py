"""The access rule of every operation, as dependencies that enforce it.

A route takes exactly one of the `Annotated` aliases below (or lists it in `dependencies=`);
`describe_access` writes the rule of each operation into the OpenAPI document
(`x-argmap-access`), where the authorization test reads it.

On a map: a caller who may not see the map gets 404, as for a map that does not exist (its
existence does not leak); one who may see it but whose role is too low gets 401 when not signed
in and 403 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from api.auth.caller import Caller, CallerDep, PeopleDep, read_soon
from api.store.people import Access
from maps.edit import shown
from models import ForbiddenError, NotFoundError, NotSignedInError
from models.people import at_least


class Rule(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed-in"  # any person with an account, guests included
    ADMIN = "admin"  # the instance's admin
    VIEWER = "map:viewer"  # at least viewer on the map in the path
    COMMENTER = "map:commenter"
    EDITOR = "map:editor"
    OWNER = "map:owner"
    TRASH_OWNER = "trash:owner"  # the owner of the map in the trash named in the path


@dataclass(frozen=True)
class MapCaller:
    caller: Caller
    access: Access


def _not_found(map_id: str, where: str = "among the maps") -> NotFoundError:
    return NotFoundError(f"map {shown(map_id)} not found {where}", loc=("map_id",))


def _signed_in(caller: Caller) -> Caller:
    if caller.user is None:
        why = "your session has ended" if caller.expired else "you are not signed in"
        raise NotSignedInError(f"{why}: sign in, or send a bearer token", loc=("auth",))
    return caller


class Check:
    """A dependency that enforces one rule; `rule` is what the OpenAPI document shows.

    The checks are `async` but for the rarely made `InTrash`: FastAPI runs a plain `def`
    dependency in a worker thread, a hop that costs more than a check that only looks at the
    caller. `OnMap` reads the database through `read_soon`."""

    rule: Rule


class Anyone(Check):
    rule = Rule.PUBLIC

    async def __call__(self, caller: CallerDep) -> Caller:
        return caller


class SignedIn(Check):
    rule = Rule.SIGNED_IN

    async def __call__(self, caller: CallerDep) -> Caller:
        return _signed_in(caller)


class AdminOnly(Check):
    rule = Rule.ADMIN

    async def __call__(self, caller: CallerDep) -> Caller:
        user = _signed_in(caller).user
        if user is None or not user.is_admin:
            raise ForbiddenError("only the instance's admin may do this", loc=("auth",))
        return caller


class OnMap(Check):
    def __init__(self, role: str) -> None:
        self.role = role
        self.rule = Rule(f"map:{role}")

    async def __call__(self, map_id: str, caller: CallerDep, people: PeopleDep) -> MapCaller:
        # Nearly every request makes this check: on an SQLite file it is made in the event loop,
        # where it costs less than a worker thread's hop (see `loop_reader`).
        access = await read_soon(
            people, lambda engine: people.access(map_id, caller.user, engine=engine)
        )
        if access is None or access.role is None:
            if caller.expired:
                _signed_in(caller)
            raise _not_found(map_id)
        if not at_least(access.role, self.role):
            _signed_in(caller)
            raise ForbiddenError(
                f"your role on this map is {access.role}; this needs {self.role} or higher",
                loc=("auth",),
            )
        return MapCaller(caller, access)


class InTrash(Check):
    rule = Rule.TRASH_OWNER

    def __call__(self, map_id: str, caller: CallerDep, people: PeopleDep) -> Caller:
        owner = people.trashed_owner(map_id)
        user = caller.user
        if owner is None or user is None or not (user.is_admin or user.id == owner):
            if caller.expired:
                _signed_in(caller)
            raise _not_found(map_id, "in the trash")
        return caller


AnyoneDep = Annotated[Caller, Depends(Anyone())]
SignedInDep = Annotated[Caller, Depends(SignedIn())]
AdminDep = Annotated[Caller, Depends(AdminOnly())]
CanView = Annotated[MapCaller, Depends(OnMap("viewer"))]
CanComment = Annotated[MapCaller, Depends(OnMap("commenter"))]
CanEdit = Annotated[MapCaller, Depends(OnMap("editor"))]
IsOwner = Annotated[MapCaller, Depends(OnMap("owner"))]
TrashOwner = Annotated[Caller, Depends(InTrash())]


def _rules(route: APIRoute) -> set[str]:
    found: set[str] = set()
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, Check):
            found.add(dependant.call.rule.value)
        stack.extend(dependant.dependencies)
    return found


UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def statuses(rule: str, method: str) -> list[int]:
    """What a rule can answer besides the operation's own statuses.

    Any request may carry a bearer token that is not valid (401); an unsafe one may lack its
    CSRF token or come from another site (403) or pass the write limit (429).
    """
    found = {401}
    if rule.startswith(("map:", "trash:")):
        found |= {403, 404}
    if rule == "admin":
        found.add(403)
    if method in UNSAFE_METHODS:
        found |= {403, 429}
    return sorted(found)


def describe_access(
    schema: dict[str, Any],
    routes: list[BaseRoute],
    prefix: str,
    responses: dict[int, dict[str, Any]],
) -> list[str]:
    """Write each operation's rule, and the statuses it can answer, into `schema`.

    Returns the operations that do not have exactly one rule.
    """
    problems = []
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        rules = _rules(route)
        for method in route.methods or ():
            operation = schema["paths"].get(prefix + route.path, {}).get(method.lower())
            if operation is None:
                continue
            if len(rules) != 1:
                problems.append(f"{method} {prefix}{route.path}: rules {sorted(rules)}")
                continue
            rule = next(iter(rules))
            operation["x-argmap-access"] = rule
            if rule.startswith(("signed-in", "admin", "trash:")):
                operation["security"] = [{"HTTPBearer": []}, {"APIKeyCookie": []}]
            else:  # anyone may call it (a map's rule: when the map is public)
                operation["security"] = [{}, {"HTTPBearer": []}, {"APIKeyCookie": []}]
            for status in statuses(rule, method):
                operation["responses"].setdefault(str(status), responses[status])
    return problems
