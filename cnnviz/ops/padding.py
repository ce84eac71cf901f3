"""Arguments shared by the NumPy reference ops: int-or-pair checks, padding and empty outputs.

``resolve_padding`` turns any padding argument into ``(top, bottom, left, right)``: an int pads
every side, ``(h, w)`` pads top/bottom by h and left/right by w, ``"valid"`` pads nothing and
``"same"`` pads ``d(k-1)`` in total per axis with the odd extra after (PyTorch's rule, from
:func:`cnnviz.net.arithmetic.same_padding`). ``pad2d`` pads like ``F.pad`` (a negative amount crops).
Bad arguments raise :class:`cnnviz.net.specs.SpecError` with a problem a learner can act on.

Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from typing import Literal, TypeAlias

import numpy as np

from cnnviz.net import Problem, SpecError, same_padding

__all__ = ["Padding4", "PaddingArg", "Pair", "pad2d", "resolve_padding"]


Pair: TypeAlias = tuple[int, int]
Padding4: TypeAlias = tuple[int, int, int, int]  # (top, bottom, left, right)
PaddingArg: TypeAlias = int | Pair | Padding4 | Literal["same", "valid"]


def int_pair(value: int | Pair | tuple[int, ...], name: str, minimum: int) -> Pair:
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
    kh, kw = int_pair(kernel_size, "kernel_size", 1)
    dh, dw = int_pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if int_pair(stride, "stride", 1) != (1, 1):
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
        sides = (padding[0], padding[1], padding[2], padding[3])
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


def padding_mask(h: int, w: int, pads: Padding4) -> np.ndarray:
    top, bottom, left, right = (max(p, 0) for p in pads)
    mask = np.ones((h + top + bottom, w + left + right), dtype=bool)
    mask[top : top + h, left : left + w] = False
    return mask


def empty_output(size: tuple[int, int], kernel: tuple[int, int], out: tuple[int, int]) -> SpecError:
    return SpecError(
        Problem.make(
            "step_empty_output",
            field="kernel_size",
            padded=f"{size[0]}x{size[1]}",
            kernel=f"{kernel[0]}x{kernel[1]}",
            out=f"{out[0]}x{out[1]}",
        )
    )
