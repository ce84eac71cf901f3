"""NumPy reference transposed convolution, computed as zero insertion + padding + a direct conv.

``conv_transpose2d`` is ``F.conv_transpose2d`` for one image, weights ``(C_in, F, kh, kw)`` as in
PyTorch; output size per axis ``(n-1)s - 2p + d(k-1) + output_padding + 1``. ``transposed_input``
shows the zero-inserted, padded input; ``transposed_as_conv_weight`` the flipped, channel-swapped
kernel; a stride-1 :func:`cnnviz.ops.conv.conv2d` of the two gives the same output, which is how
``conv_transpose_step`` reuses the convolution stepper's :class:`cnnviz.ops.conv.ConvStep`.

Lesson: "Convolution stepper" (transposed mode).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cnnviz.net import Problem, SpecError, transposed_output_size
from cnnviz.ops.conv import ConvStep, correlate_padded, flip_kernel, window_step
from cnnviz.ops.padding import Padding4, Pair, empty_output, int_pair, pad2d

__all__ = [
    "TransposedInput",
    "conv_transpose2d",
    "conv_transpose_step",
    "transposed_as_conv_weight",
    "transposed_input",
]


@dataclass(frozen=True)
class TransposedInput:
    """A transposed conv seen as a direct conv: the input after zero insertion and padding.

    ``zero_inserted`` puts ``s - 1`` zeros between neighbouring inputs: shape
    ``(C, (H-1)s_h + 1, (W-1)s_w + 1)``. It is then padded by ``d(k-1) - p`` on each side, plus
    ``output_padding`` at the bottom/right (a negative amount crops). A stride-1 conv of ``padded``
    with the flipped, channel-swapped kernel gives ``F.conv_transpose2d``.
    """

    zero_inserted: np.ndarray  # (C, Hz, Wz)
    padded: np.ndarray  # (C, Hp, Wp)
    is_padding: np.ndarray  # (Hp, Wp) bool
    is_inserted: np.ndarray  # (Hp, Wp) bool
    padding: Padding4  # (top, bottom, left, right), possibly negative


def transposed_input(
    x: np.ndarray,
    kernel_size: int | Pair,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    output_padding: int | Pair = 0,
    dilation: int | Pair = 1,
) -> TransposedInput:
    """Zero insertion + padding that turns ``conv_transpose2d`` into a plain stride-1 conv."""
    x = np.asarray(x, dtype=np.float64)
    (kh, kw), (sh, sw) = int_pair(kernel_size, "kernel_size", 1), int_pair(stride, "stride", 1)
    (ph, pw), (oh, ow) = (
        int_pair(padding, "padding", 0),
        int_pair(output_padding, "output_padding", 0),
    )
    dh, dw = int_pair(dilation, "dilation", 1)
    if not ((oh < sh or oh < dh) and (ow < sw or ow < dw)):
        raise SpecError(
            Problem.make(
                "step_output_padding",
                field="output_padding",
                output_padding=f"({oh}, {ow})",
                stride=f"({sh}, {sw})",
                dilation=f"({dh}, {dw})",
            )
        )
    channels, h, w = x.shape
    zero_inserted = np.zeros((channels, (h - 1) * sh + 1, (w - 1) * sw + 1), dtype=np.float64)
    zero_inserted[:, ::sh, ::sw] = x
    inserted = np.ones(zero_inserted.shape[1:], dtype=bool)
    inserted[::sh, ::sw] = False
    full_h, full_w = dh * (kh - 1), dw * (kw - 1)
    pads = (full_h - ph, full_h - ph + oh, full_w - pw, full_w - pw + ow)
    padded = pad2d(zero_inserted, *pads)
    is_padding = pad2d(np.zeros(inserted.shape), *pads, value=1.0).astype(bool)
    is_inserted = pad2d(inserted.astype(np.float64), *pads, value=0.0).astype(bool)
    return TransposedInput(zero_inserted, padded, is_padding, is_inserted, pads)


def transposed_as_conv_weight(w: np.ndarray) -> np.ndarray:
    """``(C_in, F, kh, kw)`` transposed-conv weights -> ``(F, C_in, kh, kw)`` flipped conv weights."""
    return flip_kernel(np.asarray(w, dtype=np.float64).transpose(1, 0, 2, 3))


def _transposed_setup(
    x: np.ndarray,
    w: np.ndarray,
    stride: int | Pair,
    padding: int | Pair,
    output_padding: int | Pair,
    dilation: int | Pair,
) -> tuple[TransposedInput, np.ndarray, Pair, Pair]:
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.ndim != 3 or w.ndim != 4 or w.shape[0] != x.shape[0]:
        raise SpecError(
            Problem.make("step_bad_shape", field="input", x=str(x.shape), w=str(w.shape))
        )
    kernel = (w.shape[2], w.shape[3])
    stride_hw, dilation_hw = int_pair(stride, "stride", 1), int_pair(dilation, "dilation", 1)
    pad_hw, extra_hw = (
        int_pair(padding, "padding", 0),
        int_pair(output_padding, "output_padding", 0),
    )
    out_h, out_w = (
        transposed_output_size(n, k, s, p, o, d)
        for n, k, s, p, o, d in zip(
            x.shape[1:], kernel, stride_hw, pad_hw, extra_hw, dilation_hw, strict=True
        )
    )
    out_hw = (out_h, out_w)
    setup = transposed_input(x, kernel, stride_hw, pad_hw, extra_hw, dilation_hw)
    if min(out_hw) < 1:
        raise empty_output((setup.padded.shape[1], setup.padded.shape[2]), kernel, out_hw)
    return setup, transposed_as_conv_weight(w), dilation_hw, out_hw


def conv_transpose2d(
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    output_padding: int | Pair = 0,
    dilation: int | Pair = 1,
) -> np.ndarray:
    """``F.conv_transpose2d`` for one image; ``w`` is ``(C_in, F, kh, kw)``.

    Output size per axis: ``(n-1)s - 2p + d(k-1) + output_padding + 1``. Computed as zero
    insertion + padding ``d(k-1) - p`` + a stride-1 conv with the flipped kernel.
    """
    setup, w_conv, dilation_hw, out_hw = _transposed_setup(
        x, w, stride, padding, output_padding, dilation
    )
    out = correlate_padded(setup.padded, w_conv, (1, 1), dilation_hw, out_hw)
    if bias is not None:
        out += np.asarray(bias, dtype=np.float64)[:, None, None]
    return out


def conv_transpose_step(
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | Pair = 1,
    padding: int | Pair = 0,
    output_padding: int | Pair = 0,
    dilation: int | Pair = 1,
    out_index: tuple[int, int, int] = (0, 0, 0),
) -> ConvStep:
    """One step of :func:`conv_transpose2d`, as a window over the zero-inserted, padded input.

    ``kernel`` in the result is the flipped kernel that the equivalent direct conv uses.
    """
    setup, w_conv, dilation_hw, out_hw = _transposed_setup(
        x, w, stride, padding, output_padding, dilation
    )
    bias_arr = None if bias is None else np.asarray(bias, dtype=np.float64)
    output = correlate_padded(setup.padded, w_conv, (1, 1), dilation_hw, out_hw)
    if bias_arr is not None:
        output += bias_arr[:, None, None]
    return window_step(
        setup.padded,
        setup.is_padding,
        setup.is_inserted,
        w_conv,
        bias_arr,
        (1, 1),
        dilation_hw,
        setup.padding,
        output,
        out_index,
    )
