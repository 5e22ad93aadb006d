"""Browser entry points outside the API: the admin's login link and share links.

`/login?token=…` signs the browser in with an API token (the login link `argmap serve`
prints) and goes to the map list; `/join/<token>` and `/join/g/<token>` open the web app's
join page, which asks a guest for a display name. Tokens travel on in the URL's fragment, which
browsers never send to a server.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse

from api.auth.access import AnyoneDep
from api.auth.caller import PeopleDep
from api.auth.sessions import start_session
from api.deps import SettingsDep
from api.responses import answers, operation_id

router = APIRouter(tags=["pages"], generate_unique_id_function=operation_id)
Token = Annotated[str, Path(max_length=200)]
SEE_OTHER = {303: {"description": "On to the web app."}} | answers(422)


@router.get("/login", status_code=303, response_class=RedirectResponse, responses=SEE_OTHER)
def login_page(
    request: Request,
    caller: AnyoneDep,
    people: PeopleDep,
    settings: SettingsDep,
    token: Annotated[str | None, Query(max_length=200, description="An API token.")] = None,
) -> RedirectResponse:
    """Sign in with a token (the login link), or open the sign-in page."""
    if token is None:
        return RedirectResponse("/#/login", status_code=303)
    user = people.token_user(token)
    if user is None:
        return RedirectResponse("/#/login?error=token", status_code=303)
    response = RedirectResponse("/#/", status_code=303)
    start_session(response, request, people=people, settings=settings, user_id=user.id)
    return response


@router.get("/join/{token}", status_code=303, response_class=RedirectResponse, responses=SEE_OTHER)
def join_page(token: Token, caller: AnyoneDep) -> RedirectResponse:
    """Open a map's share link in the web app."""
    return RedirectResponse(f"/#/join/{token}", status_code=303)


@router.get(
    "/join/g/{token}", status_code=303, response_class=RedirectResponse, responses=SEE_OTHER
)
def join_group_page(token: Token, caller: AnyoneDep) -> RedirectResponse:
    """Open a group's invite link in the web app."""
    return RedirectResponse(f"/#/join/g/{token}", status_code=303)
