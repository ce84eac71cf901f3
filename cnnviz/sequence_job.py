"""Several training runs one after another in one background thread, for the Overfitting lab.

:class:`SequenceJob` trains a list of :class:`PlannedRun` (capacity sweep, regularisation demo,
ensemble members) on one dataset; the page polls :meth:`SequenceJob.snapshot`, which returns a
:class:`SequenceSnapshot` with one :class:`RunOutcome` per run started so far. Like every
:class:`cnnviz.jobs.BackgroundJob` it waits for a slot of the process's job limiter, pauses,
stops, and stops itself when the page no longer polls.

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
from torch import nn

from cnnviz.data import DatasetBundle
from cnnviz.jobs import DEFAULT_MAX_SECONDS, BackgroundJob, JobControl, JobLimiter
from cnnviz.specs import NetSpec, SpecError
from cnnviz.training import (
    BatchEnd,
    EpochEnd,
    Finished,
    Started,
    TrainConfig,
    check_limits,
    evaluate,
    train,
    with_defaults_for_server,
)

__all__ = ["PlannedRun", "RunOutcome", "SequenceJob", "SequenceSnapshot", "weights_copy"]


def weights_copy(model: nn.Module) -> dict[str, torch.Tensor]:
    """A CPU copy of ``model.state_dict()`` that later training cannot change (kept with a run)."""
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


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
    """Trains ``runs`` one after another on ``data`` in one background thread.

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
        limiter: JobLimiter | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        if not runs:
            raise ValueError("a sequence needs at least one run")
        planned = []
        for run in runs:
            cfg = with_defaults_for_server(run.cfg, DEFAULT_MAX_SECONDS)
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
            self._work, limiter=limiter, on_event=None, heartbeat_timeout=heartbeat_timeout
        )

    def _work(self, control: JobControl) -> Iterator[Any]:
        from cnnviz.builder import build_model

        self._started_at = time.perf_counter()
        for index, run in enumerate(self.runs):
            if control.stop_requested:
                break
            model = build_model(run.net, seed=run.cfg.seed)
            params = sum(p.numel() for p in model.parameters())
            outcome = RunOutcome(label=run.label, width=run.width, params=params)
            with self._lock:
                self._current, self._run_fraction = index, 0.0
                self._outcomes.append(outcome)
            for event in train(model, self.data, run.cfg, control=control):
                with self._lock:
                    match event:
                        case Started():
                            self._total_steps = max(1, event.total_batches)
                        case BatchEnd():
                            self._run_fraction = event.step / max(1, self._total_steps)
                        case EpochEnd():
                            outcome.epochs.append(event)
                        case Finished():
                            outcome.finished = event
                yield event
            _, train_acc, _ = evaluate(model, self.data.train_x, self.data.train_y)
            _, val_acc, _ = evaluate(model, self.data.val_x, self.data.val_y)
            state = weights_copy(model) if self.keep_weights else None
            with self._lock:
                outcome.train_acc_eval, outcome.val_acc_eval = train_acc, val_acc
                outcome.model_state = state
                self._run_fraction = 1.0

    def snapshot(self) -> SequenceSnapshot:
        """Copies of the outcomes so far (epoch lists copied) and the overall progress 0..1."""
        status = self.status
        with self._lock:
            outcomes = tuple(dataclasses.replace(o, epochs=list(o.epochs)) for o in self._outcomes)
            done = sum(1 for o in self._outcomes if o.finished is not None)
            running = self._run_fraction if len(self._outcomes) > done else 0.0
            progress = min(1.0, (done + running) / len(self.runs))
            elapsed = 0.0
            if self._started_at is not None:
                elapsed = time.perf_counter() - self._started_at - self.control.paused_seconds
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
