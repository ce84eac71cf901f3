"""NumPy reference pooling for one ``(C, H, W)`` image: forward, backward and one step of it.

Follows PyTorch exactly (tests compare with ``torch.nn.functional``): ``max_pool2d`` picks the
first maximum in row-major window order and never a padding cell (padding counts as -inf);
``avg_pool2d`` counts padding cells as 0 (``count_include_pad=True``). Output size per axis
``floor((n + 2p - k) / s) + 1`` from :mod:`cnnviz.net.arithmetic`; padding at most half the kernel.
The backward passes route each output's gradient to the arg-max (max) or spread it equally over
the window (average); overlapping windows add. ``pool_backward_autograd`` is torch's answer, the
pooling page's live check.

Lesson: "Pooling stepper".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, TypeAlias

import numpy as np

from cnnviz.net import Problem, SpecError, pool_output_size
from cnnviz.ops.padding import Pair, empty_output, int_pair, pad2d, padding_mask

__all__ = [
    "PoolKind",
    "PoolStep",
    "avg_pool2d",
    "avg_pool2d_backward",
    "global_avg_pool",
    "max_pool2d",
    "max_pool2d_backward",
    "pool_backward_autograd",
    "pool_step",
    "pool_windows_coverage",
]


PoolKind: TypeAlias = Literal["max", "avg"]


def _pool_setup(
    x: np.ndarray, kernel_size: int | Pair, stride: int | Pair | None, padding: int | Pair
) -> tuple[np.ndarray, Pair, Pair, Pair, Pair]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3:
        raise SpecError(Problem.make("step_bad_shape", field="input", x=str(x.shape), w="-"))
    kernel = int_pair(kernel_size, "kernel_size", 1)
    stride_hw = kernel if stride is None else int_pair(stride, "stride", 1)
    pad = int_pair(padding, "padding", 0)
    for p, k in zip(pad, kernel, strict=True):
        if p > k // 2:
            raise SpecError(Problem.make("pool_pad_half", field="padding", padding=p, kernel=k))
    out_hw = (
        pool_output_size(x.shape[1], kernel[0], stride_hw[0], pad[0]),
        pool_output_size(x.shape[2], kernel[1], stride_hw[1], pad[1]),
    )
    if min(out_hw) < 1:
        padded_hw = (x.shape[1] + 2 * pad[0], x.shape[2] + 2 * pad[1])
        raise empty_output(padded_hw, kernel, out_hw)
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
        is_padding=padding_mask(x.shape[1], x.shape[2], (pad[0], pad[0], pad[1], pad[1])),
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
