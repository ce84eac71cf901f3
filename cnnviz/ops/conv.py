"""NumPy reference convolution for one image, and one step of it for the convolution stepper.

``conv2d`` is ``F.conv2d`` in float64: a cross-correlation,
``out[f,i,j] = b[f] + sum_{c,a,b} w[f,c,a,b] x_pad[c, i*s+a*d, j*s+b*d]``, with output size
``floor((n + p_before + p_after - d(k-1) - 1) / s) + 1`` per axis (from :mod:`cnnviz.net.arithmetic`).
``conv_step`` returns a :class:`ConvStep`: the window, products and sums behind one output cell.
``flip_kernel`` turns it into a true convolution.

Layouts: the input is ``(C, H, W)`` (no batch axis), the weights ``(F, C/groups, kh, kw)``;
padding is anything :func:`cnnviz.ops.padding.resolve_padding` accepts. Tests compare with
``torch.nn.functional``.

Lessons: "Convolution stepper", "Worked example".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cnnviz.net import Problem, SpecError, conv_output_size_asym, effective_kernel
from cnnviz.ops.padding import (
    Padding4,
    PaddingArg,
    Pair,
    empty_output,
    int_pair,
    pad2d,
    padding_mask,
    resolve_padding,
)

__all__ = ["ConvStep", "conv2d", "conv_step", "flip_kernel"]


def flip_kernel(w: np.ndarray) -> np.ndarray:
    """Rotate the kernel by 180 deg (the last two axes): true convolution = cross-correlation with it."""
    return np.ascontiguousarray(np.asarray(w)[..., ::-1, ::-1])


def _check_conv_shapes(x: np.ndarray, w: np.ndarray, groups: int) -> None:
    if x.ndim != 3 or w.ndim != 4:
        raise SpecError(
            Problem.make("step_bad_shape", field="input", x=str(x.shape), w=str(w.shape))
        )
    if groups < 1 or x.shape[0] != w.shape[1] * groups or w.shape[0] % groups:
        raise SpecError(
            Problem.make(
                "step_groups_mismatch",
                field="groups",
                groups=groups,
                in_channels=x.shape[0],
                out_channels=w.shape[0],
            )
        )


def correlate_padded(
    padded: np.ndarray,
    w: np.ndarray,
    stride: Pair,
    dilation: Pair,
    out_hw: Pair,
    groups: int = 1,
) -> np.ndarray:
    """Cross-correlate an already padded (C, Hp, Wp) input: returns (F, Ho, Wo)."""
    num_filters, c_per_group, kh, kw = w.shape
    f_per_group = num_filters // groups
    (sh, sw), (dh, dw), (ho, wo) = stride, dilation, out_hw
    out = np.zeros((num_filters, ho, wo), dtype=np.float64)
    for a in range(kh):
        for b in range(kw):
            # every window's (a, b) element at once: (C, Ho, Wo)
            patch = padded[
                :,
                a * dh : a * dh + sh * (ho - 1) + 1 : sh,
                b * dw : b * dw + sw * (wo - 1) + 1 : sw,
            ]
            for g in range(groups):
                filters = slice(g * f_per_group, (g + 1) * f_per_group)
                chans = patch[g * c_per_group : (g + 1) * c_per_group]
                out[filters] += np.tensordot(w[filters, :, a, b], chans, axes=(1, 0))
    return out


def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | Pair = 1,
    padding: PaddingArg = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
) -> np.ndarray:
    """``F.conv2d`` for one image: ``out[f,i,j] = b[f] + sum_{c,a,b} w[f,c,a,b] x_pad[c, i*s+a*d, j*s+b*d]``.

    Output size per axis: ``floor((n + p_before + p_after - d(k-1) - 1) / s) + 1``.
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    _check_conv_shapes(x, w, groups)
    kernel = (w.shape[2], w.shape[3])
    stride_hw = int_pair(stride, "stride", 1)
    dilation_hw = int_pair(dilation, "dilation", 1)
    top, bottom, left, right = resolve_padding(padding, kernel, dilation_hw, stride_hw)
    out_hw = (
        conv_output_size_asym(x.shape[1], kernel[0], stride_hw[0], top, bottom, dilation_hw[0]),
        conv_output_size_asym(x.shape[2], kernel[1], stride_hw[1], left, right, dilation_hw[1]),
    )
    if min(out_hw) < 1:
        padded_hw = (x.shape[1] + top + bottom, x.shape[2] + left + right)
        spans = (
            effective_kernel(kernel[0], dilation_hw[0]),
            effective_kernel(kernel[1], dilation_hw[1]),
        )
        raise empty_output(padded_hw, spans, out_hw)
    padded = pad2d(x, top, bottom, left, right)
    out = correlate_padded(padded, w, stride_hw, dilation_hw, out_hw, groups)
    if bias is not None:
        out += np.asarray(bias, dtype=np.float64)[:, None, None]
    return out


@dataclass(frozen=True)
class ConvStep:
    """Everything the convolution stepper shows for one output cell ``out_index = (f, i, j)``.

    ``padded`` is the input the windows slide over (after padding; for a transposed conv, after
    zero insertion too). ``rows``/``cols`` are the padded coordinates each kernel row/column reads
    (spaced by the dilation). ``channels`` are the input channels filter f sees (all, or its group).
    ``products[c] = window[c] * kernel[c]``; ``partial_sums[c] = products[c].sum()``;
    ``total = partial_sums.sum() + bias == output[f, i, j]``.
    """

    out_index: tuple[int, int, int]
    padded: np.ndarray  # (C, Hp, Wp)
    is_padding: np.ndarray  # (Hp, Wp) bool: cells added by padding
    is_inserted: np.ndarray  # (Hp, Wp) bool: zeros inserted between inputs (transposed conv)
    rows: np.ndarray  # (kh,)
    cols: np.ndarray  # (kw,)
    channels: np.ndarray  # (Cg,)
    window: np.ndarray  # (Cg, kh, kw)
    kernel: np.ndarray  # (Cg, kh, kw)
    products: np.ndarray  # (Cg, kh, kw)
    partial_sums: np.ndarray  # (Cg,)
    bias: float
    total: float
    output: np.ndarray  # (F, Ho, Wo): the whole output, for the output grid
    padding: Padding4
    stride: Pair
    dilation: Pair
    has_bias: bool = True

    @property
    def num_positions(self) -> int:
        """Output cells per filter (``Ho * Wo``): the stepper's range."""
        return int(self.output.shape[1] * self.output.shape[2])

    def at(self, i: int, j: int) -> ConvStep:
        """The same filter at output cell (i, j), reusing the padded input and the output (cheap:
        the animation frames call it for every position)."""
        f = self.out_index[0]
        rows = i * self.stride[0] + self.dilation[0] * np.arange(len(self.rows))
        cols = j * self.stride[1] + self.dilation[1] * np.arange(len(self.cols))
        window = self.padded[np.ix_(self.channels, rows, cols)]
        products = window * self.kernel
        partial = products.reshape(len(self.channels), -1).sum(axis=1)
        return replace(
            self,
            out_index=(f, int(i), int(j)),
            rows=rows,
            cols=cols,
            window=window,
            products=products,
            partial_sums=partial,
            total=float(partial.sum() + self.bias),
        )


def window_step(
    padded: np.ndarray,
    is_padding: np.ndarray,
    is_inserted: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None,
    stride: Pair,
    dilation: Pair,
    padding: Padding4,
    output: np.ndarray,
    out_index: tuple[int, int, int],
    groups: int = 1,
) -> ConvStep:
    f, i, j = (int(v) for v in out_index)
    num_filters, ho, wo = output.shape
    if not (0 <= f < num_filters and 0 <= i < ho and 0 <= j < wo):
        raise SpecError(
            Problem.make(
                "step_bad_position",
                field="position",
                position=f"({f}, {i}, {j})",
                shape=f"{num_filters}x{ho}x{wo}",
            )
        )
    _, c_per_group, kh, kw = w.shape
    group = f // (num_filters // groups)
    channels = np.arange(group * c_per_group, (group + 1) * c_per_group)
    rows = i * stride[0] + dilation[0] * np.arange(kh)
    cols = j * stride[1] + dilation[1] * np.arange(kw)
    window = padded[np.ix_(channels, rows, cols)]  # (Cg, kh, kw)
    kernel = w[f]
    products = window * kernel
    partial = products.reshape(c_per_group, -1).sum(axis=1)
    bias_value = 0.0 if bias is None else float(bias[f])
    return ConvStep(
        out_index=(f, i, j),
        padded=padded,
        is_padding=is_padding,
        is_inserted=is_inserted,
        rows=rows,
        cols=cols,
        channels=channels,
        window=window,
        kernel=kernel,
        products=products,
        partial_sums=partial,
        bias=bias_value,
        total=float(partial.sum() + bias_value),
        output=output,
        padding=padding,
        stride=stride,
        dilation=dilation,
        has_bias=bias is not None,
    )


def conv_step(
    x: np.ndarray,
    w: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int | Pair = 1,
    padding: PaddingArg = 0,
    dilation: int | Pair = 1,
    groups: int = 1,
    out_index: tuple[int, int, int] = (0, 0, 0),
) -> ConvStep:
    """One step of :func:`conv2d`: the window, products and sums behind ``output[f, i, j]``."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    output = conv2d(x, w, bias, stride, padding, dilation, groups)  # validates everything
    stride_hw, dilation_hw = int_pair(stride, "stride", 1), int_pair(dilation, "dilation", 1)
    pads = resolve_padding(padding, (w.shape[2], w.shape[3]), dilation_hw, stride_hw)
    padded = pad2d(x, *pads)
    is_padding = padding_mask(x.shape[1], x.shape[2], pads)
    return window_step(
        padded,
        is_padding,
        np.zeros_like(is_padding),
        w,
        None if bias is None else np.asarray(bias, dtype=np.float64),
        stride_hw,
        dilation_hw,
        pads,
        output,
        out_index,
        groups,
    )
