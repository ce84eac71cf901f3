"""A background job for a shared server: work off the page script, with pause, resume and stop.

A page keeps a job in its session, presses Start/Pause/Resume/Stop through callbacks and polls the
job's snapshot from a fragment. The job is the page's handle; the work itself (a
:class:`cnnviz.jobs.task.Task`) runs wherever the job's :class:`Runner` puts it: a worker process
of the server's pool (:mod:`cnnviz.jobs.pool`, the default), a thread of the app process
(:mod:`cnnviz.jobs.threads`, for tests and notebooks), or later a cluster actor. Whatever runs it,
the work calls ``control.checkpoint()`` between steps, which blocks while paused and raises
:class:`cnnviz.control.JobStopped` when the user pressed Stop or when nobody has polled
(``heartbeat()``) for ``heartbeat_timeout`` seconds (a closed browser tab).

This module knows nothing of training: :mod:`cnnviz.jobs.training` and :mod:`cnnviz.jobs.sequence`
build on it.

Lesson: every page that runs something long (the Train page, the Overfitting lab, the explorers).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from cnnviz.control import Control
from cnnviz.i18n import Message, MessageError
from cnnviz.jobs.backend import default_runner
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.task import CallableTask, Task
from cnnviz.jobs.threads import ThreadRunner

__all__ = ["ACTIVE_STATUSES", "STATUSES", "BackgroundJob"]

STATUSES: tuple[str, ...] = ("new", "queued", "running", "paused", "stopping", "finished", "failed")
ACTIVE_STATUSES: frozenset[str] = frozenset({"queued", "running", "paused", "stopping"})


class BackgroundJob:
    """The page's handle on one background task; ``on_event`` sees each event it yields.

    Status: "new" -> "queued" (waiting for a free worker) -> "running" <-> "paused" -> "stopping"
    -> "finished"; or "failed" when the task raised (``error_message`` says why; the server lives
    on). Every control method is safe to call at any time, twice, or from the page thread while
    the task runs. ``on_event`` runs in the app process, in the runner's thread.
    """

    def __init__(
        self,
        work: Task | Callable[[Control], Iterator[Any]],
        *,
        runner: Runner | None = None,
        on_event: Callable[[Any], None] | None = None,
        heartbeat_timeout: float | None = 60.0,
    ) -> None:
        if isinstance(work, Task):
            self.task: Task = work
            self.runner: Runner = runner if runner is not None else default_runner()
        else:  # a closure cannot cross a process boundary: it runs in a thread
            self.task = CallableTask(work)
            self.runner = runner if runner is not None else ThreadRunner()
        self._on_event = on_event
        self.heartbeat_timeout = heartbeat_timeout
        self._state_lock = threading.Lock()
        self._status = "new"
        self.stop_flag = threading.Event()
        self.resume_flag = threading.Event()
        self.resume_flag.set()
        self._last_beat = time.monotonic()
        #: optional "is the user's session still connected?" check; while it says True an old
        #: heartbeat does not stop the job (the user is on another page, not gone).
        self.keepalive: Callable[[], bool] | None = None
        #: who owns the job (a shortened session id), for the operator's view of the server
        self.owner: str = ""
        self.stop_reason: str | None = None  # "user" | "heartbeat" | "operator"
        self.error: BaseException | None = None
        self.error_message: Message | None = None
        self.created_at = time.time()

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
        """Hand the task to the runner; False (and nothing happens) if it was started before.

        When the runner cannot take it (the server's queue is full) the job fails at once with
        the runner's message.
        """
        with self._state_lock:
            if self._status != "new":
                return False
            self._status = "queued"
            self._last_beat = time.monotonic()
        try:
            self.runner.submit(self)
        except MessageError as exc:
            self.finish(exc.message, exc)
        return True

    def pause(self) -> None:
        """Pause at the next checkpoint (a running job only)."""
        with self._state_lock:
            if self._status == "running":
                self.resume_flag.clear()
                self._status = "paused"
        self.runner.signal(self)

    def resume(self) -> None:
        """Continue a paused job."""
        with self._state_lock:
            if self._status == "paused":
                self._status = "running"
                self.resume_flag.set()
        self.runner.signal(self)

    def stop(self, reason: str = "user") -> None:
        """Ask the job to stop at its next checkpoint (harmless when already stopping or done)."""
        self._request_stop(reason)

    def heartbeat(self) -> None:
        """The page is still looking: call it on every poll; without it the job stops itself."""
        self._last_beat = time.monotonic()

    def queue_position(self) -> int | None:
        """1-based place in the server's waiting line while queued, else None."""
        if self.status != "queued":
            return None
        return self.runner.position(self)

    @property
    def blocked(self) -> bool:
        """True while the work actually waits paused (not finishing the step in flight)."""
        return self.runner.blocked(self)

    @property
    def paused_seconds(self) -> float:
        """Seconds spent paused so far (kept out of the job's clocks)."""
        return self.runner.paused_seconds(self)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the task to end; True when it has ended (or never started)."""
        if self.status == "new":
            return True
        return self.runner.join(self, timeout)

    # ------------------------------------------------------------------ called by the runner

    def check_stop(self) -> bool:
        """True once the job must stop; also stops it when its page stopped polling."""
        timeout = self.heartbeat_timeout
        if (
            not self.stop_flag.is_set()
            and timeout is not None
            and time.monotonic() - self._last_beat > timeout
        ):
            if self._still_connected():
                self.heartbeat()
            else:
                self._request_stop("heartbeat")
        return self.stop_flag.is_set()

    def on_started(self) -> None:
        """The runner began the task."""
        with self._state_lock:
            if self._status in ("queued",) and not self.stop_flag.is_set():
                self._status = "running" if self.resume_flag.is_set() else "paused"

    def deliver(self, events: Sequence[Any]) -> None:
        """Events the task yielded, in order (called in the runner's thread)."""
        if self._on_event is not None:
            for event in events:
                self._on_event(event)

    def finish(self, message: Message | None, exc: BaseException | None = None) -> None:
        """The task ended: ``message`` says why it failed, None when it did not."""
        with self._state_lock:
            if message is None:
                self._status = "finished"
                return
            self.error = exc
            self.error_message = message
            self._status = "failed"

    # ---------------------------------------------------------------------------- internals

    def _request_stop(self, reason: str) -> None:
        with self._state_lock:
            if self._status in ("finished", "failed"):
                return
            if self.stop_reason is None:
                self.stop_reason = reason
            self.stop_flag.set()
            self.resume_flag.set()  # a paused worker wakes up to see the stop
            if self._status == "new":
                self._status = "finished"
            elif self._status in ("queued", "running", "paused"):
                self._status = "stopping"
        self.runner.signal(self)

    def _still_connected(self) -> bool:
        check = self.keepalive
        if check is None:
            return False
        try:
            return bool(check())
        except Exception:  # a broken check must not keep an abandoned job alive
            return False

    @property
    def error_key(self) -> str | None:
        """The catalog key of :attr:`error_message` (None unless failed)."""
        return self.error_message.key if self.error_message is not None else None

    @property
    def error_params(self) -> dict[str, Any]:
        """The parameters of :attr:`error_message`."""
        return self.error_message.param_dict() if self.error_message is not None else {}
