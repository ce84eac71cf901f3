"""Several training runs one after another in one background job, for the Overfitting lab.

:class:`SequenceJob` trains a list of :class:`PlannedRun` (capacity sweep, regularisation demo,
ensemble members) on one dataset; the work is a picklable :class:`SequenceTask` that announces
each run (:class:`RunBegins`), yields its training events and ends it with clean accuracies and,
when asked, its weights (:class:`RunEnds`). The page polls :meth:`SequenceJob.snapshot`, a
:class:`SequenceSnapshot` with one :class:`RunOutcome` per run started so far. Like every
:class:`cnnviz.jobs.BackgroundJob` it waits for a free worker, pauses, stops, and stops itself
when the page no longer polls.

Lesson: the "Overfitting lab" page (sweep, L1/L2 and ensemble tabs).
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.jobs.backend import threads_per_job
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.job import BackgroundJob
from cnnviz.jobs.training import DEFAULT_MAX_SECONDS
from cnnviz.net import NetSpec, SpecError, build_model
from cnnviz.train import (
    BatchEnd,
    EpochEnd,
    Finished,
    Started,
    TrainConfig,
    check_limits,
    cpu_state_dict,
    evaluate,
    train,
    with_defaults_for_server,
)

__all__ = [
    "PlannedRun",
    "RunBegins",
    "RunEnds",
    "RunOutcome",
    "SequenceJob",
    "SequenceSnapshot",
    "SequenceTask",
]


@dataclass(frozen=True)
class PlannedRun:
    """One run of a sequence: a label for the chart, the network and the training config."""

    label: str
    net: NetSpec
    cfg: TrainConfig
    width: float = 1.0


@dataclass
class RunOutcome:
    """What a finished run of a sequence left: curves, end, clean accuracies, maybe weights.

    ``train_acc_eval`` is measured after training in eval mode on the (un-augmented) training set.
    """

    label: str
    width: float
    params: int
    epochs: list[EpochEnd] = field(default_factory=list)
    finished: Finished | None = None
    train_acc_eval: float = float("nan")
    val_acc_eval: float = float("nan")
    model_state: dict[str, torch.Tensor] | None = None


@dataclass(frozen=True)
class RunBegins:
    """A run of the sequence starts: its place, label, width multiplier and parameter count."""

    index: int
    label: str
    width: float
    params: int


@dataclass(frozen=True, eq=False)
class RunEnds:
    """A run ended: accuracies measured in eval mode, and its weights when they are kept."""

    index: int
    train_acc_eval: float
    val_acc_eval: float
    state: dict[str, torch.Tensor] | None


@dataclass(frozen=True, eq=False)
class SequenceTask:
    """The runs of a sequence, one after another, as a picklable task."""

    runs: tuple[PlannedRun, ...]
    data: DatasetBundle
    keep_weights: bool = False

    def run(self, control: Control) -> Iterator[Any]:
        """For each run: :class:`RunBegins`, the training events, :class:`RunEnds`. Stop ends
        the current run (it still reports its accuracies) and skips the rest."""
        for index, planned in enumerate(self.runs):
            if control.stop_requested:
                break
            model = build_model(planned.net, seed=planned.cfg.seed)
            params = sum(p.numel() for p in model.parameters())
            yield RunBegins(index, planned.label, planned.width, params)
            yield from train(model, self.data, planned.cfg, control=control)
            _, train_acc, _ = evaluate(model, self.data.train_x, self.data.train_y)
            _, val_acc, _ = evaluate(model, self.data.val_x, self.data.val_y)
            state = cpu_state_dict(model) if self.keep_weights else None
            yield RunEnds(index, train_acc, val_acc, state)


@dataclass(frozen=True, eq=False)
class SequenceSnapshot:
    """A consistent copy of a :class:`SequenceJob` for one page poll."""

    status: str
    current: int
    total: int
    progress: float
    outcomes: tuple[RunOutcome, ...]
    elapsed_seconds: float
    error_key: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)


class SequenceJob(BackgroundJob):
    """Trains ``runs`` one after another on ``data`` in one background job.

    Each run is built with its own seed (``cfg.seed``) and keeps its weights when
    ``keep_weights``. Stop ends the current run and skips the rest. Raises :class:`SpecError`
    at construction when a network does not fit the data or the server's caps.
    """

    def __init__(
        self,
        runs: Sequence[PlannedRun],
        data: DatasetBundle,
        *,
        keep_weights: bool = False,
        runner: Runner | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        if not runs:
            raise ValueError("a sequence needs at least one run")
        planned = []
        for run in runs:
            cfg = run.cfg
            if cfg.num_threads is None:
                cfg = dataclasses.replace(cfg, num_threads=threads_per_job())
            cfg = with_defaults_for_server(cfg, DEFAULT_MAX_SECONDS)
            problems = check_limits(run.net, data, cfg)
            if problems:
                raise SpecError(problems)
            planned.append(dataclasses.replace(run, cfg=cfg))
        self.runs: tuple[PlannedRun, ...] = tuple(planned)
        self.data = data
        self.keep_weights = keep_weights
        self._lock = threading.Lock()
        self._outcomes: list[RunOutcome] = []
        self._current = 0
        self._run_fraction = 0.0
        self._total_steps = 0
        self._started_at: float | None = None
        super().__init__(
            SequenceTask(self.runs, data, keep_weights),
            runner=runner,
            on_event=self._record,
            heartbeat_timeout=heartbeat_timeout,
        )

    def _record(self, event: Any) -> None:
        with self._lock:
            if self._started_at is None:
                self._started_at = time.perf_counter()
            outcome = self._outcomes[-1] if self._outcomes else None
            match event:
                case RunBegins():
                    self._current, self._run_fraction = event.index, 0.0
                    self._outcomes.append(RunOutcome(event.label, event.width, event.params))
                case Started():
                    self._total_steps = max(1, event.total_batches)
                case BatchEnd():
                    self._run_fraction = event.step / max(1, self._total_steps)
                case EpochEnd() if outcome is not None:
                    outcome.epochs.append(event)
                case Finished() if outcome is not None:
                    outcome.finished = event
                case RunEnds() if outcome is not None:
                    outcome.train_acc_eval, outcome.val_acc_eval = (
                        event.train_acc_eval,
                        event.val_acc_eval,
                    )
                    outcome.model_state = event.state
                    self._run_fraction = 1.0

    def snapshot(self) -> SequenceSnapshot:
        """Copies of the outcomes so far (epoch lists copied) and the overall progress 0..1."""
        status = self.status
        paused = self.paused_seconds  # never ask the runner while holding this job's lock
        with self._lock:
            outcomes = tuple(dataclasses.replace(o, epochs=list(o.epochs)) for o in self._outcomes)
            done = sum(1 for o in self._outcomes if o.finished is not None)
            running = self._run_fraction if len(self._outcomes) > done else 0.0
            progress = min(1.0, (done + running) / len(self.runs))
            elapsed = 0.0
            if self._started_at is not None:
                elapsed = time.perf_counter() - self._started_at - paused
        return SequenceSnapshot(
            status=status,
            current=self._current,
            total=len(self.runs),
            progress=progress,
            outcomes=outcomes,
            elapsed_seconds=max(0.0, elapsed),
            error_key=self.error_key,
            error_params=dict(self.error_params),
        )
