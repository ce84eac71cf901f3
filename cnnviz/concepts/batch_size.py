"""Batch size made visible: how noisy a mini-batch gradient is, and what batch size does to
training, on one small problem.

Mini-batch SGD (the article 「深度学习之卷积神经网络(Convolutional Neural Networks, CNN)」: sample a
batch, forward, back-propagate, update) estimates the full gradient ``g = grad L(w)`` (the mean
over all N training images) by the mean over B of them, ``g_B``. :func:`gradient_noise` measures,
at fixed weights, ``E ||g_B - g||^2``: the variance of that estimate around the full gradient,
summed over every weight, from ``samples`` batches drawn without replacement. Statistics predicts
``sigma^2 / B * (N - B) / (N - 1)`` (:func:`predicted_noise`), where ``sigma^2`` is the variance of
a single image's gradient: four times the batch, a quarter of the noise, and none at B = N.

:class:`BatchSizeTask` measures that noise for each batch size, then trains the same network from
the same weights with each batch size (``cnnviz.train.train``, plain SGD by default) and reports
every epoch with its wall-clock time.

Lesson: the "Learning rate" page (batch size).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts.toy_training import toy_config
from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.i18n import Message
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model
from cnnviz.train import EpochEnd, Finished, train

__all__ = [
    "BATCH_SIZES",
    "FULL_BATCH",
    "BatchEpoch",
    "BatchRunEnds",
    "BatchSizeTask",
    "NoiseMeasured",
    "full_gradient",
    "gradient_noise",
    "noise_table",
    "predicted_noise",
]

#: Stands for "the whole training set" in a list of batch sizes.
FULL_BATCH: Final[int] = 0
#: The batch sizes the page compares: 1, 8, 32, 256 and the full batch.
BATCH_SIZES: Final[tuple[int, ...]] = (1, 8, 32, 256, FULL_BATCH)


def _flat_grad(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The gradient of the mean cross-entropy over ``(x, y)``, all weights in one vector (P,)."""
    params = [p for p in model.parameters() if p.requires_grad]
    loss = F.cross_entropy(model(x), y)
    grads = torch.autograd.grad(loss, params)
    return torch.cat([g.reshape(-1) for g in grads])


def full_gradient(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, chunk: int = 256
) -> torch.Tensor:
    """``grad L`` over the whole set, summed chunk by chunk (the mean loss of N images), (P,)."""
    total = None
    for start in range(0, len(y), chunk):
        xb, yb = x[start : start + chunk], y[start : start + chunk]
        part = _flat_grad(model, xb, yb) * (len(yb) / len(y))
        total = part if total is None else total + part
    assert total is not None, "an empty training set has no gradient"
    return total


def gradient_noise(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    *,
    samples: int,
    generator: torch.Generator,
    full: torch.Tensor | None = None,
) -> float:
    """``mean ||g_B - g||^2`` over ``samples`` mini-batches of ``batch_size`` images drawn without
    replacement (0 for the full batch). ``model`` is evaluated as it is (put it in eval mode to
    leave dropout out)."""
    n = len(y)
    batch = n if batch_size in (FULL_BATCH, n) or batch_size > n else batch_size
    reference = full if full is not None else full_gradient(model, x, y)
    if batch == n:
        return float((full_gradient(model, x, y) - reference).pow(2).sum())
    total = 0.0
    for _ in range(samples):
        index = torch.randperm(n, generator=generator)[:batch]
        total += float((_flat_grad(model, x[index], y[index]) - reference).pow(2).sum())
    return total / samples


def predicted_noise(single: float, batch_size: int, n: int) -> float:
    """``sigma^2 / B * (N - B) / (N - 1)``: the noise of a batch of B images drawn without
    replacement, with ``sigma^2 = single``, the noise measured with one image (B = 1)."""
    batch = n if batch_size == FULL_BATCH else min(batch_size, n)
    return single / batch * (n - batch) / (n - 1) if n > 1 else 0.0


@dataclass(frozen=True)
class NoiseMeasured:
    """The gradient noise at batch size ``batch`` (``FULL_BATCH`` = all ``n`` images):
    ``variance = mean ||g_B - g||^2`` over ``samples`` batches; ``full_norm_sq = ||g||^2``."""

    batch: int
    n: int
    variance: float
    full_norm_sq: float
    samples: int


@dataclass(frozen=True)
class BatchEpoch:
    """One epoch of the run with batch size ``batch``; ``elapsed`` is the run's wall-clock
    seconds so far (training and validation)."""

    batch: int
    epoch: EpochEnd
    elapsed: float


@dataclass(frozen=True)
class BatchRunEnds:
    """The run with batch size ``batch`` ended (``finished.reason`` says how)."""

    batch: int
    finished: Finished


@dataclass(frozen=True, eq=False)
class BatchSizeTask:
    """Measure the gradient noise of each batch size, then train with each (picklable)."""

    net: NetSpec
    data: DatasetBundle
    batch_sizes: tuple[int, ...] = BATCH_SIZES
    lr: float = 0.05
    optimizer: str = "sgd"
    epochs: int = 4
    samples: int = 24
    seed: int = 0
    num_threads: int | None = None

    def run(self, control: Control) -> Iterator[Any]:
        """:class:`NoiseMeasured` per batch size, then per run :class:`BatchEpoch` events and
        :class:`BatchRunEnds`; :class:`Progress` throughout."""
        if self.num_threads is not None:
            torch.set_num_threads(self.num_threads)
        x, y = self.data.train_x, self.data.train_y
        total = len(self.batch_sizes) * (1 + self.epochs)
        done = 0
        model = build_model(self.net, seed=self.seed).eval()  # eval: no dropout in the noise
        full = full_gradient(model, x, y)
        generator = torch.Generator().manual_seed(self.seed)
        for batch in self.batch_sizes:
            control.checkpoint()
            variance = gradient_noise(
                model, x, y, batch, samples=self.samples, generator=generator, full=full
            )
            yield NoiseMeasured(batch, len(y), variance, float(full.pow(2).sum()), self.samples)
            done += 1
            yield Progress(done, total, Message.of("lrate.batch.progress_noise", batch=batch))
        for batch in self.batch_sizes:
            size = len(y) if batch == FULL_BATCH else batch
            cfg = toy_config(
                self.optimizer, self.lr, epochs=self.epochs, batch_size=size, seed=self.seed
            )
            run_model = build_model(self.net, seed=self.seed)
            elapsed = 0.0
            for event in train(run_model, self.data, cfg, control=control):
                if isinstance(event, EpochEnd):
                    elapsed += event.seconds
                    done += 1
                    yield BatchEpoch(batch, event, elapsed)
                    yield Progress(done, total, Message.of("lrate.batch.progress_run", batch=batch))
                elif isinstance(event, Finished):
                    yield BatchRunEnds(batch, event)
            if control.stop_requested:
                break


def noise_table(points: Sequence[NoiseMeasured]) -> list[tuple[int, float, float]]:
    """``(batch, measured, predicted)`` per point, the prediction from the B = 1 measurement."""
    single = next((p.variance for p in points if p.batch == 1), None)
    rows = []
    for point in points:
        predicted = (
            predicted_noise(single, point.batch, point.n) if single is not None else float("nan")
        )
        rows.append((point.batch, point.variance, predicted))
    return rows
