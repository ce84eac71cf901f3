"""The segmentation job: one U-Net run of :func:`cnnviz.train.train_segmentation` in the background,
and what the page polls.

:class:`SegmentTask` is what runs (a worker process of the pool, or a thread): it carries only its
config and makes its data from the seed. :class:`SegmentJob` is the page's handle, a
:class:`BackgroundJob` like :class:`cnnviz.jobs.TrainingJob` (pause, resume, stop, heartbeat,
the server's worker pool): it folds the events into a :class:`SegmentSnapshot`.

Lesson: the "Beyond classification" page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from cnnviz.control import Control
from cnnviz.i18n import MessageError
from cnnviz.jobs.backend import threads_per_job
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.job import BackgroundJob
from cnnviz.net import SpecError, unet_problems
from cnnviz.train import (
    SegmentBatch,
    SegmentConfig,
    SegmentEpoch,
    SegmentFinished,
    SegmentImages,
    SegmentStarted,
    train_segmentation,
)

__all__ = ["SEGMENT_MAX_SECONDS", "SegmentJob", "SegmentSnapshot", "SegmentTask"]

SEGMENT_MAX_SECONDS = 300.0


@dataclass(frozen=True)
class SegmentTask:
    """One segmentation run as a picklable task."""

    cfg: SegmentConfig

    def run(self, control: Control) -> Iterator[Any]:
        """The events of :func:`cnnviz.train.train_segmentation`."""
        return train_segmentation(self.cfg, control)


@dataclass(frozen=True, eq=False)
class SegmentSnapshot:
    """What the page draws, copied under the job's lock: ``losses`` ``(n, 2)`` of step and batch
    loss, the epochs so far, the latest image row, progress in [0, 1]."""

    status: str
    losses: np.ndarray
    epochs: tuple[SegmentEpoch, ...]
    images: SegmentImages | None
    finished: SegmentFinished | None
    progress: float
    step: int
    total_batches: int
    params: int
    error_key: str | None


class SegmentJob(BackgroundJob):
    """Trains a U-Net with ``cfg`` in the background, keeping what the page shows.

    Every limit is re-checked here, on the server: raises :class:`MessageError` for a config out
    of range and :class:`SpecError` for an image size the U-Net's stride does not divide. Fills in
    the pool's threads per job and caps ``max_seconds`` at :data:`SEGMENT_MAX_SECONDS`.
    """

    def __init__(
        self,
        cfg: SegmentConfig,
        *,
        runner: Runner | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        problems = cfg.problems()
        if problems:
            raise MessageError(problems[0].key, **problems[0].param_dict())
        net_problems = unet_problems(cfg.net)
        if net_problems:
            raise SpecError(net_problems)
        if cfg.num_threads is None:
            cfg = replace(cfg, num_threads=threads_per_job())
        cfg = replace(cfg, max_seconds=min(cfg.max_seconds, SEGMENT_MAX_SECONDS))
        self.cfg = cfg
        self._lock = threading.Lock()
        self._losses: list[tuple[float, float]] = []
        self._epochs: list[SegmentEpoch] = []
        self._images: SegmentImages | None = None
        self._finished: SegmentFinished | None = None
        self._total = 0
        self._params = 0
        self._step = 0
        super().__init__(
            SegmentTask(cfg),
            runner=runner,
            on_event=self._record,
            heartbeat_timeout=heartbeat_timeout,
        )

    def _record(self, event: Any) -> None:
        with self._lock:
            match event:
                case SegmentStarted():
                    self._total, self._params = event.total_batches, event.params
                case SegmentBatch():
                    self._step = event.step
                    self._losses.append((float(event.step), event.loss))
                case SegmentEpoch():
                    self._epochs.append(event)
                case SegmentImages():
                    self._images = event
                case SegmentFinished():
                    self._finished = event

    @property
    def epochs(self) -> list[SegmentEpoch]:
        """The epochs finished so far (a copy)."""
        with self._lock:
            return list(self._epochs)

    @property
    def finished(self) -> SegmentFinished | None:
        """The final event, once the run has ended."""
        with self._lock:
            return self._finished

    def snapshot(self) -> SegmentSnapshot:
        """Copies of everything the page draws, taken under the lock."""
        status = self.status
        with self._lock:
            progress = self._step / self._total if self._total else 0.0
            if self._finished is not None and self._finished.reason == "completed":
                progress = 1.0
            losses = np.array(self._losses, dtype=np.float64).reshape(-1, 2)
            return SegmentSnapshot(
                status=status,
                losses=losses,
                epochs=tuple(self._epochs),
                images=self._images,
                finished=self._finished,
                progress=min(1.0, progress),
                step=self._step,
                total_batches=self._total,
                params=self._params,
                error_key=self.error_key,
            )
