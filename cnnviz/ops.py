"""NumPy reference ops that the step-through views render: conv, transposed conv, pooling, dense.

Everything runs in float64 and follows PyTorch's definitions exactly (tests compare with
``torch.nn.functional``): ``conv2d`` is a cross-correlation, ``padding="same"`` puts the odd extra
row/column after, ``avg_pool2d`` counts padding cells (``count_include_pad=True``), ``max_pool2d``
picks the first maximum in row-major window order. Output sizes come from :mod:`cnnviz.arithmetic`.

Array layouts: an input is ``(C, H, W)`` (one image, no batch axis); conv weights are
``(F, C/groups, kh, kw)``; transposed-conv weights are ``(C_in, F, kh, kw)`` as in PyTorch.
Padding for conv is ``(top, bottom, left, right)``, an int, an ``(h, w)`` pair, ``"same"`` or
``"valid"``. User-facing failures raise :class:`cnnviz.specs.SpecError` with a problem a learner can act
on (e.g. an empty output).

Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

import numpy as np

from cnnviz.arithmetic import (
    conv_output_size_asym,
    effective_kernel,
    pool_output_size,
    same_padding,
    transposed_output_size,
)
from cnnviz.specs import Problem, SpecError

__all__ = [
    "ConvStep",
    "Padding4",
    "PaddingArg",
    "PoolStep",
    "TransposedInput",
    "avg_pool2d",
    "avg_pool2d_backward",
    "conv2d",
    "conv_step",
    "conv_transpose2d",
    "conv_transpose_step",
    "dense",
    "flip_kernel",
    "global_avg_pool",
    "max_pool2d",
    "max_pool2d_backward",
    "pad2d",
    "pool_backward_autograd",
    "pool_step",
    "pool_windows_coverage",
    "relu",
    "resolve_padding",
    "softmax",
    "transposed_as_conv_weight",
    "transposed_input",
]

Pair: TypeAlias = tuple[int, int]
Padding4: TypeAlias = tuple[int, int, int, int]  # (top, bottom, left, right)
PaddingArg: TypeAlias = int | Pair | Padding4 | Literal["same", "valid"]
PoolKind: TypeAlias = Literal["max", "avg"]


def _pair(value: int | Pair | tuple[int, ...], name: str, minimum: int) -> Pair:
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or any(not isinstance(v, (int, np.integer)) for v in pair):
        raise SpecError(Problem.make("not_int_pair", field=name, value=repr(value)))
    if min(pair) < minimum:
        raise SpecError(Problem.make("step_at_least", field=name, value=min(pair), minimum=minimum))
    return int(pair[0]), int(pair[1])


def resolve_padding(
    padding: PaddingArg,
    kernel_size: int | Pair,
    dilation: int | Pair = 1,
    stride: int | Pair = 1,
) -> Padding4:
    """``(top, bottom, left, right)`` for any padding argument.

    ``"same"`` pads ``d(k-1)`` in total per axis, the odd extra after (PyTorch's rule, stride 1
    only); ``"valid"`` pads nothing; an int pads every side; ``(h, w)`` pads top/bottom by h and
    left/right by w.
    """
    kh, kw = _pair(kernel_size, "kernel_size", 1)
    dh, dw = _pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if _pair(stride, "stride", 1) != (1, 1):
                raise SpecError(Problem.make("same_with_stride", field="padding"))
            top, bottom = same_padding(kh, dh)
            left, right = same_padding(kw, dw)
            return (top, bottom, left, right)
        raise SpecError(Problem.make("bad_padding", field="padding", value=padding))
    if isinstance(padding, (int, np.integer)):
        sides = (int(padding),) * 4
    elif len(padding) == 2:
        sides = (padding[0], padding[0], padding[1], padding[1])
    elif len(padding) == 4:
        sides = tuple(padding)
    else:
        raise SpecError(Problem.make("bad_padding", field="padding", value=repr(padding)))
    if any(not isinstance(v, (int, np.integer)) or v < 0 for v in sides):
        raise SpecError(Problem.make("bad_padding", field="padding", value=repr(padding)))
    return int(sides[0]), int(sides[1]), int(sides[2]), int(sides[3])


def pad2d(
    x: np.ndarray, top: int, bottom: int, left: int, right: int, value: float = 0.0
) -> np.ndarray:
    """Pad the last two axes of ``x`` with ``value`` (like ``F.pad(x, (left, right, top, bottom))``).

    A negative amount crops that side, as ``F.pad`` does. Returns float64.
    """
    x = np.asarray(x, dtype=np.float64)
    h, w = x.shape[-2:]
    out = np.full(
        (*x.shape[:-2], h + max(top, 0) + max(bottom, 0), w + max(left, 0) + max(right, 0)),
        value,
        dtype=np.float64,
    )
    out[..., max(top, 0) : max(top, 0) + h, max(left, 0) : max(left, 0) + w] = x
    rows = slice(-min(top, 0), out.shape[-2] + min(bottom, 0))
    cols = slice(-min(left, 0), out.shape[-1] + min(right, 0))
    return out[..., rows, cols]


def flip_kernel(w: np.ndarray) -> np.ndarray:
    """Rotate the kernel by 180 deg (the last two axes): true convolution = cross-correlation with it."""
    return np.ascontiguousarray(np.asarray(w)[..., ::-1, ::-1])


def _empty_output(
    size: tuple[int, int], kernel: tuple[int, int], out: tuple[int, int]
) -> SpecError:
    return SpecError(
        Problem.make(
            "step_empty_output",
            field="kernel_size",
            padded=f"{size[0]}x{size[1]}",
            kernel=f"{kernel[0]}x{kernel[1]}",
            out=f"{out[0]}x{out[1]}",
        )
    )


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


def _correlate_padded(
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
    stride_hw = _pair(stride, "stride", 1)
    dilation_hw = _pair(dilation, "dilation", 1)
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
        raise _empty_output(padded_hw, spans, out_hw)
    padded = pad2d(x, top, bottom, left, right)
    out = _correlate_padded(padded, w, stride_hw, dilation_hw, out_hw, groups)
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


def _window_step(
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


def _padding_mask(h: int, w: int, pads: Padding4) -> np.ndarray:
    top, bottom, left, right = (max(p, 0) for p in pads)
    mask = np.ones((h + top + bottom, w + left + right), dtype=bool)
    mask[top : top + h, left : left + w] = False
    return mask


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
    stride_hw, dilation_hw = _pair(stride, "stride", 1), _pair(dilation, "dilation", 1)
    pads = resolve_padding(padding, (w.shape[2], w.shape[3]), dilation_hw, stride_hw)
    padded = pad2d(x, *pads)
    is_padding = _padding_mask(x.shape[1], x.shape[2], pads)
    return _window_step(
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
    (kh, kw), (sh, sw) = _pair(kernel_size, "kernel_size", 1), _pair(stride, "stride", 1)
    (ph, pw), (oh, ow) = _pair(padding, "padding", 0), _pair(output_padding, "output_padding", 0)
    dh, dw = _pair(dilation, "dilation", 1)
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
    stride_hw, dilation_hw = _pair(stride, "stride", 1), _pair(dilation, "dilation", 1)
    pad_hw, extra_hw = _pair(padding, "padding", 0), _pair(output_padding, "output_padding", 0)
    out_hw = tuple(
        transposed_output_size(n, k, s, p, o, d)
        for n, k, s, p, o, d in zip(
            x.shape[1:], kernel, stride_hw, pad_hw, extra_hw, dilation_hw, strict=True
        )
    )
    setup = transposed_input(x, kernel, stride_hw, pad_hw, extra_hw, dilation_hw)
    if min(out_hw) < 1:
        raise _empty_output(setup.padded.shape[1:], kernel, out_hw)  # type: ignore[arg-type]
    return setup, transposed_as_conv_weight(w), dilation_hw, out_hw  # type: ignore[return-value]


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
    out = _correlate_padded(setup.padded, w_conv, (1, 1), dilation_hw, out_hw)
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
    output = _correlate_padded(setup.padded, w_conv, (1, 1), dilation_hw, out_hw)
    if bias_arr is not None:
        output += bias_arr[:, None, None]
    return _window_step(
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


# ---------------------------------------------------------------- pooling


def _pool_setup(
    x: np.ndarray, kernel_size: int | Pair, stride: int | Pair | None, padding: int | Pair
) -> tuple[np.ndarray, Pair, Pair, Pair, Pair]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise SpecError(Problem.make("step_bad_shape", field="input", x=str(x.shape), w="-"))
    kernel = _pair(kernel_size, "kernel_size", 1)
    stride_hw = kernel if stride is None else _pair(stride, "stride", 1)
    pad = _pair(padding, "padding", 0)
    for p, k in zip(pad, kernel, strict=True):
        if p > k // 2:
            raise SpecError(Problem.make("pool_pad_half", field="padding", padding=p, kernel=k))
    out_hw = (
        pool_output_size(x.shape[1], kernel[0], stride_hw[0], pad[0]),
        pool_output_size(x.shape[2], kernel[1], stride_hw[1], pad[1]),
    )
    if min(out_hw) < 1:
        padded_hw = (x.shape[1] + 2 * pad[0], x.shape[2] + 2 * pad[1])
        raise _empty_output(padded_hw, kernel, out_hw)
    return x, kernel, stride_hw, pad, out_hw


def _pool_windows(padded: np.ndarray, kernel: Pair, stride: Pair, out_hw: Pair) -> np.ndarray:
    """All pooling windows of a padded (C, Hp, Wp) input: (C, Ho, Wo, kh*kw), row-major."""
    views = np.lib.stride_tricks.sliding_window_view(padded, kernel, axis=(1, 2))
    views = views[
        :,
        : stride[0] * (out_hw[0] - 1) + 1 : stride[0],
        : stride[1] * (out_hw[1] - 1) + 1 : stride[1],
    ]
    return views.reshape(*views.shape[:3], kernel[0] * kernel[1])


def max_pool2d(
    x: np.ndarray,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """``F.max_pool2d(..., return_indices=True)`` for one image: ``(out, argmax)``.

    Padding cells count as -inf (never chosen). ``argmax[c, i, j]`` is the flat index ``r * W + q``
    of the winning input cell, the first maximum in row-major window order, like PyTorch.
    """
    x, kernel, stride_hw, pad, out_hw = _pool_setup(x, kernel_size, stride, padding)
    padded = pad2d(x, pad[0], pad[0], pad[1], pad[1], value=-np.inf)
    windows = _pool_windows(padded, kernel, stride_hw, out_hw)  # (C, Ho, Wo, kh*kw)
    best = windows.argmax(axis=-1)  # first maximum
    out = np.take_along_axis(windows, best[..., None], axis=-1)[..., 0]
    rows = np.arange(out_hw[0])[:, None] * stride_hw[0] + best // kernel[1] - pad[0]
    cols = np.arange(out_hw[1])[None, :] * stride_hw[1] + best % kernel[1] - pad[1]
    return out, (rows * x.shape[2] + cols).astype(np.int64)


def avg_pool2d(
    x: np.ndarray,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
) -> np.ndarray:
    """``F.avg_pool2d`` (``count_include_pad=True``): window sum / (kh * kw), padding counts as 0."""
    x, kernel, stride_hw, pad, out_hw = _pool_setup(x, kernel_size, stride, padding)
    padded = pad2d(x, pad[0], pad[0], pad[1], pad[1])
    return _pool_windows(padded, kernel, stride_hw, out_hw).mean(axis=-1)


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    """``nn.AdaptiveAvgPool2d(1)``: each channel's mean, shape (C, 1, 1)."""
    x = np.asarray(x, dtype=np.float64)
    return x.mean(axis=(1, 2), keepdims=True)


def max_pool2d_backward(
    grad_out: np.ndarray, argmax: np.ndarray, input_shape: tuple[int, int, int]
) -> np.ndarray:
    """Gradient of max pooling: each output's gradient goes to its arg-max input cell.

    ``dL/dx[c, r, q] = sum of dL/dy[c, i, j] over the windows whose maximum is (r, q)``:
    overlapping windows that pick the same cell ADD their gradients; other cells get 0.
    """
    grad_out = np.asarray(grad_out, dtype=np.float64)
    channels, h, w = input_shape
    grad_in = np.zeros((channels, h * w), dtype=np.float64)
    flat_grad = grad_out.reshape(channels, -1)
    flat_idx = np.asarray(argmax).reshape(channels, -1)
    for c in range(channels):
        np.add.at(grad_in[c], flat_idx[c], flat_grad[c])
    return grad_in.reshape(channels, h, w)


def avg_pool2d_backward(
    grad_out: np.ndarray,
    input_shape: tuple[int, int, int],
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
) -> np.ndarray:
    """Gradient of average pooling: each output's gradient is spread equally, ``g / (kh*kw)``, over its
    window (shares landing on padding are dropped; overlapping windows add)."""
    grad_out = np.asarray(grad_out, dtype=np.float64)
    probe = np.zeros(input_shape)
    _, kernel, stride_hw, pad, out_hw = _pool_setup(probe, kernel_size, stride, padding)
    channels, h, w = input_shape
    grad_padded = np.zeros((channels, h + 2 * pad[0], w + 2 * pad[1]), dtype=np.float64)
    share = grad_out / (kernel[0] * kernel[1])
    for i in range(out_hw[0]):
        for j in range(out_hw[1]):
            r, q = i * stride_hw[0], j * stride_hw[1]
            grad_padded[:, r : r + kernel[0], q : q + kernel[1]] += share[:, i, j][:, None, None]
    return grad_padded[:, pad[0] : pad[0] + h, pad[1] : pad[1] + w]


def pool_windows_coverage(
    input_hw: Pair,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
) -> np.ndarray:
    """How many pooling windows read each input cell, (H, W) ints: 1 = no overlap, 0 = never read."""
    ones = np.ones((1, *input_hw))
    _, kernel, stride_hw, pad, out_hw = _pool_setup(ones, kernel_size, stride, padding)
    grad = avg_pool2d_backward(np.ones((1, *out_hw)), (1, *input_hw), kernel, stride_hw, pad)
    return np.rint(grad[0] * kernel[0] * kernel[1]).astype(np.int64)


@dataclass(frozen=True)
class PoolStep:
    """One output cell ``(c, i, j)`` of a pooling layer, for the pooling stepper.

    ``padded`` uses -inf padding for max pooling (a padding cell never wins) and 0 for average
    pooling (it counts in the mean). ``winner`` is the (row, col) in padded coordinates of the
    maximum (max pooling), else None. ``result == output[c, i, j]``.
    """

    kind: PoolKind
    out_index: tuple[int, int, int]
    padded: np.ndarray  # (C, Hp, Wp)
    is_padding: np.ndarray  # (Hp, Wp)
    rows: np.ndarray  # (kh,)
    cols: np.ndarray  # (kw,)
    window: np.ndarray  # (kh, kw)
    result: float
    winner: tuple[int, int] | None
    output: np.ndarray  # (C, Ho, Wo)
    padding: Pair
    stride: Pair
    kernel_size: Pair

    @property
    def num_positions(self) -> int:
        return int(self.output.shape[1] * self.output.shape[2])

    def at(self, i: int, j: int) -> PoolStep:
        """The same channel at output cell (i, j) (cheap; used for animation frames)."""
        c = self.out_index[0]
        rows = i * self.stride[0] + np.arange(self.kernel_size[0])
        cols = j * self.stride[1] + np.arange(self.kernel_size[1])
        window = self.padded[c][np.ix_(rows, cols)]
        winner = None
        if self.kind == "max":
            flat = int(window.argmax())
            winner = (int(rows[flat // self.kernel_size[1]]), int(cols[flat % self.kernel_size[1]]))
        return replace(
            self,
            out_index=(c, int(i), int(j)),
            rows=rows,
            cols=cols,
            window=window,
            result=float(self.output[c, i, j]),
            winner=winner,
        )


def pool_step(
    x: np.ndarray,
    kind: PoolKind,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
    out_index: tuple[int, int, int] = (0, 0, 0),
) -> PoolStep:
    """The window and result behind one pooling output cell."""
    if kind not in ("max", "avg"):
        raise SpecError(Problem.make("step_bad_pool_kind", field="kind", value=kind))
    x, kernel, stride_hw, pad, out_hw = _pool_setup(x, kernel_size, stride, padding)
    if kind == "max":
        output, _ = max_pool2d(x, kernel, stride_hw, pad)
        fill = -np.inf
    else:
        output = avg_pool2d(x, kernel, stride_hw, pad)
        fill = 0.0
    c, i, j = (int(v) for v in out_index)
    if not (0 <= c < x.shape[0] and 0 <= i < out_hw[0] and 0 <= j < out_hw[1]):
        raise SpecError(
            Problem.make(
                "step_bad_position",
                field="position",
                position=f"({c}, {i}, {j})",
                shape=f"{x.shape[0]}x{out_hw[0]}x{out_hw[1]}",
            )
        )
    padded = pad2d(x, pad[0], pad[0], pad[1], pad[1], value=fill)
    rows = i * stride_hw[0] + np.arange(kernel[0])
    cols = j * stride_hw[1] + np.arange(kernel[1])
    window = padded[c][np.ix_(rows, cols)]
    winner = None
    if kind == "max":
        flat = int(window.argmax())
        winner = (int(rows[flat // kernel[1]]), int(cols[flat % kernel[1]]))
    return PoolStep(
        kind=kind,
        out_index=(c, i, j),
        padded=padded,
        is_padding=_padding_mask(x.shape[1], x.shape[2], (pad[0], pad[0], pad[1], pad[1])),
        rows=rows,
        cols=cols,
        window=window,
        result=float(output[c, i, j]),
        winner=winner,
        output=output,
        padding=pad,
        stride=stride_hw,
        kernel_size=kernel,
    )


def pool_backward_autograd(
    x: np.ndarray,
    grad_out: np.ndarray,
    kind: PoolKind,
    kernel_size: int | Pair,
    stride: int | Pair | None = None,
    padding: int | Pair = 0,
) -> np.ndarray:
    """The oracle for the pooling page's badge: ``x.grad`` from PyTorch autograd (float64).

    The only function here that uses torch (imported lazily); the pooling page compares it with
    :func:`max_pool2d_backward` / :func:`avg_pool2d_backward` live.
    """
    import torch
    import torch.nn.functional as F

    x_t = torch.tensor(np.asarray(x, dtype=np.float64)[None], requires_grad=True)
    pool = F.max_pool2d if kind == "max" else F.avg_pool2d
    y = pool(x_t, kernel_size, stride if stride is not None else kernel_size, padding)
    y.backward(torch.tensor(np.asarray(grad_out, dtype=np.float64)[None]))
    assert x_t.grad is not None
    return x_t.grad[0].numpy()


# ---------------------------------------------------------------- the rest of a small CNN


def relu(x: np.ndarray) -> np.ndarray:
    """``max(0, x)`` element-wise."""
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def softmax(z: np.ndarray) -> np.ndarray:
    """``exp(z_k) / sum_j exp(z_j)``, computed as ``exp(z - max z)`` so large logits do not overflow."""
    z = np.asarray(z, dtype=np.float64)
    shifted = np.exp(z - z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    """``nn.Linear``: ``y = W x + b`` with ``W`` of shape (out_features, in_features)."""
    y = np.asarray(weight, dtype=np.float64) @ np.asarray(x, dtype=np.float64).ravel()
    return y if bias is None else y + np.asarray(bias, dtype=np.float64)
