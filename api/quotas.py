"""Quotas per person: maps owned, claims in them, changes per hour, bytes stored.

Checked before every write a person (not the admin) makes; the counts come from the database,
so they hold across server processes and restarts. Over a quota of size the answer is 413, over
the hourly quota 429 with `Retry-After`.

    quotas.check(user, path="/api/v1/maps/m1/claims")   # raises, or returns None
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from api.settings import Settings
from api.store.tables import ClaimRow, MapRow, RevisionRow
from models import LimitExceededError, TooManyRequestsError
from models.people import User

HOUR = timedelta(hours=1)
CREATING = ("/api/v1/maps", "/api/v1/maps/import")


class Quotas:
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def check(self, user: User, *, path: str) -> None:
        if user.is_admin:
            return
        with Session(self.engine) as session:
            self._hourly(session, user)
            owned = select(MapRow.id).where(MapRow.owner_id == user.id)
            if path.rstrip("/") in CREATING:
                self._maps(session, user)
            if path.rstrip("/") in CREATING or path.endswith("/claims"):
                self._claims(session, owned)
            self._bytes(session, owned)

    def _hourly(self, session: Session, user: User) -> None:
        since = datetime.now(UTC) - HOUR
        made, oldest = session.execute(
            select(func.count(), func.min(RevisionRow.created_at)).where(
                RevisionRow.author_id == user.id, RevisionRow.created_at >= since
            )
        ).one()
        if made >= self.settings.quota_revisions_per_hour:
            # When the oldest change of the hour leaves it (a retry may be told to wait again).
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
            wait = max(1, int((oldest + HOUR - datetime.now(UTC)).total_seconds()) + 1)
            raise TooManyRequestsError(
                f"you made {made} changes in the last hour, the most allowed "
                "(ARGMAP_QUOTA_REVISIONS_PER_HOUR)",
                loc=("quota",),
                retry_after=wait,
            )

    def _maps(self, session: Session, user: User) -> None:
        count = session.scalar(select(func.count()).where(MapRow.owner_id == user.id)) or 0
        if count >= self.settings.quota_maps:
            raise LimitExceededError(
                f"you own {count} maps (the trash included), the most allowed "
                "(ARGMAP_QUOTA_MAPS): delete some from the trash",
                loc=("quota",),
            )

    def _claims(self, session: Session, owned: object) -> None:
        count = (
            session.scalar(
                select(func.count()).select_from(ClaimRow).where(ClaimRow.map_id.in_(owned))  # type: ignore[arg-type]
            )
            or 0
        )
        if count >= self.settings.quota_claims:
            raise LimitExceededError(
                f"your maps hold {count} claims, the most allowed (ARGMAP_QUOTA_CLAIMS)",
                loc=("quota",),
            )

    def _bytes(self, session: Session, owned: object) -> None:
        stored = (
            session.scalar(
                select(func.coalesce(func.sum(func.length(RevisionRow.snapshot)), 0)).where(
                    RevisionRow.map_id.in_(owned)  # type: ignore[arg-type]
                )
            )
            or 0
        )
        if stored >= self.settings.quota_bytes:
            raise LimitExceededError(
                f"the history of your maps takes {stored} bytes, the most allowed "
                "(ARGMAP_QUOTA_BYTES): move maps you no longer need to the trash and empty it",
                loc=("quota",),
            )
