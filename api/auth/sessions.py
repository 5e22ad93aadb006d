"""Starting and ending browser sessions: the `argmap_session` cookie."""

from __future__ import annotations

from fastapi import Request, Response

from api.auth.caller import SESSION_COOKIE
from api.settings import Settings
from api.store.people import People


def _secure(request: Request, settings: Settings) -> bool:
    if settings.cookie_secure == "auto":
        return request.url.scheme == "https"
    return settings.cookie_secure == "true"


def start_session(
    response: Response, request: Request, *, people: People, settings: Settings, user_id: str
) -> str:
    """Sign `user_id` in on this browser (HttpOnly, SameSite=Lax); return the CSRF token."""
    secret, csrf = people.create_session(user_id)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(settings.session_days * 86400),
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request, settings),
    )
    return csrf


def end_session_cookie(response: Response, request: Request, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request, settings)
    )
