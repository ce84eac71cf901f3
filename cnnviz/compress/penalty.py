"""Sparsity during training: how many weights an L1 penalty makes *exactly* zero.

:class:`PenaltyTask` trains the same network from the same seed with several L1 strengths
(``loss = CE + l1 * sum |w|``, :class:`cnnviz.train.TrainConfig` ``l1``) and reports, for each,
the fraction of conv/Linear weights that are exactly zero and the fraction below ``1e-3``.
With a (sub)gradient optimizer such as Adam, L1 drives weights *towards* zero but almost never
*to* zero: exact zeros need a pruning step (or a proximal/thresholding update, or L0 gates).

Lesson: the pruning lab (page /prune), "sparsity penalties".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn

from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model, near_zero_fraction, weight_values
from cnnviz.train import EpochEnd, TrainConfig, train

__all__ = ["DEFAULT_L1", "PenaltyPoint", "PenaltyTask", "exact_zero_fraction", "inference_ms"]

DEFAULT_L1: tuple[float, ...] = (0.0, 1e-4, 1e-3)


@dataclass(frozen=True)
class PenaltyPoint:
    """One L1 strength: exact zeros, near zeros (``|w| < 1e-3``) and validation accuracy."""

    l1: float
    exact_zeros: float
    near_zeros: float
    val_acc: float


def exact_zero_fraction(model: nn.Module) -> float:
    """Fraction of conv/Linear weights exactly equal to 0."""
    values = weight_values(model.state_dict())
    return float((values == 0).mean()) if values.size else 0.0


@dataclass(frozen=True, eq=False)
class PenaltyTask:
    """Train ``net`` once per L1 strength with ``cfg`` otherwise unchanged; picklable."""

    net: NetSpec
    data: DatasetBundle
    cfg: TrainConfig
    l1_values: tuple[float, ...] = DEFAULT_L1

    def run(self, control: Control) -> Iterator[Any]:
        """:class:`Progress` and one :class:`PenaltyPoint` per strength."""
        total = len(self.l1_values)
        yield Progress(0, total)
        for done, l1 in enumerate(self.l1_values, start=1):
            cfg = replace(self.cfg, l1=l1, snapshot_every=100_000)
            model = build_model(self.net, seed=cfg.seed)
            last: EpochEnd | None = None
            for event in train(model, self.data, cfg, control=control):
                if isinstance(event, EpochEnd):
                    last = event
            values = weight_values(model.state_dict())
            yield PenaltyPoint(
                l1,
                exact_zero_fraction(model),
                near_zero_fraction(values),
                last.val_acc if last is not None else float("nan"),
            )
            yield Progress(done, total)


def inference_ms(model: nn.Module, x: torch.Tensor, *, repeats: int = 20) -> float:
    """Median milliseconds of ``model(x)`` in eval mode, no grad, after one warm-up call."""
    model.eval()
    times = []
    with torch.no_grad():
        model(x)
        for _ in range(repeats):
            start = time.perf_counter()
            model(x)
            times.append(time.perf_counter() - start)
    times.sort()
    return 1000.0 * times[len(times) // 2]
