"""A layer sent to a stepper page: what the Build page (or the worked example) asks it to open.

The sending page puts a plain dict in the session (``"stepper_request"``)::

    {"layer": Conv2dSpec | ConvTranspose2dSpec | MaxPool2dSpec | AvgPool2dSpec,
     "input": (C, H, W) array-like,   # the feature map reaching the layer
     "weights": array-like,   # optional, in PyTorch's layout of the layer:
                              # Conv2d (F, C/groups, kh, kw), ConvTranspose2d (C, F, kh, kw)
     "label": "Layer 4 Conv2d 16@3x3", "source": "build" | "walkthrough"}

The convolution stepper opens Conv2d and ConvTranspose2d (its transposed mode; the U-Net's
up-sampling layers on the Build page send one), the pooling stepper MaxPool2d and AvgPool2d.

:func:`request_target` says which stepper owns it; :func:`parse_stepper_request` checks it and
returns a :class:`StepperRequest` whose input is the centred crop the stepper can show
(:func:`cnnviz.lessons.samples.center_crop`). A request that cannot be opened (not a dict, a layer
of another kind, an input that is not a finite (C, H, W) array) raises
:class:`cnnviz.net.SpecError`. Weights are optional extras: weights that are not a finite numeric
array are dropped (the convolution stepper then says it uses seeded random kernels), never fatal.

Lessons: "Convolution stepper", "Pooling stepper" (opened from "Build a CNN", its U-Net, and
"Worked example").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

import numpy as np

from cnnviz.lessons.samples import center_crop
from cnnviz.net import (
    AvgPool2dSpec,
    Conv2dSpec,
    ConvTranspose2dSpec,
    MaxPool2dSpec,
    Problem,
    SpecError,
)

__all__ = [
    "MAX_REQUEST_CHANNELS",
    "MAX_REQUEST_SIZE",
    "MAX_TRANSPOSED_REQUEST_SIZE",
    "StepperKind",
    "StepperLayer",
    "StepperRequest",
    "parse_stepper_request",
    "request_target",
]

#: Which stepper page opens a layer.
StepperKind: TypeAlias = Literal["conv", "pool"]
#: The layers a stepper can open.
StepperLayer: TypeAlias = Conv2dSpec | ConvTranspose2dSpec | MaxPool2dSpec | AvgPool2dSpec

#: The largest crop a stepper shows (the catalog's ``conv.request_cropped`` says so).
MAX_REQUEST_SIZE: Final[int] = 32
MAX_REQUEST_CHANNELS: Final[int] = 3
#: The largest crop of a ConvTranspose2d's input: zero insertion and padding turn an n x n input
#: into about 2n x 2n cells (a 2x2, stride-2 layer: 2n + 1 plus padding), so 4x4 already gives
#: 11x11 cells to follow (the catalog's ``conv.request_cropped_transposed`` says so).
MAX_TRANSPOSED_REQUEST_SIZE: Final[int] = 4

_LAYERS: Final[dict[StepperKind, tuple[type, ...]]] = {
    "conv": (Conv2dSpec, ConvTranspose2dSpec),
    "pool": (MaxPool2dSpec, AvgPool2dSpec),
}
_LAYER_NAMES: Final[dict[StepperKind, str]] = {
    "conv": "Conv2d/ConvTranspose2d",
    "pool": "MaxPool2d/AvgPool2d",
}


@dataclass(frozen=True)
class StepperRequest:
    """A checked request: the layer, the crop of its input the stepper shows, and where it came from.

    ``input`` is float64 (C, H, W), at most ``MAX_REQUEST_CHANNELS`` x ``MAX_REQUEST_SIZE`` x
    ``MAX_REQUEST_SIZE`` (the first channels, the centre rows and columns); ``full_shape`` is the
    shape that was sent. ``weights`` are the layer's full weights as sent (float64, finite) or None.
    """

    layer: StepperLayer
    input: np.ndarray  # (C, H, W), the crop
    full_shape: tuple[int, int, int]
    label: str = ""
    source: str = "build"
    weights: np.ndarray | None = None  # as sent: Conv2d (F, C_full/groups, kh, kw),
    # ConvTranspose2d (C_full, F, kh, kw)

    @property
    def cropped(self) -> bool:
        """Whether the stepper shows only part of the feature map that was sent."""
        return tuple(self.input.shape) != self.full_shape

    @property
    def target(self) -> StepperKind:
        """The stepper page that owns this layer."""
        return "conv" if isinstance(self.layer, (Conv2dSpec, ConvTranspose2dSpec)) else "pool"


def request_target(raw: object) -> StepperKind | Literal["other"] | None:
    """Which stepper a raw session request is for.

    ``None`` when nothing was sent (``raw`` is not a dict: the page leaves it alone); ``"conv"`` or
    ``"pool"`` for a layer that stepper opens; ``"other"`` for a dict whose layer no stepper opens
    (the page that finds it drops it and says it could not be opened).
    """
    if not isinstance(raw, Mapping):
        return None
    layer = raw.get("layer")
    for kind, classes in _LAYERS.items():
        if isinstance(layer, classes):
            return kind
    return "other"


def _finite_array(value: object) -> np.ndarray | None:
    """``value`` as a finite float64 array, or None if it is missing or not one."""
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if np.isfinite(array).all() else None


def parse_stepper_request(
    raw: object,
    stepper: StepperKind,
    max_size: int = MAX_REQUEST_SIZE,
    max_channels: int = MAX_REQUEST_CHANNELS,
) -> StepperRequest:
    """Check a raw request for ``stepper`` and crop its input; raises SpecError if it cannot open.

    The crop keeps the first ``max_channels`` channels and the centred ``max_size`` x ``max_size``
    window (for a ConvTranspose2d at most :data:`MAX_TRANSPOSED_REQUEST_SIZE`). ``label`` and
    ``source`` are turned into text (a missing source means "build").
    """
    if not isinstance(raw, Mapping):
        raise SpecError(
            Problem.make("step_request_format", field="request", value=type(raw).__name__)
        )
    layer = raw.get("layer")
    if not isinstance(
        layer, (Conv2dSpec, ConvTranspose2dSpec, MaxPool2dSpec, AvgPool2dSpec)
    ) or not isinstance(layer, _LAYERS[stepper]):
        raise SpecError(
            Problem.make(
                "step_request_layer",
                field="layer",
                value=type(layer).__name__,
                allowed=_LAYER_NAMES[stepper],
            )
        )
    if isinstance(layer, ConvTranspose2dSpec):
        max_size = min(max_size, MAX_TRANSPOSED_REQUEST_SIZE)
    sent = raw.get("input")
    try:
        full = np.asarray(sent, dtype=np.float64)
        crop, _ = center_crop(full, max_size, max_size, max_channels)
    except (SpecError, TypeError, ValueError) as error:
        problem = Problem.make("step_request_input", field="input", value=type(sent).__name__)
        raise SpecError(problem) from error
    if not np.isfinite(crop).all():
        raise SpecError(Problem.make("step_request_input", field="input", value="NaN/inf"))
    return StepperRequest(
        layer=layer,
        input=crop,
        full_shape=(int(full.shape[0]), int(full.shape[1]), int(full.shape[2])),
        label=str(raw.get("label", "")),
        source=str(raw.get("source", "build")),
        weights=_finite_array(raw.get("weights")),
    )
