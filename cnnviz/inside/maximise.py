"""What a filter wants to see: activation maximisation and the validation images that excite it.

Activation maximisation (Erhan et al. 2009; Olah et al. 2017, "Feature Visualization") starts
from a grey picture with a little noise and climbs the gradient of one channel's mean
activation ``a = mean_ij A[c, i, j](x)`` with respect to the pixels, using ``torch.optim.Adam``.
Left alone the ascent finds high-frequency noise that no real picture has; two regularisers keep
it natural: *jitter* (each step sees the picture rolled by a random few pixels, so a pattern
must work wherever it sits) and *blur* (a Gaussian blur every few steps removes the finest
noise). Pixels stay in [0, 1]. It runs in the background as a :class:`MaximiseTask`; Stop keeps
the picture reached so far.

The top images are the validation pictures whose strongest cell of the channel is the highest,
each with the receptive field of that cell: the region that activates it.

Lesson: the /inside page, "What a filter wants to see"; the article 「深度学习之卷积神经网络
(Convolutional Neural Networks, CNN)」 shows what layers of a trained network respond to.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torchvision.transforms.v2 import functional as TF

from cnnviz.control import Control, JobStopped
from cnnviz.i18n import Message
from cnnviz.inside.network import InsideError, layer_output
from cnnviz.jobs import Progress
from cnnviz.net import NetSpec, build_model

__all__ = [
    "MAX_STEPS",
    "TOP_K",
    "TOP_SEARCH",
    "ChannelMaxima",
    "MaximiseFrame",
    "MaximiseSettings",
    "MaximiseTask",
    "channel_maxima",
    "maximise",
    "top_images",
]

MAX_STEPS = 1000
#: Top images shown per channel.
TOP_K = 9
#: Validation images searched for them (the first ones).
TOP_SEARCH = 2000


@dataclass(frozen=True)
class MaximiseSettings:
    """One activation maximisation: the layer (index into ``net.layers``) and channel, the
    number of Adam steps and its learning rate (pixels are in [0, 1]), the jitter in pixels,
    the blur's sigma in pixels and how often it is applied, and the seed of the start noise and
    the jitter."""

    layer_index: int
    channel: int
    steps: int = 200
    lr: float = 0.05
    jitter: int = 2
    blur_sigma: float = 0.5
    blur_every: int = 4
    seed: int = 0

    def __post_init__(self) -> None:
        checks = (
            ("steps", self.steps, 1, MAX_STEPS),
            ("lr", self.lr, 1e-4, 1.0),
            ("jitter", self.jitter, 0, 8),
            ("blur_sigma", self.blur_sigma, 0.0, 3.0),
            ("blur_every", self.blur_every, 1, 100),
        )
        for name, value, low, high in checks:
            if not (isinstance(value, (int, float)) and low <= value <= high):
                raise InsideError("inside.error.setting", name=name, low=low, high=high)


@dataclass(frozen=True, eq=False)
class MaximiseFrame:
    """The picture after ``step`` of ``total`` steps: ``pixels`` (C, H, W) in [0, 1] and the
    channel's mean activation on it; ``stopped`` when Stop ended the ascent here."""

    step: int
    total: int
    pixels: np.ndarray
    activation: float
    stopped: bool = False


def _activation(
    model: nn.Module, pixels: torch.Tensor, settings: MaximiseSettings, stats: tuple[Any, Any]
) -> torch.Tensor:
    mean, std = stats
    out = layer_output(model, settings.layer_index, (pixels - mean) / std)
    if out.dim() != 4:
        raise InsideError("inside.error.no_maps", layer=settings.layer_index + 1)
    if not 0 <= settings.channel < out.shape[1]:
        raise InsideError("inside.error.channel", channel=settings.channel, count=out.shape[1])
    return out[0, settings.channel].mean()


def maximise(
    model: nn.Module,
    input_shape: tuple[int, int, int],
    mean: tuple[float, ...],
    std: tuple[float, ...],
    settings: MaximiseSettings,
    control: Control | None = None,
) -> Iterator[MaximiseFrame | Progress]:
    """Gradient ascent on the pixels; yields a :class:`MaximiseFrame` about 40 times (and the
    last one) with :class:`cnnviz.jobs.Progress` after each. Stop yields the current picture
    with ``stopped=True`` and ends."""
    model.eval()
    generator = torch.Generator().manual_seed(settings.seed)
    stats = (
        torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1),
        torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1),
    )
    start = 0.5 + 0.05 * torch.randn((1, *input_shape), generator=generator)
    pixels = start.clamp(0.0, 1.0).requires_grad_(True)  # (1, C, H, W)
    optimizer = torch.optim.Adam([pixels], lr=settings.lr)
    radius = max(1, math.ceil(2 * settings.blur_sigma))
    every = max(1, settings.steps // 40)
    total = settings.steps

    def frame(step: int, stopped: bool = False) -> MaximiseFrame:
        with torch.no_grad():
            value = float(_activation(model, pixels, settings, stats))
        picture = pixels.detach()[0].numpy().astype(np.float32).copy()
        return MaximiseFrame(step, total, picture, value, stopped)

    message = Message.of("inside.max.progress", layer=settings.layer_index + 1)
    done = 0
    try:
        for step in range(1, total + 1):
            if control is not None:
                control.checkpoint()
            shift = [0, 0]
            if settings.jitter:
                shift = torch.randint(
                    -settings.jitter, settings.jitter + 1, (2,), generator=generator
                ).tolist()
            optimizer.zero_grad()
            moved = torch.roll(pixels, shifts=(shift[0], shift[1]), dims=(2, 3))
            (-_activation(model, moved, settings, stats)).backward()
            optimizer.step()
            with torch.no_grad():
                if settings.blur_sigma > 0 and step % settings.blur_every == 0:
                    blurred = TF.gaussian_blur(
                        pixels, [2 * radius + 1] * 2, [settings.blur_sigma] * 2
                    )
                    pixels.copy_(blurred)
                pixels.clamp_(0.0, 1.0)
            done = step
            if step % every == 0 or step == total:
                yield frame(step)
                yield Progress(step, total, message)
    except JobStopped:
        yield frame(done, stopped=True)


@dataclass(frozen=True, eq=False)
class MaximiseTask:
    """Activation maximisation as a picklable background task (weights as CPU tensors)."""

    net: NetSpec
    state: dict[str, torch.Tensor]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    settings: MaximiseSettings

    def run(self, control: Control) -> Iterator[MaximiseFrame | Progress]:
        """The frames and progress of :func:`maximise` on the rebuilt network."""
        model = build_model(self.net)
        model.load_state_dict(self.state)
        for param in model.parameters():
            param.requires_grad_(False)  # only the picture learns
        channels, height, width = self.net.input_shape
        yield Progress(0, self.settings.steps)
        yield from maximise(
            model, (channels, height, width), self.mean, self.std, self.settings, control
        )


@dataclass(frozen=True, eq=False)
class ChannelMaxima:
    """Per searched image and channel of one layer: the strongest activation ``values`` (N, C)
    and where it is, ``rows`` and ``cols`` (N, C) cell indices."""

    values: np.ndarray
    rows: np.ndarray
    cols: np.ndarray


def channel_maxima(
    model: nn.Module, layer_index: int, images: torch.Tensor, batch_size: int = 256
) -> ChannelMaxima:
    """The strongest cell of every channel of layer ``layer_index`` for each of ``images``
    (at most :data:`TOP_SEARCH`), in eval mode without gradients."""
    model.eval()
    images = images[:TOP_SEARCH]
    values, rows, cols = [], [], []
    with torch.no_grad():
        for begin in range(0, len(images), batch_size):
            out = layer_output(model, layer_index, images[begin : begin + batch_size].float())
            if out.dim() != 4:
                raise InsideError("inside.error.no_maps", layer=layer_index + 1)
            flat = out.flatten(2)  # (n, C, h*w)
            best, where = flat.max(dim=2)
            values.append(best.numpy())
            rows.append((where // out.shape[3]).numpy())
            cols.append((where % out.shape[3]).numpy())
    if not values:
        empty = np.zeros((0, 0))
        return ChannelMaxima(
            empty.astype(np.float32), empty.astype(np.int64), empty.astype(np.int64)
        )
    return ChannelMaxima(
        np.concatenate(values).astype(np.float32),
        np.concatenate(rows).astype(np.int64),
        np.concatenate(cols).astype(np.int64),
    )


def top_images(
    maxima: ChannelMaxima, channel: int, k: int = TOP_K
) -> list[tuple[int, float, int, int]]:
    """The ``k`` images whose channel ``channel`` fires most: ``(image index, activation, row,
    col)`` of their strongest cell, strongest first (ties: lower index first)."""
    if maxima.values.size == 0:
        return []
    if not 0 <= channel < maxima.values.shape[1]:
        raise InsideError("inside.error.channel", channel=channel, count=maxima.values.shape[1])
    column = maxima.values[:, channel]
    order = np.argsort(-column, kind="stable")[:k]
    return [
        (int(i), float(column[i]), int(maxima.rows[i, channel]), int(maxima.cols[i, channel]))
        for i in order
    ]
