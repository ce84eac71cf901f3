"""The trained network the /inside page looks into, whichever way it was trained.

An :class:`InsideNet` is a model in eval mode with its spec, class names, the normalisation its
training images had (``x = (pixel - mean[c]) / std[c]``) and, when known, the dataset and the
hyperparameters it was trained with. It comes from the Train page's run, from a lab run whose
weights were kept, or from a checkpoint file (:func:`inside_net`). Validation and training images
of another normalisation are brought to the model's one by :func:`adapt_data`.

:func:`spatial_layers` lists the layers whose outputs are feature maps (what Grad-CAM, activation
maximisation, the invariance table and the receptive fields work on) and :func:`feature_index`
the layer whose output feeds the classifier (the "CNN features" of the linear probe).

Lesson: the /inside page ("Look inside a trained network").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnnviz.data import DatasetBundle
from cnnviz.i18n import Message, MessageError
from cnnviz.net import LinearSpec, NetSpec, build_model, infer
from cnnviz.train import TrainConfig

__all__ = [
    "MAX_PIXEL_SHIFT",
    "InsideError",
    "InsideNet",
    "SpatialLayer",
    "adapt_data",
    "feature_index",
    "inside_net",
    "layer_output",
    "randomised_model",
    "spatial_layers",
]

#: The largest shift (in pixels) the invariance section offers.
MAX_PIXEL_SHIFT = 8


class InsideError(MessageError):
    """A request the /inside page cannot answer; ``key`` is a catalog key ``inside.error.*``."""


@dataclass(frozen=True)
class SpatialLayer:
    """A layer whose output is a stack of feature maps: index into ``net.layers``, its name as the
    pages show it, its output ``(channels, height, width)``, its receptive field and jump (input
    pixels, ``(rows, cols)``) from the Build page's shape inference (:func:`cnnviz.net.infer`)."""

    index: int
    name: str
    channels: int
    height: int
    width: int
    receptive_field: tuple[int, int]
    jump: tuple[int, int]


@dataclass(frozen=True, eq=False)
class InsideNet:
    """A trained network ready to be looked into (``model`` in eval mode, on the CPU).

    ``data`` holds its dataset in the model's normalisation (None when unknown); ``cfg`` the
    hyperparameters it was trained with (None for a checkpoint).
    """

    model: nn.Module
    net: NetSpec
    class_names: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    data: DatasetBundle | None = None
    cfg: TrainConfig | None = None

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """``(C, H, W)`` of one input image."""
        channels, height, width = self.net.input_shape
        return (int(channels), int(height), int(width))

    @property
    def num_parameters(self) -> int:
        """Trainable numbers in the network."""
        return sum(p.numel() for p in self.model.parameters())

    def predict(self, x: torch.Tensor) -> np.ndarray:
        """Softmax probabilities (K,) for one input ``x`` (C, H, W), in eval mode."""
        self.model.eval()
        with torch.no_grad():
            logits = self.model(x.detach().float().reshape(1, *x.shape[-3:]))
        return torch.softmax(logits.float(), dim=1)[0].numpy().astype(np.float32)

    def black(self) -> torch.Tensor:
        """The all-black picture (pixel 0) in the model's normalisation, ``(C, H, W)``: the
        baseline of Integrated Gradients and occlusion, and what a shift brings in."""
        channels, height, width = self.input_shape
        mean = torch.tensor(self.mean, dtype=torch.float32).view(-1, 1, 1)
        std = torch.tensor(self.std, dtype=torch.float32).view(-1, 1, 1)
        return (-mean / std).expand(channels, height, width).clone()

    def to_pixels(self, x: torch.Tensor) -> torch.Tensor:
        """A normalised input back to pixels in [0, 1]: ``x * std[c] + mean[c]``."""
        mean = torch.tensor(self.mean, dtype=x.dtype).view(-1, 1, 1)
        std = torch.tensor(self.std, dtype=x.dtype).view(-1, 1, 1)
        return (x * std + mean).clamp(0.0, 1.0)

    def from_pixels(self, pixels: torch.Tensor) -> torch.Tensor:
        """Pixels in [0, 1] ``(..., C, H, W)`` to the model's input: ``(pixel - mean[c]) / std[c]``."""
        mean = torch.tensor(self.mean, dtype=pixels.dtype).view(-1, 1, 1)
        std = torch.tensor(self.std, dtype=pixels.dtype).view(-1, 1, 1)
        return (pixels - mean) / std


def adapt_data(
    bundle: DatasetBundle, mean: tuple[float, ...], std: tuple[float, ...]
) -> DatasetBundle:
    """``bundle`` with its images in the normalisation ``(pixel - mean[c]) / std[c]``.

    A bundle made from another sample of the same dataset has slightly different statistics than
    the checkpoint's: its images are mapped back to pixels and normalised again. The same bundle
    is returned (never copied, never changed) when the statistics agree.
    """
    if len(mean) != len(bundle.mean) or len(std) != len(bundle.std):
        raise InsideError("inside.error.data_channels", data=len(bundle.mean), net=len(mean))
    same = all(
        abs(a - b) < 1e-6 for a, b in zip((*mean, *std), (*bundle.mean, *bundle.std), strict=True)
    )
    if same:
        return bundle
    old_mean = torch.tensor(bundle.mean).view(1, -1, 1, 1)
    old_std = torch.tensor(bundle.std).view(1, -1, 1, 1)
    new_mean = torch.tensor(mean).view(1, -1, 1, 1)
    new_std = torch.tensor(std).view(1, -1, 1, 1)

    def convert(x: torch.Tensor) -> torch.Tensor:  # (N, C, H, W)
        return ((x * old_std + old_mean) - new_mean) / new_std

    return dataclasses.replace(
        bundle,
        train_x=convert(bundle.train_x),
        val_x=convert(bundle.val_x),
        mean=tuple(mean),
        std=tuple(std),
    )


def inside_net(
    model: nn.Module,
    net: NetSpec,
    class_names: tuple[str, ...],
    mean: tuple[float, ...],
    std: tuple[float, ...],
    *,
    data: DatasetBundle | None = None,
    cfg: TrainConfig | None = None,
) -> tuple[InsideNet, list[Message]]:
    """The network to look into, and notes on its data.

    ``data`` is kept when its images fit the network (same input shape and classes) and brought
    to the model's normalisation; otherwise it is dropped with a note (the sections that need
    validation images say so). ``model`` is switched to eval mode on the CPU.
    """
    notes: list[Message] = []
    model = model.to("cpu").eval()
    kept = data
    if data is not None:
        if tuple(data.input_shape) != tuple(net.input_shape):
            notes.append(
                Message.of(
                    "inside.note.data_shape",
                    data="x".join(map(str, data.input_shape)),
                    net="x".join(map(str, net.input_shape)),
                )
            )
            kept = None
        elif data.num_classes != len(class_names):
            notes.append(
                Message.of("inside.note.data_classes", data=data.num_classes, net=len(class_names))
            )
            kept = None
        else:
            kept = adapt_data(data, mean, std)
    return InsideNet(model, net, tuple(class_names), tuple(mean), tuple(std), kept, cfg), notes


def spatial_layers(net: NetSpec) -> list[SpatialLayer]:
    """Every layer whose output is ``(C, H, W)`` with more than one cell, in order."""
    summary = infer(net)
    layers = []
    for info in summary.layers:
        shape = info.output_shape
        if shape is None or len(shape) != 3 or shape[1] * shape[2] <= 1:
            continue
        if info.receptive_field is None or info.jump is None:
            continue
        layers.append(
            SpatialLayer(
                index=info.index,
                name=f"{info.number} {info.label}",
                channels=int(shape[0]),
                height=int(shape[1]),
                width=int(shape[2]),
                receptive_field=info.receptive_field,
                jump=info.jump,
            )
        )
    return layers


def feature_index(net: NetSpec) -> int:
    """The layer whose (flattened) output feeds the last Linear layer: the network's features.

    Raises :class:`InsideError` when the network has no Linear layer after another layer.
    """
    last_linear = max(
        (i for i, spec in enumerate(net.layers) if isinstance(spec, LinearSpec)), default=-1
    )
    if last_linear < 1:
        raise InsideError("inside.error.no_linear")
    return last_linear - 1


def layer_output(model: nn.Module, index: int, x: torch.Tensor) -> torch.Tensor:
    """The output of layer ``index`` of a :class:`cnnviz.net.CNNModel` for the batch ``x``
    (only the layers up to ``index`` run; gradients flow when ``x`` requires them)."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, nn.ModuleList) or not 0 <= index < len(layers):
        raise InsideError("inside.error.layer", index=index + 1)
    for layer in layers[: index + 1]:
        x = layer(x)
    return x


def randomised_model(net: NetSpec, seed: int = 1) -> nn.Module:
    """The same network with every weight drawn again at random (PyTorch's default
    initialisation from ``seed``): the model of the sanity check of Adebayo et al. (2018),
    "Sanity Checks for Saliency Maps"."""
    return build_model(net, seed=seed).eval()
