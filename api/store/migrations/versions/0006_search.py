"""Full-text search of maps by their titles and their claims' titles and texts: SQLite FTS5
tables over `maps` and `claims` (external content, kept in step by triggers), PostgreSQL
tsvector columns with GIN indexes. Both are read by `Store.list_maps` (api/store/search.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TOKENIZE = "unicode61 remove_diacritics 2"


def _sqlite_index(table: str, columns: str, values: str) -> list[str]:
    """An FTS5 index of `table` with triggers that keep it in step (SQLite's own recipe)."""
    index = f"{table}_search"
    old = ", ".join(f"old.{c.strip()}" for c in values.split(","))
    new = ", ".join(f"new.{c.strip()}" for c in values.split(","))
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5({columns}, content='{table}', "
        f"content_rowid='rowid', tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, {values}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {values}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {values}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {index}(rowid, {values}) VALUES (new.rowid, {new}); END",
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in [
            *_sqlite_index("claims", "title, text", "title, text"),
            *_sqlite_index("maps", "title", "title"),
        ]:
            op.execute(statement)
        return
    op.execute(
        "ALTER TABLE claims ADD COLUMN search tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED"
    )
    op.execute("CREATE INDEX ix_claims_search ON claims USING gin (search)")
    op.execute(
        "ALTER TABLE maps ADD COLUMN search tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple', title)) STORED"
    )
    op.execute("CREATE INDEX ix_maps_search ON maps USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in ("claims", "maps"):
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {table}_search_{trigger}")
            op.execute(f"DROP TABLE {table}_search")
        return
    op.execute("DROP INDEX ix_maps_search")
    op.execute("ALTER TABLE maps DROP COLUMN search")
    op.execute("DROP INDEX ix_claims_search")
    op.execute("ALTER TABLE claims DROP COLUMN search")
