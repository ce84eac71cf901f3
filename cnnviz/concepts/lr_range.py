"""The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
2017): one pass over the data while the learning rate grows exponentially, loss against lr.

:class:`LRRangeTask` builds the network with its seed and takes one optimizer step per mini-batch
with the real ``torch.optim`` optimizer and ``torch.optim.lr_scheduler.ExponentialLR`` (gamma =
``(lr_max / lr_min) ** (1 / (steps - 1))``, so step ``i`` uses ``lr_min * gamma**i``). It yields a
:class:`RangePoint` per step with the batch loss and its bias-corrected moving average
``s_i = beta s_(i-1) + (1 - beta) loss_i``, ``s_i / (1 - beta^(i+1))``, and stops early once the
average is above :data:`DIVERGE_FACTOR` times its lowest value (the loss has exploded). Then
:func:`suggest_range` reads the curve:

- ``high``: the lr where the smoothed loss is lowest (beyond it, the loss climbs);
- ``low``: the lr from which on the smoothed loss stays at least 10% of the way down from its
  start to that lowest value (the loss has started to fall, and keeps falling);
- ``suggested``: ``high / 10``, one decade below the lowest point (a common rule of thumb: at the
  lowest point the steps are already about to overshoot), but not below ``low``.

Lesson: the "Learning rate" page (LR range test, "Use this LR").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import torch
import torch.nn.functional as F

from cnnviz.concepts.learning_input import LearningInputError, check_lr
from cnnviz.concepts.toy_training import toy_config
from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.i18n import Message
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model
from cnnviz.train import batches_per_epoch, make_optimizer

__all__ = [
    "DIVERGE_FACTOR",
    "LRRangeTask",
    "RangeDone",
    "RangePoint",
    "RangeSuggestion",
    "suggest_range",
]

DIVERGE_FACTOR: Final[float] = 4.0
SMOOTHING: Final[float] = 0.9


@dataclass(frozen=True)
class RangePoint:
    """Step ``step`` (0-based) used ``lr``; its batch loss and the smoothed loss after it."""

    step: int
    lr: float
    loss: float
    smoothed: float


@dataclass(frozen=True)
class RangeSuggestion:
    """The range read from the curve (see the module docstring); all learning rates."""

    low: float
    high: float
    suggested: float
    lowest_loss: float


@dataclass(frozen=True)
class RangeDone:
    """The test ended: after ``steps`` steps, ``diverged`` if it stopped because the loss
    exploded; ``suggestion`` is None when the loss never fell."""

    steps: int
    diverged: bool
    suggestion: RangeSuggestion | None


def suggest_range(lrs: Sequence[float], smoothed: Sequence[float]) -> RangeSuggestion | None:
    """Read the range from a range test's learning rates and smoothed losses (module docstring).

    None when there are fewer than 3 points or the smoothed loss never falls below its start.
    """
    rates = np.asarray(lrs, dtype=np.float64)
    losses = np.asarray(smoothed, dtype=np.float64)
    finite = np.isfinite(losses) & np.isfinite(rates) & (rates > 0)
    rates, losses = rates[finite], losses[finite]
    if rates.size < 3:
        return None
    best = int(np.argmin(losses))
    start, lowest = float(losses[0]), float(losses[best])
    if not lowest < start:
        return None
    # low: from this step on (up to the lowest point) the loss stays 10% of the way down
    above = np.flatnonzero(losses[: best + 1] > start - 0.1 * (start - lowest))
    low = float(rates[min(int(above[-1]) + 1, best)]) if above.size else float(rates[0])
    high = float(rates[best])
    suggested = min(max(high / 10.0, low), high)
    return RangeSuggestion(low=low, high=high, suggested=suggested, lowest_loss=lowest)


@dataclass(frozen=True, eq=False)
class LRRangeTask:
    """One pass over ``data``'s training images with an exponentially growing learning rate.

    ``optimizer`` is a Train-page optimizer id (``cnnviz.train.OPTIMIZERS``); the net is built with
    ``seed``, the batches drawn with a generator seeded with ``seed``. Picklable: runs in a worker.
    """

    net: NetSpec
    data: DatasetBundle
    optimizer: str = "momentum"
    lr_min: float = 1e-5
    lr_max: float = 10.0
    batch_size: int = 16
    seed: int = 0
    num_threads: int | None = None

    def __post_init__(self) -> None:
        low = check_lr(self.lr_min, name="lr_min")
        high = check_lr(self.lr_max, name="lr_max")
        if not high > low * 10:
            raise LearningInputError("learn.error.range", low=low, high=high)

    @property
    def steps(self) -> int:
        """One pass: ``ceil(N / batch_size)`` steps."""
        return batches_per_epoch(len(self.data.train_y), self.batch_size)

    def run(self, control: Control) -> Iterator[Any]:
        """:class:`RangePoint` and :class:`Progress` per step, then :class:`RangeDone`."""
        if self.num_threads is not None:
            torch.set_num_threads(self.num_threads)
        steps = max(2, self.steps)
        model = build_model(self.net, seed=self.seed)
        model.train()
        cfg = toy_config(self.optimizer, self.lr_min, seed=self.seed)
        optimizer = make_optimizer(model.parameters(), cfg)
        gamma = (self.lr_max / self.lr_min) ** (1.0 / (steps - 1))
        scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
        generator = torch.Generator().manual_seed(self.seed)
        x, y = self.data.train_x, self.data.train_y
        order = torch.randperm(len(y), generator=generator)
        batch = min(self.batch_size, len(y))
        average, best = 0.0, math.inf
        lrs: list[float] = []
        smoothed: list[float] = []
        diverged = False
        for step in range(steps):
            control.checkpoint()
            index = order[(step * batch) % len(y) :][:batch]  # (B,)
            lr = float(optimizer.param_groups[0]["lr"])
            loss = F.cross_entropy(model(x[index]), y[index])  # x: (B, C, H, W)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            value = float(loss.detach())
            average = SMOOTHING * average + (1 - SMOOTHING) * value
            corrected = average / (1 - SMOOTHING ** (step + 1))
            lrs.append(lr)
            smoothed.append(corrected)
            yield RangePoint(step, lr, value, corrected)
            yield Progress(step + 1, steps, Message.of("lrate.range.progress", lr=f"{lr:.2g}"))
            best = min(best, corrected)
            if not math.isfinite(value) or corrected > DIVERGE_FACTOR * best:
                diverged = True
                break
        yield RangeDone(len(lrs), diverged, suggest_range(lrs, smoothed))
