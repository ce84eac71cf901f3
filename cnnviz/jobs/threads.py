"""Running a job's task in a thread of this process: for notebooks, tests and the CLI.

Every thread of a Python process shares one interpreter lock, so a classroom server does not run
its jobs this way (:mod:`cnnviz.jobs.pool` does). A :class:`ThreadRunner` starts one daemon
thread per job; with a :class:`cnnviz.jobs.limiter.JobLimiter` the threads wait in line for a
slot first.

Lesson: every page that runs something long (when the server runs with ``CNNVIZ_BACKEND=thread``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref

from cnnviz.control import JobStopped
from cnnviz.jobs.handle import JobHandle, JobInfo, created_at
from cnnviz.jobs.limiter import POLL_SECONDS, JobLimiter
from cnnviz.jobs.task import describe_error

__all__ = ["JobControl", "ThreadRunner"]

log = logging.getLogger(__name__)


class JobControl:
    """What a task running in a thread sees of its job: ``checkpoint()``, ``stop_requested``.

    ``paused_seconds`` is the total time spent blocked in ``checkpoint()`` (training subtracts it
    from its clocks, so pauses count neither towards the time limit nor the images/second).
    """

    def __init__(self, job: JobHandle) -> None:
        self._job = job
        self._paused_total = 0.0
        self._paused_since: float | None = None
        self._pause_lock = threading.Lock()
        self.checkpoints = 0

    @property
    def paused_seconds(self) -> float:
        """Seconds spent paused so far, the pause in progress included."""
        with self._pause_lock:
            since = self._paused_since
            current = time.perf_counter() - since if since is not None else 0.0
            return self._paused_total + current

    @property
    def blocked(self) -> bool:
        """True while the task is actually waiting in ``checkpoint()`` (paused, not mid-step)."""
        with self._pause_lock:
            return self._paused_since is not None

    @property
    def stop_requested(self) -> bool:
        """True once Stop was pressed or the heartbeat timed out."""
        return self._job.check_stop()

    def checkpoint(self) -> None:
        """Block while paused; raise :class:`JobStopped` when the job must stop."""
        self.checkpoints += 1
        job = self._job
        if job.check_stop():
            raise JobStopped
        if job.resume_flag.is_set():
            return
        started = time.perf_counter()
        with self._pause_lock:
            self._paused_since = started
        try:
            while not job.resume_flag.wait(POLL_SECONDS):
                if job.check_stop():
                    raise JobStopped
        finally:
            with self._pause_lock:
                self._paused_total += time.perf_counter() - started
                self._paused_since = None
        if job.check_stop():
            raise JobStopped


class ThreadRunner:
    """One daemon thread per job, optionally waiting in line for a :class:`JobLimiter` slot."""

    def __init__(self, limiter: JobLimiter | None = None) -> None:
        self.limiter = limiter
        self._lock = threading.Lock()
        # keyed by the job itself, forgotten with it
        self._threads: weakref.WeakKeyDictionary[JobHandle, threading.Thread] = (
            weakref.WeakKeyDictionary()
        )
        self._controls: weakref.WeakKeyDictionary[JobHandle, JobControl] = (
            weakref.WeakKeyDictionary()
        )

    def control(self, job: JobHandle) -> JobControl:
        """The job's control (made on first use)."""
        with self._lock:
            control = self._controls.get(job)
            if control is None:
                control = self._controls[job] = JobControl(job)
            return control

    def submit(self, job: JobHandle) -> None:
        """Start the job's thread."""
        thread = threading.Thread(target=self._run, args=(job,), name="cnnviz-job", daemon=True)
        with self._lock:
            self._threads[job] = thread
        if self.limiter is None:
            job.on_started()
        thread.start()

    def signal(self, job: JobHandle) -> None:
        """Nothing to pass on: the thread reads the job's flags at its next checkpoint."""

    def position(self, job: JobHandle) -> int | None:
        """The job's place in the limiter's line."""
        return self.limiter.position(job) if self.limiter is not None else None

    def blocked(self, job: JobHandle) -> bool:
        """True while the thread waits paused."""
        return self.control(job).blocked

    def paused_seconds(self, job: JobHandle) -> float:
        """Seconds the thread has spent paused."""
        return self.control(job).paused_seconds

    def join(self, job: JobHandle, timeout: float | None) -> bool:
        """Wait for the job's thread."""
        with self._lock:
            thread = self._threads.get(job)
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def jobs(self) -> list[JobInfo]:
        """The jobs whose thread is alive: running ones first, then those waiting in line."""
        now = time.time()
        with self._lock:
            alive = [job for job, thread in self._threads.items() if thread.is_alive()]
        infos = []
        for job in alive:
            place = self.position(job)
            pid = None if place is not None else os.getpid()
            infos.append(
                JobInfo(job.owner, job.status, None, pid, place, now - created_at(job, now), job)
            )
        return sorted(infos, key=lambda info: (info.queue_position or 0, -info.seconds))

    def _run(self, job: JobHandle) -> None:
        acquired = False
        control = self.control(job)
        try:
            if self.limiter is not None:
                acquired = self.limiter.acquire(job, job.check_stop)
                if not acquired:
                    job.finish(None)
                    return
                job.on_started()
            for event in job.task.run(control):
                job.deliver((event,))
            job.finish(None)
        except JobStopped:
            job.finish(None)
        except Exception as exc:  # a failing job must never take the server down
            log.exception("background job failed")
            job.finish(describe_error(exc), exc)
        finally:
            if acquired and self.limiter is not None:
                self.limiter.release()
