"""Which runner a job uses on this server, and how big the pool is.

``CNNVIZ_BACKEND`` chooses: ``process`` (the default: the server's :class:`WorkerPool`) or
``thread`` (jobs as threads of this process, waiting for the :func:`shared_limiter`).

The pool is sized by the machine: ``CNNVIZ_MAX_JOBS`` jobs at once (default: one per CPU core, or
``CNNVIZ_JOBS_PER_GPU`` (default 4) per CUDA device when there is one), each with
``max(1, cores // jobs)`` PyTorch threads on the CPU. ``CNNVIZ_MAX_QUEUE`` (default 200) caps the
waiting line and ``CNNVIZ_WORKER_MEMORY_MB`` (default 4096) each worker's memory.

Lesson: running cnnviz for a whole class (README: "Running it for a classroom").
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import torch

from cnnviz.i18n import t
from cnnviz.jobs.handle import Runner
from cnnviz.jobs.limiter import shared_limiter
from cnnviz.jobs.pool import WorkerPool
from cnnviz.jobs.threads import ThreadRunner

__all__ = [
    "PoolSize",
    "default_runner",
    "pool_size",
    "server_label",
    "shared_pool",
    "threads_per_job",
]

_LOCK = threading.Lock()
_POOL: WorkerPool | None = None
_THREADS: ThreadRunner | None = None


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
    ("CPU (2 cores)"). A job's own label says how many PyTorch threads it uses on them."""
    size = pool_size()
    if size.gpus:
        names = sorted({torch.cuda.get_device_name(i) for i in range(size.gpus)})
        return t("device.cuda", lang, name=", ".join(names))
    cores = os.cpu_count() or 1
    return t("device.cpu_cores_one" if cores == 1 else "device.cpu_cores", lang, cores=cores)


def threads_per_job() -> int:
    """PyTorch threads each job uses (so the jobs together use every core once)."""
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


def default_runner() -> Runner:
    """The runner jobs use unless told otherwise (``CNNVIZ_BACKEND``)."""
    global _THREADS
    if os.environ.get("CNNVIZ_BACKEND", "process").strip().lower() == "thread":
        with _LOCK:
            if _THREADS is None:
                _THREADS = ThreadRunner(shared_limiter())
            return _THREADS
    return shared_pool()
