"""The repository of maps: every change is one transaction that bumps the version and records
a revision holding a snapshot of the map's content."""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from api.settings import Settings
from api.store.database import snapshot_reader
from api.store.search import matches
from api.store.tables import ClaimRow, MapRow, RelationRow, RevisionRow
from maps.delta import apply_json, content_json, delta
from maps.edit import Edit, Limits, shown
from maps.merge import EditConflict
from maps.validation import validate_content
from models import (
    ArgumentMap,
    Claim,
    ConflictError,
    DecisionRule,
    InvalidInputError,
    MapContent,
    NotFoundError,
    Relation,
)
from models.people import Person

MAX_REVISION = 2**31 - 1
ADMIN_ID = "admin"  # the instance's first owner (made by the 0002 migration)

log = logging.getLogger("argmap")

# Who makes a change: a signed-in person, or a name alone (the CLI's "argmap").
Author = Person | str | None


def _author(author: Author) -> tuple[str | None, str | None]:
    """(display name, person id) to record for an author."""
    if isinstance(author, Person):
        return author.display_name, author.id
    return author, None


# PostgreSQL text cannot hold NUL, and nothing stored holds a control character (ids are the
# store's own hex; texts refuse all but tab and newline). Such strings are answered before any
# SQL, the same way on every backend.
_CONTROL_IN_ID = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def possible_id(value: str) -> bool:
    """Whether a stored id could be this string (none holds a control character)."""
    return _CONTROL_IN_ID.search(value) is None


def _check_searchable(q: str) -> None:
    """Refuse (422) a search for a control character: no stored text can hold one."""
    bad = _CONTROL_IN_TEXT.search(q)
    if bad:
        raise InvalidInputError(
            f"control character U+{ord(bad.group()):04X} at position {bad.start()} "
            "cannot be searched for",
            loc=("query", "q"),
        )


class PreconditionFailed(ConflictError):
    """An `If-Match` version that is no longer current (HTTP 412)."""

    def __init__(self, current: int) -> None:
        super().__init__(
            f"the map has changed: it is at version {current}; reload it and try again",
            loc=("If-Match",),
        )
        self.current = current


class MapSummary(BaseModel):
    id: str
    title: str
    description: str
    version: int
    claim_count: int
    relation_count: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class RevisionInfo(BaseModel):
    number: int
    created_at: datetime
    author: str | None
    author_id: str | None = None
    description: str
    claim_count: int
    relation_count: int


@dataclass
class Change:
    """What a change did: the map after it, the edit's details, and whether the edit was based
    on an older version and merged into the current one."""

    map: ArgumentMap
    edit: Edit
    merged: bool = False


# An edit of a map's content, and (for an edit based on an older version) how to make one from
# the content as of that version: the edit to apply to the current content instead.
Apply = Callable[[MapContent, datetime], Edit]
Rebase = Callable[[MapContent], Apply]


def _now() -> datetime:
    return datetime.now(UTC)


def _content(argument_map: ArgumentMap) -> MapContent:
    """The content of a stored map, not validated again (`ArgumentMap.content` checks every
    element once more)."""
    # Every field of the content, named once (in MapContent); the lists are shared with the
    # cached map, which is safe as edits copy (maps/edit.py) and never change one in place.
    return MapContent.model_construct(
        **{name: getattr(argument_map, name) for name in MapContent.model_fields}
    )


def _weight(argument_map: ArgumentMap) -> int:
    """Roughly the bytes a map takes in memory: its texts, and a few hundred per element."""
    texts = sum(len(c.text) + len(c.note or "") + len(c.title or "") for c in argument_map.claims)
    return 2 * texts + 600 * len(argument_map.claims) + 400 * len(argument_map.relations)


# The tables themselves: the repository reads and writes them with Core statements, not the ORM's
# unit of work (a POST claim flushed three ORM objects for about 3 ms of CPU; issue 16).
MAPS: Table = MapRow.__table__  # type: ignore[assignment]
CLAIMS: Table = ClaimRow.__table__  # type: ignore[assignment]
RELATIONS: Table = RelationRow.__table__  # type: ignore[assignment]
REVISIONS: Table = RevisionRow.__table__  # type: ignore[assignment]
_REVISION_INFO = (
    REVISIONS.c.number,
    REVISIONS.c.created_at,
    REVISIONS.c.author,
    REVISIONS.c.author_id,
    REVISIONS.c.description,
    REVISIONS.c.claim_count,
    REVISIONS.c.relation_count,
)


def _revision_info(row: Any) -> RevisionInfo:
    return RevisionInfo(
        number=row.number,
        created_at=row.created_at,
        author=row.author,
        author_id=row.author_id,
        description=row.description,
        claim_count=row.claim_count,
        relation_count=row.relation_count,
    )


def _pack(content: MapContent) -> bytes:
    return _compressed(content_json(content))


def _unpack(snapshot: bytes) -> MapContent:
    return MapContent.model_validate_json(zlib.decompress(snapshot))


def _compressed(value: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _decompressed(packed: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(zlib.decompress(packed))
    return value


def _claim_values(claim: Claim) -> dict[str, Any]:
    return {
        "text": claim.text,
        "title": claim.title,
        "note": claim.note,
        "tags": list(claim.tags),
        "sources": [s.model_dump(mode="json", exclude_none=True) for s in claim.sources],
        "author": claim.author,
        "accepted": claim.accepted,
        "weight": claim.weight,
        "group_name": claim.group,
        "data": claim.data,
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
    }


def _relation_values(relation: Relation) -> dict[str, Any]:
    return {
        "kind": relation.kind.value,
        "premises": list(relation.premises),
        "target_claim": relation.target_claim,
        "target_relation": relation.target_relation,
        "note": relation.note,
        "tags": list(relation.tags),
        "author": relation.author,
        "created_at": relation.created_at,
        "updated_at": relation.updated_at,
    }


_CLAIM_FIELDS = [c.key for c in CLAIMS.c if c.key not in ("map_id", "position")]
_RELATION_FIELDS = [c.key for c in RELATIONS.c if c.key not in ("map_id", "position")]


def _claim_from_row(row: Row[Any]) -> Claim:
    values = {key: row._mapping[key] for key in _CLAIM_FIELDS}
    values["group"] = values.pop("group_name")
    return Claim.model_validate(values)


def _relation_from_row(row: Row[Any]) -> Relation:
    return Relation.model_validate({key: row._mapping[key] for key in _RELATION_FIELDS})


# The statements of every write, built once: building one costs about 0.15 ms of CPU each time,
# executing one built before only its parameters. Bound names are not column names, so that an
# UPDATE or INSERT takes its values from the parameters given with it.
_ROW_KEY = ("row_map_id", "row_id")
_MAP = select(MAPS).where(MAPS.c.id == bindparam("map_key"))
# The map row locked, with where its latest revision's chain starts and what that chain takes.
_LOCKED_MAP = (
    select(MAPS, REVISIONS.c.base, REVISIONS.c.chain_bytes)
    .outerjoin(
        REVISIONS, and_(REVISIONS.c.map_id == MAPS.c.id, REVISIONS.c.number == MAPS.c.version)
    )
    .where(MAPS.c.id == bindparam("map_key"))
    .with_for_update(of=MAPS)
)
_REVISION_CHAIN = select(REVISIONS.c.base, REVISIONS.c.chain_bytes).where(
    REVISIONS.c.map_id == bindparam("map_key"), REVISIONS.c.number == bindparam("number")
)
_UPDATE_MAP = update(MAPS).where(MAPS.c.id == bindparam("map_key"))
_ROWS = {
    table: select(table).where(table.c.map_id == bindparam("map_key")).order_by(table.c.position)
    for table in (CLAIMS, RELATIONS)
}
# One UPDATE for every changed row of a table (executemany).
_UPDATE_ROWS = {
    table: update(table).where(
        table.c.map_id == bindparam(_ROW_KEY[0]), table.c.id == bindparam(_ROW_KEY[1])
    )
    for table in (CLAIMS, RELATIONS)
}
_INSERT = {table: insert(table) for table in (MAPS, CLAIMS, RELATIONS, REVISIONS)}


def _sync_rows(
    connection: Connection,
    map_id: str,
    table: Table,
    old: Sequence[Claim | Relation],
    new: Sequence[Claim | Relation],
    values: Callable[[Any], dict[str, Any]],
) -> None:
    """Delete, insert and update the rows of one table so they match `new`, in its order.

    An element an edit left alone is the very object it was (compared by identity first).
    """
    before = {item.id: (index, item) for index, item in enumerate(old)}
    kept = {item.id for item in new}
    gone = [item_id for item_id in before if item_id not in kept]
    if gone:
        connection.execute(delete(table).where(table.c.map_id == map_id, table.c.id.in_(gone)))
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for position, item in enumerate(new):
        previous = before.get(item.id)
        if previous is None:
            added.append({"map_id": map_id, "id": item.id, "position": position, **values(item)})
        elif previous[0] != position or (previous[1] is not item and previous[1] != item):
            key = {_ROW_KEY[0]: map_id, _ROW_KEY[1]: item.id}
            changed.append({**key, "position": position, **values(item)})
    if added:
        connection.execute(_INSERT[table], added)
    if changed:
        connection.execute(_UPDATE_ROWS[table], changed)


class Store:
    """Maps in a SQL database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._writer = engine.execution_options(argmap_write=True)
        self._reader = snapshot_reader(engine)
        self.limits = Limits(
            max_claims=settings.max_claims_per_map,
            max_relations=settings.max_relations_per_map,
        )
        # Maps as of their latest version, so a read or write of an unchanged map skips loading
        # its rows. Keyed by id, checked against the version in the locked/read map row.
        self._cache: OrderedDict[str, tuple[ArgumentMap, int]] = OrderedDict()  # and weight
        self._cache_lock = threading.Lock()
        self._cache_size = 64
        self._cache_bytes = 0  # what the cached maps take, roughly (`_weight`)
        # Called with (map id, new version) after each change is committed (api/events).
        self.listeners: list[Callable[[str, int], None]] = []

    def _changed(self, map_id: str, version: int) -> None:
        for listener in self.listeners:
            try:
                listener(map_id, version)
            except Exception:  # a listener never undoes or fails a committed change
                log.exception("a change listener failed for map %s version %s", map_id, version)

    def _cached(self, row: Row[Any]) -> ArgumentMap | None:
        with self._cache_lock:
            hit = self._cache.get(row.id)
            if hit is None or hit[0].version != row.version:
                return None
            self._cache.move_to_end(row.id)
            return hit[0]

    def _remember(self, argument_map: ArgumentMap) -> None:
        """Cache a map read in one snapshot or just written, unless a later version is cached."""
        weight = _weight(argument_map)  # weighed once, outside the lock
        with self._cache_lock:
            held = self._cache.get(argument_map.id)
            if held is not None and held[0].version > argument_map.version:
                return  # a slow reader's older snapshot: keep the newer map
            if held is not None:
                self._cache_bytes -= held[1]
            self._cache[argument_map.id] = (argument_map, weight)
            self._cache_bytes += weight
            self._cache.move_to_end(argument_map.id)
            limit = self.settings.map_cache_bytes
            while len(self._cache) > self._cache_size or (
                self._cache_bytes > limit and len(self._cache) > 1
            ):
                _, (_, evicted) = self._cache.popitem(last=False)
                self._cache_bytes -= evicted

    # -- reading -----------------------------------------------------------------------------

    def _map_row(
        self,
        connection: Connection,
        map_id: str,
        *,
        lock: bool = False,
        trashed: bool | None = False,
    ) -> Row[Any]:
        """The map's row; locked (`lock`), it also holds where the chain of its latest revision
        starts and what it takes (`base`, `chain_bytes`: NULL when there is no such revision),
        which the next revision needs, in the same round trip."""
        row = None
        if not _CONTROL_IN_ID.search(map_id):  # such an id can never exist
            query = _LOCKED_MAP if lock else _MAP
            row = connection.execute(query, {"map_key": map_id}).first()
        if row is None or (trashed is not None and (row.deleted_at is not None) != trashed):
            where = "in the trash" if trashed else "among the maps"
            raise NotFoundError(f"map {shown(map_id)} not found {where}", loc=("map_id",))
        return row

    def _load(self, connection: Connection, row: Row[Any]) -> ArgumentMap:
        """The map of `row`, its claims and relations read in `row`'s transaction: a reader's
        snapshot, or a writer's lock on the row, so all three are of one version."""
        cached = self._cached(row)
        if cached is not None:
            return cached
        claims = connection.execute(_ROWS[CLAIMS], {"map_key": row.id}).all()
        relations = connection.execute(_ROWS[RELATIONS], {"map_key": row.id}).all()
        loaded = ArgumentMap.model_construct(
            id=row.id,
            title=row.title,
            description=row.description,
            rule=DecisionRule.model_validate(row.rule or {}),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            claims=[_claim_from_row(c) for c in claims],
            relations=[_relation_from_row(r) for r in relations],
        )
        self._remember(loaded)
        return loaded

    def get_map(self, map_id: str) -> ArgumentMap:
        with self._reader.connect() as connection:
            return self._load(connection, self._map_row(connection, map_id))

    def get_version(self, map_id: str) -> int:
        """The current version of a map (not in the trash): one column of one row."""
        version = None
        if possible_id(map_id):
            with self._reader.connect() as connection:
                version = connection.scalar(
                    select(MapRow.version).where(MapRow.id == map_id, MapRow.deleted_at.is_(None))
                )
        if version is None:
            raise NotFoundError(f"map {shown(map_id)} not found among the maps", loc=("map_id",))
        return version

    def count_maps(self) -> int:
        with Session(self._reader) as session:
            return session.scalar(select(func.count()).select_from(MapRow)) or 0

    def list_maps(
        self,
        *,
        q: str | None = None,
        limit: int = 50,
        offset: int = 0,
        trashed: bool = False,
        where: ColumnElement[bool] | None = None,
    ) -> tuple[list[MapSummary], int]:
        """Maps (or maps in the trash), newest change first; `where` narrows them (who may see)."""
        claim_count = (
            select(func.count())
            .where(ClaimRow.map_id == MapRow.id)
            .correlate(MapRow)
            .scalar_subquery()
        )
        relation_count = (
            select(func.count())
            .where(RelationRow.map_id == MapRow.id)
            .correlate(MapRow)
            .scalar_subquery()
        )
        condition = MapRow.deleted_at.is_not(None) if trashed else MapRow.deleted_at.is_(None)
        conditions: list[ColumnElement[bool]] = [condition]
        if where is not None:
            conditions.append(where)
        order: list[ColumnElement[Any]] = [
            MapRow.deleted_at.desc() if trashed else MapRow.updated_at.desc(),
            MapRow.id.asc(),
        ]
        listed = select(MapRow, claim_count, relation_count)
        counted = select(func.count()).select_from(MapRow)
        if q:  # full text, best matches first (api/store/search.py)
            _check_searchable(q)
            found = matches(self.engine.dialect, q)
            if found is None:  # no word in it: nothing to find
                return [], 0
            hits = found.subquery("found")
            listed = listed.join(hits, hits.c.map_id == MapRow.id)
            counted = counted.join(hits, hits.c.map_id == MapRow.id)
            order.insert(0, hits.c.score)
        with Session(self._reader) as session:
            total = session.scalar(counted.where(*conditions))
            rows = session.execute(
                listed.where(*conditions).order_by(*order).limit(limit).offset(offset)
            ).all()
        items = [
            MapSummary(
                id=row.id,
                title=row.title,
                description=row.description,
                version=row.version,
                claim_count=claims,
                relation_count=relations,
                created_at=row.created_at,
                updated_at=row.updated_at,
                deleted_at=row.deleted_at,
            )
            for row, claims, relations in rows
        ]
        return items, total or 0

    def list_revisions(self, map_id: str) -> list[RevisionInfo]:
        with self._reader.connect() as connection:
            self._map_row(connection, map_id, trashed=None)
            rows = connection.execute(
                select(*_REVISION_INFO)
                .where(REVISIONS.c.map_id == map_id)
                .order_by(REVISIONS.c.number.desc())
            ).all()
            return [_revision_info(r) for r in rows]

    def revision_info(self, map_id: str, number: int) -> RevisionInfo | None:
        """Who made revision `number` of a map, when and why; None if there is no such one."""
        if not 1 <= number <= MAX_REVISION:
            return None
        with self._reader.connect() as connection:
            row = connection.execute(
                select(*_REVISION_INFO).where(
                    REVISIONS.c.map_id == map_id, REVISIONS.c.number == number
                )
            ).first()
            return None if row is None else _revision_info(row)

    def get_revision(self, map_id: str, number: int) -> ArgumentMap:
        """The map as it was right after revision `number`."""
        with self._reader.connect() as connection:
            row = self._map_row(connection, map_id, trashed=None)
            found = (
                self._revision_content(connection, map_id, number)
                if 1 <= number <= MAX_REVISION
                else None
            )
            if found is None:
                raise NotFoundError(
                    f"map {shown(map_id)} has no revision {str(number)[:20]} "
                    f"(it has 1 to {row.version})",
                    loc=("number",),
                )
            created_at, content = found
            return ArgumentMap.model_construct(
                **dict(content),
                id=map_id,
                version=number,
                created_at=row.created_at,
                updated_at=created_at,
            )

    def revision_after(self, map_id: str, number: int, before: MapContent) -> MapContent:
        """The content as of revision `number`, from the content as of the one before: its
        delta applied to `before` (or its snapshot read), not the chain from its snapshot."""
        with self._reader.connect() as connection:
            revision = connection.execute(
                select(REVISIONS.c.kind, REVISIONS.c.snapshot).where(
                    REVISIONS.c.map_id == map_id, REVISIONS.c.number == number
                )
            ).first()
        if revision is None:
            raise NotFoundError(f"map {shown(map_id)} has no revision {number}", loc=("number",))
        if revision.kind == "snapshot":
            return _unpack(revision.snapshot)
        after = apply_json(content_json(before), _decompressed(revision.snapshot))
        return MapContent.model_validate(after)

    # -- writing -----------------------------------------------------------------------------

    def _write_content(
        self, connection: Connection, map_id: str, old: MapContent, new: MapContent
    ) -> None:
        """Write the difference between two contents of one map."""
        # Relations first: they refer to claims.
        _sync_rows(connection, map_id, RELATIONS, old.relations, new.relations, _relation_values)
        _sync_rows(connection, map_id, CLAIMS, old.claims, new.claims, _claim_values)

    def _record(
        self,
        connection: Connection,
        map_id: str,
        number: int,
        content: MapContent,
        *,
        previous: MapContent | None,
        last: Row[Any] | None,
        now: datetime,
        author: Author,
        description: str,
    ) -> None:
        """Record revision `number`: `content`, which `previous` was before it; `last` holds
        the `base` and `chain_bytes` of the revision before (`_map_row` with `lock`)."""
        if previous is not None and (last is None or last.base is None):
            # A PostgreSQL writer that waited for the row lock reads the map's new version but
            # not the revision that came with it (READ COMMITTED re-reads only the locked row).
            found = connection.execute(_REVISION_CHAIN, {"map_key": map_id, "number": number - 1})
            last = cast("Row[Any] | None", found.first())
        name, author_id = _author(author)
        connection.execute(
            _INSERT[REVISIONS],
            {
                "map_id": map_id,
                "number": number,
                "created_at": now,
                "author": name,
                "author_id": author_id,
                "description": description[:500],
                "claim_count": len(content.claims),
                "relation_count": len(content.relations),
                **self._stored_content(number, content, previous, last),
            },
        )

    def _stored_content(
        self,
        number: int,
        content: MapContent,
        previous: MapContent | None,
        last: Row[Any] | None,
    ) -> dict[str, Any]:
        """The content as a delta from the revision before (whose chain `last` describes), or
        whole every ARGMAP_REVISION_SNAPSHOT_EVERY revisions or _BYTES bytes of deltas."""
        if previous is not None and last is not None:
            packed = _compressed(delta(previous, content))
            chain = last.chain_bytes + len(packed)
            settings = self.settings
            if (
                number - last.base < settings.revision_snapshot_every
                and chain <= settings.revision_snapshot_bytes
            ):
                return {
                    "snapshot": packed,
                    "kind": "delta",
                    "base": last.base,
                    "chain_bytes": chain,
                }
        return {"snapshot": _pack(content), "kind": "snapshot", "base": number, "chain_bytes": 0}

    def _revision_content(
        self, connection: Connection, map_id: str, number: int
    ) -> tuple[datetime, MapContent] | None:
        """When revision `number` was made and the content as of it: its snapshot and the
        deltas after it."""
        revision = connection.execute(
            select(
                REVISIONS.c.created_at, REVISIONS.c.kind, REVISIONS.c.base, REVISIONS.c.snapshot
            ).where(REVISIONS.c.map_id == map_id, REVISIONS.c.number == number)
        ).first()
        if revision is None:
            return None
        if revision.kind == "snapshot":
            return revision.created_at, _unpack(revision.snapshot)
        chain = connection.scalars(
            select(REVISIONS.c.snapshot)
            .where(
                REVISIONS.c.map_id == map_id,
                REVISIONS.c.number >= revision.base,
                REVISIONS.c.number <= number,
            )
            .order_by(REVISIONS.c.number)
        ).all()
        content = _decompressed(chain[0])
        for packed in chain[1:]:
            content = apply_json(content, _decompressed(packed))
        return revision.created_at, MapContent.model_validate(content)

    def create_map(
        self,
        content: MapContent,
        *,
        author: Author = None,
        description: str = "create map",
        owner_id: str = ADMIN_ID,
        visibility: str = "private",
    ) -> ArgumentMap:
        """Store a new map (already validated content is checked again) as revision 1."""
        validate_content(content, max_claims=self.limits.max_claims)
        now = _now()
        with self._writer.begin() as connection:
            while True:
                map_id = secrets.token_hex(6)
                if connection.scalar(select(MAPS.c.id).where(MAPS.c.id == map_id)) is None:
                    break
            connection.execute(
                _INSERT[MAPS],
                {
                    "id": map_id,
                    "title": content.title,
                    "description": content.description,
                    "rule": content.rule.model_dump(mode="json"),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "owner_id": owner_id,
                    "visibility": visibility,
                },
            )
            self._write_content(connection, map_id, MapContent(title=content.title), content)
            self._record(
                connection,
                map_id,
                1,
                content,
                previous=None,
                last=None,
                now=now,
                author=author,
                description=description,
            )
        return self.get_map(map_id)

    def change(
        self,
        map_id: str,
        apply: Apply,
        *,
        if_match: int | None = None,
        author: Author = None,
        rebase: Rebase | None = None,
    ) -> Change:
        """Apply one edit atomically: lock the map, check `If-Match`, write, record.

        An `If-Match` of an older version is refused (412), unless `rebase` makes an edit of
        the current content from the content as of that version (a merge, maps/merge.py).
        """
        now = _now()
        merged = False
        with self._writer.begin() as connection:
            row = self._map_row(connection, map_id, lock=True)
            if if_match is not None and if_match != row.version:
                base = self._content_at(connection, map_id, if_match, current=row.version)
                if rebase is None or base is None:
                    raise PreconditionFailed(row.version)
                apply, merged = rebase(base), True
            current = self._load(connection, row)
            old = _content(current)
            try:
                edit = apply(old, now)
            except EditConflict as conflict:
                raise conflict.at(row.version) from None
            new = edit.content
            if new == old:  # nothing changed: no new version, no empty revision
                return Change(map=current, edit=edit, merged=merged)
            self._write_content(connection, map_id, old, new)
            version = row.version + 1
            connection.execute(
                _UPDATE_MAP,
                {
                    "map_key": map_id,
                    "title": new.title,
                    "description": new.description,
                    "rule": new.rule.model_dump(mode="json"),
                    "version": version,
                    "updated_at": now,
                },
            )
            self._record(
                connection,
                map_id,
                version,
                new,
                previous=old,
                last=row,
                now=now,
                author=author,
                description=edit.description,
            )
            result = ArgumentMap.model_construct(
                **dict(new),
                id=row.id,
                version=version,
                created_at=row.created_at,
                updated_at=now,
            )
        self._remember(result)
        self._changed(map_id, result.version)
        return Change(map=result, edit=edit, merged=merged)

    def _content_at(
        self, connection: Connection, map_id: str, number: int, *, current: int
    ) -> MapContent | None:
        """The content as of an older version, None for a version the map never had."""
        if not 1 <= number < current:
            return None
        found = self._revision_content(connection, map_id, number)
        return None if found is None else found[1]

    def restore_revision(
        self, map_id: str, number: int, *, if_match: int | None = None, author: Author = None
    ) -> Change:
        target = self.get_revision(map_id, number)

        def apply(_: MapContent, __: datetime) -> Edit:
            return Edit(content=target.content(), description=f"restore revision {number}")

        return self.change(map_id, apply, if_match=if_match, author=author)

    def _set_trashed(
        self, map_id: str, trashed: bool, *, if_match: int | None, author: Author
    ) -> MapSummary:
        now = _now()
        with self._writer.begin() as connection:
            row = self._map_row(connection, map_id, lock=True, trashed=not trashed)
            if if_match is not None and if_match != row.version:
                raise PreconditionFailed(row.version)
            content = _content(self._load(connection, row))
            deleted_at = now if trashed else None
            version = row.version + 1
            connection.execute(
                _UPDATE_MAP,
                {
                    "map_key": map_id,
                    "deleted_at": deleted_at,
                    "version": version,
                    "updated_at": now,
                },
            )
            self._record(
                connection,
                map_id,
                version,
                content,
                previous=content,
                last=row,
                now=now,
                author=author,
                description="move to trash" if trashed else "restore from trash",
            )
            summary = MapSummary(
                id=row.id,
                title=row.title,
                description=row.description,
                version=version,
                claim_count=len(content.claims),
                relation_count=len(content.relations),
                created_at=row.created_at,
                updated_at=now,
                deleted_at=deleted_at,
            )
        self._changed(map_id, summary.version)
        return summary

    def trash_map(
        self, map_id: str, *, if_match: int | None = None, author: Author = None
    ) -> MapSummary:
        return self._set_trashed(map_id, True, if_match=if_match, author=author)

    def restore_map(self, map_id: str, *, author: Author = None) -> MapSummary:
        return self._set_trashed(map_id, False, if_match=None, author=author)
