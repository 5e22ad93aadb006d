"""Storage: SQLAlchemy tables, alembic migrations and the repository of maps."""

from __future__ import annotations

from api.settings import Settings
from api.store.database import make_engine, upgrade
from api.store.repository import MapSummary, RevisionInfo, Store

__all__ = ["MapSummary", "RevisionInfo", "Store", "make_engine", "open_store", "upgrade"]


def open_store(settings: Settings) -> Store:
    """A store on the configured database, migrated to the latest schema."""
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine)
    return Store(engine, settings)
