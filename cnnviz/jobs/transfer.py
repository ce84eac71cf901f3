"""The transfer-learning job: one comparison of :func:`cnnviz.train.train_transfer` in the
background (the source trained once, then scratch / frozen / fine-tune for every labels-per-class
count), and what the page polls.

:class:`TransferTask` is what runs (a worker process of the pool, or a thread); it carries only
its config. :class:`TransferJob` is the page's handle, a :class:`BackgroundJob` like
:class:`cnnviz.jobs.SegmentJob`: it folds the events into a :class:`TransferSnapshot`.

Lesson: the "Beyond classification" page, section "Transfer learning".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from cnnviz.control import Control
from cnnviz.i18n import MessageError
from cnnviz.jobs.backend import threads_per_job
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.job import BackgroundJob
from cnnviz.train import (
    TransferConfig,
    TransferFinished,
    TransferPoint,
    TransferReport,
    TransferRunEnd,
    TransferSourceReady,
    TransferStarted,
    available_sources,
    available_targets,
    train_transfer,
)

__all__ = ["TRANSFER_MAX_SECONDS", "TransferJob", "TransferSnapshot", "TransferTask"]

TRANSFER_MAX_SECONDS = 300.0


@dataclass(frozen=True)
class TransferTask:
    """One comparison as a picklable task."""

    cfg: TransferConfig

    def run(self, control: Control) -> Iterator[Any]:
        """The events of :func:`cnnviz.train.train_transfer`."""
        return train_transfer(self.cfg, control)


@dataclass(frozen=True)
class TransferSnapshot:
    """What the page draws, copied under the job's lock.

    ``curves[(mode, k)]``: ``((step, accuracy), ...)``; ``results[(mode, k)]``: the final
    accuracy of each run that ended; ``runs_done`` of ``runs``.
    """

    status: str
    report: TransferReport | None
    source_accuracy: float | None
    source_cached: bool
    curves: dict[tuple[str, int], tuple[tuple[int, float], ...]]
    results: dict[tuple[str, int], float]
    runs_done: int
    runs: int
    finished: TransferFinished | None
    error_key: str | None

    @property
    def progress(self) -> float:
        """Runs done over runs planned, in [0, 1]."""
        return min(1.0, self.runs_done / self.runs) if self.runs else 0.0


class TransferJob(BackgroundJob):
    """Runs the comparison ``cfg`` in the background, keeping what the page shows.

    Every limit is re-checked here, on the server: raises :class:`MessageError` for a config out
    of range or a source/target this server does not have. Fills in the pool's threads per job
    and caps ``max_seconds`` at :data:`TRANSFER_MAX_SECONDS`.
    """

    def __init__(
        self,
        cfg: TransferConfig,
        *,
        runner: Runner | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        problems = cfg.problems()
        if problems:
            raise MessageError(problems[0].key, **problems[0].param_dict())
        for name, value, allowed in (
            ("source", cfg.source, available_sources()),
            ("target", cfg.target, available_targets()),
        ):
            if value not in allowed:
                raise MessageError(
                    "transfer.error.choice",
                    field=name,
                    value=repr(value),
                    allowed=", ".join(allowed),
                )
        if cfg.num_threads is None:
            cfg = replace(cfg, num_threads=threads_per_job())
        cfg = replace(cfg, max_seconds=min(cfg.max_seconds, TRANSFER_MAX_SECONDS))
        self.cfg = cfg
        self._lock = threading.Lock()
        self._report: TransferReport | None = None
        self._source: tuple[float, bool] | None = None
        self._curves: dict[tuple[str, int], list[tuple[int, float]]] = {}
        self._results: dict[tuple[str, int], float] = {}
        self._runs = len(cfg.label_counts) * len(cfg.modes)
        self._finished: TransferFinished | None = None
        super().__init__(
            TransferTask(cfg),
            runner=runner,
            on_event=self._record,
            heartbeat_timeout=heartbeat_timeout,
        )

    def _record(self, event: Any) -> None:
        with self._lock:
            match event:
                case TransferStarted():
                    self._report, self._runs = event.report, event.runs
                case TransferSourceReady():
                    self._source = (event.accuracy, event.cached)
                case TransferPoint():
                    key = (event.mode, event.per_class)
                    self._curves.setdefault(key, []).append((event.step, event.accuracy))
                case TransferRunEnd():
                    self._results[(event.mode, event.per_class)] = event.accuracy
                case TransferFinished():
                    self._finished = event

    def snapshot(self) -> TransferSnapshot:
        """Copies of everything the page draws, taken under the lock."""
        status = self.status
        with self._lock:
            return TransferSnapshot(
                status=status,
                report=self._report,
                source_accuracy=self._source[0] if self._source else None,
                source_cached=self._source[1] if self._source else False,
                curves={k: tuple(v) for k, v in self._curves.items()},
                results=dict(self._results),
                runs_done=len(self._results),
                runs=self._runs,
                finished=self._finished,
                error_key=self.error_key,
            )
