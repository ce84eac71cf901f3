"""Background jobs for a shared server: a worker thread per job, pause/resume/stop, a FIFO limiter.

A page keeps a :class:`TrainingJob` in its session, presses Start/Pause/Resume/Stop through
callbacks and polls :meth:`TrainingJob.snapshot` from a fragment (see ../shared/STREAMLIT.md).
The worker thread never touches the UI: it runs a work generator, calling
:meth:`JobControl.checkpoint` between steps, which blocks while paused, and raises
:class:`JobStopped` when the user pressed Stop or when nobody has polled (``heartbeat()``) for
``heartbeat_timeout`` seconds (a closed browser tab). At most ``max_concurrent`` jobs of a process run
at once (:class:`JobLimiter`); the others wait in FIFO order and show their queue position.

Lesson: the "Train live" page and the Overfitting lab.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from cnnviz.data import DatasetBundle
from cnnviz.specs import NetSpec, SpecError
from cnnviz.training import (
    BatchEnd,
    Diverged,
    EpochEnd,
    Finished,
    Snapshot,
    Started,
    TrainConfig,
    check_limits,
    train,
    with_defaults_for_server,
)

__all__ = [
    "DEFAULT_MAX_SECONDS",
    "STATUSES",
    "BackgroundJob",
    "JobControl",
    "JobLimiter",
    "JobSnapshot",
    "JobStopped",
    "TrainingJob",
    "shared_limiter",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_SECONDS = 600.0
STATUSES: tuple[str, ...] = ("new", "queued", "running", "paused", "stopping", "finished", "failed")
ACTIVE_STATUSES: frozenset[str] = frozenset({"queued", "running", "paused", "stopping"})
_POLL = 0.2  # seconds between checks while queued or paused


class JobStopped(Exception):
    """Raised by :meth:`JobControl.checkpoint` when the job must stop (Stop, or tab gone)."""


class JobLimiter:
    """At most ``max_concurrent`` jobs run at once; the others wait first-in first-out.

    A bounded semaphore with a visible queue: :meth:`position` tells a waiting job its place
    (1 = next). One per process (pages create it with ``st.cache_resource``).
    """

    def __init__(self, max_concurrent: int = 2) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.max_concurrent = max_concurrent
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._running = 0

    def acquire(self, ticket: object, should_abort: Callable[[], bool] = lambda: False) -> bool:
        """Wait in line until a slot is free; False (and out of the queue) if ``should_abort()``."""
        with self._cond:
            self._queue.append(ticket)
            try:
                while not (self._queue[0] is ticket and self._running < self.max_concurrent):
                    if should_abort():
                        return False
                    self._cond.wait(_POLL)
                self._queue.popleft()
                self._running += 1
                return True
            finally:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                self._cond.notify_all()

    def release(self) -> None:
        """Free a slot (a release without an acquire raises, like ``BoundedSemaphore``)."""
        with self._cond:
            if self._running <= 0:
                raise ValueError("JobLimiter released too many times")
            self._running -= 1
            self._cond.notify_all()

    def position(self, ticket: object) -> int | None:
        """1-based place of ``ticket`` in the waiting line, or None when it is not waiting."""
        with self._cond:
            for place, queued in enumerate(self._queue, start=1):
                if queued is ticket:
                    return place
            return None

    @property
    def running(self) -> int:
        """Jobs holding a slot now."""
        with self._cond:
            return self._running

    @property
    def waiting(self) -> int:
        """Jobs waiting in line now."""
        with self._cond:
            return len(self._queue)


_SHARED_LIMITER: JobLimiter | None = None
_SHARED_LOCK = threading.Lock()


def shared_limiter() -> JobLimiter:
    """The one limiter of this process, shared by every page and session (Train page, lab).

    ``max_concurrent`` comes from ``$CNNVIZ_MAX_JOBS`` (default 2), read on first use.
    """
    global _SHARED_LIMITER
    with _SHARED_LOCK:
        if _SHARED_LIMITER is None:
            try:
                wanted = int(os.environ.get("CNNVIZ_MAX_JOBS", "2"))
            except ValueError:
                wanted = 2
            _SHARED_LIMITER = JobLimiter(max_concurrent=max(1, wanted))
        return _SHARED_LIMITER


class JobControl:
    """What a work function sees of its job: ``checkpoint()`` between steps, ``stop_requested``.

    ``paused_seconds`` is the total time spent blocked in ``checkpoint()`` (training subtracts it
    from its clocks, so pauses count neither towards the time limit nor the images/second).
    """

    def __init__(self, job: BackgroundJob) -> None:
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
        """True while the worker is actually waiting in ``checkpoint()`` (paused, not mid-batch)."""
        with self._pause_lock:
            return self._paused_since is not None

    @property
    def stop_requested(self) -> bool:
        """True once Stop was pressed or the heartbeat timed out."""
        return self._job._check_stop()

    def checkpoint(self) -> None:
        """Block while paused; raise :class:`JobStopped` when the job must stop."""
        self.checkpoints += 1
        job = self._job
        if job._check_stop():
            raise JobStopped
        if job._resume.is_set():
            return
        started = time.perf_counter()
        with self._pause_lock:
            self._paused_since = started
        try:
            while not job._resume.wait(_POLL):
                if job._check_stop():
                    raise JobStopped
        finally:
            with self._pause_lock:
                self._paused_total += time.perf_counter() - started
                self._paused_since = None
        if job._check_stop():
            raise JobStopped


class BackgroundJob:
    """Runs ``work(control)`` (a generator) in a daemon thread; ``on_event`` sees each item.

    Status: "new" -> "queued" (waiting for the limiter) -> "running" <-> "paused" -> "stopping" ->
    "finished"; or "failed" when the work raised (``error_key``/``error_params``/``error`` say
    why; the process lives on). Every control method is safe to call at any time, twice, or from
    the page thread while the worker runs.
    """

    def __init__(
        self,
        work: Callable[[JobControl], Iterator[Any]],
        *,
        limiter: JobLimiter | None = None,
        on_event: Callable[[Any], None] | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        self._work = work
        self._limiter = limiter
        self._on_event = on_event
        self.heartbeat_timeout = heartbeat_timeout
        self._state_lock = threading.Lock()
        self._status = "new"
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        self._last_beat = time.monotonic()
        self._thread: threading.Thread | None = None
        self.control = JobControl(self)
        #: optional "is the user's session still connected?" check; while it says True an old
        #: heartbeat does not stop the job (the user is on another page, not gone).
        self.keepalive: Callable[[], bool] | None = None
        self.stop_reason: str | None = None  # "user" | "heartbeat" when stopped from outside
        self.error: BaseException | None = None
        self.error_key: str | None = None
        self.error_params: dict[str, Any] = {}

    # ---------------------------------------------------------------------------- controls

    @property
    def status(self) -> str:
        """One of :data:`STATUSES`."""
        with self._state_lock:
            return self._status

    @property
    def active(self) -> bool:
        """True while queued, running, paused or stopping (the page keeps polling)."""
        return self.status in ACTIVE_STATUSES

    def start(self) -> bool:
        """Start the worker thread; False (and nothing happens) if it was started before."""
        with self._state_lock:
            if self._status != "new":
                return False
            self._status = "queued" if self._limiter is not None else "running"
            self._last_beat = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="cnnviz-job", daemon=True)
        self._thread.start()
        return True

    def pause(self) -> None:
        """Pause at the next checkpoint (a running job only)."""
        with self._state_lock:
            if self._status == "running":
                self._resume.clear()
                self._status = "paused"

    def resume(self) -> None:
        """Continue a paused job."""
        with self._state_lock:
            if self._status == "paused":
                self._status = "running"
                self._resume.set()

    def stop(self) -> None:
        """Ask the job to stop at its next checkpoint (harmless when already stopping or done)."""
        self._request_stop("user")

    def heartbeat(self) -> None:
        """The page is still looking: call it on every poll; without it the job stops itself."""
        self._last_beat = time.monotonic()

    def queue_position(self) -> int | None:
        """1-based place in the limiter's line while queued, else None."""
        if self._limiter is None or self.status != "queued":
            return None
        return self._limiter.position(self)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker thread; True when it has ended (or never started)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    # ---------------------------------------------------------------------------- internals

    def _request_stop(self, reason: str) -> None:
        with self._state_lock:
            if self._status in ("finished", "failed"):
                return
            if self.stop_reason is None:
                self.stop_reason = reason
            self._stop.set()
            self._resume.set()  # a paused worker wakes up to see the stop
            if self._status == "new":
                self._status = "finished"
            elif self._status in ("queued", "running", "paused"):
                self._status = "stopping"

    def _check_stop(self) -> bool:
        timeout = self.heartbeat_timeout
        if (
            not self._stop.is_set()
            and timeout is not None
            and time.monotonic() - self._last_beat > timeout
        ):
            if self._still_connected():
                self.heartbeat()
            else:
                self._request_stop("heartbeat")
        return self._stop.is_set()

    def _still_connected(self) -> bool:
        check = self.keepalive
        if check is None:
            return False
        try:
            return bool(check())
        except Exception:  # a broken check must not keep an abandoned job alive
            return False

    def _set_status(self, status: str) -> None:
        with self._state_lock:
            if status == "running" and self._stop.is_set():
                return  # stop() won the race: stay "stopping"
            if status == "running" and not self._resume.is_set():
                status = "paused"  # paused while still queued
            self._status = status

    def _run(self) -> None:
        acquired = False
        try:
            if self._limiter is not None:
                acquired = self._limiter.acquire(self, self._check_stop)
                if not acquired:
                    self._finish(None)
                    return
            self._set_status("running")
            for event in self._work(self.control):
                if self._on_event is not None:
                    self._on_event(event)
            self._finish(None)
        except JobStopped:
            self._finish(None)
        except Exception as exc:  # a failing job must never take the server down
            log.exception("background job failed")
            self._finish(exc)
        finally:
            if acquired and self._limiter is not None:
                self._limiter.release()

    def _finish(self, exc: BaseException | None) -> None:
        with self._state_lock:
            if exc is None:
                self._status = "finished"
                return
            self.error = exc
            key = getattr(exc, "key", None)
            if isinstance(exc, torch.OutOfMemoryError):
                key, params = "train.error.out_of_memory", {}
            elif isinstance(exc, SpecError):
                key, params = "train.error.spec", {"error": str(exc)}
            elif isinstance(key, str) and key:
                params = dict(getattr(exc, "params", {}) or {})
            else:
                key, params = "train.error.unexpected", {"error": f"{type(exc).__name__}: {exc}"}
            self.error_key, self.error_params = key, params
            self._status = "failed"


# ------------------------------------------------------------------------------ training job


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
    """Trains ``net`` on ``data`` with ``cfg`` in a background thread, keeping what the page shows.

    Fills in server defaults: ``cfg.num_threads`` (half the cores) and ``cfg.max_seconds``
    (:data:`DEFAULT_MAX_SECONDS`). Raises :class:`SpecError` at construction when
    :func:`cnnviz.training.check_limits` finds problems (network invalid or too big, wrong input
    shape or class count, dataset too big). ``model`` is the trained model once finished.
    """

    def __init__(
        self,
        net: NetSpec,
        data: DatasetBundle,
        cfg: TrainConfig,
        *,
        limiter: JobLimiter | None = None,
        heartbeat_timeout: float | None = 60.0,
        probe: torch.Tensor | None = None,
        max_points: int = 1000,
    ) -> None:
        cfg = with_defaults_for_server(cfg, DEFAULT_MAX_SECONDS)
        problems = check_limits(net, data, cfg)
        if problems:
            raise SpecError(problems)
        self.net = net
        self.data = data
        self.cfg = cfg
        self.probe = probe
        self.model: torch.nn.Module | None = None
        self._lock = threading.Lock()
        self._max_points = max(2, max_points)
        self._stride = 1
        self._points: list[tuple[float, float, float]] = []
        self._ema = 0.0
        self._ema_steps = 0
        self._epochs: list[EpochEnd] = []
        self._snapshot: Snapshot | None = None
        self._diverged: Diverged | None = None
        self._finished: Finished | None = None
        self._device_label = ""
        self._total = 0
        self._step = 0
        self._epoch = 0
        self._lr: float | None = None
        self._started_at: float | None = None
        super().__init__(
            self._train_work,
            limiter=limiter,
            on_event=self._record,
            heartbeat_timeout=heartbeat_timeout,
        )

    def _train_work(self, control: JobControl) -> Iterator[Any]:
        from cnnviz.builder import build_model

        model = build_model(self.net, seed=self.cfg.seed)
        self.model = model
        yield from train(model, self.data, self.cfg, control=control, probe=self.probe)

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
                        self._points.append((float(event.step), event.loss, smoothed))
                        if len(self._points) >= 2 * self._max_points:
                            self._points = self._points[1::2]
                            self._stride *= 2
                case EpochEnd():
                    self._epochs.append(event)
                case Snapshot():
                    self._snapshot = event
                case Diverged():
                    self._diverged = event
                case Finished():
                    self._finished = event

    @property
    def epochs(self) -> list[EpochEnd]:
        """The epochs finished so far (a copy)."""
        with self._lock:
            return list(self._epochs)

    @property
    def finished(self) -> Finished | None:
        """The final event, once the run has ended."""
        with self._lock:
            return self._finished

    def snapshot(self) -> JobSnapshot:
        """Copies of everything the page draws, taken under the lock."""
        status = self.status
        if status == "paused" and not self.control.blocked:
            # Pause takes effect between batches: until the worker blocks, numbers still move.
            status = "pausing"
        with self._lock:
            elapsed = 0.0
            if self._started_at is not None:
                end = time.perf_counter()
                elapsed = max(0.0, end - self._started_at - self.control.paused_seconds)
            progress = self._step / self._total if self._total else 0.0
            if self._finished is not None and self._finished.reason == "completed":
                progress = 1.0
            eta = None
            if 0 < progress < 1 and status in ("running", "pausing", "paused"):
                eta = elapsed / progress * (1.0 - progress)
            batches = np.array(self._points, dtype=np.float64).reshape(-1, 3)
            return JobSnapshot(
                status=status,
                batches=batches,
                epochs=tuple(self._epochs),
                snapshot=self._snapshot,
                diverged=self._diverged,
                finished=self._finished,
                progress=min(1.0, progress),
                eta_seconds=eta,
                queue_position=self.queue_position(),
                device_label=self._device_label,
                step=self._step,
                total_batches=self._total,
                epoch=self._epoch,
                lr=self._lr,
                elapsed_seconds=elapsed,
                error_key=self.error_key,
                error_params=dict(self.error_params),
            )
