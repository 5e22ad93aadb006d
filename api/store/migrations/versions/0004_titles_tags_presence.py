"""Claim titles, relation tags, and who is present on a map.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from api.store.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as claims:
        claims.add_column(sa.Column("title", sa.String(80), nullable=True))
    with op.batch_alter_table("relations") as relations:
        relations.add_column(
            sa.Column("tags", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    op.create_table(
        "presence",
        sa.Column("client", sa.String(48), primary_key=True),
        sa.Column(
            "map_id", sa.String(32), sa.ForeignKey("maps.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "person_id",
            sa.String(32),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("editing", sa.String(64), nullable=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_presence_map", "presence", ["map_id"])


def downgrade() -> None:
    op.drop_index("ix_presence_map", table_name="presence")
    op.drop_table("presence")
    with op.batch_alter_table("relations") as relations:
        relations.drop_column("tags")
    with op.batch_alter_table("claims") as claims:
        claims.drop_column("title")
