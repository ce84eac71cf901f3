"""The training job: one run of :func:`cnnviz.train.train` in the background, and what a page polls.

:class:`TrainTask` is what runs (in a worker process, or a thread): it builds the network with
the run's seed, trains it and finally yields the trained weights. :class:`TrainingJob` is the
page's handle: it folds the events into what the page draws (:class:`JobSnapshot`) and rebuilds
the trained model from the weights, in the app process.

Lesson: the "Train live" page and the Overfitting lab.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.jobs.backend import threads_per_job
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.job import BackgroundJob
from cnnviz.jobs.pace import PacedControl
from cnnviz.net import NetSpec, SpecError, build_model
from cnnviz.train import (
    BatchEnd,
    Diverged,
    EpochEnd,
    Evaluated,
    Finished,
    Snapshot,
    Started,
    TrainConfig,
    check_limits,
    cpu_state_dict,
    train,
    with_defaults_for_server,
)

__all__ = [
    "DEFAULT_MAX_SECONDS",
    "REPLAY_BYTES",
    "JobSnapshot",
    "TrainTask",
    "TrainedWeights",
    "TrainingJob",
    "snapshot_bytes",
]

DEFAULT_MAX_SECONDS = 600.0
REPLAY_BYTES = 16 * 1024 * 1024  # per job: the per-epoch feature maps kept for the replay


@dataclass(frozen=True, eq=False)
class TrainedWeights:
    """The last event of a training task: the trained weights, as CPU tensors."""

    state: dict[str, torch.Tensor]


@dataclass(frozen=True, eq=False)
class TrainTask:
    """One training run as a picklable task: build ``net`` with ``cfg.seed``, train, yield events,
    then the weights (also after Stop, so a stopped run keeps what it learned).

    ``pace``: seconds to wait before every batch (slow motion, :mod:`cnnviz.jobs.pace`); the
    numbers are those of the unpaced run.
    """

    net: NetSpec
    data: DatasetBundle
    cfg: TrainConfig
    probe: torch.Tensor | None = None
    pace: float = 0.0

    def run(self, control: Control) -> Iterator[Any]:
        """The events of :func:`cnnviz.train.train`, then :class:`TrainedWeights`."""
        model = build_model(self.net, seed=self.cfg.seed)
        if self.pace > 0:
            control = PacedControl(control, self.pace)
        yield from train(model, self.data, self.cfg, control=control, probe=self.probe)
        yield TrainedWeights(cpu_state_dict(model))


@dataclass(frozen=True, eq=False)
class JobSnapshot:
    """A consistent copy of a training job's state for one page poll.

    ``batches``: (n, 3) float64 array of ``step, loss, smoothed loss`` (downsampled to at most
    ``2 x max_points`` rows: every k-th step, k doubling as the run grows); ``smoothed`` is the
    bias-corrected moving average ``s_t = 0.9 s_{t-1} + 0.1 loss_t``, ``s_t / (1 - 0.9^t)``.
    ``progress`` in [0, 1]; ``eta_seconds`` from the average time per step so far.
    """

    status: str
    batches: np.ndarray
    epochs: tuple[EpochEnd, ...]
    snapshot: Snapshot | None
    diverged: Diverged | None
    finished: Finished | None
    progress: float
    eta_seconds: float | None
    queue_position: int | None
    device_label: str
    step: int
    total_batches: int
    epoch: int
    lr: float | None
    elapsed_seconds: float
    error_key: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)


class TrainingJob(BackgroundJob):
    """Trains ``net`` on ``data`` with ``cfg`` in the background, keeping what the page shows.

    Fills in server defaults: ``cfg.num_threads`` (the pool's threads per job) and
    ``cfg.max_seconds`` (:data:`DEFAULT_MAX_SECONDS`). Raises :class:`SpecError` at construction
    when :func:`cnnviz.train.check_limits` finds problems (network invalid or too big, wrong
    input shape or class count, dataset too big). ``model`` is the trained model once the task
    has sent its weights (after it finished or was stopped). ``pace``: slow motion, seconds to
    wait before every batch (:func:`cnnviz.jobs.slow_motion_pace`).

    Besides the latest feature-map :class:`Snapshot`, the job keeps one per epoch (the
    untrained network's first, then each epoch's end) for replaying a finished run
    (:attr:`epoch_snapshots`), within :data:`REPLAY_BYTES`: past it, every other stored epoch
    is dropped (the first and the latest are always kept).
    """

    def __init__(
        self,
        net: NetSpec,
        data: DatasetBundle,
        cfg: TrainConfig,
        *,
        runner: Runner | None = None,
        heartbeat_timeout: float | None = 60.0,
        probe: torch.Tensor | None = None,
        max_points: int = 1000,
        pace: float = 0.0,
    ) -> None:
        if cfg.num_threads is None:
            cfg = replace(cfg, num_threads=threads_per_job())
        cfg = with_defaults_for_server(cfg, DEFAULT_MAX_SECONDS)
        problems = check_limits(net, data, cfg)
        if problems:
            raise SpecError(problems)
        self.net = net
        self.data = data
        self.cfg = cfg
        self.probe = probe
        self.pace = max(0.0, float(pace))
        self._weights: dict[str, torch.Tensor] | None = None
        self._model: torch.nn.Module | None = None
        self._lock = threading.Lock()
        self._max_points = max(2, max_points)
        self._stride = 1
        # rows of step, loss, smoothed loss; every ``_stride``-th step, thinned when full
        self._points = np.empty((2 * self._max_points, 3), dtype=np.float64)
        self._count = 0
        self._ema = 0.0
        self._ema_steps = 0
        self._epochs: list[EpochEnd] = []
        self._snapshot: Snapshot | None = None
        self._epoch_snapshots: list[Snapshot] = []
        self._epoch_ended = True  # the next Snapshot closes an epoch (the first: the untrained net)
        self._diverged: Diverged | None = None
        self._evaluated: Evaluated | None = None
        self._finished: Finished | None = None
        self._device_label = ""
        self._total = 0
        self._step = 0
        self._epoch = 0
        self._lr: float | None = None
        self._started_at: float | None = None
        super().__init__(
            TrainTask(net, data, cfg, probe, self.pace),
            runner=runner,
            on_event=self._record,
            heartbeat_timeout=heartbeat_timeout,
        )

    @property
    def model(self) -> torch.nn.Module | None:
        """The trained model (eval mode), rebuilt here from the weights the task sent; None
        until they arrive."""
        with self._lock:
            if self._model is None and self._weights is not None:
                model = build_model(self.net, seed=self.cfg.seed)
                model.load_state_dict(self._weights)
                self._model = model.eval()
            return self._model

    def _record(self, event: Any) -> None:
        with self._lock:
            match event:
                case Started():
                    self._device_label = event.device_label
                    self._total = event.total_batches
                    self._started_at = time.perf_counter()
                case BatchEnd():
                    self._step, self._epoch, self._lr = event.step, event.epoch, event.lr
                    self._ema_steps += 1
                    self._ema = 0.9 * self._ema + 0.1 * event.loss
                    smoothed = self._ema / (1.0 - 0.9**self._ema_steps)
                    if event.step % self._stride == 0:
                        self._points[self._count] = (float(event.step), event.loss, smoothed)
                        self._count += 1
                        if self._count >= 2 * self._max_points:
                            kept = self._points[1 : self._count : 2].copy()
                            self._points[: len(kept)] = kept
                            self._count = len(kept)
                            self._stride *= 2
                case EpochEnd():
                    self._epochs.append(event)
                    self._epoch_ended = True
                case Snapshot():
                    self._snapshot = event
                    if self._epoch_ended:
                        self._keep_epoch_snapshot(event)
                        self._epoch_ended = False
                case Diverged():
                    self._diverged = event
                case Evaluated():
                    self._evaluated = event
                case Finished():
                    self._finished = event
                case TrainedWeights():
                    self._weights = event.state

    def _keep_epoch_snapshot(self, snapshot: Snapshot) -> None:
        kept = self._epoch_snapshots
        kept.append(snapshot)
        if len(kept) > 2 and sum(snapshot_bytes(s) for s in kept) > REPLAY_BYTES:
            # drop every other epoch between the first and the latest
            self._epoch_snapshots = [kept[0], *kept[1:-1][1::2], kept[-1]]

    @property
    def epochs(self) -> list[EpochEnd]:
        """The epochs finished so far (a copy)."""
        with self._lock:
            return list(self._epochs)

    @property
    def epoch_snapshots(self) -> tuple[Snapshot, ...]:
        """The feature maps at the start (epoch 0) and at the end of each kept epoch."""
        with self._lock:
            return tuple(self._epoch_snapshots)

    @property
    def finished(self) -> Finished | None:
        """The final event, once the run has ended."""
        with self._lock:
            return self._finished

    @property
    def evaluated(self) -> Evaluated | None:
        """The run's one final measurement (the official test split), once it has ended."""
        with self._lock:
            return self._evaluated

    def snapshot(self) -> JobSnapshot:
        """Copies of everything the page draws, taken under the lock."""
        status = self.status
        if status == "paused" and not self.blocked:
            # Pause takes effect between batches: until the worker blocks, numbers still move.
            status = "pausing"
        # the runner's answers first: never ask the runner while holding this job's lock
        paused = self.paused_seconds
        queue_position = self.queue_position()
        with self._lock:
            elapsed = 0.0
            if self._started_at is not None:
                end = time.perf_counter()
                elapsed = max(0.0, end - self._started_at - paused)
            progress = self._step / self._total if self._total else 0.0
            if self._finished is not None and self._finished.reason == "completed":
                progress = 1.0
            eta = None
            if 0 < progress < 1 and status in ("running", "pausing", "paused"):
                eta = elapsed / progress * (1.0 - progress)
            return JobSnapshot(
                status=status,
                batches=self._points[: self._count].copy(),
                epochs=tuple(self._epochs),
                snapshot=self._snapshot,
                diverged=self._diverged,
                finished=self._finished,
                progress=min(1.0, progress),
                eta_seconds=eta,
                queue_position=queue_position,
                device_label=self._device_label,
                step=self._step,
                total_batches=self._total,
                epoch=self._epoch,
                lr=self._lr,
                elapsed_seconds=elapsed,
                error_key=self.error_key,
                error_params=dict(self.error_params),
            )


def snapshot_bytes(snapshot: Snapshot) -> int:
    """Bytes of the arrays a :class:`Snapshot` holds (its feature maps and filters)."""
    size = sum(maps.nbytes for _, maps in snapshot.feature_maps)
    return size + (snapshot.filters.nbytes if snapshot.filters is not None else 0)
