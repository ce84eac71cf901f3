"""A job that keeps every event its task yields, for pages whose work is not one training run.

The explorers run small experiments in the background (a learning-rate range test, activation
maximisation, a pruning sweep with fine-tuning...). Their tasks yield their own events; an
:class:`EventLogJob` keeps them in order so a polling page reads only what is new since its last
tick (:meth:`EventLogJob.since`), and the latest :class:`Progress` tells how far the work is.

Lesson: every explorer page that runs something long.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from cnnviz.control import Control
from cnnviz.i18n import Message
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.job import BackgroundJob
from cnnviz.jobs.task import Task

__all__ = ["EventLogJob", "Progress"]

E = TypeVar("E")


@dataclass(frozen=True)
class Progress:
    """How far a task is: ``done`` of ``total`` steps, and optionally what it is doing."""

    done: int
    total: int
    message: Message | None = None

    @property
    def fraction(self) -> float:
        """``done / total`` in [0, 1] (0 when the total is unknown)."""
        return min(1.0, max(0.0, self.done / self.total)) if self.total > 0 else 0.0


class EventLogJob(BackgroundJob):
    """Runs ``task`` in the background and keeps every event it yields, in order."""

    def __init__(
        self,
        task: Task | Callable[[Control], Iterator[Any]],
        *,
        runner: Runner | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        self._log: list[Any] = []
        self._log_lock = threading.Lock()
        self._progress: Progress | None = None
        super().__init__(
            task, runner=runner, on_event=self._keep, heartbeat_timeout=heartbeat_timeout
        )

    def _keep(self, event: Any) -> None:
        with self._log_lock:
            self._log.append(event)
            if isinstance(event, Progress):
                self._progress = event

    def since(self, index: int = 0) -> tuple[list[Any], int]:
        """The events from ``index`` on, and the index to ask for next time."""
        with self._log_lock:
            return self._log[index:], len(self._log)

    def events(self, kind: type[E]) -> list[E]:
        """Every event of type ``kind`` so far."""
        with self._log_lock:
            return [event for event in self._log if isinstance(event, kind)]

    def latest(self, kind: type[E]) -> E | None:
        """The last event of type ``kind`` so far, or None."""
        with self._log_lock:
            for event in reversed(self._log):
                if isinstance(event, kind):
                    return event
        return None

    @property
    def progress(self) -> Progress | None:
        """The last :class:`Progress` the task reported."""
        with self._log_lock:
            return self._progress
