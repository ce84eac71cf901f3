"""Real pretrained weights, only when they are already on disk: torchvision's ImageNet ResNet-18
in the torch hub cache (``torch.hub.get_dir()/checkpoints``). Nothing here ever downloads; when
the file is missing, :func:`pretrained_download_command` is the exact command that fills the
cache on a machine with internet (copy the file to the same folder on this server).

Lesson: the "Beyond classification" page, section "Transfer learning".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torchvision.models import ResNet18_Weights, resnet18

from cnnviz.i18n import MessageError
from cnnviz.net.builder import build_seeded

__all__ = [
    "PRETRAINED",
    "PretrainedWeights",
    "build_pretrained",
    "build_pretrained_target",
    "hub_checkpoints_dir",
    "pretrained_download_command",
    "pretrained_in_cache",
]


@dataclass(frozen=True)
class PretrainedWeights:
    """One torchvision weights file: the model name, its file name in the hub cache, the input
    it is used with here ``(C, H, W)``, and the command that downloads it."""

    name: str
    file_name: str
    input_shape: tuple[int, int, int]
    command: str


PRETRAINED: dict[str, PretrainedWeights] = {
    "resnet18": PretrainedWeights(
        "resnet18",
        os.path.basename(ResNet18_Weights.IMAGENET1K_V1.url),
        (3, 64, 64),
        'python -c "from torchvision.models import resnet18, ResNet18_Weights; '
        'resnet18(weights=ResNet18_Weights.IMAGENET1K_V1)"',
    )
}


def hub_checkpoints_dir() -> Path:
    """Where torch keeps downloaded weights: ``torch.hub.get_dir()/checkpoints`` (it follows
    ``$TORCH_HOME``)."""
    return Path(torch.hub.get_dir()) / "checkpoints"


def pretrained_in_cache() -> dict[str, Path]:
    """The known pretrained weights already on disk, by model name (never downloads)."""
    folder = hub_checkpoints_dir()
    return {
        name: folder / weights.file_name
        for name, weights in PRETRAINED.items()
        if (folder / weights.file_name).is_file()
    }


def pretrained_download_command(name: str = "resnet18") -> str:
    """The command that fills the torch hub cache with ``name``'s weights (needs internet)."""
    return PRETRAINED[name].command


def build_pretrained(name: str = "resnet18") -> nn.Module:
    """``name`` with its ImageNet weights from the hub cache (``weights_only=True``).

    Raises FileNotFoundError when the file is not in the cache (never downloads), and
    :class:`MessageError` (``transfer.error.bad_weights``: which file, and the command that fetches
    it again) when the file there is not a ResNet-18 state dict: truncated, foreign or not a
    checkpoint at all.
    """
    path = pretrained_in_cache().get(name)
    if path is None:
        raise FileNotFoundError(hub_checkpoints_dir() / PRETRAINED[name].file_name)
    model = resnet18()
    try:
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    except Exception as exc:  # unpickling and key/shape mismatches raise many kinds
        raise MessageError(
            "transfer.error.bad_weights",
            path=str(path),
            error=f"{type(exc).__name__}: {str(exc)[:200]}",
            command=pretrained_download_command(name),
        ) from exc
    return model


def build_pretrained_target(name: str, num_classes: int, *, seed: int) -> nn.Module:
    """A fresh ``name`` with a ``num_classes`` head, its weights seeded (same seed, same init)."""
    return build_seeded(lambda: resnet18(num_classes=num_classes), seed)
