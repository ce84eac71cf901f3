"""The two sides of a background job: the page's handle and the runner that runs its task.

A :class:`Runner` (a worker pool, a thread, a cluster) sees a job only through :class:`JobHandle`,
so runners do not depend on the job classes and new runners plug in without touching them.

Lesson: every page that runs something long.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cnnviz.i18n import Message
from cnnviz.jobs.task import Task

__all__ = ["JobHandle", "JobInfo", "Runner", "created_at"]


class JobHandle(Protocol):
    """What a runner reads and calls on a job."""

    task: Task
    stop_flag: threading.Event  # set: the work must stop at its next checkpoint
    resume_flag: threading.Event  # clear: the work must pause at its next checkpoint
    owner: str

    @property
    def status(self) -> str: ...

    def check_stop(self) -> bool:
        """True once the job must stop (also when its page stopped polling)."""
        ...

    def on_started(self) -> None:
        """The runner began the task."""
        ...

    def deliver(self, events: Sequence[Any]) -> None:
        """Events the task yielded, in order."""
        ...

    def finish(self, message: Message | None, exc: BaseException | None = None) -> None:
        """The task ended; ``message`` says why it failed (None: it did not)."""
        ...


@dataclass(frozen=True)
class JobInfo:
    """One running or waiting job as the operator's page shows it: its owner (a shortened
    session id), status, the worker slot and process running it (None while waiting), its
    place in the line (None while running) and its age in seconds."""

    owner: str
    status: str
    worker: int | None
    pid: int | None
    queue_position: int | None
    seconds: float
    job: Any = field(repr=False, compare=False)


def created_at(job: JobHandle, default: float) -> float:
    """When ``job`` was made (``time.time()``), or ``default`` if it does not say."""
    return float(getattr(job, "created_at", default))


class Runner(Protocol):
    """Where a job's task runs. It reads the job's flags when :meth:`signal` says they changed."""

    def submit(self, job: JobHandle) -> None:
        """Queue ``job``; raise a :class:`cnnviz.i18n.MessageError` if it cannot be queued."""
        ...

    def signal(self, job: JobHandle) -> None:
        """The job was paused, resumed or stopped: pass it on to the running work."""
        ...

    def position(self, job: JobHandle) -> int | None:
        """1-based place in the waiting line while queued, else None."""
        ...

    def blocked(self, job: JobHandle) -> bool:
        """True while the work actually waits in ``checkpoint()`` (paused, not mid-step)."""
        ...

    def paused_seconds(self, job: JobHandle) -> float:
        """Seconds the work has spent paused so far."""
        ...

    def join(self, job: JobHandle, timeout: float | None) -> bool:
        """Wait until the job has ended; True when it has."""
        ...

    def jobs(self) -> list[JobInfo]:
        """Every job running or waiting now (the operator's view of the server)."""
        ...
