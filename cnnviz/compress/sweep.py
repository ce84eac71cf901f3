"""Accuracy against sparsity: every method at every sparsity, before and after a short fine-tune.

:func:`prune_and_evaluate` is one point; :func:`finetune` trains a pruned copy with the masks in
place (``weight = weight_orig * mask`` in every forward, so pruned weights stay exactly zero:
their gradient through the mask is zero too) using the ordinary training loop
(:func:`cnnviz.train.train`). :class:`SweepTask` runs the whole grid in the background, the cheap
points without fine-tuning first, so the chart fills in while the fine-tunes run.

Lesson: the pruning lab (page /prune), "accuracy against sparsity".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn

from cnnviz.compress.prune import METHODS, check_sparsity, measured_sparsity, prune_copy
from cnnviz.control import Control
from cnnviz.data import DatasetBundle
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model
from cnnviz.train import Finished, TrainConfig, evaluate, train

__all__ = [
    "DEFAULT_SPARSITIES",
    "LOSS_POINTS",
    "SweepPoint",
    "SweepTask",
    "finetune",
    "first_loss_over",
    "model_from_state",
    "prune_and_evaluate",
]

DEFAULT_SPARSITIES: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
#: accuracy points (percent) a method may lose before the chart marks it.
LOSS_POINTS = 1.0


@dataclass(frozen=True)
class SweepPoint:
    """One method at one requested sparsity: the measured sparsity and the validation accuracy,
    ``finetuned`` telling whether it is after the fine-tune."""

    method: str
    requested: float
    sparsity: float
    val_acc: float
    finetuned: bool


def model_from_state(net: NetSpec, state: dict[str, torch.Tensor]) -> nn.Module:
    """``build_model(net)`` with ``state`` loaded, in eval mode."""
    model = build_model(net, seed=0)
    model.load_state_dict(state)
    return model.eval()


def prune_and_evaluate(
    model: nn.Module,
    data: DatasetBundle,
    method: str,
    amount: float,
    *,
    norm: int = 1,
    seed: int = 0,
) -> tuple[nn.Module, float, float]:
    """The pruned copy, its measured sparsity and its validation accuracy."""
    pruned = prune_copy(model, method, amount, norm=norm, seed=seed)
    _, acc, _ = evaluate(pruned, data.val_x, data.val_y)
    return pruned, measured_sparsity(pruned), acc


def finetune(
    pruned: nn.Module, data: DatasetBundle, cfg: TrainConfig, control: Control | None = None
) -> Iterator[Any]:
    """Train the pruned copy in place with ``cfg``, masks kept; yields the loop's events."""
    yield from train(pruned, data, replace(cfg, snapshot_every=100_000), control=control)
    pruned.eval()


def first_loss_over(points: Sequence[SweepPoint], base_acc: float) -> float | None:
    """The smallest measured sparsity whose accuracy is more than :data:`LOSS_POINTS` points
    below ``base_acc`` (None when it never is)."""
    losing = [p.sparsity for p in points if (base_acc - p.val_acc) * 100 > LOSS_POINTS]
    return min(losing) if losing else None


@dataclass(frozen=True, eq=False)
class SweepTask:
    """The grid ``methods x sparsities``: without fine-tuning, then after ``cfg.epochs`` epochs
    of fine-tuning each (none when ``finetune_epochs`` is 0). Picklable."""

    net: NetSpec
    state: dict[str, torch.Tensor]
    data: DatasetBundle
    cfg: TrainConfig
    methods: tuple[str, ...] = METHODS
    sparsities: tuple[float, ...] = DEFAULT_SPARSITIES
    finetune_epochs: int = 2
    norm: int = 1

    def __post_init__(self) -> None:
        for amount in self.sparsities:
            check_sparsity(amount)

    def run(self, control: Control) -> Iterator[Any]:
        """:class:`SweepPoint` events and :class:`Progress`."""
        if self.cfg.num_threads is not None:
            torch.set_num_threads(self.cfg.num_threads)
        model = model_from_state(self.net, self.state)
        grid = [(m, s) for m in self.methods for s in self.sparsities]
        total = len(grid) * (2 if self.finetune_epochs > 0 else 1)
        done = 0
        yield Progress(0, total)
        for method, amount in grid:
            control.checkpoint()
            _, sparsity, acc = prune_and_evaluate(
                model, self.data, method, amount, norm=self.norm, seed=self.cfg.seed
            )
            done += 1
            yield SweepPoint(method, amount, sparsity, acc, finetuned=False)
            yield Progress(done, total)
        if self.finetune_epochs <= 0:
            return
        cfg = replace(self.cfg, epochs=self.finetune_epochs)
        for method, amount in grid:
            pruned = prune_copy(model, method, amount, norm=self.norm, seed=self.cfg.seed)
            for event in finetune(pruned, self.data, cfg, control):
                if isinstance(event, Finished) and event.reason == "stopped":
                    return
            _, acc, _ = evaluate(pruned, self.data.val_x, self.data.val_y)
            done += 1
            yield SweepPoint(method, amount, measured_sparsity(pruned), acc, finetuned=True)
            yield Progress(done, total)
