"""Request body limits, enforced before a route reads the body: its size, and how long it may
take to arrive (a body sent at a byte a second is cut off with 408)."""

from __future__ import annotations

import asyncio
import json
import time

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; FastAPI passes HTTP exceptions through as they are."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=BodySizeLimit.message(limit))


class BodyTooSlow(HTTPException):
    def __init__(self, seconds: float) -> None:
        super().__init__(status_code=408, detail=BodySizeLimit.slow_message(seconds))


class BodySizeLimit:
    """Reject bodies over the configured size with 413, whether or not Content-Length is sent,
    and bodies that take longer than ARGMAP_BODY_TIMEOUT_SECONDS to arrive with 408."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, path: str) -> int:
        if path.endswith("/maps/import"):
            return self.settings.import_max_bytes
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope.get("path", ""))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._reject(
                        send,
                        400,
                        "Content-Length is not a number",
                        loc=["header", "Content-Length"],
                    )
                    return
                if declared > limit:
                    await self._reject(send, 413, self.message(limit))
                    return
        received = 0
        response_started = False
        body_done = False
        timeout = self.settings.body_timeout_seconds
        deadline = time.monotonic() + timeout

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # later receives wait for a disconnect (an event stream's, say)
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), deadline - time.monotonic())
            except TimeoutError:
                raise BodyTooSlow(timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                body_done = not message.get("more_body", False)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await self._reject(send, 413, self.message(limit))
        except BodyTooSlow:
            if not response_started:
                await self._reject(send, 408, self.slow_message(timeout))

    @staticmethod
    def message(limit: int) -> str:
        return f"request body is larger than the limit of {limit} bytes (ARGMAP_MAX_BODY_BYTES)"

    @staticmethod
    def slow_message(seconds: float) -> str:
        return f"the request body did not arrive within {seconds:g} s (ARGMAP_BODY_TIMEOUT_SECONDS)"

    @staticmethod
    async def _reject(
        send: Send, status: int, detail: str, *, loc: list[str] | None = None
    ) -> None:
        body = json.dumps({"detail": detail, "loc": ["body"] if loc is None else loc}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
