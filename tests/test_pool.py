"""The server's worker pool: faults and load. A worker killed mid-run, a job past its memory cap,
a browser that stops polling, 50 Start presses at once, and no process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import torch

from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import TrainingJob, WorkerPool
from cnnviz.net import get_preset
from cnnviz.train import TrainConfig

ROOT = Path(__file__).resolve().parents[1]


def _wait_for(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Poll ``condition`` (generous: spawning a worker imports torch, slow on a busy machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def small() -> DatasetBundle:
    return load_dataset(DataConfig(num_samples=300, seed=0))


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(2, threads=1, max_queue=60)
    yield workers
    workers.close()


def _long(seed: int = 0) -> TrainConfig:
    return TrainConfig(epochs=60, batch_size=4, num_threads=1, seed=seed)


def test_a_killed_worker_fails_only_its_job_and_is_replaced(
    pool: WorkerPool, small: DatasetBundle
) -> None:
    victim = TrainingJob(get_preset("tiny"), small, _long(), runner=pool, heartbeat_timeout=None)
    victim.start()
    _wait_for(lambda: victim.snapshot().step >= 3)
    slot = next(s for s in pool._slots if s.job is victim)
    killed = slot.pid
    assert killed is not None
    os.kill(killed, signal.SIGKILL)
    assert victim.join(30)
    assert victim.status == "failed" and victim.error_key == "job.error.worker_died"
    assert "worker" in victim.error_message.text("en").lower()  # type: ignore[union-attr]
    # the pool lives on: a new job runs to the end on the replacement worker
    after = TrainingJob(
        get_preset("tiny"), small, TrainConfig(epochs=1, num_threads=1), runner=pool
    )
    after.start()
    assert after.join(60) and after.status == "finished"
    _wait_for(lambda: len(pool.worker_pids()) == 2)
    assert killed not in pool.worker_pids()


def test_a_job_past_the_memory_cap_fails_cleanly(small: DatasetBundle) -> None:
    tight = WorkerPool(1, threads=1, memory_mb=256)
    try:
        big = get_preset("tiny")
        # 4096 images of 28x28 in one batch through 8 and 16 channels: ~1 GB of activations
        cfg = TrainConfig(epochs=1, batch_size=4096, num_threads=1)
        data = load_dataset(DataConfig(num_samples=5200, seed=0))
        job = TrainingJob(big, data, cfg, runner=tight, heartbeat_timeout=None)
        job.start()
        assert job.join(120)
        assert job.status == "failed" and job.error_key == "job.error.out_of_memory"
        ok = TrainingJob(big, small, TrainConfig(epochs=1, num_threads=1), runner=tight)
        ok.start()
        assert ok.join(60) and ok.status == "finished"  # the worker survived its failed job
    finally:
        tight.close()


def test_a_page_that_stops_polling_stops_its_job(pool: WorkerPool, small: DatasetBundle) -> None:
    job = TrainingJob(get_preset("tiny"), small, _long(), runner=pool, heartbeat_timeout=1.0)
    job.start()
    _wait_for(lambda: job.snapshot().step >= 1)
    assert job.join(30)  # no heartbeat: the pool thread stops it
    assert job.stop_reason == "heartbeat"
    assert job.snapshot().finished is not None and job.snapshot().finished.reason == "stopped"


def test_fifty_start_presses_at_once_queue_in_order_and_all_finish(
    pool: WorkerPool, small: DatasetBundle
) -> None:
    cfg = TrainConfig(epochs=1, batch_size=64, num_threads=1)
    jobs = [
        TrainingJob(get_preset("tiny"), small, cfg, runner=pool, heartbeat_timeout=None)
        for _ in range(50)
    ]
    started = time.monotonic()
    for job in jobs:
        job.start()
    assert time.monotonic() - started < 1.0  # pressing Start never waits for training
    positions = [job.queue_position() for job in jobs]
    queued = [p for p in positions if p is not None]
    assert queued == sorted(queued) and len(queued) >= 40  # first in, first out
    assert all(job.join(300) for job in jobs)
    assert all(job.status == "finished" and job.model is not None for job in jobs)


def test_a_full_queue_refuses_with_a_message(small: DatasetBundle) -> None:
    tiny_line = WorkerPool(1, threads=1, max_queue=1)
    try:
        jobs = [
            TrainingJob(get_preset("tiny"), small, _long(i), runner=tiny_line) for i in range(4)
        ]
        for job in jobs:
            job.start()
        refused = [job for job in jobs if job.status == "failed"]
        assert refused and all(job.error_key == "job.error.queue_full" for job in refused)
        for job in jobs:
            job.stop()
        assert all(job.join(30) for job in jobs)
    finally:
        tiny_line.close()


def test_stop_while_queued_never_runs(pool: WorkerPool, small: DatasetBundle) -> None:
    blockers = [
        TrainingJob(get_preset("tiny"), small, _long(i), runner=pool, heartbeat_timeout=None)
        for i in range(2)
    ]
    for job in blockers:
        job.start()
    waiting = TrainingJob(get_preset("tiny"), small, _long(), runner=pool, heartbeat_timeout=None)
    waiting.start()
    _wait_for(lambda: waiting.queue_position() == 1)
    waiting.stop()
    assert waiting.join(10) and waiting.status == "finished"
    assert waiting.snapshot().step == 0  # it never ran
    for job in blockers:
        job.stop()
    assert all(job.join(30) for job in blockers)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(line) for line in out.stdout.split()]


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_no_worker_outlives_the_server(how: str, tmp_path: Path) -> None:
    """A server process with jobs running dies (politely or not): no worker process remains."""
    script = tmp_path / "server.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from cnnviz.data import DataConfig, load_dataset
            from cnnviz.jobs import TrainingJob, WorkerPool
            from cnnviz.net import get_preset
            from cnnviz.train import TrainConfig

            if __name__ == "__main__":  # spawned workers import this module too
                pool = WorkerPool(2, threads=1)
                data = load_dataset(DataConfig(num_samples=300, seed=0))
                cfg = TrainConfig(epochs=100, batch_size=4, num_threads=1)
                jobs = [TrainingJob(get_preset("tiny"), data, cfg, runner=pool) for _ in range(3)]
                for job in jobs:
                    job.start()
                while not all(job.snapshot().step > 0 for job in jobs[:2]):
                    time.sleep(0.05)
                print("workers", *pool.worker_pids(), flush=True)
                time.sleep(600)
            """
        )
    )
    server = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        line = server.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("workers"), line
        workers = [int(pid) for pid in line.split()[1:]]
        assert len(workers) == 2 and set(workers) <= set(_children(server.pid))
        server.send_signal(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
        server.wait(30)

        def gone() -> bool:
            alive = []
            for pid in workers:
                try:
                    os.kill(pid, 0)
                    alive.append(pid)
                except ProcessLookupError:
                    pass
            return not alive

        _wait_for(gone, timeout=20)
    finally:
        if server.poll() is None:
            server.kill()


def test_tensors_reach_the_worker_without_copying_the_dataset_each_time(
    pool: WorkerPool, small: DatasetBundle
) -> None:
    """Datasets travel through shared memory: after the first job, it is shared, not copied."""
    job = TrainingJob(get_preset("tiny"), small, TrainConfig(epochs=1, num_threads=1), runner=pool)
    job.start()
    assert job.join(60) and job.status == "finished"
    assert small.train_x.is_shared()
    assert torch.isfinite(small.train_x).all()  # still the same, readable data here
