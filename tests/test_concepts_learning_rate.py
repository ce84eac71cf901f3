"""The Learning rate page's library: schedules against the article's formulas, the range test and
its suggestion, the gradient noise of a mini-batch against autograd and statistics, the batch-size
task; the three background tasks once in a worker process."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnviz.concepts import (
    FULL_BATCH,
    TOY_DATA,
    BatchEpoch,
    BatchRunEnds,
    BatchSizeTask,
    LRRangeTask,
    NoiseMeasured,
    RangeDone,
    RangePoint,
    SymmetryResult,
    SymmetryTask,
    full_gradient,
    gradient_noise,
    noise_table,
    predicted_noise,
    schedule_curves,
    suggest_range,
    toy_net,
)
from cnnviz.data import DatasetBundle, load_dataset
from cnnviz.jobs import EventLogJob, Progress, ThreadRunner, WorkerPool
from cnnviz.net import build_model
from cnnviz.train import LR_CHOICES, SCHEDULES, nearest_lr_choice


class Free:
    """A control that never pauses or stops (tasks driven directly)."""

    stop_requested = False
    paused_seconds = 0.0

    def checkpoint(self) -> None:
        return None


@pytest.fixture(scope="module")
def small() -> DatasetBundle:
    """The demos' shapes, cut to 96 training images (fast tasks)."""
    data = load_dataset(TOY_DATA)
    return DatasetBundle(
        data.name,
        data.train_x[:96],
        data.train_y[:96],
        data.val_x[:48],
        data.val_y[:48],
        data.class_names,
        data.mean,
        data.std,
    )


def test_schedules_follow_the_articles_formulas() -> None:
    """PyTorch's StepLR / PolynomialLR give Caffe's step and poly policies of the article."""
    lr, epochs, steps = 0.1, 9, 4
    curves = schedule_curves("momentum", lr, epochs, steps)
    assert set(curves) == set(SCHEDULES)
    assert all(len(rates) == epochs * steps for rates in curves.values())
    iters = np.arange(epochs * steps)
    assert curves["fixed"] == pytest.approx([lr] * len(iters))
    stepsize = epochs // 3  # epochs; the scheduler steps once per epoch
    step = lr * 0.1 ** np.floor((iters // steps) / stepsize)
    np.testing.assert_allclose(curves["step"], step, rtol=1e-12)
    poly = lr * (1 - iters / (epochs * steps)) ** 0.9  # base_lr (1 - iter/max_iter)^power
    np.testing.assert_allclose(curves["poly"], poly, rtol=1e-9)
    exponential = lr * 0.01 ** (iters / (epochs * steps))
    np.testing.assert_allclose(curves["exponential"], exponential, rtol=1e-9)


def test_suggested_range_on_a_known_curve() -> None:
    lrs = np.logspace(-5, 1, 61)
    # flat until 1e-3, falls until 1e-1, then explodes
    loss = np.where(lrs < 1e-3, 2.0, 2.0 - 0.8 * np.log10(lrs / 1e-3))
    loss = np.where(lrs > 1e-1, 0.4 + 20 * np.log10(lrs / 1e-1), loss)
    suggestion = suggest_range(lrs, loss)
    assert suggestion is not None
    assert suggestion.high == pytest.approx(0.1, rel=0.3)
    assert 1e-3 <= suggestion.low <= 5e-3
    assert suggestion.suggested == pytest.approx(suggestion.high / 10)
    assert suggestion.low <= suggestion.suggested <= suggestion.high
    assert suggest_range(lrs, np.linspace(1, 2, 61)) is None  # never falls
    assert suggest_range([1e-3, 1e-2], [1.0, 0.5]) is None  # too short


def test_use_this_lr_snaps_to_a_train_page_choice() -> None:
    assert nearest_lr_choice(0.012) == 0.01
    assert nearest_lr_choice(0.02) == 0.03  # closer on a log scale
    assert nearest_lr_choice(1e-9) == LR_CHOICES[0]
    assert all(nearest_lr_choice(choice) == choice for choice in LR_CHOICES)


def test_range_test_grows_the_rate_exponentially_and_reads_the_curve(small: DatasetBundle) -> None:
    task = LRRangeTask(toy_net(small.num_classes), small, optimizer="sgd", batch_size=8)
    events = list(task.run(Free()))
    points = [e for e in events if isinstance(e, RangePoint)]
    done = events[-1]
    assert isinstance(done, RangeDone) and done.steps == len(points) <= task.steps == 12
    lrs = np.array([p.lr for p in points])
    gamma = (task.lr_max / task.lr_min) ** (1 / (task.steps - 1))
    np.testing.assert_allclose(lrs, task.lr_min * gamma ** np.arange(len(lrs)), rtol=1e-9)
    smoothed, average = [], 0.0
    for i, p in enumerate(points):  # the documented bias-corrected moving average
        average = 0.9 * average + 0.1 * p.loss
        smoothed.append(average / (1 - 0.9 ** (i + 1)))
    np.testing.assert_allclose([p.smoothed for p in points], smoothed, rtol=1e-12)
    assert done.suggestion == suggest_range(lrs, [p.smoothed for p in points])
    assert any(isinstance(e, Progress) for e in events)


def test_full_gradient_is_autograd_of_the_mean_loss(small: DatasetBundle) -> None:
    model = build_model(toy_net(small.num_classes), seed=0).eval()
    x, y = small.train_x, small.train_y
    chunked = full_gradient(model, x, y, chunk=40)
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    whole = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    torch.testing.assert_close(chunked, whole, rtol=1e-4, atol=1e-6)


def test_gradient_noise_falls_like_one_over_b(small: DatasetBundle) -> None:
    model = build_model(toy_net(small.num_classes), seed=0).eval()
    x, y = small.train_x, small.train_y
    gen = torch.Generator().manual_seed(0)
    noise = {b: gradient_noise(model, x, y, b, samples=60, generator=gen) for b in (1, 4, 16)}
    assert noise[1] > noise[4] > noise[16] > 0
    n = len(y)
    for b in (4, 16):  # statistics: sigma^2/B (N-B)/(N-1), within sampling error
        assert noise[b] == pytest.approx(predicted_noise(noise[1], b, n), rel=0.35)
    assert gradient_noise(model, x, y, FULL_BATCH, samples=3, generator=gen) == 0.0
    assert predicted_noise(2.0, FULL_BATCH, n) == 0.0
    assert predicted_noise(2.0, 1, n) == pytest.approx(2.0)


def test_batch_size_task_measures_then_trains_each_size(small: DatasetBundle) -> None:
    task = BatchSizeTask(
        toy_net(small.num_classes), small, batch_sizes=(8, FULL_BATCH), epochs=2, samples=4
    )
    events = list(task.run(Free()))
    noise = [e for e in events if isinstance(e, NoiseMeasured)]
    assert [e.batch for e in noise] == [8, FULL_BATCH]
    assert noise[0].variance > 0 and noise[1].variance == 0.0
    rows = noise_table(noise)
    assert [row[0] for row in rows] == [8, FULL_BATCH] and math.isnan(rows[0][2])
    epochs = [e for e in events if isinstance(e, BatchEpoch)]
    assert [(e.batch, e.epoch.epoch) for e in epochs] == [(8, 1), (8, 2), (0, 1), (0, 2)]
    assert all(e.elapsed >= e.epoch.seconds > 0 for e in epochs)
    ends = [e for e in events if isinstance(e, BatchRunEnds)]
    assert [e.finished.reason for e in ends] == ["completed", "completed"]
    # the first event of a run is an epoch of that run's model, trained from the same weights:
    # 12 steps of 8 images vs 1 step of 96 images per epoch
    assert epochs[0].epoch.train_loss != epochs[2].epoch.train_loss


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(1, threads=1)
    yield workers
    workers.close()


def test_tasks_run_in_a_worker_process(pool: WorkerPool, small: DatasetBundle) -> None:
    """The explorers' tasks are picklable and give the same events in a worker as in a thread."""
    net = toy_net(small.num_classes)
    tasks = [
        LRRangeTask(net, small, batch_size=32),
        BatchSizeTask(net, small, batch_sizes=(32,), epochs=1, samples=2),
        SymmetryTask(net, small, schemes=("zeros",), epochs=1),
    ]
    kinds = [RangeDone, BatchRunEnds, SymmetryResult]
    for task, kind in zip(tasks, kinds, strict=True):
        remote = EventLogJob(task, runner=pool, heartbeat_timeout=None)
        local = EventLogJob(task, runner=ThreadRunner(), heartbeat_timeout=None)
        for job in (remote, local):
            job.start()
            assert job.join(120) and job.status == "finished", job.error_message
        assert remote.latest(kind) is not None
        assert len(remote.events(kind)) == len(local.events(kind)) == 1
        if kind is RangeDone:
            assert [p.lr for p in remote.events(RangePoint)] == [
                p.lr for p in local.events(RangePoint)
            ]
