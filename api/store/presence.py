"""Who is on a map now, and what each person edits: one row per client, in the database.

A client is an open event stream (its row lives as long as the stream, refreshed by it) or a
person who said what they edit without a stream (`PUT .../presence`), kept until the timeout.
Rows live in the database so that every server process answers alike; a row whose process died
is left behind, and is no longer shown once it has not been seen for the timeout.

    presence.arrive("s-1", "m1", ana)           # Ana opens the map
    presence.editing("m1", ana, "c7")           # ... and starts editing claim c7
    presence.people("m1")  -> [Present(id=ana.id, display_name="Ana", editing="c7")]
    presence.leave("s-1")                       # Ana closes the page
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from api.store.tables import PresenceRow
from models.events import Present
from models.people import Person

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _put_client(map_id: str, person_id: str) -> str:
    return f"put:{map_id}:{person_id}"[:48]


class PresenceStore:
    def __init__(self, engine: Engine, *, timeout_seconds: float, clock: Clock = _utc_now):
        self.engine = engine
        self._writer = engine.execution_options(argmap_write=True)  # SQLite: BEGIN IMMEDIATE
        self.timeout = timedelta(seconds=timeout_seconds)
        self.clock = clock

    def arrive(self, client: str, map_id: str, person: Person, editing: str | None = None) -> None:
        """Show `person` on the map as client `client` (a new row, or a refreshed one)."""
        with Session(self._writer) as session, session.begin():
            row = session.get(PresenceRow, client)
            if row is None:
                session.add(
                    PresenceRow(
                        client=client,
                        map_id=map_id,
                        person_id=person.id,
                        display_name=person.display_name,
                        editing=editing,
                        seen_at=self.clock(),
                    )
                )
            else:
                row.seen_at = self.clock()
                row.display_name = person.display_name

    def seen(self, client: str) -> None:
        """The client is still there."""
        with Session(self._writer) as session, session.begin():
            session.execute(
                update(PresenceRow).where(PresenceRow.client == client).values(seen_at=self.clock())
            )

    def leave(self, client: str) -> None:
        """The client is gone; with a person's last stream on the map goes what they edited."""
        with Session(self._writer) as session, session.begin():
            row = session.get(PresenceRow, client)
            if row is None:
                return
            session.delete(row)
            others = session.scalars(
                select(PresenceRow.client).where(
                    PresenceRow.map_id == row.map_id, PresenceRow.person_id == row.person_id
                )
            ).all()
            if others == [_put_client(row.map_id, row.person_id)]:
                session.execute(delete(PresenceRow).where(PresenceRow.client == others[0]))

    def editing(self, map_id: str, person: Person, target: str | None) -> None:
        """What `person` edits on the map now (None: nothing), on every client of theirs there.

        The person is also present as client `put:<map>:<person>` until the timeout, so that
        saying what one edits is enough to be shown, with or without an event stream."""
        self.arrive(_put_client(map_id, person.id), map_id, person)
        with Session(self._writer) as session, session.begin():
            session.execute(
                update(PresenceRow)
                .where(PresenceRow.map_id == map_id, PresenceRow.person_id == person.id)
                .values(editing=target, seen_at=self.clock())
            )

    def people(self, map_id: str) -> list[Present]:
        """Who is on the map, by name; what each edits (their latest word on it)."""
        since = self.clock() - self.timeout
        with Session(self.engine) as session:
            rows = session.scalars(
                select(PresenceRow)
                .where(PresenceRow.map_id == map_id, PresenceRow.seen_at >= since)
                .order_by(PresenceRow.seen_at)
            ).all()
        found: dict[str, Present] = {}
        for row in rows:  # oldest first: the latest row of a person decides
            found[row.person_id] = Present(
                id=row.person_id, display_name=row.display_name, editing=row.editing
            )
        return sorted(found.values(), key=lambda present: present.display_name.casefold())

    def forget_stale(self) -> int:
        """Delete rows not seen for ten timeouts (left behind by processes that died)."""
        with Session(self._writer) as session, session.begin():
            done = session.execute(
                delete(PresenceRow).where(PresenceRow.seen_at < self.clock() - 10 * self.timeout)
            )
            return int(getattr(done, "rowcount", 0) or 0)
