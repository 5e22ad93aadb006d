"""Bounded heavy work: renders, evaluations and imports run a few at a time, with a bounded
queue; beyond that the answer is 503 with `Retry-After`, so small requests stay prompt.

    work = Workload(running=2, waiting=8, wait_seconds=30)
    svg = work.run(lambda: render(dot_source))   # runs now, waits its turn, or raises BusyError

Work runs in the caller's thread (the route's worker thread); a caller that finds every place
taken and the queue full is refused at once, and one that waits longer than `wait_seconds` for
its turn is refused then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from models import BusyError

T = TypeVar("T")
RETRY_AFTER_SECONDS = 5


class Workload:
    def __init__(self, *, running: int, waiting: int, wait_seconds: float) -> None:
        self.running_max = running
        self.waiting_max = waiting
        self.wait_seconds = wait_seconds
        self.running = 0
        self.waiting = 0
        self._places = threading.Semaphore(running)
        self._lock = threading.Lock()

    def _busy(self, why: str) -> BusyError:
        return BusyError(
            f"the server is busy: {why} (ARGMAP_WORK_CONCURRENCY {self.running_max}, "
            f"ARGMAP_WORK_QUEUE {self.waiting_max}); try again shortly",
            loc=("server",),
            retry_after=RETRY_AFTER_SECONDS,
        )

    def run(self, job: Callable[[], T]) -> T:
        with self._lock:
            if self.running >= self.running_max and self.waiting >= self.waiting_max:
                raise self._busy(
                    f"{self.running} renders, evaluations or imports run and {self.waiting} wait"
                )
            self.waiting += 1
        got = self._places.acquire(timeout=self.wait_seconds)
        with self._lock:
            self.waiting -= 1
            if got:
                self.running += 1
        if not got:
            raise self._busy(f"no turn came within {self.wait_seconds:g} s")
        try:
            return job()
        finally:
            with self._lock:
                self.running -= 1
            self._places.release()
