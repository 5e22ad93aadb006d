"""Browser safety on every response: CSP (no framing), nosniff, referrer policy; allowed hosts.

- `Content-Security-Policy` as a response header (the web app's policy, `frame-ancestors
  'none'` included), and `X-Frame-Options: DENY` for older browsers: nobody can frame the app.
- `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` (share-link tokens must
  not leak through the Referer header).
- A `Host` outside `ARGMAP_ALLOWED_HOSTS` gets 400 (starlette's TrustedHostMiddleware), so a
  DNS-rebinding page cannot reach an instance on 127.0.0.1.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings

APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# FastAPI's /docs page loads Swagger UI from a CDN: it keeps only the framing rule.
DOCS_POLICY = "frame-ancestors 'none'"
DOCS = ("/docs", "/redoc")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"].startswith(DOCS) else APP_POLICY
        extra = [
            (b"content-security-policy", policy.encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                # A response with a stricter policy of its own (an SVG diagram) keeps it.
                headers.extend(item for item in extra if item[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middleware: the headers go on every answer, the host check's 400 too."""
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
