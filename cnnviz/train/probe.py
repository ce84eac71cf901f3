"""What the Train page shows of a network while it learns: the probe image feature maps and the
first layer filters, as a :class:`Snapshot` of plain arrays.

Lesson: the "Train live" page (feature maps and filters).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from cnnviz.data import DatasetBundle
from cnnviz.train.evaluation import layer_outputs, named_layers
from cnnviz.train.events import Snapshot

__all__ = [
    "MAX_FEATURE_CHANNELS",
    "MAX_FEATURE_SIZE",
    "MAX_FILTERS",
    "param_groups",
    "probe_input",
    "take_snapshot",
]

MAX_FEATURE_CHANNELS = 16  # channels kept per layer in a Snapshot


MAX_FEATURE_SIZE = 64  # feature maps larger than this are average-pooled down for display


MAX_FILTERS = 64


_POOLS = (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)


def probe_input(data: DatasetBundle, probe: torch.Tensor | None = None) -> torch.Tensor | None:
    """The image whose feature maps a run shows, as a (1, C, H, W) CPU tensor: ``probe`` if
    given, else the first validation image (the first training image when there is none)."""
    if probe is None:
        probe = data.val_x[:1] if len(data.val_x) else data.train_x[:1]
    if probe.dim() == 3:
        probe = probe.unsqueeze(0)
    return probe[:1] if probe.numel() else None


def _shows_maps(module: nn.Module) -> bool:
    """Conv layers, pooling layers and blocks that contain convs (residual blocks)."""
    if isinstance(module, (nn.Conv2d, *_POOLS)):
        return True
    return any(isinstance(sub, nn.Conv2d) for sub in module.modules())


def _first_conv(model: nn.Module) -> nn.Conv2d | None:
    return next((m for m in model.modules() if isinstance(m, nn.Conv2d)), None)


def _feature_maps(model: nn.Module, probe: torch.Tensor) -> list[tuple[str, np.ndarray]]:
    """The capped feature maps of ``probe`` (1, C, H, W) for every layer that shows maps."""
    maps = []
    for name, module, out in layer_outputs(model, probe):
        if out.dim() != 4 or out.shape[2] * out.shape[3] <= 1 or not _shows_maps(module):
            continue
        fmap = out[0, :MAX_FEATURE_CHANNELS].float()  # (C, H, W)
        if max(fmap.shape[1:]) > MAX_FEATURE_SIZE:
            fmap = F.adaptive_avg_pool2d(fmap, MAX_FEATURE_SIZE)
        maps.append((name, fmap.detach().cpu().numpy().astype(np.float32)))
    return maps


def take_snapshot(model: nn.Module, probe: torch.Tensor | None, epoch: int, step: int) -> Snapshot:
    """Eval-mode forward of the probe (no dropout, BN running stats): no effect on training."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        maps = _feature_maps(model, probe) if probe is not None else []
        conv = _first_conv(model)
        filters = None
        if conv is not None:
            filters = conv.weight[:MAX_FILTERS].detach().float().cpu().numpy().astype(np.float32)
    model.train(was_training)
    return Snapshot(epoch=epoch, step=step, feature_maps=maps, filters=filters)


def param_groups(model: nn.Module) -> list[tuple[str, list[nn.Parameter]]]:
    groups = []
    for name, module in named_layers(model):
        params = [p for p in module.parameters() if p.requires_grad]
        if params:
            groups.append((name, params))
    return groups
