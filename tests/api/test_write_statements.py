"""A write makes few round trips to the database (issue 16: its CPU is what 8 writers queue
behind): adding a claim to a map the store has cached is one query and three writes, and the
rows and revision it writes read back exactly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event

from api.store import Store
from api.store.repository import Apply
from maps import edit
from models import ClaimCreate, ClaimUpdate, MapContent


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL statements the store's engine sends meanwhile (executemany counts once)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement.split(None, 1)[0].upper())

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def _adding(text: str, *, objecting_to: str | None = None) -> Apply:
    relation = None if objecting_to is None else {"kind": "objection", "target_claim": objecting_to}
    body = ClaimCreate.model_validate({"text": text, "relation": relation})

    def apply(content: MapContent, now: datetime) -> edit.Edit:
        return edit.add_claim(content, body, now=now, limits=edit.Limits())

    return apply


def test_adding_a_claim_is_one_query_and_three_writes(store: Store) -> None:
    made = store.create_map(MapContent(title="Round trips"))
    store.change(made.id, _adding("warm"))  # the map is cached from here on
    with statements(store) as sent:
        store.change(made.id, _adding("One more claim"))
    # BEGIN (IMMEDIATE on SQLite) and COMMIT go through the driver's own calls on PostgreSQL.
    assert [s for s in sent if s not in ("BEGIN", "COMMIT")] == [
        "SELECT",  # the map row, locked, with the chain of its latest revision
        "INSERT",  # the claim
        "UPDATE",  # the map row
        "INSERT",  # the revision
    ]


def test_rows_and_revisions_written_read_back(store: Store) -> None:
    made = store.create_map(MapContent(title="Read back"))
    first = store.change(made.id, _adding("A thesis")).edit.claim
    assert first is not None
    after = store.change(made.id, _adding("An objection", objecting_to=first.id)).map
    assert len(after.relations) == 1
    reword = ClaimUpdate(text="The thesis, reworded")
    renamed = store.change(
        made.id, lambda content, now: edit.update_claim(content, first.id, reword, now=now)
    ).map
    store._cache.clear()  # read the rows, not the cache
    assert store.get_map(made.id) == renamed
    for number, expected in ((3, after), (4, renamed)):
        revision = store.get_revision(made.id, number)
        assert revision.content() == expected.content()
    assert [info.number for info in store.list_revisions(made.id)] == [4, 3, 2, 1]
