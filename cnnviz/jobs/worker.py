"""A worker process of the server's pool: it runs one task at a time and streams its events back.

Each worker is spawned once by :class:`cnnviz.jobs.pool.WorkerPool` and then loops: receive a task
on its pipe, run it, send its events back in small batches (every ~0.1 s, and before it blocks),
then report ``("done", message)``. Pause, resume and stop arrive as one integer per worker in
shared memory (:data:`RUN`, :data:`PAUSE`, :data:`STOP`), read at every checkpoint, so a control
costs nothing to send and acts at batch granularity. When it actually blocks on a pause, the worker
first sends every event it has, then ``("blocked", True)``: so when the page is told "paused",
its numbers are final until ``("blocked", False)``.

A worker never outlives the server: the kernel kills it when its parent dies (Linux
``PR_SET_PDEATHSIG``), and it checks its parent at every checkpoint and every idle second.

Lesson: every page that trains, on a server shared by a whole class.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import signal
import sys
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

import torch

from cnnviz.control import JobStopped
from cnnviz.jobs.task import Task, describe_error

__all__ = ["FlagControl"]  # the rest is the pool's, imported by name

# commands (app -> worker), one int per worker
RUN, PAUSE, STOP = 0, 1, 2

FLUSH_SECONDS = 0.1  # events are sent at least this often while a task runs
FLUSH_EVENTS = 256
_PAUSE_POLL = 0.05

log = logging.getLogger(__name__)


class _Sender:
    """Buffers a task's events and sends them in batches (one pickle per batch)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buffer: list[Any] = []
        self.last = time.monotonic()

    def add(self, event: Any) -> None:
        self.buffer.append(event)
        if len(self.buffer) >= FLUSH_EVENTS or time.monotonic() - self.last >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.conn.send(("events", self.buffer))
            self.buffer = []
        self.last = time.monotonic()

    def blocked(self, blocked: bool) -> None:
        self.flush()
        self.conn.send(("blocked", blocked))


class FlagControl:
    """The :class:`cnnviz.control.Control` of a task in a worker: reads its command flag."""

    def __init__(
        self,
        index: int,
        commands: Sequence[int],
        parent_pid: int,
        sender: _Sender | None = None,
    ) -> None:
        self.index = index
        self.commands = commands
        self.parent_pid = parent_pid
        self.sender = sender
        self._paused = 0.0

    @property
    def paused_seconds(self) -> float:
        """Seconds spent blocked in :meth:`checkpoint` so far."""
        return self._paused

    @property
    def stop_requested(self) -> bool:
        """True once the app asked the task to stop (or the app is gone)."""
        return self.commands[self.index] == STOP or os.getppid() != self.parent_pid

    def checkpoint(self) -> None:
        """Return at once while running; block while paused; raise JobStopped on stop."""
        command = self.commands[self.index]
        if command == RUN and os.getppid() == self.parent_pid:
            return
        if command == STOP or os.getppid() != self.parent_pid:
            raise JobStopped
        if self.sender is not None:
            self.sender.blocked(True)  # the page sees everything up to the pause
        started = time.perf_counter()
        try:
            while self.commands[self.index] == PAUSE:
                if os.getppid() != self.parent_pid:
                    raise JobStopped
                time.sleep(_PAUSE_POLL)
        finally:
            self._paused += time.perf_counter() - started
            if self.sender is not None:
                self.sender.blocked(False)
        if self.commands[self.index] == STOP:
            raise JobStopped


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (no orphans after a hard kill)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def _limit_memory(megabytes: int | None) -> None:
    """Cap this worker's heap at what it uses now plus ``megabytes`` (allocations past it fail
    with PyTorch's "can't allocate memory", which the job reports as out of memory)."""
    if not megabytes or not hasattr(resource, "RLIMIT_DATA"):
        return
    used = 0
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmData:"):
                    used = int(line.split()[1]) * 1024
    except OSError:
        pass
    limit = used + megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _run_task(task: Task, control: FlagControl, sender: _Sender) -> Any:
    """Run ``task`` to its end; the failure message, or None."""
    try:
        for event in task.run(control):
            sender.add(event)
    except JobStopped:
        pass
    except BaseException as exc:  # report every failure to the page; the worker lives on
        log.exception("task failed in worker %d", control.index)
        sender.flush()
        return describe_error(exc)
    sender.flush()
    return None


def worker_main(
    index: int,
    conn: Connection,
    commands: Sequence[int],
    parent_pid: int,
    threads: int,
    memory_mb: int | None,
) -> None:
    """The worker loop (the target of the spawned process)."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    torch.set_num_threads(max(1, threads))
    _limit_memory(memory_mb)
    conn.send(("ready", os.getpid()))
    while True:
        if not conn.poll(1.0):
            if os.getppid() != parent_pid:
                return
            continue
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        sender = _Sender(conn)
        control = FlagControl(index, commands, parent_pid, sender)
        message = _run_task(task, control, sender)
        try:
            conn.send(("done", message))
        except (OSError, BrokenPipeError):
            return
