"""Indexes for the quotas: revisions by author and time, maps by owner.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_revisions_author_time", "revisions", ["author_id", "created_at"])
    op.create_index("ix_maps_owner", "maps", ["owner_id"])


def downgrade() -> None:
    op.drop_index("ix_maps_owner", table_name="maps")
    op.drop_index("ix_revisions_author_time", table_name="revisions")
