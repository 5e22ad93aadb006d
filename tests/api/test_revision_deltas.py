"""Revisions stored as deltas read back exactly: random edit sequences on both backends, the
migration that converts snapshots, and the size of a one-claim edit of a 5000-claim map."""

from __future__ import annotations

import secrets
import threading
import time
import zlib
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.settings import Settings
from api.store import Store, make_engine, open_store
from api.store.database import MIGRATIONS, upgrade
from api.store.tables import RevisionRow
from maps.edit import Edit
from models import Claim, DecisionRule, MapContent, Relation

texts = st.sampled_from(["Cars pollute", "Shops lose", "Air is cleaner", "Walking is healthy"])


@st.composite
def edits(draw: st.DrawFn, content: MapContent) -> MapContent:
    """One random edit of `content`: add, change, remove or reorder claims, or rename."""
    claims = list(content.claims)
    kind = draw(st.sampled_from(["add", "change", "remove", "reorder", "title", "relate", "rule"]))
    if kind == "add" or not claims:
        claims.append(Claim(id=f"c{draw(st.integers(0, 10**6))}", text=draw(texts)))
    elif kind == "change":
        at = draw(st.integers(0, len(claims) - 1))
        claims[at] = claims[at].model_copy(update={"text": draw(texts) + "!", "accepted": True})
    elif kind == "remove":
        gone = claims.pop(draw(st.integers(0, len(claims) - 1)))
        relations = [r for r in content.relations if gone.id not in (*r.premises, r.target)]
        return content.model_copy(update={"claims": claims, "relations": relations})
    elif kind == "reorder":
        claims = draw(st.permutations(claims))
    elif kind == "title":
        return content.model_copy(update={"title": draw(st.sampled_from(["A", "B", "C"]))})
    elif kind == "rule":
        support = draw(st.sampled_from(["loose", "evidential"]))
        semantics = draw(st.sampled_from(["grounded", "preferred"]))
        rule = DecisionRule(support=support, semantics=semantics)
        return content.model_copy(update={"rule": rule})
    elif len(claims) >= 2:
        premise, target = claims[-1], claims[0]
        relation = Relation(
            id=f"r{draw(st.integers(0, 10**6))}",
            kind="objection",
            premises=[premise.id],
            target_claim=target.id,
        )
        if all(r.id != relation.id for r in content.relations):
            return content.model_copy(update={"relations": [*content.relations, relation]})
    unique = {claim.id: claim for claim in claims}
    return content.model_copy(update={"claims": list(unique.values())})


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_revision_reads_back_as_the_map_was(store: Store, data: st.DataObject) -> None:
    small = Store(store.engine, store.settings.model_copy(update={"revision_snapshot_every": 3}))
    content = MapContent(title="Start")
    created = small.create_map(content)
    history = [content]
    for _ in range(data.draw(st.integers(1, 12))):
        content = data.draw(edits(content))
        small.change(created.id, lambda _, __, new=content: Edit(content=new, description="e"))
        if content != history[-1]:
            history.append(content)
    for number, expected in enumerate(history, start=1):
        assert small.get_revision(created.id, number).content() == expected
    with small.engine.connect() as connection:
        kinds = connection.execute(
            sa.select(RevisionRow.number, RevisionRow.kind, RevisionRow.base)
            .where(RevisionRow.map_id == created.id)
            .order_by(RevisionRow.number)
        ).all()
    for number, kind, base in kinds:  # a snapshot every 3, deltas between, each from its base
        assert (kind == "snapshot") == ((number - 1) % 3 == 0)
        assert number - base < 3


def test_a_one_claim_edit_of_a_5000_claim_map_adds_little(store: Store) -> None:
    claims = [Claim(id=f"c{n}", text=f"Claim {n}: " + "long words " * 150) for n in range(5000)]
    created = store.create_map(MapContent(title="Big", claims=claims))
    edited = created.content()
    edited.claims[2500] = edited.claims[2500].model_copy(update={"text": "A new text"})
    store.change(created.id, lambda _, __: Edit(content=edited, description="edit one"))
    with store.engine.connect() as connection:
        sizes = dict(
            connection.execute(
                sa.select(RevisionRow.number, sa.func.length(RevisionRow.snapshot)).where(
                    RevisionRow.map_id == created.id
                )
            ).all()
        )
    assert sizes[2] <= 10_000 < sizes[1]
    assert store.get_revision(created.id, 2).content() == edited
    assert store.get_revision(created.id, 1).content().claims == claims


def test_the_migration_turns_old_snapshots_into_deltas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, to="0004")
    now = datetime(2026, 11, 30, tzinfo=UTC).isoformat()
    contents = [
        MapContent(title="Old", claims=[Claim(id=f"c{k}", text=f"Claim {k}") for k in range(n)])
        for n in range(1, 61)
    ]
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO maps (id, title, description, version, created_at, updated_at, "
                "owner_id, visibility) VALUES ('m1', 'Old', '', 60, :now, :now, 'admin', 'private')"
            ),
            {"now": now},
        )
        for number, content in enumerate(contents, start=1):
            snapshot = zlib.compress(content.model_dump_json(exclude_none=True).encode())
            connection.execute(
                sa.text(
                    "INSERT INTO revisions (map_id, number, created_at, description, "
                    "claim_count, relation_count, snapshot) "
                    "VALUES ('m1', :number, :now, 'old', 0, 0, :snapshot)"
                ),
                {"number": number, "now": now, "snapshot": snapshot},
            )
    engine.dispose()
    store = open_store(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'old.db'}"))
    for number, expected in enumerate(contents, start=1):
        assert store.get_revision("m1", number).content() == expected
    with store.engine.connect() as connection:
        kinds = dict(
            connection.execute(
                sa.select(RevisionRow.number, RevisionRow.kind).where(RevisionRow.map_id == "m1")
            ).all()
        )
    assert [n for n, kind in kinds.items() if kind == "snapshot"] == [1, 51]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The URL of a new, empty database: an SQLite file, or a database of its own on the
    session's PostgreSQL server (the shared one must stay at the newest migration)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'argmap.db'}"
    server = request.getfixturevalue("postgres")
    name = f"downgrade_{secrets.token_hex(4)}"
    admin = make_engine(Settings(database_url=server.url).sqlalchemy_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"


def test_the_migration_back_makes_every_revision_whole(tmp_path, fresh_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url=fresh_url, load_sample=False)
    store = open_store(settings)
    created = store.create_map(MapContent(title="Back"))
    expected = {1: created.content()}
    for k in range(60):
        content = store.get_map(created.id).content()
        edited = content.model_copy(
            update={"claims": [*content.claims, Claim(id=f"c{k}", text=f"C {k}")]}
        )
        changed = store.change(created.id, lambda _c, _n, e=edited: Edit(e, "add a claim"))
        expected[changed.map.version] = changed.map.content()
    store.engine.dispose()
    engine = make_engine(settings.sqlalchemy_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT number, snapshot FROM revisions WHERE map_id = :m ORDER BY number"),
            {"m": created.id},
        ).all()
        columns = {c["name"] for c in sa.inspect(connection).get_columns("revisions")}
    engine.dispose()
    assert not columns & {"kind", "base", "chain_bytes"}
    assert [number for number, _ in rows] == sorted(expected)
    for number, snapshot in rows:
        assert MapContent.model_validate_json(zlib.decompress(snapshot)) == expected[number]


def test_a_write_that_waited_for_the_lock_stores_a_delta(store: Store) -> None:
    """The second of two writers to one map waits for the first one's lock, then records a
    delta from the revision the first one wrote (not a whole snapshot)."""
    created = store.create_map(MapContent(title="Two writers"))
    first_holds_the_lock = threading.Event()

    def add(number: int, hold: bool) -> None:
        def apply(content: MapContent, _now: object) -> Edit:
            if hold:
                first_holds_the_lock.set()
                time.sleep(0.5)  # the second writer starts and waits for the row lock
            claim = Claim(id=f"c{number}", text=f"Claim {number}")
            return Edit(content.model_copy(update={"claims": [*content.claims, claim]}), "add")

        store.change(created.id, apply)

    first = threading.Thread(target=add, args=(1, True))
    first.start()
    first_holds_the_lock.wait(10)
    add(2, False)
    first.join()
    with store.engine.connect() as connection:
        kinds = dict(
            connection.execute(
                sa.select(RevisionRow.number, RevisionRow.kind).where(
                    RevisionRow.map_id == created.id
                )
            ).all()
        )
    assert kinds == {1: "snapshot", 2: "delta", 3: "delta"}
    assert [c.id for c in store.get_map(created.id).claims] == ["c1", "c2"]
