"""What the Build page's U-Net view sends to a stepper: a sample image and the request contents.

The Build page (its U-Net view) opens the U-Net's up-sampling layers (``ConvTranspose2d``), its
max-pools and its 1x1 head in the existing steppers. This module builds the seeded U-Net
(:func:`cnnviz.net.build_unet`), draws one shapes image at the spec's size
(:func:`cnnviz.data.make_shape_masks`, replicated to the spec's input channels), runs it up to the
layer (:func:`cnnviz.net.unet_layer_input`) and returns the request dict of
:mod:`cnnviz.lessons.stepper_request` without the translated ``label`` (the page adds it).

Lessons: "Build a CNN" (U-Net view) -> "Convolution stepper", "Pooling stepper".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from cnnviz.data import make_shape_masks
from cnnviz.net import (
    MaxPool2dSpec,
    Problem,
    SpecError,
    UNetSpec,
    build_unet,
    steppable_layer,
    unet_layer_input,
)

__all__ = [
    "UNET_STEPPABLE_KINDS",
    "unet_sample_image",
    "unet_stepper_request",
]

#: The kinds of :class:`cnnviz.net.UNetLayer` rows that open in a stepper.
UNET_STEPPABLE_KINDS = ("maxpool", "convtranspose", "conv1x1")


def unet_sample_image(spec: UNetSpec, seed: int = 0) -> np.ndarray:
    """One noiseless shapes image ``(in_channels, S, S)`` float32 in [0, 1] at the spec's size
    (the grey image repeated over the channels when the U-Net takes more than one)."""
    images, _, _ = make_shape_masks(
        1, spec.image_size, colour=False, noise=0.0, rng=np.random.default_rng(seed)
    )
    grey = images[0]  # (1, S, S)
    return np.repeat(grey, spec.in_channels, axis=0).astype(np.float32)  # (C, S, S)


def unet_stepper_request(spec: UNetSpec, name: str, seed: int = 0) -> dict[str, Any]:
    """The stepper request for U-Net layer ``name`` (``upN``, ``poolN`` or ``head``):
    ``{"layer", "input" (C, H, W), "weights" (PyTorch's layout; not for a pool), "source"}``.

    Raises :class:`SpecError` for a layer no stepper opens or a spec whose sizes do not fit.
    """
    layer = steppable_layer(spec, name)
    if layer is None:
        raise SpecError(Problem.make("unet_not_steppable", field="layer", value=repr(name)))
    model = build_unet(spec, seed=seed)
    image = torch.from_numpy(unet_sample_image(spec, seed))  # (C, S, S)
    feature_map, weight = unet_layer_input(model, name, image)
    request: dict[str, Any] = {
        "layer": layer,
        "input": feature_map.numpy().astype(np.float64),  # (C, H, W)
        "source": "build",
    }
    if weight is not None and not isinstance(layer, MaxPool2dSpec):
        request["weights"] = weight.numpy().astype(
            np.float64
        )  # (C_in, C_out, 2, 2) or (K, C, 1, 1)
    return request
