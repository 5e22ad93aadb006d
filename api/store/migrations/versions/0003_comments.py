"""Comments on claims and relations, in threads.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from api.store.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "map_id", sa.String(32), sa.ForeignKey("maps.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column(
            "parent_id",
            sa.String(32),
            sa.ForeignKey("comments.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "author_id",
            sa.String(32),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("edited_at", UTCDateTime(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("resolved_by", sa.String(200), nullable=True),
    )
    op.create_index("ix_comments_map_target", "comments", ["map_id", "target"])


def downgrade() -> None:
    op.drop_index("ix_comments_map_target", table_name="comments")
    op.drop_table("comments")
