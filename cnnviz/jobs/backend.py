"""Which runner a job uses on this server, and how big the pool is.

``CNNVIZ_BACKEND`` chooses: ``process`` (the default: the server's :class:`WorkerPool`),
``thread`` (jobs as threads of this process, waiting for the :func:`shared_limiter`) or ``ray``
(every job a Ray actor on the cluster at ``RAY_ADDRESS``, or on a local Ray instance without one:
:mod:`cnnviz.jobs.ray_runner`). When Ray is missing or its cluster does not answer at start-up,
jobs run on the local pool and :func:`server_label` says so. ``CNNVIZ_RAY_WARM_ACTORS`` (default
0) actors are started with the server, so the first jobs need not wait for one.

The pool is sized by the machine: ``CNNVIZ_MAX_JOBS`` jobs at once (default: one per CPU core, or
``CNNVIZ_JOBS_PER_GPU`` (default 4) per CUDA device when there is one), each with
``max(1, cores // jobs)`` PyTorch threads on the CPU. ``CNNVIZ_MAX_QUEUE`` (default 200) caps the
waiting line and ``CNNVIZ_WORKER_MEMORY_MB`` (default 4096) each worker's memory.

Lesson: running cnnviz for a whole class (README: "Running it for a classroom").
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

import torch

from cnnviz.i18n import Message, MessageError, t
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.limiter import shared_limiter
from cnnviz.jobs.pool import WorkerPool
from cnnviz.jobs.ray_runner import RayRunner
from cnnviz.jobs.threads import ThreadRunner

__all__ = [
    "PoolSize",
    "backend_name",
    "cluster_runner",
    "default_runner",
    "pool_size",
    "server_label",
    "shared_pool",
    "threads_per_job",
]

_LOCK = threading.Lock()
_POOL: WorkerPool | None = None
_THREADS: ThreadRunner | None = None
_RAY: RayRunner | None = None
_RAY_FALLBACK: Message | None = None  # why this server trains locally although told to use Ray

log = logging.getLogger(__name__)


def _env_int(name: str, default: int, low: int = 1) -> int:
    try:
        return max(low, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class PoolSize:
    """How many jobs run at once, with how many PyTorch threads each, on which kind of device."""

    workers: int
    threads: int
    gpus: int


def pool_size() -> PoolSize:
    """The pool for this machine and its environment variables (see the module docstring)."""
    cores = os.cpu_count() or 1
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    default = gpus * _env_int("CNNVIZ_JOBS_PER_GPU", 4) if gpus else cores
    workers = _env_int("CNNVIZ_MAX_JOBS", default)
    threads = 1 if gpus else max(1, cores // workers)
    return PoolSize(workers=workers, threads=threads, gpus=gpus)


def server_label(lang: str = "en") -> str:
    """What this server trains on, for the sidebar: its CUDA cards, or its CPU cores
    ("CPU (2 cores)"), or the Ray cluster (``CNNVIZ_BACKEND=ray``; when the cluster could not be
    reached at start-up, the local device and why it is used). A job's own label says how many
    PyTorch threads it uses on them."""
    if backend_name() == "ray":
        cluster = cluster_runner()  # connects on first use: the sidebar asks at start-up
        if cluster is not None:
            return t("device.ray", lang, cpus=cluster.cluster_cpus, gpus=cluster.cluster_gpus)
        local = _local_label(lang)
        why = _RAY_FALLBACK.param_dict().get("error", "") if _RAY_FALLBACK is not None else ""
        return t("device.ray_fallback", lang, device=local, error=why)
    return _local_label(lang)


def _local_label(lang: str) -> str:
    size = pool_size()
    if size.gpus:
        names = sorted({torch.cuda.get_device_name(i) for i in range(size.gpus)})
        return t("device.cuda", lang, name=", ".join(names))
    cores = os.cpu_count() or 1
    return t("device.cpu_cores_one" if cores == 1 else "device.cpu_cores", lang, cores=cores)


def threads_per_job() -> int:
    """PyTorch threads each job uses (so the jobs together use every core once; on Ray, the
    threads of one actor, which asks for one CPU)."""
    with _LOCK:
        if _RAY is not None:
            return _RAY.threads
    return pool_size().threads


def shared_pool() -> WorkerPool:
    """The one worker pool of this server process, created on first use."""
    global _POOL
    with _LOCK:
        if _POOL is None:
            size = pool_size()
            _POOL = WorkerPool(
                size.workers,
                threads=size.threads,
                max_queue=_env_int("CNNVIZ_MAX_QUEUE", 200),
                memory_mb=_env_int("CNNVIZ_WORKER_MEMORY_MB", 4096, low=256),
            )
        return _POOL


def started_pool() -> WorkerPool | None:
    """The server's worker pool if a job has created it, else None (never starts workers: a
    dashboard that only reads the queue must not spawn processes)."""
    with _LOCK:
        return _POOL


def backend_name() -> str:
    """``process``, ``thread`` or ``ray``: what ``CNNVIZ_BACKEND`` asks for (default process)."""
    name = os.environ.get("CNNVIZ_BACKEND", "process").strip().lower()
    return name if name in ("process", "thread", "ray") else "process"


def cluster_runner() -> RayRunner | None:
    """The server's :class:`RayRunner`, connected on first use (``RAY_ADDRESS``, or a local Ray
    instance with one CPU per pool worker); None when Ray is missing or the cluster does not
    answer (the reason is kept for :func:`server_label`, and not retried: the server restarts
    to try again)."""
    global _RAY, _RAY_FALLBACK
    with _LOCK:
        if _RAY is None and _RAY_FALLBACK is None:
            try:
                _RAY = RayRunner(
                    num_cpus=pool_size().workers,
                    max_queue=_env_int("CNNVIZ_MAX_QUEUE", 200),
                )
            except MessageError as exc:
                _RAY_FALLBACK = exc.message
                log.warning("Ray is not used, jobs run on local workers: %s", exc)
            else:
                warm = _env_int("CNNVIZ_RAY_WARM_ACTORS", 0, low=0)
                if warm:  # actors that import PyTorch before the first Start, off the page
                    threading.Thread(
                        target=_RAY.warm, args=(warm,), name="cnnviz-ray-warm", daemon=True
                    ).start()
        return _RAY


def default_runner() -> Runner:
    """The runner jobs use unless told otherwise (``CNNVIZ_BACKEND``)."""
    global _THREADS
    backend = backend_name()
    if backend == "thread":
        with _LOCK:
            if _THREADS is None:
                _THREADS = ThreadRunner(shared_limiter())
            return _THREADS
    if backend == "ray":
        cluster = cluster_runner()
        if cluster is not None:
            return cluster
    return shared_pool()
