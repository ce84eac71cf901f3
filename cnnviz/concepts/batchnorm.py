"""Batch normalisation: one batch before and after, the running statistics, train against eval.

In training, ``nn.BatchNorm2d`` normalises each channel with the *batch's* mean and (biased)
variance, then scales and shifts: ``y = gamma (x - mu_B) / sqrt(var_B + eps) + beta``; it also
updates running estimates ``running = (1 - momentum) running + momentum batch_stat`` (the running
variance uses the unbiased ``N/(N-1)`` estimate). In eval mode it uses the running estimates
instead, so the same batch gives a different output until they have converged.

:func:`batchnorm_demo` feeds ``batches_seen`` batches of a badly scaled conv layer's output (shapes
pictures, drawn at once and cut into batches of 32, through a seeded 3x3 conv, times ``scale``
plus ``shift``) through a real
``nn.BatchNorm2d`` in train mode, then shows the last batch in both modes, each checked against
the formula. :func:`bn_runs` plans the comparison "the same deep network with and without BN,
same seed" for ``cnnviz.jobs.SequenceJob``.

The AlexNet article 「卷积神经网络」 replaces AlexNet's local response normalisation by BN in its
Keras version.

Lesson: the /regularize page (batch normalisation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.concepts.gradients import init_weight, shapes_batch
from cnnviz.concepts.inputs import check_range
from cnnviz.data import DataConfig
from cnnviz.jobs import PlannedRun
from cnnviz.net import (
    ActivationSpec,
    Conv2dSpec,
    FlattenSpec,
    LayerSpec,
    LinearSpec,
    MaxPool2dSpec,
    NetSpec,
    with_batch_norm,
)
from cnnviz.train import TrainConfig

__all__ = ["BN_DATA", "DEEP_NET", "BatchNormDemo", "batchnorm_demo", "bn_runs"]

CHANNELS = 4
BATCH = 32
MAX_BATCHES = 200


def _deep_net() -> NetSpec:
    layers: list[LayerSpec] = []
    for index in range(6):
        layers += [Conv2dSpec(16, (3, 3), padding=(1, 1)), ActivationSpec("relu")]
        if index % 2 == 1:
            layers.append(MaxPool2dSpec((2, 2)))  # 28 -> 14 -> 7 -> 3
    layers += [FlattenSpec(), LinearSpec(6)]
    return NetSpec((1, 28, 28), tuple(layers), name="deep-plain")


#: Six 3x3 convolutions with ReLU (pooling after every second): it barely trains with plain SGD
#: at lr 0.05 in 4 epochs, and trains well with a BN after every conv.
DEEP_NET = _deep_net()
BN_DATA = DataConfig("shapes", num_samples=1200, seed=0)


@dataclass(frozen=True, eq=False)
class BatchNormDemo:
    """The last batch before BN, after it in train and in eval mode, and the statistics.

    Arrays are per channel ``(C,)`` unless marked; ``formula_gap``: the largest difference between
    the module's outputs and the formula written out (train and eval)."""

    before: np.ndarray  # (N, C, H, W)
    train_out: np.ndarray  # (N, C, H, W)
    eval_out: np.ndarray  # (N, C, H, W)
    batch_mean: np.ndarray
    batch_var: np.ndarray  # biased, what normalises
    running_mean: np.ndarray
    running_var: np.ndarray  # unbiased updates
    gamma: float
    beta: float
    momentum: float
    batches_seen: int
    formula_gap: float

    @property
    def train_eval_gap(self) -> float:
        """Largest difference between the train-mode and the eval-mode output of one batch."""
        return float(np.abs(self.train_out - self.eval_out).max())


def batchnorm_demo(
    *,
    shift: float = 3.0,
    scale: float = 4.0,
    gamma: float = 1.0,
    beta: float = 0.0,
    momentum: float = 0.1,
    batches_seen: int = 5,
    seed: int = 0,
) -> BatchNormDemo:
    """Run ``batches_seen`` (1 to 200) batches through ``nn.BatchNorm2d(4)`` in train mode and the
    last one again in eval mode; ``gamma``/``beta`` set on every channel."""
    check_range(shift, -20.0, 20.0, name="shift")
    check_range(scale, 0.01, 20.0, name="scale")
    check_range(gamma, -5.0, 5.0, name="gamma")
    check_range(beta, -5.0, 5.0, name="beta")
    check_range(momentum, 0.0, 1.0, name="momentum")
    check_range(batches_seen, 1, MAX_BATCHES, name="batches")
    generator = torch.Generator().manual_seed(int(seed))
    weight, bias = init_weight((CHANNELS, 1, 3, 3), "kaiming", generator)
    norm = nn.BatchNorm2d(CHANNELS, momentum=momentum, dtype=torch.float64)
    with torch.no_grad():
        norm.weight.fill_(gamma)
        norm.bias.fill_(beta)
    # every batch's pictures in one draw, one convolution: (batches * N, C, 7, 7)
    pictures, _ = shapes_batch(BATCH * int(batches_seen), seed=int(seed))
    with torch.no_grad():
        outputs = F.conv2d(pictures, weight, bias, padding=1) * scale + shift
        batches = outputs.split(BATCH)
        for batch in batches:
            train_out = norm.train()(batch)
        x = batches[-1]
        eval_out = norm.eval()(x)
    mean = x.mean(dim=(0, 2, 3))
    var = x.var(dim=(0, 2, 3), unbiased=False)
    shape = (1, CHANNELS, 1, 1)
    eps = norm.eps
    by_formula = gamma * (x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps) + beta
    assert norm.running_mean is not None and norm.running_var is not None
    running_mean, running_var = norm.running_mean, norm.running_var
    by_formula_eval = (
        gamma * (x - running_mean.view(shape)) / torch.sqrt(running_var.view(shape) + eps) + beta
    )
    gap = max(
        float((by_formula - train_out).abs().max()), float((by_formula_eval - eval_out).abs().max())
    )
    return BatchNormDemo(
        before=x.numpy(),
        train_out=train_out.numpy(),
        eval_out=eval_out.numpy(),
        batch_mean=mean.numpy(),
        batch_var=var.numpy(),
        running_mean=running_mean.numpy().copy(),
        running_var=running_var.numpy().copy(),
        gamma=float(gamma),
        beta=float(beta),
        momentum=float(momentum),
        batches_seen=int(batches_seen),
        formula_gap=gap,
    )


def bn_runs(*, seed: int = 0, epochs: int = 4, lr: float = 0.05) -> tuple[PlannedRun, PlannedRun]:
    """:data:`DEEP_NET` without and with a BatchNorm2d after every conv, plain SGD, same seed."""
    cfg = TrainConfig(epochs=epochs, batch_size=32, optimizer="sgd", lr=lr, seed=seed)
    return (
        PlannedRun("plain", DEEP_NET, cfg),
        PlannedRun("bn", with_batch_norm(DEEP_NET, True), cfg),
    )
