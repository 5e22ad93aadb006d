"""Who is calling: a bearer token, a session cookie, or nobody; and the checks on unsafe requests.

- `Authorization: Bearer <token>` names a person by a personal API token. A wrong or revoked
  token is 401, whatever the operation. Bearer requests need no CSRF token: a browser never
  adds that header by itself.
- The `argmap_session` cookie names a person by a session. An unsafe request (POST, PUT, PATCH,
  DELETE) made with it must carry the session's CSRF token in `X-CSRF-Token`.
- Any unsafe request that is not a bearer one is refused when the browser says it comes from
  another site (`Origin` of another origin, or `Sec-Fetch-Site` other than same-origin/none).
- Unsafe requests of signed-in people count against the write rate limit (the admin is exempt).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from api.auth.ratelimit import RateLimits
from api.quotas import Quotas
from api.store.people import People
from models import ForbiddenError, NotSignedInError
from models.people import Person, User

T = TypeVar("T")
SESSION_COOKIE = "argmap_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

bearer_scheme = HTTPBearer(auto_error=False, description="A personal API token.")
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    description="A browser session; unsafe requests also need the X-CSRF-Token header.",
)


@dataclass(frozen=True)
class Caller:
    user: User | None
    via: str  # "bearer", "cookie" or "anonymous"
    session_id: str | None = None
    csrf_token: str | None = None
    expired: bool = False  # came with a session cookie that no longer signs anybody in

    @property
    def person(self) -> Person | None:
        if self.user is None:
            return None
        return Person(id=self.user.id, display_name=self.user.display_name)


# The dependencies here are `async` when they do no I/O: FastAPI runs a plain `def` one in a
# worker thread, a hop of about 0.13 ms of CPU (a fifth of a whole request to a bare endpoint).


async def people_of(request: Request) -> People:
    people: People = request.app.state.people
    return people


async def rate_limits_of(request: Request) -> RateLimits:
    limits: RateLimits = request.app.state.rate_limits
    return limits


async def current_caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Caller:
    """The caller of this request (worked out once per request); the database is asked only
    when the request names somebody: in the event loop on an SQLite file (`read_soon`), in a
    worker thread otherwise, where what that writes or counts is done in the same hop."""
    cached: Caller | None = getattr(request.state, "caller", None)
    if cached is not None:
        return cached
    people: People = request.app.state.people
    if bearer is None and not cookie:
        caller, due = Caller(None, "anonymous"), None
    elif people.loop_reader is None:
        caller = await run_in_threadpool(_identify, request, people, bearer, cookie)
        request.state.caller = caller
        return caller
    else:
        caller, due = await read_soon(
            people, lambda engine: _lookup(people, bearer, cookie, engine=engine)
        )
    if due is not None or (request.method in UNSAFE and _counted(caller) is not None):
        await run_in_threadpool(_settle, request, people, caller, due)  # writes, or counts
    else:
        _settle(request, people, caller, None)  # at most an unsafe request's headers
    request.state.caller = caller
    return caller


async def read_soon(people: People, read: Callable[[Engine | None], T]) -> T:
    """`read(engine)` in the event loop through its own connection on an SQLite file
    (`People.loop_reader`); in a worker thread through the store's engine (`None`) on
    PostgreSQL, or when the file is busy (a WAL reader rarely is, and waits only briefly)."""
    if people.loop_reader is not None:
        try:
            return read(people.loop_reader)
        except OperationalError:
            pass  # busy: a worker thread waits for the file (another failure is raised there)
    return await run_in_threadpool(read, None)


def _identify(
    request: Request,
    people: People,
    bearer: HTTPAuthorizationCredentials | None,
    cookie: str | None,
) -> Caller:
    caller, due = _lookup(people, bearer, cookie)
    _settle(request, people, caller, due)
    return caller


def _settle(request: Request, people: People, caller: Caller, due: str | None) -> None:
    """What working out the caller writes or counts: a token's use noted (when due), and the
    checks of an unsafe request (a person's writes count against their quotas)."""
    if due is not None:
        people.note_token_use(due)
    if request.method in UNSAFE:
        _check_unsafe(request, caller)


def _lookup(
    people: People,
    bearer: HTTPAuthorizationCredentials | None,
    cookie: str | None,
    *,
    engine: Engine | None = None,
) -> tuple[Caller, str | None]:
    """Who the bearer token or the session cookie names, and the id of a token whose use is due
    to be noted (`People.find_token`)."""
    if bearer is not None:
        found = people.find_token(bearer.credentials, engine=engine)
        if found is None:
            raise NotSignedInError(
                "the bearer token is not valid: it may have been revoked",
                loc=("header", "Authorization"),
            )
        user, token_id, due = found
        return Caller(user, "bearer"), token_id if due else None
    if cookie:
        session = people.session_user(cookie, engine=engine)
        if session is None:
            return Caller(None, "anonymous", expired=True), None
        user, csrf, session_id = session
        return Caller(user, "cookie", session_id=session_id, csrf_token=csrf), None
    return Caller(None, "anonymous"), None


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def _check_unsafe(request: Request, caller: Caller) -> None:
    if caller.via == "bearer":
        _count_write(request, caller)
        return
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        raise ForbiddenError(
            f"a request from another site ({origin[:100]}) is refused", loc=("header", "Origin")
        )
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise ForbiddenError(f"a {fetch_site} request is refused", loc=("header", "Sec-Fetch-Site"))
    if caller.via == "cookie":
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent.encode(), (caller.csrf_token or "").encode()):
            raise ForbiddenError(
                f"missing or wrong {CSRF_HEADER}: send the csrf_token of GET /api/v1/auth/session",
                loc=("header", CSRF_HEADER),
            )
        _count_write(request, caller)


def _counted(caller: Caller) -> User | None:
    """The person whose unsafe requests count against the rate limit and the quotas: anybody
    signed in but the admin."""
    user = caller.user
    return user if user is not None and not user.is_admin else None


def _count_write(request: Request, caller: Caller) -> None:
    user = _counted(caller)
    if user is not None:
        limits: RateLimits = request.app.state.rate_limits
        limits.hit("writes", user.id)
        if not request.url.path.endswith("/presence"):  # saying what one edits stores nothing
            quotas: Quotas = request.app.state.quotas
            quotas.check(user, path=request.url.path)


CallerDep = Annotated[Caller, Depends(current_caller)]
PeopleDep = Annotated[People, Depends(people_of)]
RateLimitsDep = Annotated[RateLimits, Depends(rate_limits_of)]
