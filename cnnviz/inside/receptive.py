"""Receptive fields of one feature-map cell: the theoretical window and the effective field.

The theoretical receptive field of cell ``(i, j)`` of a layer is the window of input pixels that
can change it. Its size ``r`` and the jump ``J`` between neighbouring cells come from the Build
page's shape inference (``r_out = r_in + (d(k-1)+1 - 1) J_in``, ``J_out = J_in s``,
:func:`cnnviz.net.infer`); its first row is ``start + i J`` where ``start`` moves back by the
padding at each layer: ``start_out = start_in - p J_in`` (:func:`field_start`). Rows outside the
picture are padding and are clipped away.

The effective receptive field (Luo et al. 2016, "Understanding the Effective Receptive Field in
Deep Convolutional Neural Networks") is where the cell actually looks: the gradient of the cell
with respect to the input, ``|d a_ij / d x|``, summed over the colour channels and averaged over
validation images. It lies inside the theoretical window and is usually much smaller.

Lesson: the /inside page, "Receptive field" (and the Build page's receptive-field column).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnnviz.inside.network import InsideError, layer_output
from cnnviz.net import (
    AvgPool2dSpec,
    Conv2dSpec,
    MaxPool2dSpec,
    NetSpec,
    ResidualBlockSpec,
    infer,
    same_padding,
)

__all__ = [
    "ERF_IMAGES",
    "FieldBox",
    "effective_field",
    "field_box",
    "field_start",
    "mass_inside",
]

#: Validation images the effective field is averaged over.
ERF_IMAGES = 256


def _padding_before(spec: Conv2dSpec | MaxPool2dSpec | AvgPool2dSpec, axis: int) -> int:
    padding = spec.padding
    if padding == "valid":
        return 0
    if padding == "same":
        kernel = spec.kernel_size[axis]
        dilation = spec.dilation[axis] if isinstance(spec, Conv2dSpec) else 1
        return same_padding(kernel, dilation)[0]
    assert isinstance(padding, tuple)
    return int(padding[axis])


def field_start(net: NetSpec, layer_index: int) -> tuple[int, int]:
    """The input row and column where the receptive field of cell (0, 0) of layer
    ``layer_index`` begins (negative: it starts in the padding)."""
    start = [0, 0]
    jump = [1, 1]
    for spec in net.layers[: layer_index + 1]:
        for axis in range(2):
            match spec:
                case Conv2dSpec() | MaxPool2dSpec() | AvgPool2dSpec():
                    start[axis] -= _padding_before(spec, axis) * jump[axis]
                    stride = spec.stride
                    assert stride is not None
                    jump[axis] *= stride[axis]
                case ResidualBlockSpec():
                    # basic: 3x3 (pad 1, stride s) then 3x3 (pad 1); bottleneck: 1x1, 3x3 (pad 1,
                    # stride s), 1x1. The projection shortcut's 1x1 window lies inside.
                    start[axis] -= jump[axis]
                    jump[axis] *= spec.stride
                    if not spec.bottleneck:
                        start[axis] -= jump[axis]
    return start[0], start[1]


@dataclass(frozen=True)
class FieldBox:
    """The theoretical receptive field of one cell: rows ``top..bottom`` and columns
    ``left..right`` of the input (inclusive, clipped to the picture), its full size ``size``
    (rows, cols) before clipping and the layer's jump."""

    top: int
    left: int
    bottom: int
    right: int
    size: tuple[int, int]
    jump: tuple[int, int]

    @property
    def height(self) -> int:
        """Rows of the picture inside the field."""
        return self.bottom - self.top + 1

    @property
    def width(self) -> int:
        """Columns of the picture inside the field."""
        return self.right - self.left + 1


def field_box(net: NetSpec, layer_index: int, row: int, col: int) -> FieldBox:
    """The theoretical receptive field of cell ``(row, col)`` of layer ``layer_index``."""
    summary = infer(net)
    if not 0 <= layer_index < len(summary.layers):
        raise InsideError("inside.error.layer", index=layer_index + 1)
    info = summary.layers[layer_index]
    shape = info.output_shape
    if info.receptive_field is None or info.jump is None or shape is None or len(shape) != 3:
        raise InsideError("inside.error.no_maps", layer=layer_index + 1)
    if not (0 <= row < shape[1] and 0 <= col < shape[2]):
        raise InsideError("inside.error.cell", row=row, col=col, height=shape[1], width=shape[2])
    start = field_start(net, layer_index)
    _, height, width = net.input_shape
    size, jump = info.receptive_field, info.jump
    first = (start[0] + row * jump[0], start[1] + col * jump[1])
    last = (first[0] + size[0] - 1, first[1] + size[1] - 1)
    return FieldBox(
        top=max(0, first[0]),
        left=max(0, first[1]),
        bottom=min(height - 1, last[0]),
        right=min(width - 1, last[1]),
        size=(int(size[0]), int(size[1])),
        jump=(int(jump[0]), int(jump[1])),
    )


def effective_field(
    model: nn.Module,
    layer_index: int,
    channel: int,
    row: int,
    col: int,
    images: torch.Tensor,
) -> np.ndarray:
    """``mean_n sum_c |d a[n, channel, row, col] / d x[n, c]|`` over ``images`` (N, C, H, W):
    the effective receptive field of one cell, (H, W) float32.

    One backward pass: in eval mode the images do not interact, so the gradient of the sum of
    the cell over the batch is every image's own gradient.
    """
    model.eval()
    x = images.detach().float().clone().requires_grad_(True)
    out = layer_output(model, layer_index, x)
    if out.dim() != 4:
        raise InsideError("inside.error.no_maps", layer=layer_index + 1)
    _, channels, height, width = out.shape
    if not (0 <= channel < channels and 0 <= row < height and 0 <= col < width):
        raise InsideError("inside.error.cell", row=row, col=col, height=height, width=width)
    (grad,) = torch.autograd.grad(out[:, channel, row, col].sum(), x)
    return grad.abs().sum(dim=1).mean(dim=0).numpy().astype(np.float32)


def mass_inside(field: np.ndarray, box: FieldBox) -> float:
    """The share of the effective field's total inside ``box`` (1.0 for a field that is all
    inside; 0 when the field is zero everywhere)."""
    total = float(np.abs(field).sum())
    if total == 0:
        return 0.0
    inside = float(np.abs(field[box.top : box.bottom + 1, box.left : box.right + 1]).sum())
    return inside / total
