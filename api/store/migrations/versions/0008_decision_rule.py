"""The group's rule of decision on every map (NULL: the default rule).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("maps") as batch:
        batch.add_column(sa.Column("rule", sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite drops a column itself (3.35+); recreating `maps`, which other tables reference,
    # fails with "database table is locked".
    with op.batch_alter_table("maps", recreate="never") as batch:
        batch.drop_column("rule")
