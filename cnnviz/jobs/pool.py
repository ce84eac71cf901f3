"""The server's pool of worker processes: where every training job of a class runs.

A Python process has one interpreter lock, so jobs that are threads of the Streamlit process take
turns on one core with every student's page refresh. The pool runs each job in a worker process
(:mod:`cnnviz.jobs.worker`), spawned once and reused: the app process only queues jobs, passes on
pause/resume/stop and folds the events that come back, which costs little.

One thread of the app process (``cnnviz-pool``) does all of the pool's work: it spawns workers,
hands the head of the first-in first-out queue to an idle worker, reads the workers' event
batches, notices a worker that died (killed, out of memory) and fails only its job before
replacing it, and stops jobs whose page stopped polling. Tensors travel through
``torch.multiprocessing``, so a dataset is shared with a worker, not copied.

Lesson: every page that trains, on a server shared by a whole class.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import sys
import threading
import time
import types
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection, wait
from typing import Any

import torch.multiprocessing as tmp

from cnnviz.i18n import Message, MessageError
from cnnviz.jobs.handle import JobHandle, JobInfo, created_at
from cnnviz.jobs.worker import PAUSE, RUN, STOP, worker_main

__all__ = ["WorkerPool"]

log = logging.getLogger(__name__)

_TICK = 0.25  # seconds between the pool thread's housekeeping rounds
_HEARTBEAT_EVERY = 1.0


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """Start a worker without making it run the app's page script first.

    A spawned process first re-runs its parent's ``__main__`` (from its ``__file__``), and
    Streamlit installs every script run as ``__main__``: a worker would execute a page in bare
    mode (slow, noisy, and unsafe). While ``Process.start()`` reads it, a bare module stands in;
    the page's module comes back unless a newer script run has installed its own meanwhile
    (Streamlit itself swaps ``sys.modules["__main__"]`` at every run).
    """
    saved = sys.modules.get("__main__")
    bare = types.ModuleType("__main__")
    sys.modules["__main__"] = bare
    try:
        yield
    finally:
        if saved is not None and sys.modules.get("__main__") is bare:
            sys.modules["__main__"] = saved


class QueueFull(MessageError):
    """The server's waiting line is full."""


@dataclass
class _Slot:
    """One worker process and the job it runs."""

    index: int
    process: Any = None
    conn: Connection | None = None
    pid: int | None = None
    ready: bool = False
    job: JobHandle | None = None
    blocked: bool = False  # the worker said it waits paused (all its events arrived before)


@dataclass
class _Clock:
    """A job's pauses, measured in the app process."""

    paused: float = 0.0
    since: float | None = None


class WorkerPool:
    """``workers`` processes, each running one job at a time with ``threads`` PyTorch threads.

    ``max_queue`` caps the jobs waiting for a worker; ``memory_mb`` caps each worker's heap.
    """

    def __init__(
        self,
        workers: int,
        *,
        threads: int = 1,
        max_queue: int = 200,
        memory_mb: int | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self.workers = workers
        self.threads = threads
        self.max_queue = max_queue
        self.memory_mb = memory_mb
        self._ctx = tmp.get_context("spawn")
        self._commands = self._ctx.Array(ctypes.c_int, workers, lock=False)
        self._slots = [_Slot(i) for i in range(workers)]
        self._queue: deque[JobHandle] = deque()
        self._clocks: weakref.WeakKeyDictionary[JobHandle, _Clock] = weakref.WeakKeyDictionary()
        self._lock = threading.RLock()
        self._done = threading.Condition(self._lock)
        self._wake_read, self._wake_write = self._ctx.Pipe(duplex=False)
        self._closed = False
        self._last_beat_check = 0.0
        self._thread = threading.Thread(target=self._loop, name="cnnviz-pool", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    # ------------------------------------------------------------------- the Runner protocol

    def submit(self, job: JobHandle) -> None:
        """Queue ``job`` (first in, first out); QueueFull when the line is full."""
        with self._lock:
            if self._closed:
                raise MessageError("job.error.server_stopping")
            if len(self._queue) >= self.max_queue:
                raise QueueFull("job.error.queue_full", waiting=len(self._queue))
            self._queue.append(job)
            self._clocks[job] = _Clock()
        self._wake()

    def signal(self, job: JobHandle) -> None:
        """Pass pause/resume/stop on to the job's worker (or drop a stopped job from the line)."""
        with self._lock:
            clock = self._clocks.get(job)
            if clock is not None:
                now = time.perf_counter()
                if not job.resume_flag.is_set() and clock.since is None:
                    clock.since = now
                elif job.resume_flag.is_set() and clock.since is not None:
                    clock.paused += now - clock.since
                    clock.since = None
            slot = self._slot_of(job)
            if slot is not None:
                self._commands[slot.index] = self._command(job)
                return
            if job.stop_flag.is_set() and job in self._queue:
                self._queue.remove(job)
                job.finish(None)
                self._done.notify_all()

    def position(self, job: JobHandle) -> int | None:
        """1-based place of ``job`` in the waiting line."""
        with self._lock:
            for place, queued in enumerate(self._queue, start=1):
                if queued is job:
                    return place
            return None

    def blocked(self, job: JobHandle) -> bool:
        """True while the job's worker waits paused."""
        with self._lock:
            slot = self._slot_of(job)
            return slot is not None and slot.blocked

    def paused_seconds(self, job: JobHandle) -> float:
        """Seconds the job has been paused (measured here, from pause to resume)."""
        with self._lock:
            clock = self._clocks.get(job)
            if clock is None:
                return 0.0
            extra = time.perf_counter() - clock.since if clock.since is not None else 0.0
            return clock.paused + extra

    def join(self, job: JobHandle, timeout: float | None) -> bool:
        """Wait until the job has ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._done:
            while job.status in ("queued", "running", "paused", "stopping"):
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._done.wait(left if left is not None else 1.0)
            return True

    # --------------------------------------------------------------------------- operator

    def jobs(self) -> list[JobInfo]:
        """Every running and waiting job, for the operator's panel."""
        now = time.time()
        with self._lock:
            running = [
                JobInfo(
                    slot.job.owner,
                    slot.job.status,
                    slot.index,
                    slot.pid,
                    None,
                    now - created_at(slot.job, now),
                    slot.job,
                )
                for slot in self._slots
                if slot.job is not None
            ]
            waiting = [
                JobInfo(job.owner, job.status, None, None, place, now - created_at(job, now), job)
                for place, job in enumerate(self._queue, start=1)
            ]
        return running + waiting

    def worker_pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [slot.pid for slot in self._slots if slot.pid is not None]

    def close(self, timeout: float = 5.0) -> None:
        """Stop every job and every worker (the server is shutting down)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for job in list(self._queue):
                job.finish(None)
            self._queue.clear()
            for slot in self._slots:
                self._commands[slot.index] = STOP
        self._wake()
        self._thread.join(timeout)
        for slot in self._slots:
            process = slot.process
            if process is not None and process.is_alive():
                process.join(1.0)
                if process.is_alive():
                    process.kill()
                    process.join(1.0)

    # ------------------------------------------------------------------------ the pool thread

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(None)

    def _slot_of(self, job: JobHandle) -> _Slot | None:
        for slot in self._slots:
            if slot.job is job:
                return slot
        return None

    @staticmethod
    def _command(job: JobHandle) -> int:
        if job.stop_flag.is_set():
            return STOP
        return RUN if job.resume_flag.is_set() else PAUSE

    def _spawn(self, slot: _Slot) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        self._commands[slot.index] = RUN
        process = self._ctx.Process(
            target=worker_main,
            args=(
                slot.index,
                child,
                self._commands,
                os.getpid(),
                self.threads,
                self.memory_mb,
            ),
            name=f"cnnviz-worker-{slot.index}",
            daemon=True,
        )
        with _bare_main():
            process.start()
        child.close()
        slot.process, slot.conn, slot.pid, slot.ready, slot.job = process, parent, None, False, None

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._closed:
                    break
                for slot in self._slots:
                    if slot.process is None:
                        self._spawn(slot)
                self._assign()
                waitables: list[Any] = [self._wake_read]
                for slot in self._slots:
                    waitables += [slot.conn, slot.process.sentinel]
            try:
                ready = wait(waitables, timeout=_TICK)
            except OSError:
                ready = []
            # Jobs hear from the pool outside its lock, in the order the workers spoke: their
            # event handlers take their own locks, and pages call the pool under those.
            later: list[Callable[[], None]] = []
            with self._lock:
                try:
                    for item in ready:
                        self._handle(item, later)
                except Exception:  # the pool thread must outlive any one job's trouble
                    log.exception("worker pool housekeeping failed")
            for action in later:
                try:
                    action()
                except Exception:
                    log.exception("a job's event handler failed")
            with self._lock:
                self._done.notify_all()
            self._check_heartbeats()
        self._shutdown_workers()

    def _assign(self) -> None:
        for slot in self._slots:
            if not self._queue:
                return
            if slot.job is not None or not slot.ready or slot.conn is None:
                continue
            job = self._queue.popleft()
            slot.job = job
            self._commands[slot.index] = self._command(job)
            try:
                slot.conn.send(job.task)
            except Exception as exc:  # a task that cannot be pickled fails alone
                slot.job = None
                self._commands[slot.index] = RUN
                job.finish(
                    Message.of("job.error.unexpected", error=f"{type(exc).__name__}: {exc}"), exc
                )
                self._done.notify_all()
                continue
            job.on_started()

    def _handle(self, item: Any, later: list[Callable[[], None]]) -> None:
        if item is self._wake_read:
            while self._wake_read.poll():
                self._wake_read.recv()
            return
        for slot in self._slots:
            if item is slot.conn:
                self._receive(slot, later)
                return
            if slot.process is not None and item == slot.process.sentinel:
                self._worker_died(slot, later)
                return

    def _receive(self, slot: _Slot, later: list[Callable[[], None]]) -> None:
        assert slot.conn is not None
        try:
            while slot.conn.poll():
                message = slot.conn.recv()
                kind = message[0]
                if kind == "ready":
                    slot.ready, slot.pid = True, int(message[1])
                elif kind == "events" and slot.job is not None:
                    later.append(partial(slot.job.deliver, message[1]))
                elif kind == "blocked":
                    slot.blocked = bool(message[1])
                elif kind == "done":
                    job, slot.job, slot.blocked = slot.job, None, False
                    self._commands[slot.index] = RUN
                    if job is not None:
                        later.append(partial(job.finish, message[1]))
        except (EOFError, OSError):
            self._worker_died(slot, later)
        except Exception:  # an event that cannot be read must not stop the pool
            log.exception("could not read a worker's message")

    def _worker_died(self, slot: _Slot, later: list[Callable[[], None]]) -> None:
        process = slot.process
        if process is not None:
            process.join(0.1)
        job, code = slot.job, getattr(process, "exitcode", None)
        log.warning("worker %d died (exit code %s)", slot.index, code)
        if slot.conn is not None:
            slot.conn.close()
        slot.process, slot.conn, slot.pid, slot.ready, slot.job = None, None, None, False, None
        slot.blocked = False
        if job is not None:
            later.append(partial(job.finish, Message.of("job.error.worker_died", code=str(code))))

    def _check_heartbeats(self) -> None:
        """Stop jobs whose page stopped polling (``check_stop`` asks the page's session, so it
        runs outside the pool's lock; a stop reaches the pool through :meth:`signal`)."""
        now = time.monotonic()
        if now - self._last_beat_check < _HEARTBEAT_EVERY:
            return
        self._last_beat_check = now
        with self._lock:
            jobs = [slot.job for slot in self._slots if slot.job is not None] + list(self._queue)
        for job in jobs:
            try:
                job.check_stop()
            except Exception:
                log.exception("a job's heartbeat check failed")

    def _shutdown_workers(self) -> None:
        for slot in self._slots:
            if slot.conn is not None:
                with contextlib.suppress(OSError):
                    slot.conn.send(None)
