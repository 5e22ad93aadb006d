"""Revisions as deltas: each revision holds its content whole (a snapshot) or the delta from the
revision before (maps/delta.py); existing revisions are converted, keeping every 50th whole.
The downgrade makes every revision whole again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import sqlalchemy as sa
from alembic import op

from maps.delta import apply_json, delta
from models import MapContent

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SNAPSHOT_EVERY = 50  # the default of ARGMAP_REVISION_SNAPSHOT_EVERY

revisions = sa.table(
    "revisions",
    sa.column("map_id", sa.String),
    sa.column("number", sa.Integer),
    sa.column("snapshot", sa.LargeBinary),
    sa.column("kind", sa.String),
    sa.column("base", sa.Integer),
    sa.column("chain_bytes", sa.Integer),
)


def _packed(value: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _convert(connection: sa.Connection, map_id: str) -> None:
    """Turn the map's snapshots into deltas, but for every SNAPSHOT_EVERY-th one."""
    rows = connection.execute(
        sa.select(revisions.c.number, revisions.c.snapshot)
        .where(revisions.c.map_id == map_id)
        .order_by(revisions.c.number)
    ).all()
    previous: MapContent | None = None
    base, chain = 0, 0
    for number, snapshot in rows:
        content = MapContent.model_validate_json(zlib.decompress(snapshot))
        if previous is not None and number - base < SNAPSHOT_EVERY:
            packed = _packed(delta(previous, content))
            chain += len(packed)
            values = {"snapshot": packed, "kind": "delta", "base": base, "chain_bytes": chain}
        else:
            base, chain = number, 0
            values = {"kind": "snapshot", "base": number, "chain_bytes": 0}
        connection.execute(
            sa.update(revisions)
            .where(revisions.c.map_id == map_id, revisions.c.number == number)
            .values(**values)
        )
        previous = content


def upgrade() -> None:
    with op.batch_alter_table("revisions") as table:
        table.add_column(sa.Column("kind", sa.String(8), nullable=False, server_default="snapshot"))
        table.add_column(sa.Column("base", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("chain_bytes", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    connection.execute(sa.update(revisions).values(base=revisions.c.number))
    map_ids = connection.execute(sa.select(revisions.c.map_id).distinct()).scalars().all()
    for map_id in map_ids:
        _convert(connection, map_id)


def _restore(connection: sa.Connection, map_id: str) -> None:
    """Make each of the map's deltas whole again: the content it makes of the one before."""
    rows = connection.execute(
        sa.select(revisions.c.number, revisions.c.kind, revisions.c.snapshot)
        .where(revisions.c.map_id == map_id)
        .order_by(revisions.c.number)
    ).all()
    content: dict[str, Any] = {}
    for number, kind, packed in rows:
        stored = json.loads(zlib.decompress(packed))
        if kind == "snapshot":
            content = stored
            continue
        content = apply_json(content, stored)
        connection.execute(
            sa.update(revisions)
            .where(revisions.c.map_id == map_id, revisions.c.number == number)
            .values(snapshot=_packed(content))
        )


def downgrade() -> None:
    connection = op.get_bind()
    map_ids = connection.execute(sa.select(revisions.c.map_id).distinct()).scalars().all()
    for map_id in map_ids:
        _restore(connection, map_id)
    with op.batch_alter_table("revisions", recreate="never") as table:  # as in 0008
        table.drop_column("chain_bytes")
        table.drop_column("base")
        table.drop_column("kind")
