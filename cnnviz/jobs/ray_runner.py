"""Training jobs on a Ray cluster: every job runs as a Ray actor (``CNNVIZ_BACKEND=ray``).

A school that outgrows one server points its app servers at a Ray cluster (``RAY_ADDRESS``), or
runs a local Ray instance (no address). :class:`RayRunner` is a :class:`cnnviz.jobs.Runner`, so
pages, jobs and tests see no difference from the local worker pool: Start, Pause, Resume, Stop,
the feature-map snapshots and a job whose tab is gone behave as they do there.

* Each job gets an actor (:class:`JobActor`) asking for ``num_cpus=1`` and, when the cluster
  has GPUs, a fraction of one sized from the network (:func:`gpu_fraction`), so many small
  student jobs share a card. Ray's scheduler, not ours, holds the actors that wait for
  resources: while its actor waits, a job is "queued" and the page says "waiting for cluster
  resources" with the cluster's pending count (:meth:`RayRunner.cluster_pending`).
* The actor runs the task in a thread and keeps its events; one thread of the app process
  (``cnnviz-ray``) keeps one long poll in flight per running actor: it carries the job's command
  (run, pause, stop) and comes back with the events gathered since, in one batch, after 0.1 s
  or as soon as the task ends or blocks. A paused actor first lets
  every event out, then says it is blocked, as the pool's workers do.
* An actor that finishes its job is kept for the next job of this server (importing PyTorch in a
  fresh actor takes seconds) for ``idle_seconds``, and handed at once to a job of ours that
  waits for resources.
* Faults: a killed actor or a lost node fails only its job, with :data:`ACTOR_DIED` (an idle
  actor that died before its job began is replaced, unnoticed); a cluster that stops
  answering fails the jobs it held with :data:`CLUSTER_LOST`; the app keeps working.
  An actor whose app stopped polling for ``orphan_seconds`` stops its job by itself.

Ray is optional (``requirements-cluster.txt``): it is imported when a runner is made, never by
``import cnnviz``. Ray's own scheduler and actors are used rather than a scheduler of our own
(issue 17); the actor recycling and the event polling are ours because Ray has no notion of a
pausable job that streams events.

Lesson: every page that trains, on a server whose jobs run on a cluster (README: "Training on a
Ray cluster").
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from cnnviz.i18n import Message, MessageError
from cnnviz.jobs.handle import JobHandle, JobInfo, created_at
from cnnviz.jobs.ray_actor import PAUSE, RUN, STOP, JobActor, gpu_fraction
from cnnviz.jobs.task import Task, describe_error

__all__ = [
    "ACTOR_DIED",
    "CLUSTER_LOST",
    "ClusterUnreachable",
    "RayRunner",
    "ray_available",
]

log = logging.getLogger(__name__)

# commands (app -> actor), carried by every poll
ACTOR_DIED = "job.error.actor_died"
CLUSTER_LOST = "job.error.cluster_lost"
UNREACHABLE = "job.error.cluster_unreachable"

_TICK = 0.1  # seconds between polls of a running actor
_HEARTBEAT_EVERY = 1.0
_PENDING_EVERY = 1.0
_RETRIES = 3  # a job whose actor died before it began tries this many other actors
_ALIVE_EVERY = 1.0  # seconds between two checks that the cluster's head still answers
_ALIVE_MISSES = 3  # checks in a row without an answer: the cluster is lost
# Ray's driver ends its own process (the app server!) when the cluster's head stays unreachable
# for this long (Ray's default: 60 s). The runner notices a lost head within seconds and fails
# its jobs; the app must live on, so the driver waits (a year) instead of exiting.
_GCS_RECONNECT_ENV = "RAY_gcs_rpc_server_reconnect_timeout_s"
_GCS_RECONNECT_SECONDS = str(365 * 24 * 3600)


class ClusterUnreachable(MessageError):
    """The Ray cluster cannot be reached (or Ray is not installed)."""


def ray_available() -> bool:
    """True when the ``ray`` package can be imported here."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def _reachable(address: str, timeout: float = 3.0) -> bool:
    """True when ``host:port`` accepts a TCP connection (``auto`` and ``ray://`` are tried by
    Ray itself)."""
    if address in ("auto", "local") or "://" in address or ":" not in address:
        return True
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


@dataclass(eq=False)
class _Actor:
    """One actor of this server: being created (Ray may hold it for resources), idle or busy."""

    handle: Any
    gpus: float
    order: int
    ready_ref: Any = None  # resolves (to the pid) once the actor exists
    pid: int | None = None
    since: float = 0.0  # idle since (time.monotonic())


@dataclass(eq=False)
class _Entry:
    """One job on the cluster: its actor once it has one, what is in flight, the pauses."""

    job: JobHandle
    order: int
    gpus: float
    actor: _Actor | None = None
    begin_ref: Any = None  # until it resolves, the job counts as waiting ("queued")
    poll_ref: Any = None
    started: bool = False
    blocked: bool = False
    sent: int = RUN
    retries: int = 0  # actors that died before the job began on them
    paused: float = 0.0
    paused_since: float | None = None


class RayRunner:
    """Runs every job as a Ray actor on the cluster at ``address`` (None: ``RAY_ADDRESS``, or a
    local instance with ``num_cpus`` CPUs). Raises :class:`ClusterUnreachable` when Ray is not
    installed or the cluster does not answer.

    Jobs and actors meet in this runner: each job that waits has an actor asked of Ray for it
    (created now, or held by Ray's scheduler until resources free up); whichever actor of the
    right size is free first takes the oldest waiting job, so a job never waits for its own
    actor while another one idles; once no job waits, the requests Ray still holds are cancelled.

    ``threads``: PyTorch threads per actor (each asks for one CPU); ``max_queue``: jobs of this
    server that may wait for resources; ``max_requests``: actors asked of Ray at once for them
    (default: twice the cluster's CPUs, at least 16); ``idle_seconds``: how long an actor is
    kept for the next job; ``orphan_seconds``: an actor stops its job when nobody polled it for
    that long;
    ``gpu_bytes``: memory of one cluster GPU for :func:`gpu_fraction` (default: this machine's
    first card, else ``CNNVIZ_GPU_MEMORY_GB``, else 16 GB).
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        num_cpus: int | None = None,
        threads: int = 1,
        max_queue: int = 200,
        max_requests: int | None = None,
        idle_seconds: float = 20.0,
        orphan_seconds: float = 30.0,
        gpu_bytes: int | None = None,
        init_kwargs: dict[str, Any] | None = None,
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ClusterUnreachable(UNREACHABLE, error="ray is not installed") from exc
        self._ray = ray
        address = address or os.environ.get("RAY_ADDRESS") or None
        self.address = address
        self._owns_ray = False
        options: dict[str, Any] | None = None
        if not ray.is_initialized():
            if address is not None and not _reachable(address):
                raise ClusterUnreachable(UNREACHABLE, error=f"nothing answers at {address}")
            if address is not None:  # a lost cluster must not end the app server's process
                os.environ.setdefault(_GCS_RECONNECT_ENV, _GCS_RECONNECT_SECONDS)
            options = {"include_dashboard": False, "log_to_driver": False}
            options["configure_logging"] = False
            options.update(init_kwargs or {})
            if address is None:  # a new local instance, never a cluster `ray start` left here
                options["num_cpus"] = num_cpus or os.cpu_count() or 1
        self.threads = max(1, threads)
        self.max_queue = max_queue
        self.idle_seconds = idle_seconds
        self.orphan_seconds = orphan_seconds
        self._lock = threading.RLock()
        self._done = threading.Condition(self._lock)
        self._entries: dict[int, _Entry] = {}  # by id(job), in submission order
        self._jobs: weakref.WeakKeyDictionary[JobHandle, _Entry] = weakref.WeakKeyDictionary()
        self._creating: list[_Actor] = []
        self._warming: list[_Actor] = []  # started by warm(), not yet up
        self._others_waited = 0  # housekeeping rounds in a row that saw other servers' jobs wait
        self._idle: list[_Actor] = []
        self._data_refs: dict[int, tuple[weakref.ref[Any], Any]] = {}
        self._order = 0
        self._pending = 0
        self._last_pending = 0.0
        self._last_beat = 0.0
        self._last_alive = 0.0
        self._misses = 0  # checks in a row in which the cluster's head did not answer
        self._closed = False
        self._lost: str | None = None
        # A local instance is started by the runner's own thread, which lives as long as the
        # runner: Ray's processes die with the thread that started them (Linux's parent-death
        # signal follows the thread), and a page's script thread ends after every rerun.
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._main, args=(options, address), name="cnnviz-ray", daemon=True
        )
        self._thread.start()
        self._started.wait()
        if self._start_error is not None:
            error = self._start_error
            message = f"{type(error).__name__}: {error}"  # Ray says many things; we say one
            raise ClusterUnreachable(UNREACHABLE, error=message) from error
        self._actor_class = ray.remote(JobActor)
        resources = ray.cluster_resources()
        self.cluster_cpus = int(resources.get("CPU", 0))
        self.cluster_gpus = int(resources.get("GPU", 0))
        self.max_requests = max_requests or max(16, 2 * self.cluster_cpus)
        self.gpu_bytes = gpu_bytes or _gpu_bytes()
        self._ready = True  # the thread may start its loop
        atexit.register(self.close)

    # ------------------------------------------------------------------- the Runner protocol

    def submit(self, job: JobHandle) -> None:
        """Queue ``job``: an idle actor of ours takes it, else Ray is asked for a new one."""
        with self._lock:
            if self._closed:
                raise MessageError("job.error.server_stopping")
            if self._lost is not None:
                raise ClusterUnreachable(UNREACHABLE, error=self._lost)
            waiting = sum(not entry.started for entry in self._entries.values())
            if waiting >= self.max_queue:
                raise MessageError("job.error.queue_full", waiting=waiting)
            gpus = gpu_fraction(job.task, self.gpu_bytes) if self.cluster_gpus else 0.0
            self._order += 1
            entry = _Entry(job, self._order, gpus)
            self._entries[id(job)] = entry
            self._jobs[job] = entry
            try:
                self._dispatch()
            except Exception as exc:
                self._forget(entry)
                raise ClusterUnreachable(UNREACHABLE, error=f"{type(exc).__name__}: {exc}") from exc

    def signal(self, job: JobHandle) -> None:
        """Pause/resume/stop: the next poll carries it (a job that has no actor yet is dropped)."""
        with self._lock:
            entry = self._jobs.get(job)
            if entry is None:
                return
            now = time.perf_counter()
            if not job.resume_flag.is_set() and entry.paused_since is None:
                entry.paused_since = now
            elif job.resume_flag.is_set() and entry.paused_since is not None:
                entry.paused += now - entry.paused_since
                entry.paused_since = None
            if job.stop_flag.is_set() and entry.actor is None:
                self._forget(entry)
                self._dispatch()  # its actor request is no longer needed
                job.finish(None)
                self._done.notify_all()

    def position(self, job: JobHandle) -> int | None:
        """1-based place among this server's jobs that wait for cluster resources."""
        with self._lock:
            entry = self._jobs.get(job)
            if entry is None or entry.started:
                return None
            return 1 + sum(
                1
                for other in self._entries.values()
                if not other.started and other.order < entry.order
            )

    def blocked(self, job: JobHandle) -> bool:
        """True while the job's actor waits paused (its events all arrived)."""
        with self._lock:
            entry = self._jobs.get(job)
            return entry is not None and entry.blocked

    def paused_seconds(self, job: JobHandle) -> float:
        """Seconds the job has been paused (measured here, from pause to resume)."""
        with self._lock:
            entry = self._jobs.get(job)
            if entry is None:
                return 0.0
            extra = time.perf_counter() - entry.paused_since if entry.paused_since else 0.0
            return entry.paused + extra

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

    def jobs(self) -> list[JobInfo]:
        """This server's jobs on the cluster: running first, then those waiting."""
        now = time.time()
        with self._lock:
            entries = [(e, e.actor.pid if e.actor else None) for e in self._entries.values()]
        running = [
            JobInfo(e.job.owner, e.job.status, None, pid, None, now - created_at(e.job, now), e.job)
            for e, pid in entries
            if e.started
        ]
        waiting = [e for e, _ in entries if not e.started]
        queued = [
            JobInfo(
                e.job.owner, e.job.status, None, None, place, now - created_at(e.job, now), e.job
            )
            for place, e in enumerate(waiting, start=1)
        ]
        return running + queued

    # ------------------------------------------------------------------------- the cluster

    def cluster_pending(self) -> int:
        """Jobs (actors) waiting for resources in the whole cluster, every server's included
        (refreshed once a second; this server's own count when the cluster does not say)."""
        with self._lock:
            return self._pending

    def actor_pids(self) -> list[int]:
        """Process ids of this server's live actors (on their nodes)."""
        with self._lock:
            busy = [e.actor for e in self._entries.values() if e.actor is not None]
            return [a.pid for a in [*busy, *self._idle] if a.pid is not None]

    def warm(self, count: int, timeout: float = 300.0) -> int:
        """Have at least ``count`` CPU actors idle (for ``idle_seconds``), starting the missing
        ones now, so the next jobs do not wait for a fresh actor to import PyTorch; how many
        are ready."""
        with self._lock:
            have = sum(1 for actor in self._idle if actor.gpus == 0.0)
            actors = [self._new_actor(0.0) for _ in range(max(0, count - have))]
            self._warming += actors
        ready = 0
        for actor in actors:
            try:
                pid = int(self._ray.get(actor.ready_ref, timeout=timeout))
            except Exception:
                self._kill(actor)
                pid = None
            with self._lock:
                self._warming.remove(actor)
                if pid is None or self._closed:
                    continue
                actor.pid, actor.since = pid, time.monotonic()
                self._idle.append(actor)
                self._dispatch()
            ready += 1
        return have + ready

    def close(self, timeout: float = 5.0) -> None:
        """Stop every job, kill every actor of ours; shut Ray down if this runner started it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            entries = list(self._entries.values())
            self._entries.clear()
            actors = [e.actor for e in entries if e.actor is not None]
            actors += self._idle + self._creating + self._warming
            self._idle, self._creating = [], []
        for actor in actors:
            self._kill(actor)
        for entry in entries:
            entry.job.finish(None)
        with self._lock:
            self._done.notify_all()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)  # it shuts its own Ray instance down as it leaves

    # ------------------------------------------------------------------- jobs meet actors

    def _dispatch(self) -> None:
        """(Under the lock.) Idle actors take the oldest waiting jobs of their size; then Ray is
        asked for one actor per job still without one (at most ``max_requests`` at a time: more
        would only load Ray's control store, not start sooner). Actors on their way stay while
        any job waits (a fresh actor takes seconds to start: cancelling it because an older
        actor freed up first would leave short jobs running one at a time) and are cancelled
        once none does."""
        unassigned = [e for e in self._entries.values() if e.actor is None]
        for entry in unassigned:
            actor = next((a for a in self._idle if a.gpus == entry.gpus), None)
            if actor is not None:
                self._idle.remove(actor)
                self._begin(entry, actor)
        shapes = {e.gpus for e in unassigned} | {a.gpus for a in self._creating}
        for gpus in shapes:
            need = sum(1 for e in self._entries.values() if e.actor is None and e.gpus == gpus)
            have = [a for a in self._creating if a.gpus == gpus]
            for _ in range(min(need, self.max_requests) - len(have)):
                self._creating.append(self._new_actor(gpus))
            if need == 0:  # nobody waits: cancel the requests Ray still holds
                for actor in have:
                    self._creating.remove(actor)
                    self._kill(actor)

    def _new_actor(self, gpus: float) -> _Actor:
        options: dict[str, Any] = {"num_cpus": 1, "max_restarts": 0}
        if gpus:
            options["num_gpus"] = gpus
        handle = self._actor_class.options(**options).remote(self.threads, self.orphan_seconds)
        self._order += 1
        return _Actor(handle, gpus, self._order, ready_ref=handle.pid.remote())

    def _begin(self, entry: _Entry, actor: _Actor) -> None:
        """Send the job's task to ``actor``; the dataset travels once per server, shared."""
        task, data = self._split(entry.job.task)
        entry.actor, entry.sent = actor, self._command(entry.job)
        entry.begin_ref = actor.handle.begin.remote(task, data, entry.sent)

    def _split(self, task: Task) -> tuple[Task, Any]:
        data = getattr(task, "data", None)
        if data is None or not dataclasses.is_dataclass(task):
            return task, None
        key = id(data)
        kept = self._data_refs.get(key)
        if kept is None or kept[0]() is not data:
            ref = self._ray.put(data)
            self._data_refs[key] = (weakref.ref(data), ref)
            with contextlib.suppress(TypeError):
                weakref.finalize(data, self._data_refs.pop, key, None)
        else:
            ref = kept[1]
        return dataclasses.replace(task, data=None), ref

    @staticmethod
    def _command(job: JobHandle) -> int:
        if job.stop_flag.is_set():
            return STOP
        return RUN if job.resume_flag.is_set() else PAUSE

    def _kill(self, actor: _Actor | None) -> None:
        if actor is not None:
            with contextlib.suppress(Exception):
                self._ray.kill(actor.handle, no_restart=True)

    def _forget(self, entry: _Entry) -> None:
        self._entries.pop(id(entry.job), None)
        self._jobs.pop(entry.job, None)

    # ------------------------------------------------------------------- the runner's thread

    def _main(self, options: dict[str, Any] | None, address: str | None) -> None:
        """The runner's thread: start Ray (when asked to), run the loop, shut Ray down."""
        if options is not None:
            try:
                self._ray.init(address=address or "local", **options)
            except Exception as exc:
                self._start_error = exc
                self._started.set()
                return
            self._owns_ray = True
        self._started.set()
        while not getattr(self, "_ready", False):  # the constructor finishes first
            time.sleep(0.01)
        try:
            self._loop()
        finally:
            if self._owns_ray:
                with contextlib.suppress(Exception):
                    self._ray.shutdown()

    def _loop(self) -> None:
        ray = self._ray
        while True:
            with self._lock:
                if self._closed:
                    return
                waiting: dict[Any, tuple[Any, str]] = {}
                for actor in self._creating:
                    waiting[actor.ready_ref] = (actor, "ready")
                for entry in self._entries.values():
                    if entry.actor is None:
                        continue
                    if not entry.started:
                        waiting[entry.begin_ref] = (entry, "begin")
                        continue
                    if entry.poll_ref is None:  # one long poll in flight per running actor
                        entry.sent = self._command(entry.job)
                        entry.poll_ref = entry.actor.handle.poll.remote(entry.sent, _TICK)
                    waiting[entry.poll_ref] = (entry, "poll")
            timeout = _TICK
            if not waiting:
                time.sleep(timeout)
                ready: list[Any] = []
            else:
                refs = list(waiting)
                try:  # the first answer wakes us; then every answer there is
                    ready, _ = ray.wait(refs, num_returns=1, timeout=timeout)
                    if ready:
                        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
                except Exception as exc:  # the cluster is gone
                    self._cluster_lost(exc)
                    continue
            later: list[Callable[[], None]] = []
            for ref in ready:
                item, kind = waiting[ref]
                try:
                    value = ray.get(ref, timeout=10)
                except Exception as exc:
                    if kind == "ready":
                        self._not_created(item, exc, later)
                    else:
                        self._failed(item, ref, exc, later)
                    continue
                with self._lock:
                    if kind == "ready":
                        self._created(item, int(value))
                        continue
                    entry = item
                    if self._entries.get(id(entry.job)) is not entry:
                        continue  # stopped while waiting, or the runner closed
                    if kind == "begin" and ref == entry.begin_ref:
                        entry.started = True
                        later.append(entry.job.on_started)
                    elif kind == "poll":
                        entry.poll_ref = None
                        self._polled(entry, value, later)
            for action in later:
                try:
                    action()
                except Exception:
                    log.exception("a job's event handler failed")
            with self._lock:
                self._done.notify_all()
            self._housekeeping()

    def _created(self, actor: _Actor, pid: int) -> None:
        """(Under the lock.) An actor Ray created for us: it takes the oldest waiting job."""
        if actor not in self._creating:
            self._kill(actor)  # cancelled meanwhile, or the runner closed
            return
        self._creating.remove(actor)
        actor.pid, actor.since = pid, time.monotonic()
        self._idle.append(actor)
        self._dispatch()

    def _not_created(
        self, actor: _Actor, exc: BaseException, later: list[Callable[[], None]]
    ) -> None:
        """An actor that could not be created: cancelled by us (nothing to do), or the cluster
        refused it: the oldest job waiting for one fails with the reason (no endless retries)."""
        with self._lock:
            if actor not in self._creating:
                return
            self._creating.remove(actor)
            waiting = [
                e for e in self._entries.values() if e.actor is None and e.gpus == actor.gpus
            ]
            if not waiting:
                return
            entry = min(waiting, key=lambda e: e.order)
            self._forget(entry)
            self._dispatch()
        log.warning("Ray could not create an actor: %s", exc)
        later.append(partial(entry.job.finish, self._message(exc), exc))

    def _polled(self, entry: _Entry, value: Any, later: list[Callable[[], None]]) -> None:
        events, blocked, done, message = value
        job = entry.job
        if events:
            later.append(partial(job.deliver, events))
        later.append(partial(setattr, entry, "blocked", bool(blocked) and not done))
        if done:
            self._forget(entry)
            later.append(partial(job.finish, message))
            actor = entry.actor
            if actor is not None:  # free again: the next waiting job, or idle
                actor.since = time.monotonic()
                self._idle.append(actor)
            self._dispatch()

    def _failed(
        self, entry: _Entry, ref: Any, exc: BaseException, later: list[Callable[[], None]]
    ) -> None:
        with self._lock:
            if self._entries.get(id(entry.job)) is not entry:
                return
            if ref != entry.begin_ref and ref != entry.poll_ref:
                return  # an old answer: it no longer matters
            dead = entry.actor
            if (
                ref == entry.begin_ref
                and entry.retries < _RETRIES
                and isinstance(exc, self._ray.exceptions.RayActorError)
            ):  # an idle actor that died (its node lost) before the job began: another one
                entry.actor, entry.begin_ref = None, None
                entry.retries += 1
                self._dispatch()
                self._kill(dead)
                return
            self._forget(entry)
            self._dispatch()
        self._kill(dead)
        later.append(partial(entry.job.finish, self._message(exc), exc))

    def _message(self, exc: BaseException) -> Message:
        """What to tell the page about ``exc`` from Ray."""
        errors = self._ray.exceptions
        if isinstance(exc, errors.RayActorError):
            log.warning("the Ray actor of a job died: %s", exc)
            return Message.of(ACTOR_DIED, error=type(exc).__name__)
        if isinstance(exc, errors.RayTaskError):
            cause = exc.cause if isinstance(exc.cause, BaseException) else exc
            return describe_error(cause)
        log.warning("the Ray cluster did not answer: %s", exc)
        return Message.of(CLUSTER_LOST, error=type(exc).__name__)

    def _cluster_lost(self, exc: BaseException) -> None:
        log.error("the Ray cluster is unreachable: %s", exc)
        with self._lock:
            self._lost = f"{type(exc).__name__}: {exc}"
            entries = list(self._entries.values())
            self._entries.clear()
            self._idle, self._creating = [], []
        for entry in entries:
            entry.job.finish(Message.of(CLUSTER_LOST, error=type(exc).__name__), exc)
        with self._lock:
            self._done.notify_all()
        time.sleep(1.0)

    def _housekeeping(self) -> None:
        """Heartbeats (``check_stop`` may stop a job: its stop reaches us through ``signal``),
        idle actors past their time, the cluster's pending count, and whether the cluster's head
        still answers (a lost head is noticed by nothing else: Ray's calls just wait)."""
        now = time.monotonic()
        if self.address is not None and now - self._last_alive >= _ALIVE_EVERY:
            self._last_alive = now
            with self._lock:
                lost = self._lost is not None
            alive = lost or _reachable(self.address, timeout=1.0)
            self._misses = 0 if alive else self._misses + 1
            if self._misses >= _ALIVE_MISSES:
                self._misses = 0
                self._cluster_lost(ConnectionError(f"nothing answers at {self.address}"))
                return
        if now - self._last_beat >= _HEARTBEAT_EVERY:
            self._last_beat = now
            with self._lock:
                jobs = [entry.job for entry in self._entries.values()]
                expired = [a for a in self._idle if now - a.since > self.idle_seconds]
                self._idle = [a for a in self._idle if now - a.since <= self.idle_seconds]
            for job in jobs:
                try:
                    job.check_stop()
                except Exception:
                    log.exception("a job's heartbeat check failed")
            for actor in expired:
                self._kill(actor)
        if now - self._last_pending >= _PENDING_EVERY:
            self._last_pending = now
            pending = self._count_pending()
            with self._lock:
                self._pending = pending
                # other servers' jobs wait (seen twice in a row: our own requests may have come
                # up between the count and now): our idle actors give their resources back
                ours = len(self._creating) + len(self._warming)
                self._others_waited = self._others_waited + 1 if pending > ours else 0
                released = self._idle if self._others_waited >= 2 else []
                if released:
                    self._idle = []
            for actor in released:
                self._kill(actor)

    def _count_pending(self) -> int:
        with self._lock:
            ours = sum(not entry.started for entry in self._entries.values())
            unasked = sum(entry.actor is None for entry in self._entries.values())
            unasked -= len(self._creating)
            if self._lost is not None:
                return ours
        if self.address is not None and not _reachable(self.address, timeout=0.5):
            return ours  # asking a head that is gone would wait for it
        try:  # the global control store's actor table: every server's waiting actors
            from ray._private import state

            table = state.actors(actor_state_name="PENDING_CREATION")
            return max(ours, len(table) + max(0, unasked))
        except Exception:
            return ours


def _gpu_bytes() -> int:
    try:
        import torch

        if torch.cuda.is_available():
            return int(torch.cuda.get_device_properties(0).total_memory)
    except Exception:
        pass
    try:
        gigabytes = float(os.environ.get("CNNVIZ_GPU_MEMORY_GB", "16"))
    except ValueError:
        gigabytes = 16.0
    return int(gigabytes * 2**30)
