"""Live events of maps: changes, comments and presence pushed to every viewer.

A write publishes a small `Notice` (the map, the kind, a reference: a version, a comment id);
the broker of each server process turns it into an event once (`build.py`, from the database)
and offers it to that process's open streams of the map. On SQLite the notices go straight to
the one process's broker; on PostgreSQL they go through `NOTIFY` and every process, the writer's
included, receives them by `LISTEN` (`postgres.py`), so a change written through one process
reaches viewers connected to any other.
"""

from api.events.broker import Broker, Event, Notice, Stream

__all__ = ["Broker", "Event", "Notice", "Stream"]
