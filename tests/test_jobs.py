"""Background jobs: pause/resume/stop, the FIFO limiter, heartbeats, failures, TrainingJob — the
generic job on the thread runner, and the training job on both the thread runner and a worker pool."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import torch

from cnnviz.control import JobStopped
from cnnviz.data import DataConfig, DataError, DatasetBundle, load_dataset
from cnnviz.jobs import BackgroundJob, JobControl, JobLimiter, ThreadRunner, TrainingJob, WorkerPool
from cnnviz.net import SpecError, build_model, get_preset
from cnnviz.train import TrainConfig, fit, train


def _wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


class Counter:
    """A work function that counts checkpoints until released."""

    def __init__(self, steps: int | None = None) -> None:
        self.count = 0
        self.steps = steps
        self.release = threading.Event()

    def __call__(self, control: JobControl) -> Iterator[int]:
        while self.steps is None or self.count < self.steps:
            control.checkpoint()
            self.count += 1
            yield self.count
            if self.steps is None and self.release.wait(0.005):
                return


@pytest.fixture(scope="module")
def small() -> DatasetBundle:
    return load_dataset(DataConfig(num_samples=300, seed=0))


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    """Two worker processes, as a 2-core server would have."""
    workers = WorkerPool(2, threads=1)
    yield workers
    workers.close()


@pytest.fixture(params=["thread", "process"])
def runner(request: pytest.FixtureRequest, pool: WorkerPool) -> ThreadRunner | WorkerPool:
    """Every training-job test runs in a thread and in a worker process: same results."""
    return ThreadRunner() if request.param == "thread" else pool


def test_pause_resume_stop_and_double_presses() -> None:
    counter = Counter()
    seen: list[int] = []
    job = BackgroundJob(
        counter, runner=ThreadRunner(), on_event=seen.append, heartbeat_timeout=None
    )
    assert job.status == "new"
    assert job.start() is True
    assert job.start() is False  # Start twice: harmless
    _wait_for(lambda: counter.count > 3)
    job.pause()
    job.pause()
    assert job.status == "paused"
    time.sleep(0.1)
    frozen = counter.count
    time.sleep(0.3)
    assert counter.count <= frozen + 1  # at most the step in flight finishes
    job.resume()
    assert job.status == "running"
    _wait_for(lambda: counter.count > frozen + 3)
    assert job.runner.control(job).paused_seconds > 0.2
    job.stop()
    job.stop()  # Stop twice: harmless
    assert job.join(5)
    assert job.status == "finished" and job.stop_reason == "user"
    assert seen == list(range(1, len(seen) + 1))
    job.stop()
    job.resume()
    job.pause()
    assert job.status == "finished"


def test_stop_while_paused_wakes_the_worker() -> None:
    job = BackgroundJob(Counter(), heartbeat_timeout=None)
    job.start()
    _wait_for(lambda: job.runner.control(job).checkpoints > 0)
    job.pause()
    time.sleep(0.05)
    job.stop()
    assert job.join(5) and job.status == "finished"


def test_stop_before_start() -> None:
    job = BackgroundJob(Counter(), heartbeat_timeout=None)
    job.stop()
    assert job.status == "finished" and job.start() is False


def test_a_job_whose_page_stopped_polling_stops_itself() -> None:
    counter = Counter()
    job = BackgroundJob(counter, runner=ThreadRunner(), heartbeat_timeout=0.3)
    job.start()
    for _ in range(5):  # the page polls for a while...
        job.heartbeat()
        time.sleep(0.1)
    assert job.status == "running"
    assert job.join(5)  # ...then the tab is closed
    assert job.status == "finished" and job.stop_reason == "heartbeat"


def test_keepalive_keeps_a_job_of_a_connected_session() -> None:
    """The user is on another page: no polls, but the session is connected."""
    connected = {"value": True}
    job = BackgroundJob(Counter(), heartbeat_timeout=0.2)
    job.keepalive = lambda: connected["value"]
    job.start()
    time.sleep(0.6)
    assert job.status == "running"
    connected["value"] = False  # the tab is closed
    assert job.join(5) and job.stop_reason == "heartbeat"


def test_a_broken_keepalive_does_not_keep_a_job_alive() -> None:
    job = BackgroundJob(Counter(), heartbeat_timeout=0.2)
    job.keepalive = lambda: 1 / 0 > 0
    job.start()
    assert job.join(5) and job.stop_reason == "heartbeat"


def test_a_paused_job_with_a_closed_tab_stops_too() -> None:
    job = BackgroundJob(Counter(), heartbeat_timeout=0.3)
    job.start()
    _wait_for(lambda: job.runner.control(job).checkpoints > 0)
    job.pause()
    assert job.join(5) and job.stop_reason == "heartbeat"


def test_a_failing_work_function_sets_failed_with_a_key() -> None:
    def broken(control: JobControl) -> Iterator[int]:
        control.checkpoint()
        yield 1
        raise RuntimeError("boom")

    job = BackgroundJob(broken, runner=ThreadRunner(), heartbeat_timeout=None)
    job.start()
    assert job.join(5)
    assert job.status == "failed"
    assert job.error_key == "job.error.unexpected"
    assert "boom" in job.error_params["error"]

    def data_problem(control: JobControl) -> Iterator[int]:
        raise DataError("data.error.missing_offline", name="mnist")  # a MessageError
        yield 0  # pragma: no cover

    job = BackgroundJob(data_problem, runner=ThreadRunner(), heartbeat_timeout=None)
    job.start()
    assert job.join(5) and job.status == "failed"
    assert job.error_key == "data.error.missing_offline" and job.error_params == {"name": "mnist"}


def test_limiter_queue_positions_fifo() -> None:
    limiter = JobLimiter(max_concurrent=1)
    counters = [Counter() for _ in range(4)]
    jobs = [
        BackgroundJob(c, runner=ThreadRunner(limiter), heartbeat_timeout=None) for c in counters
    ]
    jobs[0].start()
    _wait_for(lambda: jobs[0].status == "running" and counters[0].count > 0)
    for job in jobs[1:]:
        job.start()
        _wait_for(lambda job=job: job.queue_position() is not None)
    assert [j.status for j in jobs] == ["running", "queued", "queued", "queued"]
    assert [j.queue_position() for j in jobs] == [None, 1, 2, 3]
    assert limiter.running == 1 and limiter.waiting == 3
    assert counters[1].count == 0  # queued jobs do not compute
    jobs[1].stop()  # leaving the queue moves the others up
    assert jobs[1].join(5) and jobs[1].status == "finished"
    _wait_for(lambda: jobs[2].queue_position() == 1)
    assert jobs[3].queue_position() == 2
    counters[0].release.set()  # the first job ends: the next in line runs
    assert jobs[0].join(5)
    _wait_for(lambda: jobs[2].status == "running")
    assert jobs[3].status == "queued" and jobs[3].queue_position() == 1
    for job, counter in zip(jobs[2:], counters[2:], strict=True):
        counter.release.set()
        job.stop()
        assert job.join(5)
    assert limiter.running == 0 and limiter.waiting == 0
    with pytest.raises(ValueError):
        limiter.release()


def test_limiter_allows_two_at_once() -> None:
    limiter = JobLimiter(2)
    counters = [Counter() for _ in range(3)]
    jobs = [
        BackgroundJob(c, runner=ThreadRunner(limiter), heartbeat_timeout=None) for c in counters
    ]
    for job in jobs:
        job.start()
    _wait_for(lambda: sum(j.status == "running" for j in jobs) == 2)
    assert [j.status for j in jobs].count("queued") == 1
    for job, counter in zip(jobs, counters, strict=True):
        counter.release.set()
        job.stop()
    assert all(job.join(5) for job in jobs)


def test_pause_while_queued_starts_paused() -> None:
    limiter = JobLimiter(1)
    first, second = Counter(), Counter()
    a = BackgroundJob(first, runner=ThreadRunner(limiter), heartbeat_timeout=None)
    b = BackgroundJob(second, runner=ThreadRunner(limiter), heartbeat_timeout=None)
    a.start()
    _wait_for(lambda: a.status == "running")
    b.start()
    _wait_for(lambda: b.status == "queued")
    b.pause()  # only a running job pauses: nothing happens
    assert b.status == "queued"
    first.release.set()
    a.join(5)
    _wait_for(lambda: b.status == "running")
    second.release.set()
    assert b.join(5)


def test_training_job_pause_resume_gives_the_same_weights(
    small: DatasetBundle, runner: ThreadRunner | WorkerPool
) -> None:
    # long enough that the pause lands mid-run (a worker's events arrive in ~0.1 s batches)
    cfg = TrainConfig(epochs=10, batch_size=16, seed=3, num_threads=1)
    reference = fit(get_preset("tiny"), small, cfg).model
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
    job.start()
    _wait_for(lambda: job.snapshot().step >= 5)
    job.pause()
    _wait_for(lambda: job.status == "paused")
    _wait_for(lambda: job.snapshot().status == "paused")  # the worker waits: numbers are final
    paused_at = job.snapshot().step
    time.sleep(0.3)
    assert job.snapshot().step <= paused_at + 1
    assert job.snapshot().status == "paused"
    job.resume()
    assert job.join(60)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.finished is not None
    assert snap.finished.reason == "completed" and snap.progress == 1.0
    assert job.model is not None
    for a, b in zip(reference.state_dict().values(), job.model.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_training_job_snapshot_contents(
    small: DatasetBundle, runner: ThreadRunner | WorkerPool
) -> None:
    cfg = TrainConfig(epochs=3, batch_size=8, num_threads=1, snapshot_every=5)
    job = TrainingJob(
        get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None, max_points=10
    )
    assert job.cfg.max_seconds == 600.0 and job.cfg.num_threads == 1  # server defaults
    job.start()
    assert job.join(60)
    snap = job.snapshot()
    assert snap.total_batches == 90 and snap.step == 90 and snap.epoch == 3
    assert len(snap.epochs) == 3 and snap.device_label
    assert snap.snapshot is not None and snap.snapshot.step == 90
    rows = snap.batches
    assert rows.shape[1] == 3 and 10 <= len(rows) < 20  # downsampled: every k-th step
    steps = rows[:, 0]
    assert list(steps) == sorted(steps) and steps[-1] <= 90
    stride = steps[1] - steps[0]
    assert all(s % stride == 0 for s in steps)
    # smoothed = bias-corrected EMA of every batch loss (recomputed from a fresh run)
    events = list(train(build_model(get_preset("tiny"), seed=0), small, job.cfg))
    losses = [e.loss for e in events if type(e).__name__ == "BatchEnd"]
    ema = 0.0
    expected = {}
    for t, loss in enumerate(losses, start=1):
        ema = 0.9 * ema + 0.1 * loss
        expected[t] = (loss, ema / (1 - 0.9**t))
    for step, loss, smooth in rows:
        assert loss == pytest.approx(expected[int(step)][0])
        assert smooth == pytest.approx(expected[int(step)][1])
    assert snap.eta_seconds is None  # finished


def test_training_job_stop_and_limits(
    small: DatasetBundle, runner: ThreadRunner | WorkerPool
) -> None:
    cfg = TrainConfig(epochs=20, batch_size=4, num_threads=1)
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
    job.start()
    _wait_for(lambda: job.snapshot().step >= 3)
    running = job.snapshot()
    assert running.status == "running" and 0 < running.progress < 1
    assert running.eta_seconds is not None and running.eta_seconds > 0
    job.stop()
    assert job.join(30)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.finished is not None
    assert snap.finished.reason == "stopped"
    with pytest.raises(SpecError):
        TrainingJob(get_preset("lenet5"), small, cfg)  # wrong input shape and class count


def test_training_job_diverges_cleanly(
    small: DatasetBundle, runner: ThreadRunner | WorkerPool
) -> None:
    cfg = TrainConfig(epochs=2, batch_size=32, lr=100.0, optimizer="sgd", num_threads=1)
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=runner, heartbeat_timeout=None)
    job.start()
    assert job.join(30)
    snap = job.snapshot()
    assert snap.status == "finished" and snap.diverged is not None
    assert snap.finished is not None and snap.finished.reason == "diverged"


def test_training_job_failure_is_reported(
    small: DatasetBundle, runner: ThreadRunner | WorkerPool
) -> None:
    broken = dataclasses.replace(small, train_y=small.train_y + 100)  # labels out of range
    job = TrainingJob(
        get_preset("tiny"), broken, TrainConfig(epochs=1), runner=runner, heartbeat_timeout=None
    )
    job.start()
    assert job.join(30)
    assert job.status == "failed" and job.error_key == "job.error.unexpected"
    assert job.snapshot().error_key == "job.error.unexpected"


def test_shared_limiter_is_one_per_process() -> None:
    from cnnviz.jobs import shared_limiter

    assert shared_limiter() is shared_limiter()
    assert shared_limiter().max_concurrent >= 1


def test_job_stopped_is_an_exception() -> None:
    assert issubclass(JobStopped, Exception)


def test_snapshot_says_pausing_until_the_worker_blocks_then_freezes(small: DatasetBundle) -> None:
    """Pause takes effect between batches: "pausing" until then, and nothing moves once "paused"."""
    cfg = TrainConfig(epochs=3, batch_size=16, seed=0, num_threads=1)
    job = TrainingJob(get_preset("tiny"), small, cfg, runner=ThreadRunner(), heartbeat_timeout=None)
    arrived, gate = threading.Event(), threading.Event()
    original = job.runner.control(job).checkpoint

    def held_checkpoint() -> None:  # hold the worker between batches, before it can block
        arrived.set()
        gate.wait(10)
        original()

    job.runner.control(job).checkpoint = held_checkpoint  # type: ignore[method-assign]
    job.start()
    assert arrived.wait(10)
    job.pause()
    assert job.status == "paused"  # what the buttons see at once
    assert job.snapshot().status == "pausing"  # what the page says until the worker blocks
    gate.set()
    _wait_for(lambda: job.snapshot().status == "paused")
    first = job.snapshot()
    time.sleep(0.3)
    second = job.snapshot()
    assert (second.step, second.eta_seconds) == (first.step, first.eta_seconds)
    job.stop()
    assert job.join(10)
