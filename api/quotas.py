"""Quotas per person: maps owned, claims in them, changes per hour, bytes stored.

Checked before every write a person (not the admin) makes; the counts come from the database,
so they hold across server processes and restarts. Over a quota of size the answer is 413, over
the hourly quota 429 with `Retry-After`.

    quotas.check(user, path="/api/v1/maps/m1/claims")   # raises, or returns None
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

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
        """Every count this write needs, in one query (a round trip each cost about 1 ms of
        a person's POST claim), then each quota in turn."""
        if user.is_admin:
            return
        path = path.rstrip("/")
        creating = path in CREATING
        owned = select(MapRow.id).where(MapRow.owner_id == user.id)
        since = datetime.now(UTC) - HOUR
        this_hour = (RevisionRow.author_id == user.id, RevisionRow.created_at >= since)
        counts: dict[str, Any] = {
            "made": select(func.count()).where(*this_hour).scalar_subquery(),
            "oldest": select(func.min(RevisionRow.created_at)).where(*this_hour).scalar_subquery(),
            "stored": select(func.coalesce(func.sum(func.length(RevisionRow.snapshot)), 0))
            .where(RevisionRow.map_id.in_(owned))
            .scalar_subquery(),
        }
        if creating:
            counts["maps"] = (
                select(func.count()).where(MapRow.owner_id == user.id).scalar_subquery()
            )
        if creating or path.endswith("/claims"):
            counts["claims"] = (
                select(func.count())
                .select_from(ClaimRow)
                .where(ClaimRow.map_id.in_(owned))
                .scalar_subquery()
            )
        with self.engine.connect() as connection:
            found = (
                connection.execute(select(*(value.label(name) for name, value in counts.items())))
                .one()
                ._mapping
            )
        if found["made"] >= self.settings.quota_revisions_per_hour:
            self._hourly(found["made"], found["oldest"])
        if "maps" in found:
            self._maps(found["maps"] or 0)
        if "claims" in found:
            self._claims(found["claims"] or 0)
        self._bytes(found["stored"] or 0)

    def _hourly(self, made: int, oldest: datetime) -> None:
        # When the oldest change of the hour leaves it (a retry may be told to wait again).
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        wait = max(1, int((oldest + HOUR - datetime.now(UTC)).total_seconds()) + 1)
        raise TooManyRequestsError(
            f"you made {made} changes in the last hour, the most allowed "
            "(ARGMAP_QUOTA_REVISIONS_PER_HOUR)",
            loc=("quota",),
            retry_after=wait,
        )

    def _maps(self, count: int) -> None:
        if count >= self.settings.quota_maps:
            raise LimitExceededError(
                f"you own {count} maps (the trash included), the most allowed "
                "(ARGMAP_QUOTA_MAPS): delete some from the trash",
                loc=("quota",),
            )

    def _claims(self, count: int) -> None:
        if count >= self.settings.quota_claims:
            raise LimitExceededError(
                f"your maps hold {count} claims, the most allowed (ARGMAP_QUOTA_CLAIMS)",
                loc=("quota",),
            )

    def _bytes(self, stored: int) -> None:
        if stored >= self.settings.quota_bytes:
            raise LimitExceededError(
                f"the history of your maps takes {stored} bytes, the most allowed "
                "(ARGMAP_QUOTA_BYTES): move maps you no longer need to the trash and empty it",
                loc=("quota",),
            )
