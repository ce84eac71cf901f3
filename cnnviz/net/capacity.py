"""Model capacity as data: widen a network, add dropout or batch norm, build a family of nets.

Capacity is what a network can fit: more channels (width) and more conv blocks (depth) mean more
parameters, which lets a model fit its training set better but also memorise it (overfit) when
the set is small. Regularisation limits the capacity that is used: L2 (weight decay) shrinks every
weight, L1 drives many weights to (nearly) zero, dropout stops units relying on each other.

All functions are pure: they take and return frozen :class:`cnnviz.net.specs.NetSpec` objects.
Lesson: the "Overfitting lab" page (lab controls, capacity sweep, regularisation made visible).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import torch

from cnnviz.net.specs import (
    ActivationSpec,
    BatchNorm2dSpec,
    Conv2dSpec,
    DropoutSpec,
    FlattenSpec,
    LayerSpec,
    LinearSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlockSpec,
)

__all__ = [
    "BASE_CHANNELS",
    "BASE_HIDDEN",
    "MAX_DEPTH",
    "near_zero_fraction",
    "scaled_net",
    "weight_values",
    "widen",
    "with_batch_norm",
    "with_dropout",
]

BASE_CHANNELS = 8  # first conv block at width 1.0; each further block doubles it
BASE_HIDDEN = 32  # hidden Linear features at width 1.0
MAX_DEPTH = 4


def _scaled(count: int, factor: float, multiple: int = 1) -> int:
    """``round(count * factor)`` rounded to a multiple of ``multiple``, at least ``multiple``."""
    return max(multiple, round(count * factor / multiple) * multiple)


def _last_linear_index(layers: tuple[LayerSpec, ...]) -> int | None:
    indices = [i for i, layer in enumerate(layers) if isinstance(layer, LinearSpec)]
    return indices[-1] if indices else None


def widen(net: NetSpec, factor: float) -> NetSpec:
    """Scale every conv's ``out_channels`` and every hidden Linear's ``out_features`` by ``factor``.

    The output Linear (the last one) keeps its ``num_classes`` outputs. Channel counts stay valid:
    multiples of ``groups`` for grouped convs, of 4 for bottleneck residual blocks; at least 1.
    Parameters grow roughly with ``factor**2`` (each weight connects a widened input to a widened output).
    """
    if not factor > 0:
        raise ValueError(f"width factor must be positive, got {factor!r}")
    last = _last_linear_index(net.layers)
    layers: list[LayerSpec] = []
    for index, layer in enumerate(net.layers):
        match layer:
            case Conv2dSpec(out_channels=out, groups=groups):
                layer = dataclasses.replace(layer, out_channels=_scaled(out, factor, groups))
            case ResidualBlockSpec(out_channels=out, bottleneck=bottleneck):
                multiple = 4 if bottleneck else 1
                layer = dataclasses.replace(layer, out_channels=_scaled(out, factor, multiple))
            case LinearSpec(out_features=out) if index != last:
                layer = dataclasses.replace(layer, out_features=_scaled(out, factor))
        layers.append(layer)
    return dataclasses.replace(net, layers=tuple(layers))


def with_dropout(net: NetSpec, p: float) -> NetSpec:
    """Put ``Dropout(p)`` before each hidden Linear, replacing existing Dropout; ``p = 0`` removes it.

    As in AlexNet, dropout goes in front of the hidden fully connected layers. A net whose only
    Linear is the output layer (e.g. the ``tiny`` preset) gets it in front of that one, so the
    setting always has an effect. Dropout2d layers (on feature maps) are left alone.
    """
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout p must be in [0, 1), got {p!r}")
    kept = tuple(layer for layer in net.layers if not isinstance(layer, DropoutSpec))
    if p == 0.0:
        return dataclasses.replace(net, layers=kept)
    linear_indices = [i for i, layer in enumerate(kept) if isinstance(layer, LinearSpec)]
    targets = set(linear_indices[:-1] or linear_indices)
    layers: list[LayerSpec] = []
    for index, layer in enumerate(kept):
        if index in targets:
            layers.append(DropoutSpec(p=p))
        layers.append(layer)
    return dataclasses.replace(net, layers=tuple(layers))


def with_batch_norm(net: NetSpec, on: bool) -> NetSpec:
    """``on``: a BatchNorm2d right after every conv that lacks one (and BN inside residual blocks).

    ``not on``: remove every BatchNorm2d layer and turn BN off inside residual blocks.
    BN normalises each channel over the batch, then scales and shifts it (2 params per channel).
    """
    layers: list[LayerSpec] = []
    for index, layer in enumerate(net.layers):
        match layer:
            case BatchNorm2dSpec() if not on:
                continue
            case ResidualBlockSpec():
                layers.append(dataclasses.replace(layer, batch_norm=on))
            case Conv2dSpec():
                layers.append(layer)
                following = net.layers[index + 1] if index + 1 < len(net.layers) else None
                if on and not isinstance(following, BatchNorm2dSpec):
                    layers.append(BatchNorm2dSpec())
            case _:
                layers.append(layer)
    return dataclasses.replace(net, layers=tuple(layers))


def scaled_net(
    input_shape: tuple[int, int, int],
    num_classes: int,
    *,
    width: float = 1.0,
    depth: int = 2,
    batch_norm: bool = False,
    dropout: float = 0.0,
) -> NetSpec:
    """The lab's family of nets: ``depth`` conv blocks, then a hidden Linear and the output Linear.

    Block ``i`` (0-based): Conv ``round(8 * 2**i * width)``@3x3 pad 1 -> [BN] -> ReLU -> MaxPool 2
    (the pool is skipped once the map is smaller than 2x2). Then Flatten -> [Dropout p] ->
    Linear ``round(32 * width)`` -> ReLU -> Linear ``num_classes``. Width 1, depth 2 on 28x28 is the
    ``tiny`` preset plus a hidden layer.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be 1..{MAX_DEPTH}, got {depth!r}")
    if not width > 0:
        raise ValueError(f"width must be positive, got {width!r}")
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes!r}")
    height, width_px = input_shape[1], input_shape[2]
    layers: list[LayerSpec] = []
    for block in range(depth):
        layers.append(
            Conv2dSpec(out_channels=_scaled(BASE_CHANNELS * 2**block, width), padding=(1, 1))
        )
        if batch_norm:
            layers.append(BatchNorm2dSpec())
        layers.append(ActivationSpec("relu"))
        if height >= 2 and width_px >= 2:
            layers.append(MaxPool2dSpec(kernel_size=(2, 2)))
            height, width_px = height // 2, width_px // 2
    layers += [
        FlattenSpec(),
        LinearSpec(out_features=_scaled(BASE_HIDDEN, width)),
        ActivationSpec("relu"),
        LinearSpec(out_features=num_classes),
    ]
    net = NetSpec(
        input_shape=input_shape,
        layers=tuple(layers),
        name=f"lab-w{width:g}-d{depth}",
        description=f"Lab net: width x{width:g}, {depth} conv blocks",
    )
    return with_dropout(net, dropout) if dropout > 0 else net


def weight_values(state: Mapping[str, torch.Tensor]) -> np.ndarray:
    """All conv and Linear weights of a ``state_dict`` as one flat float64 array.

    Only tensors named ``*.weight`` with 2+ dimensions: biases and BatchNorm scales are not
    regularised in the usual sense and would blur the picture.
    """
    parts = [
        tensor.detach().float().cpu().numpy().ravel()
        for name, tensor in state.items()
        if name.endswith("weight") and tensor.ndim >= 2
    ]
    return np.concatenate(parts).astype(np.float64) if parts else np.zeros(0)


def near_zero_fraction(values: np.ndarray, tol: float = 1e-3) -> float:
    """Fraction of weights with ``|w| < tol``: L1 pushes this up, L2 barely moves it."""
    return float(np.mean(np.abs(values) < tol)) if values.size else 0.0
