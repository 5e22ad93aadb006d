"""People, sessions, API tokens, map members, share links and groups; every map gets an owner.

Existing maps become the instance admin's, private, with their revisions intact.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from api.store.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ADMIN_ID = "admin"


def _users() -> None:
    users = op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("username", sa.String(40), nullable=False, unique=True),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_guest", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.bulk_insert(
        users,
        [
            {
                "id": ADMIN_ID,
                "username": "admin",
                "display_name": "Admin",
                "password_hash": None,
                "is_admin": True,
                "is_guest": False,
                "created_at": datetime.now(UTC),
            }
        ],
    )
    user_fk = sa.ForeignKey("users.id", ondelete="CASCADE")
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(32), user_fk, nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "user_id", sa.String(32), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
    )


def _maps_owned() -> None:
    with op.batch_alter_table("maps") as batch:
        batch.add_column(
            sa.Column("owner_id", sa.String(32), nullable=False, server_default=ADMIN_ID)
        )
        batch.add_column(
            sa.Column("visibility", sa.String(16), nullable=False, server_default="private")
        )
        batch.create_foreign_key("fk_maps_owner", "users", ["owner_id"], ["id"])
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("author_id", sa.String(32), nullable=True))


def _sharing() -> None:
    map_fk = sa.ForeignKey("maps.id", ondelete="CASCADE")
    op.create_table(
        "share_links",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("map_id", sa.String(32), map_fk, nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_share_links_map", "share_links", ["map_id"])
    op.create_table(
        "map_members",
        sa.Column(
            "map_id", sa.String(32), sa.ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "user_id",
            sa.String(32),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("link_id", sa.String(32), nullable=True),
    )
    op.create_index("ix_map_members_user", "map_members", ["user_id"])
    op.create_table(
        "groups",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("owner_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("invite_token", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "group_members",
        sa.Column(
            "group_id",
            sa.String(32),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.String(32),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_group_members_user", "group_members", ["user_id"])
    op.create_table(
        "map_groups",
        sa.Column(
            "map_id", sa.String(32), sa.ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "group_id",
            sa.String(32),
            sa.ForeignKey("groups.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(16), nullable=False),
    )


def upgrade() -> None:
    _users()
    _maps_owned()
    _sharing()


def downgrade() -> None:
    for table in ("map_groups", "group_members", "groups", "map_members", "share_links"):
        op.drop_table(table)
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("author_id")
    with op.batch_alter_table("maps") as batch:
        batch.drop_constraint("fk_maps_owner", type_="foreignkey")
        batch.drop_column("visibility")
        batch.drop_column("owner_id")
    for table in ("api_tokens", "sessions", "users"):
        op.drop_table(table)
