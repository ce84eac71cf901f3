"""What the live pages and the operator need from the jobs: slow motion with the same numbers, the
per-epoch snapshots of a replay, owners and process usage, and workers that never run a page."""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import time
import types
from collections.abc import Iterator
from multiprocessing import spawn

import numpy as np
import pytest

from cnnviz.control import JobStopped
from cnnviz.data import DataConfig, DatasetBundle, load_dataset
from cnnviz.jobs import (
    CpuMeter,
    JobControl,
    PacedControl,
    ThreadRunner,
    TrainingJob,
    TrainTask,
    WorkerPool,
    children_of,
    process_usage,
    slow_motion_pace,
    slow_motion_snapshot_every,
    snapshot_bytes,
)
from cnnviz.jobs import training as training_module
from cnnviz.jobs.pool import _bare_main
from cnnviz.net import get_preset
from cnnviz.train import BatchEnd, EpochEnd, Snapshot, TrainConfig


@pytest.fixture(scope="module")
def small() -> DatasetBundle:
    return load_dataset(DataConfig(num_samples=300, seed=0))


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(2, threads=1)
    yield workers
    workers.close()


class _Control:
    """A control that never pauses, counting checkpoints; stops after ``stop_after`` of them."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.calls = 0
        self.stop_after = stop_after

    @property
    def paused_seconds(self) -> float:
        return 0.25

    @property
    def stop_requested(self) -> bool:
        return self.stop_after is not None and self.calls >= self.stop_after

    def checkpoint(self) -> None:
        self.calls += 1
        if self.stop_requested:
            raise JobStopped


def _numbers(events: list[object]) -> tuple[list[tuple[int, float]], list[tuple[float, ...]]]:
    """Every batch loss and every epoch's metrics (not its timing)."""
    batches = [(e.step, e.loss) for e in events if isinstance(e, BatchEnd)]
    epochs = [
        (e.train_loss, e.train_acc, e.val_loss, e.val_acc, *e.grad_norms.values())
        for e in events
        if isinstance(e, EpochEnd)
    ]
    return batches, epochs


def test_slow_motion_pace_stretches_a_run_to_about_a_minute() -> None:
    assert slow_motion_pace(380) == pytest.approx(60 / 380)  # the default run: 10 x 38 batches
    assert slow_motion_pace(10) == 2.0  # never more than 2 s a batch
    assert slow_motion_pace(0) == 0.0
    assert slow_motion_snapshot_every(60 / 380) == 4  # about two snapshots a second
    assert slow_motion_snapshot_every(0.0) == 20


def test_a_paced_run_gives_exactly_the_numbers_of_an_unpaced_one(small: DatasetBundle) -> None:
    cfg = TrainConfig(epochs=2, batch_size=32, seed=5, num_threads=1)
    plain = list(TrainTask(get_preset("tiny"), small, cfg).run(_Control()))
    paced_cfg = dataclasses.replace(cfg, snapshot_every=slow_motion_snapshot_every(0.01))
    started = time.perf_counter()
    paced = list(TrainTask(get_preset("tiny"), small, paced_cfg, pace=0.01).run(_Control()))
    batches = sum(isinstance(e, BatchEnd) for e in paced)
    assert time.perf_counter() - started >= 0.01 * batches  # it did wait before every batch
    assert _numbers(paced) == _numbers(plain)
    # the epoch-end feature maps are the same too (snapshots only look)
    ends = [e for e in plain if isinstance(e, Snapshot)][-1]
    paced_end = [e for e in paced if isinstance(e, Snapshot)][-1]
    assert ends.step == paced_end.step
    for (_, a), (_, b) in zip(ends.feature_maps, paced_end.feature_maps, strict=True):
        np.testing.assert_array_equal(a, b)


def test_paced_slow_motion_through_the_pool_matches_the_thread_engine(
    small: DatasetBundle, pool: WorkerPool
) -> None:
    cfg = TrainConfig(epochs=1, batch_size=32, seed=2, num_threads=1)
    jobs = [
        TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None, pace=p)
        for runner, p in ((ThreadRunner(), 0.0), (pool, 0.02))
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        assert job.join(60)
    plain, paced = (job.snapshot() for job in jobs)
    np.testing.assert_array_equal(plain.batches, paced.batches)
    assert [e.val_loss for e in plain.epochs] == [e.val_loss for e in paced.epochs]


def test_paced_control_counts_its_waits_and_stops_promptly() -> None:
    inner = _Control(stop_after=3)
    paced = PacedControl(inner, 1.0)
    started = time.perf_counter()
    with pytest.raises(JobStopped):
        paced.checkpoint()  # asks the inner control every 0.05 s while it waits
    assert time.perf_counter() - started < 0.5
    assert paced.waited > 0 and paced.paused_seconds == pytest.approx(0.25 + paced.waited)


class _Handle:
    """The two flags and the stop check a :class:`JobControl` reads."""

    def __init__(self) -> None:
        self.stop_flag = threading.Event()
        self.resume_flag = threading.Event()
        self.resume_flag.set()

    def check_stop(self) -> bool:
        return self.stop_flag.is_set()


def test_pause_during_the_pace_blocks_until_resume() -> None:
    handle = _Handle()
    paced = PacedControl(JobControl(handle), 0.2)  # type: ignore[arg-type]
    handle.resume_flag.clear()  # paused
    waiter = threading.Thread(target=paced.checkpoint, daemon=True)
    waiter.start()
    time.sleep(0.4)
    assert waiter.is_alive()  # held by the pause, not just by the pace
    handle.resume_flag.set()
    waiter.join(2)
    assert not waiter.is_alive()


def test_a_job_keeps_one_snapshot_per_epoch_within_its_budget(
    small: DatasetBundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = TrainConfig(epochs=6, batch_size=64, num_threads=1)
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=ThreadRunner(), heartbeat_timeout=None)
    job.start()
    assert job.join(60)
    kept = job.epoch_snapshots
    assert [s.epoch for s in kept] == [0, 1, 2, 3, 4, 5, 6]
    assert kept[0].step == 0 and kept[-1].step == job.snapshot().step
    # a small budget: every other epoch goes, the first and the latest stay
    one = snapshot_bytes(kept[0])
    monkeypatch.setattr(training_module, "REPLAY_BYTES", int(3.5 * one))
    thin = TrainingJob(
        get_preset("tiny"), small, cfg, runner=ThreadRunner(), heartbeat_timeout=None
    )
    thin.start()
    assert thin.join(60)
    epochs = [s.epoch for s in thin.epoch_snapshots]
    assert epochs[0] == 0 and epochs[-1] == 6 and len(epochs) <= 4
    assert sum(snapshot_bytes(s) for s in thin.epoch_snapshots) <= 3.5 * one


def test_jobs_list_their_owners_for_the_operator(small: DatasetBundle, pool: WorkerPool) -> None:
    cfg = TrainConfig(epochs=60, batch_size=4, num_threads=1)
    jobs = [
        TrainingJob(get_preset("tiny"), small, cfg, runner=pool, heartbeat_timeout=None)
        for _ in range(3)
    ]
    for i, job in enumerate(jobs):
        job.owner = f"session{i}"
        job.start()
    try:
        deadline = time.monotonic() + 60
        while sum(j.status == "running" for j in jobs) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        infos = pool.jobs()
        assert sorted(info.owner for info in infos) == ["session0", "session1", "session2"]
        running = [info for info in infos if info.queue_position is None]
        waiting = [info for info in infos if info.queue_position is not None]
        assert len(running) == 2 and len(waiting) == 1 and waiting[0].queue_position == 1
        assert all(info.pid in pool.worker_pids() for info in running)
        usage = process_usage(running[0].pid or 0)
        assert usage is not None and usage.rss_bytes > 10 * 2**20  # a worker holds torch
        waiting[0].job.stop("operator")
        assert waiting[0].job.join(10) and waiting[0].job.stop_reason == "operator"
    finally:
        for job in jobs:
            job.stop()
        for job in jobs:
            job.join(30)
    threads = ThreadRunner()
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=threads, heartbeat_timeout=None)
    job.owner = "abc"
    job.start()
    try:
        infos = threads.jobs()
        assert [(i.owner, i.pid) for i in infos] == [("abc", os.getpid())]
    finally:
        job.stop()
        job.join(30)


def test_process_usage_and_cpu_meter() -> None:
    me = process_usage(os.getpid())
    assert me is not None and me.cpu_seconds > 0 and me.rss_bytes > 0
    assert process_usage(2**22 + 12345) is None  # no such process
    meter = CpuMeter()
    assert meter.percent(me, now=10.0) is None  # the first reading has nothing to compare
    later = dataclasses.replace(me, cpu_seconds=me.cpu_seconds + 0.5)
    assert meter.percent(later, now=11.0) == pytest.approx(50.0)
    assert os.getpid() in children_of(os.getppid())


def test_a_worker_is_spawned_without_running_the_page_script() -> None:
    """Streamlit installs each script run as ``__main__``; a spawned worker must not re-run it."""
    page = types.ModuleType("__main__")
    page.__file__ = "/nonexistent/page.py"
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = page
    try:
        with _bare_main():
            data = spawn.get_preparation_data("worker")
            assert "init_main_from_path" not in data and "init_main_from_name" not in data
        assert sys.modules["__main__"] is page  # the page's module is back
    finally:
        sys.modules["__main__"] = saved
