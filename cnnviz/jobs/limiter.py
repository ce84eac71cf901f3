"""At most a few jobs of a server run at once; the others wait in line and see their place.

Lesson: every page that trains (the Train page, the Overfitting lab) shares one limiter.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable

__all__ = ["POLL_SECONDS", "JobLimiter", "shared_limiter"]

POLL_SECONDS = 0.2  # seconds between checks while queued or paused


class JobLimiter:
    """At most ``max_concurrent`` jobs run at once; the others wait first-in first-out.

    A bounded semaphore with a visible queue: :meth:`position` tells a waiting job its place
    (1 = next). One per process (pages create it with ``st.cache_resource``).
    """

    def __init__(self, max_concurrent: int = 2) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.max_concurrent = max_concurrent
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._running = 0

    def acquire(self, ticket: object, should_abort: Callable[[], bool] = lambda: False) -> bool:
        """Wait in line until a slot is free; False (and out of the queue) if ``should_abort()``."""
        with self._cond:
            self._queue.append(ticket)
            try:
                while not (self._queue[0] is ticket and self._running < self.max_concurrent):
                    if should_abort():
                        return False
                    self._cond.wait(POLL_SECONDS)
                self._queue.popleft()
                self._running += 1
                return True
            finally:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                self._cond.notify_all()

    def release(self) -> None:
        """Free a slot (a release without an acquire raises, like ``BoundedSemaphore``)."""
        with self._cond:
            if self._running <= 0:
                raise ValueError("JobLimiter released too many times")
            self._running -= 1
            self._cond.notify_all()

    def position(self, ticket: object) -> int | None:
        """1-based place of ``ticket`` in the waiting line, or None when it is not waiting."""
        with self._cond:
            for place, queued in enumerate(self._queue, start=1):
                if queued is ticket:
                    return place
            return None

    @property
    def running(self) -> int:
        """Jobs holding a slot now."""
        with self._cond:
            return self._running

    @property
    def waiting(self) -> int:
        """Jobs waiting in line now."""
        with self._cond:
            return len(self._queue)


_SHARED_LIMITER: JobLimiter | None = None


_SHARED_LOCK = threading.Lock()


def shared_limiter() -> JobLimiter:
    """The one limiter of this process, shared by every page and session (Train page, lab).

    ``max_concurrent`` comes from ``$CNNVIZ_MAX_JOBS`` (default 2), read on first use.
    """
    global _SHARED_LIMITER
    with _SHARED_LOCK:
        if _SHARED_LIMITER is None:
            try:
                wanted = int(os.environ.get("CNNVIZ_MAX_JOBS", "2"))
            except ValueError:
                wanted = 2
            _SHARED_LIMITER = JobLimiter(max_concurrent=max(1, wanted))
        return _SHARED_LIMITER
