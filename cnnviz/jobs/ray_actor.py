"""The worker side of :class:`cnnviz.jobs.ray_runner.RayRunner`: the Ray actor that runs one job's
task at a time in its own thread, streams the task's events back when the runner polls, and obeys
the runner's run / pause / stop command at the task's checkpoints. Also how much of a GPU a job
asks for (:func:`gpu_fraction`).

This module does not import Ray: the runner wraps :class:`JobActor` with ``ray.remote``, so the
class also runs (and is tested) as a plain object.

Lesson: every page that trains, on a server whose jobs run on a cluster (README: "Training on a
Ray cluster").
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from typing import Any

from cnnviz.control import JobStopped
from cnnviz.i18n import Message
from cnnviz.jobs.task import Task, describe_error

__all__ = ["PAUSE", "RUN", "STOP", "JobActor", "gpu_fraction"]

log = logging.getLogger(__name__)

#: The runner's commands to an actor, sent with every poll.
RUN, PAUSE, STOP = 0, 1, 2
_PAUSE_POLL = 0.05


class _ActorControl:
    """The :class:`cnnviz.control.Control` of a task in an actor: reads the last polled command;
    a job whose app stopped polling for ``orphan_seconds`` stops (the app is gone)."""

    def __init__(self, actor: JobActor) -> None:
        self._actor = actor
        self._paused = 0.0

    @property
    def paused_seconds(self) -> float:
        """Seconds spent blocked in :meth:`checkpoint` so far."""
        return self._paused

    @property
    def stop_requested(self) -> bool:
        """True once the app asked the task to stop, or stopped polling."""
        return self._actor.command() == STOP

    def checkpoint(self) -> None:
        """Return at once while running; block while paused; raise JobStopped on stop."""
        actor = self._actor
        command = actor.command()
        if command == RUN:
            return
        if command == STOP:
            raise JobStopped
        actor.set_blocked(True)  # the app's next poll gets every event before "blocked"
        started = time.perf_counter()
        try:
            while (command := actor.command()) == PAUSE:
                time.sleep(_PAUSE_POLL)
        finally:
            self._paused += time.perf_counter() - started
            actor.set_blocked(False)
        if command == STOP:
            raise JobStopped


class JobActor:
    """Runs one task at a time in a thread of a Ray actor process and keeps its events until the
    app polls for them (:meth:`poll`). Made a Ray actor by :class:`RayRunner`; plain Python here,
    so it can be tested without Ray."""

    def __init__(self, threads: int = 1, orphan_seconds: float = 30.0) -> None:
        import torch  # the actor's own process: one set of threads per job

        torch.set_num_threads(max(1, threads))
        self.orphan_seconds = orphan_seconds
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # the task ended, or (un)blocked
        self._events: list[Any] = []
        self._blocked = False
        self._done = False
        self._message: Message | None = None
        self._command = RUN
        self._last_poll = time.monotonic()
        self._thread: threading.Thread | None = None

    def pid(self) -> int:
        """This actor's process id (the operator's page shows it)."""
        return os.getpid()

    def begin(self, task: Task, data: Any = None, command: int = RUN) -> int:
        """Start ``task`` (with ``data`` put back when it travelled on its own); the pid."""
        if data is not None:
            task = dataclasses.replace(task, data=data)  # type: ignore[type-var]
        previous = self._thread
        if previous is not None:
            with self._lock:
                if not self._done:
                    raise RuntimeError("this actor is still running a job")
            previous.join(5.0)  # it said "done": it is leaving its last lines
        with self._lock:
            self._events, self._blocked, self._done, self._message = [], False, False, None
            self._command = command
            self._last_poll = time.monotonic()
            self._thread = threading.Thread(
                target=self._run, args=(task,), name="cnnviz-ray-job", daemon=True
            )
            self._thread.start()
        return os.getpid()

    def poll(self, command: int, wait: float = 0.0) -> tuple[list[Any], bool, bool, Message | None]:
        """Take ``command``; after up to ``wait`` seconds (less when the task ends or blocks
        meanwhile), give the events since the last poll, whether the task waits paused (after
        those events), whether it has ended, and its failure message."""
        with self._changed:
            self._command = command
            self._last_poll = time.monotonic()
            if wait > 0 and not self._done:
                blocked = self._blocked
                self._changed.wait_for(lambda: self._done or self._blocked != blocked, wait)
            self._last_poll = time.monotonic()
            events, self._events = self._events, []
            return events, self._blocked, self._done, self._message

    # -- called by the task's thread
    def command(self) -> int:
        """The command the task obeys (STOP once the app has not polled for a while)."""
        with self._lock:
            if time.monotonic() - self._last_poll > self.orphan_seconds:
                return STOP
            return self._command

    def set_blocked(self, blocked: bool) -> None:
        """The task waits paused (True) or goes on (False)."""
        with self._changed:
            self._blocked = blocked
            self._changed.notify_all()

    def _run(self, task: Task) -> None:
        message: Message | None = None
        try:
            for event in task.run(_ActorControl(self)):
                with self._lock:
                    self._events.append(event)
        except JobStopped:
            pass
        except BaseException as exc:  # report every failure to the page; the actor lives on
            log.exception("task failed in a Ray actor")
            message = describe_error(exc)
        with self._changed:
            self._done, self._message, self._blocked = True, message, False
            self._changed.notify_all()


# ------------------------------------------------------------------------------ the app side


def gpu_fraction(task: Task, gpu_bytes: int) -> float:
    """The share of one GPU of ``gpu_bytes`` that ``task`` asks for (0.05 steps, 0.05 to 1).

    Estimate: the CUDA context (~400 MB), weights, gradients and two optimizer moments
    (4 x parameters), three times one batch's activations (forward, gradients, workspace) and
    the dataset. A task that says nothing of its network gets a quarter of a card.
    """
    net, cfg, data = (getattr(task, name, None) for name in ("net", "cfg", "data"))
    if net is None or cfg is None:
        return 0.25
    from cnnviz.net.shapes import infer

    summary = infer(net)
    need = 400 * 2**20 + 4 * 4 * summary.total_params
    need += 3 * summary.total_activation_bytes * int(getattr(cfg, "batch_size", 64))
    if data is not None:
        for name in ("train_x", "val_x"):
            tensor = getattr(data, name, None)
            if tensor is not None:
                need += tensor.numel() * tensor.element_size()
    share = need / max(1, gpu_bytes)
    steps = -(-share // 0.05)  # round up to 0.05
    return float(min(1.0, max(0.05, steps * 0.05)))
