"""Structured pruning made real: a genuinely smaller network without the pruned channels.

A filter pruned by structured pruning (weight, bias and the following BatchNorm's scale and
shift masked) outputs exact zeros, so every weight that reads that channel in the next layer
multiplies zero. :func:`rebuild_structured` drops those channels: a new :class:`NetSpec` with
fewer ``out_channels`` (and fewer hidden features), and a model that gives the same outputs as
the masked one, with fewer parameters and fewer mult-adds.

Lesson: the pruning lab (page /prune), "what it buys".
"""

from __future__ import annotations

import dataclasses

import torch
from torch import nn

from cnnviz.i18n import MessageError
from cnnviz.net import (
    ActivationSpec,
    BatchNorm2dSpec,
    CNNModel,
    Conv2dSpec,
    FlattenSpec,
    GlobalAvgPoolSpec,
    LayerSpec,
    LinearSpec,
    NetSpec,
    build_model,
    infer_input_shapes,
)

__all__ = ["RebuildError", "rebuild_structured"]


class RebuildError(MessageError):
    """A network this rebuild cannot thin (``compress.error.rebuild``)."""


def _tensor(module: nn.Module, name: str) -> torch.Tensor | None:
    value = getattr(module, name, None)
    return value.detach().clone() if isinstance(value, torch.Tensor) else None


def _dead_outputs(layer: nn.Module, after: nn.Module | None) -> torch.Tensor:
    """Bool per output channel/feature: always exactly zero after ``layer`` (and its BN)."""
    weight = _tensor(layer, "weight")
    assert weight is not None
    dead = weight.flatten(1).eq(0).all(dim=1)
    bias = _tensor(layer, "bias")
    if bias is not None:
        dead &= bias.eq(0)
    if isinstance(after, nn.BatchNorm2d):
        gamma, beta = _tensor(after, "weight"), _tensor(after, "bias")
        mean, var = after.running_mean, after.running_var
        if gamma is not None and beta is not None and mean is not None and var is not None:
            constant = beta - gamma * mean / torch.sqrt(var + after.eps)
            dead &= constant.eq(0) | gamma.eq(0) & beta.eq(0)
    return dead


def _zero_preserving(module: nn.Module, shape: tuple[int, ...]) -> bool:
    with torch.no_grad():
        return bool(module(torch.zeros((1, *shape))).eq(0).all())


def rebuild_structured(model: nn.Module, net: NetSpec) -> tuple[NetSpec, CNNModel]:
    """The smaller network and its weights: every conv filter / hidden neuron whose output is
    always zero removed, with the next layer's matching input columns. ``model`` (masked or
    not) is left as it is. Raises :class:`RebuildError` for layers whose channels cannot be
    dropped one by one (residual blocks, grouped convs, LRN, an activation with f(0) != 0)."""
    if not isinstance(model, CNNModel) or len(model.layers) != len(net.layers):
        raise RebuildError("compress.error.rebuild", layer=1)
    shapes = infer_input_shapes(net)
    modules = list(model.layers)
    keep: torch.Tensor | None = None  # kept input channel/feature indices; None = all
    new_layers: list[LayerSpec] = []
    tensors: list[dict[str, torch.Tensor]] = []
    linears = [i for i, spec in enumerate(net.layers) if isinstance(spec, LinearSpec)]
    for index, (spec, module, shape) in enumerate(zip(net.layers, modules, shapes, strict=True)):
        after = modules[index + 1] if index + 1 < len(modules) else None
        params: dict[str, torch.Tensor] = {}
        if isinstance(spec, (Conv2dSpec, LinearSpec)):
            if isinstance(spec, Conv2dSpec) and spec.groups != 1:
                raise RebuildError("compress.error.rebuild", layer=index + 1)
            weight = _tensor(module, "weight")
            bias = _tensor(module, "bias")
            assert weight is not None
            if keep is not None:
                weight = weight.index_select(1, keep)
            if index == (linears[-1] if linears else -1):
                out = torch.arange(weight.shape[0])
            else:
                out = torch.nonzero(~_dead_outputs(module, after)).flatten()
                if out.numel() == 0:
                    out = torch.zeros(1, dtype=torch.long)  # one zero channel keeps it valid
            params["weight"] = weight.index_select(0, out)
            if bias is not None:
                params["bias"] = bias.index_select(0, out)
            count = int(out.numel())
            if isinstance(spec, Conv2dSpec):
                spec = dataclasses.replace(spec, out_channels=count)
            else:
                spec = dataclasses.replace(spec, out_features=count)
            keep = None if count == weight.shape[0] else out
        elif isinstance(spec, BatchNorm2dSpec):
            for name in ("weight", "bias", "running_mean", "running_var"):
                value = _tensor(module, name)
                if value is not None:
                    params[name] = value if keep is None else value.index_select(0, keep)
            num_batches = _tensor(module, "num_batches_tracked")
            if num_batches is not None:
                params["num_batches_tracked"] = num_batches
        elif isinstance(spec, FlattenSpec):
            if keep is not None and len(shape) == 3:
                plane = shape[1] * shape[2]
                keep = (keep[:, None] * plane + torch.arange(plane)[None, :]).flatten()
        elif isinstance(spec, GlobalAvgPoolSpec) or spec.kind in (
            "maxpool2d",
            "avgpool2d",
            "dropout",
            "dropout2d",
        ):
            pass
        elif isinstance(spec, ActivationSpec):
            if keep is not None and (
                any(True for _ in module.parameters()) or not _zero_preserving(module, shape)
            ):
                raise RebuildError("compress.error.rebuild", layer=index + 1)
        elif keep is not None or any(True for _ in module.parameters()):
            raise RebuildError("compress.error.rebuild", layer=index + 1)
        new_layers.append(spec)
        tensors.append(params)
    small = dataclasses.replace(net, layers=tuple(new_layers))
    rebuilt = build_model(small, seed=0)
    with torch.no_grad():
        for layer, params in zip(rebuilt.layers, tensors, strict=True):
            for name, value in params.items():
                target = getattr(layer, name)
                target.copy_(value.to(target.dtype))
    return small, rebuilt.eval()
