"""Dead ReLUs and sparsity: how many activations of each layer are exactly zero.

A ReLU outputs 0 for every negative input, so a trained ReLU network is sparse: often half its
activations are zero (the "sparsity" the AlexNet article credits ReLU with). A unit is *dead* when
it is zero for every picture and every position of a batch: its gradient is then zero too, and
nothing can revive it. A learning rate that is too large kills units: one huge step pushes a
unit's bias far negative and it never fires again.

:func:`layer_sparsity` measures any model (the Train page's trained network, or the runs below);
:func:`dead_relu_runs` plans the demonstration: the same network, same seed, trained with a sane
and with a large learning rate, in the background (``cnnviz.jobs.SequenceJob``).

Lesson: the /activations page (dead ReLUs and sparsity).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from cnnviz.concepts.inputs import check_range
from cnnviz.data import DataConfig
from cnnviz.jobs import PlannedRun
from cnnviz.net import (
    ActivationSpec,
    Conv2dSpec,
    FlattenSpec,
    LinearSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlock,
)
from cnnviz.train import TrainConfig, layer_outputs

__all__ = [
    "DEAD_DATA",
    "DEAD_NET",
    "LARGE_RATES",
    "SANE_RATE",
    "LayerSparsity",
    "dead_relu_runs",
    "layer_sparsity",
]

#: The demonstration network: two conv blocks and a hidden layer, ReLU after each.
DEAD_NET = NetSpec(
    (1, 28, 28),
    (
        Conv2dSpec(16, (3, 3), padding=(1, 1)),
        ActivationSpec("relu"),
        MaxPool2dSpec((2, 2)),
        Conv2dSpec(16, (3, 3), padding=(1, 1)),
        ActivationSpec("relu"),
        MaxPool2dSpec((2, 2)),
        FlattenSpec(),
        LinearSpec(32),
        ActivationSpec("relu"),
        LinearSpec(6),
    ),
    name="dead-relu-demo",
)
DEAD_DATA = DataConfig("shapes", num_samples=1200, seed=0)
SANE_RATE = 0.05
#: Large learning rates offered for plain SGD (0.5 already kills most units of this network).
LARGE_RATES: tuple[float, ...] = (0.3, 0.5, 1.0, 2.0)
_EPOCHS = 3
_ACTIVATIONS = (
    nn.ReLU,
    nn.LeakyReLU,
    nn.PReLU,
    nn.ELU,
    nn.SELU,
    nn.GELU,
    nn.SiLU,
    nn.Sigmoid,
    nn.Tanh,
    nn.Softplus,
)


@dataclass(frozen=True)
class LayerSparsity:
    """One activation layer on a batch: its name, the fraction of its outputs that are exactly 0,
    and the fraction of its units (channels, or features after Flatten) that are 0 everywhere."""

    name: str
    zero_fraction: float
    dead_fraction: float
    units: int
    dead_units: int


def layer_sparsity(model: nn.Module, x: torch.Tensor) -> tuple[LayerSparsity, ...]:
    """Zero and dead fractions of every activation layer (and residual block, whose output goes
    through its activation) of ``model`` for the batch ``x`` ``(N, C, H, W)``, in eval mode."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            outputs = layer_outputs(model, x)
    finally:
        model.train(was_training)
    result = []
    for name, module, output in outputs:
        if not isinstance(module, (*_ACTIVATIONS, ResidualBlock)):
            continue
        zero = output == 0  # (N, C, H, W) or (N, F)
        # a unit is a channel (all its positions) or a feature; dead = zero for the whole batch
        per_unit = zero.all(dim=0) if zero.dim() == 2 else zero.all(dim=(0, 2, 3))
        result.append(
            LayerSparsity(
                name=name,
                zero_fraction=float(zero.double().mean()),
                dead_fraction=float(per_unit.double().mean()),
                units=int(per_unit.numel()),
                dead_units=int(per_unit.sum()),
            )
        )
    return tuple(result)


def dead_relu_runs(large_rate: float, *, seed: int = 0) -> tuple[PlannedRun, PlannedRun]:
    """The demonstration: :data:`DEAD_NET` trained with plain SGD at :data:`SANE_RATE` and at
    ``large_rate`` (0.1 to 5), same seed, same data, 3 epochs each."""
    rate = check_range(large_rate, 0.1, 5.0, name="learning rate")
    runs = []
    for label, lr in (("sane", SANE_RATE), ("large", rate)):
        cfg = TrainConfig(epochs=_EPOCHS, batch_size=32, optimizer="sgd", lr=lr, seed=seed)
        runs.append(PlannedRun(label, DEAD_NET, cfg))
    return runs[0], runs[1]
