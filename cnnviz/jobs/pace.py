"""Slow motion: a task that waits a little before every step, so a short run lasts about a minute.

A teacher explaining a run live needs it slow: the default network trains on the built-in data in a
few seconds. :class:`PacedControl` wraps the task's :class:`cnnviz.control.Control` and sleeps
``seconds`` at every checkpoint (between batches). Training itself is untouched
(:func:`cnnviz.train.train` never sleeps), so a paced run gives exactly the numbers of an unpaced
run with the same seed; the waits count as paused time, so they stay out of the run's clocks
(seconds per epoch, images per second, the time limit).

Lesson: the "Train live" page (its slow-motion switch).
"""

from __future__ import annotations

import math
import time

from cnnviz.control import Control

__all__ = [
    "MAX_PACE_SECONDS",
    "SLOW_MOTION_SECONDS",
    "PacedControl",
    "slow_motion_pace",
    "slow_motion_snapshot_every",
]

SLOW_MOTION_SECONDS = 60.0  # how long slow motion stretches a run to (plus its own compute time)
MAX_PACE_SECONDS = 2.0  # never wait longer than this between two batches
_SLICE = 0.05  # the wait is cut in slices: Pause and Stop still act within ~0.05 s


def slow_motion_pace(total_batches: int, seconds: float = SLOW_MOTION_SECONDS) -> float:
    """Seconds to wait before each batch so ``total_batches`` take about ``seconds`` in all:
    ``min(MAX_PACE_SECONDS, seconds / total_batches)``."""
    if total_batches <= 0 or seconds <= 0:
        return 0.0
    return min(MAX_PACE_SECONDS, seconds / total_batches)


def slow_motion_snapshot_every(pace: float, per_second: float = 2.0) -> int:
    """Batches between feature-map snapshots so a paced run sends about ``per_second`` of them
    a second: ``max(1, ceil(1 / (pace * per_second)))``."""
    if pace <= 0:
        return 20
    return max(1, math.ceil(1.0 / (pace * per_second)))


class PacedControl:
    """``inner`` with a wait of ``seconds`` at every checkpoint (counted as paused time).

    While waiting it keeps asking ``inner`` (slice by slice), so Pause blocks and Stop raises
    :class:`cnnviz.control.JobStopped` as promptly as without the pace.
    """

    def __init__(self, inner: Control, seconds: float) -> None:
        self.inner = inner
        self.seconds = max(0.0, float(seconds))
        self.waited = 0.0  # seconds spent in the pace itself

    @property
    def paused_seconds(self) -> float:
        """The inner control's pauses plus the pace's waits."""
        return self.inner.paused_seconds + self.waited

    @property
    def stop_requested(self) -> bool:
        """The inner control's answer."""
        return self.inner.stop_requested

    def checkpoint(self) -> None:
        """Wait ``seconds`` (asking ``inner`` every slice), then ``inner.checkpoint()``."""
        left = self.seconds
        while left > 0:
            self.inner.checkpoint()
            step = min(_SLICE, left)
            started = time.perf_counter()
            time.sleep(step)
            self.waited += time.perf_counter() - started
            left -= step
        self.inner.checkpoint()
