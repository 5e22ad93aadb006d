"""Notices between the server processes of one PostgreSQL database: `NOTIFY` and `LISTEN`.

Each process publishes a notice with `pg_notify` on a channel (after its change is committed),
and listens on the channel with a connection of its own (psycopg 3, async), handing every
notice, its own included, to its broker. When the listening connection is lost, it connects
again; the notices sent meanwhile are lost, so every stream of the process gets a `reset`
(its client reads the map again) once the listener is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from api.events.broker import Broker, Build, Notice

log = logging.getLogger("argmap")
CHANNEL = "argmap_events"
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0)


def conninfo(engine: Engine) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL engine."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PostgresBroker(Broker):
    def __init__(self, build: Build, engine: Engine, **limits: int) -> None:
        super().__init__(build, **limits)
        self.engine = engine
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    def publish(self, notice: Notice) -> None:
        if not self.started:
            return  # an app that serves nothing (a test's, say) tells nobody
        try:
            with self.engine.connect() as connection:
                connection.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": notice.to_json()},
                )
                connection.commit()
        except DBAPIError as error:  # the change is committed; its viewers catch up on reconnect
            log.info("could not announce a %s of map %s: %s", notice.kind, notice.map_id, error)

    async def start(self) -> None:
        await super().start()
        self._listener = asyncio.create_task(self._listen(), name="argmap-listen")
        # Serve only once listening: a notice sent before would be lost to this process.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), timeout=10)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await super().stop()

    async def _listen(self) -> None:
        attempt = 0
        while True:
            try:
                await self._listen_once()
            except (psycopg.Error, OSError) as error:
                wait = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                log.warning("event listener lost PostgreSQL (%s); again in %s s", error, wait)
                attempt += 1
                await asyncio.sleep(wait)

    async def _listen_once(self) -> None:
        async with await psycopg.AsyncConnection.connect(
            conninfo(self.engine), autocommit=True
        ) as connection:
            await connection.execute(f"LISTEN {CHANNEL}")
            if self._listening.is_set():
                self.reset_all()  # back after a loss: what was sent meanwhile is gone
            self._listening.set()
            async for notify in connection.notifies():
                try:
                    self.deliver(Notice.from_json(notify.payload))
                except (ValueError, KeyError, TypeError):
                    log.warning("ignored a malformed notice on %s", CHANNEL)
