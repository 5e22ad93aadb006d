"""Rate limits (the `limits` library, a moving window in this process's memory).

Each limit is a setting such as `"10/minute"`; a request over it gets 429 with `Retry-After`.
Counts live in one process: with several server processes each counts its own share.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from api.settings import Settings
from models import TooManyRequestsError

WHAT = {
    "login": "sign-in attempts for this account",
    "login_address": "sign-in attempts from your address",
    "join": "share-link joins from your address or account",
    "accounts": "new accounts from your address",
    "writes": "changes",
}


class RateLimits:
    def __init__(self, settings: Settings) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.items: dict[str, RateLimitItem] = {
            "login": parse(settings.rate_login),
            "login_address": parse(settings.rate_login_address),
            "join": parse(settings.rate_join),
            "accounts": parse(settings.rate_accounts),
            "writes": parse(settings.rate_writes),
        }

    def hit(self, name: str, key: str) -> None:
        """Count one `name` event for `key`; over the limit, raise 429's error."""
        item = self.items[name]
        if self.limiter.hit(item, name, key):
            return
        reset = self.limiter.get_window_stats(item, name, key).reset_time
        retry = max(1, math.ceil(reset - time.time()))
        raise TooManyRequestsError(
            f"too many {WHAT[name]}: at most {item.amount} per {item.get_expiry()} s; "
            f"try again in {retry} s",
            retry_after=retry,
        )
