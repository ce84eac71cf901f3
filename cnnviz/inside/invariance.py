"""Translation equivariance of convolutions and the invariance pooling adds, measured.

Shift the picture by ``k`` pixels (the uncovered strip is black). A convolution is equivariant:
its maps shift with the picture, by ``k / J`` cells at a layer whose cells are ``J`` input pixels
apart (the jump of the receptive field). When ``k`` is a multiple of ``J`` the shifted maps,
shifted back by ``k / J`` cells, equal the original ones except where the picture's edge or the
padding comes in (:func:`equivariance`). Pooling makes the features that reach the classifier,
and the prediction, change little for small shifts (:func:`invariance_curve`); the same network
with its pooling removed, or with pooling of stride 1 (:func:`pooling_variant`), shows how much
of that invariance the pooling gave.

Lesson: the /inside page, "Translation invariance"; the article 「深度学习|卷积的平移不变性公式,
卷积减少参数的方法」 says pooling keeps translation invariance.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from cnnviz.inside.network import MAX_PIXEL_SHIFT, InsideError, SpatialLayer, layer_output
from cnnviz.inside.receptive import field_start
from cnnviz.net import AvgPool2dSpec, MaxPool2dSpec, NetSpec, SpecError, validate

__all__ = [
    "AXES",
    "VARIANTS",
    "EquivarianceRow",
    "InvarianceCurve",
    "equivariance",
    "invariance_curve",
    "pooling_variant",
    "shift_images",
    "shift_maps",
]

#: Directions of a shift: along the columns (right for k > 0) or the rows (down for k > 0).
AXES: tuple[str, ...] = ("horizontal", "vertical")
#: How the comparison network changes the pooling layers.
VARIANTS: tuple[str, ...] = ("no_pooling", "stride_one")


def _offsets(k: int, axis: str) -> tuple[int, int]:
    if axis not in AXES:
        raise ValueError(f"unknown axis {axis!r}")
    return (0, k) if axis == "horizontal" else (k, 0)


def shift_maps(maps: torch.Tensor, dy: int, dx: int, fill: torch.Tensor | float) -> torch.Tensor:
    """``maps`` (..., C, H, W) moved ``dy`` rows down and ``dx`` columns right; the uncovered
    cells take ``fill`` (a number, or (C, H, W) values broadcast like the maps)."""
    height, width = maps.shape[-2:]
    out = torch.empty_like(maps)
    out[...] = fill if isinstance(fill, float) else fill.to(maps.dtype)
    if abs(dy) >= height or abs(dx) >= width:
        return out
    src_rows = slice(max(0, -dy), height - max(0, dy))
    dst_rows = slice(max(0, dy), height - max(0, -dy))
    src_cols = slice(max(0, -dx), width - max(0, dx))
    dst_cols = slice(max(0, dx), width - max(0, -dx))
    out[..., dst_rows, dst_cols] = maps[..., src_rows, src_cols]
    return out


def shift_images(x: torch.Tensor, k: int, axis: str, fill: torch.Tensor) -> torch.Tensor:
    """The picture(s) ``x`` (..., C, H, W) shifted ``k`` pixels along ``axis``; the strip that
    comes in is ``fill`` (the black picture in the model's normalisation)."""
    dy, dx = _offsets(int(k), axis)
    return shift_maps(x, dy, dx, fill)


@dataclass(frozen=True, eq=False)
class EquivarianceRow:
    """One layer's maps under a shift of ``shift`` pixels.

    ``cells`` = shift / jump along the axis (``exact`` when a whole number). The comparison
    shifts the maps ``B`` of the shifted picture back by ``round(cells)`` and compares them with
    the original maps ``A`` on the *compared* cells: those whose receptive field lies in the
    part of the picture both versions show (not in the padding, not in the black strip that came
    in, not in the part that left). ``difference`` = ``||B_back - A|| / ||A||`` over them (NaN
    when there is none); ``compared`` counts them. ``original``, ``shifted`` and
    ``shifted_back_difference`` are one channel's (H, W) maps for display (NaN where a cell is
    not compared).
    """

    layer: SpatialLayer
    shift: int
    cells: float
    exact: bool
    difference: float
    compared: int
    original: np.ndarray
    shifted: np.ndarray
    shifted_back_difference: np.ndarray


def _compared_cells(
    start: int, size: int, jump: int, count: int, moved: int, k: int, length: int
) -> torch.Tensor:
    """Along one axis: which of ``count`` cells have a receptive field inside the part of the
    picture (``length`` pixels) kept by a shift of ``k``, also after moving ``moved`` cells."""
    low, high = (0, length - 1 - k) if k >= 0 else (-k, length - 1)
    cells = torch.arange(count)
    first = start + cells * jump
    moved_first = first + moved * jump
    inside = (first >= low) & (first + size - 1 <= high)
    moved_inside = (moved_first >= low + k) & (moved_first + size - 1 <= high + k)
    in_range = (cells + moved >= 0) & (cells + moved < count)
    return inside & moved_inside & in_range


def equivariance(
    model: nn.Module,
    net: NetSpec,
    layers: list[SpatialLayer],
    x: torch.Tensor,
    k: int,
    axis: str,
    fill: torch.Tensor,
    channel: int = 0,
) -> list[EquivarianceRow]:
    """How each layer in ``layers`` follows a shift of the picture ``x`` (C, H, W) by ``k``."""
    if abs(k) > MAX_PIXEL_SHIFT:
        raise InsideError("inside.error.shift", shift=k, limit=MAX_PIXEL_SHIFT)
    model.eval()
    along = 1 if axis == "horizontal" else 0  # index of the axis in (rows, cols)
    length = int(x.shape[-1] if along == 1 else x.shape[-2])
    pair = torch.stack([x, shift_images(x, k, axis, fill)])  # (2, C, H, W)
    rows = []
    with torch.no_grad():
        for layer in layers:
            out = layer_output(model, layer.index, pair).float()  # (2, C', h, w)
            jump = layer.jump[along]
            cells = k / jump
            whole = round(cells)
            dy, dx = _offsets(whole, axis)
            original, shifted = out[0], out[1]
            back = shift_maps(shifted, -dy, -dx, float("nan"))  # B moved back onto A's cells
            line = _compared_cells(
                field_start(net, layer.index)[along],
                layer.receptive_field[along],
                jump,
                out.shape[-1] if along == 1 else out.shape[-2],
                whole,
                k,
                length,
            )
            mask = line.view(1, 1, -1) if along == 1 else line.view(1, -1, 1)
            mask = mask.expand_as(original)
            gap = torch.where(mask, back - original, torch.zeros_like(original))
            base = torch.where(mask, original, torch.zeros_like(original))
            compared = int(line.sum())
            norm = float(base.norm())
            if compared == 0:
                difference = float("nan")
            else:
                difference = float(gap.norm()) / norm if norm > 0 else float(gap.norm())
            c = min(max(channel, 0), out.shape[1] - 1)
            shown = torch.where(
                mask[c], back[c] - original[c], torch.full_like(original[c], np.nan)
            )
            rows.append(
                EquivarianceRow(
                    layer=layer,
                    shift=k,
                    cells=cells,
                    exact=abs(cells - whole) < 1e-9,
                    difference=difference,
                    compared=compared,
                    original=original[c].numpy().astype(np.float32),
                    shifted=shifted[c].numpy().astype(np.float32),
                    shifted_back_difference=shown.numpy().astype(np.float32),
                )
            )
    return rows


@dataclass(frozen=True, eq=False)
class InvarianceCurve:
    """The prediction and the features under every shift in ``shifts``.

    ``target``: the class predicted for the unshifted picture; ``probability[i]``: its softmax
    probability at ``shifts[i]``; ``predicted[i]``: the class predicted there;
    ``feature_change[i]`` = ``||f(shifted) - f(x)|| / ||f(x)||`` for the features ``f`` that
    reach the classifier.
    """

    shifts: np.ndarray
    target: int
    probability: np.ndarray
    predicted: np.ndarray
    feature_change: np.ndarray


def invariance_curve(
    model: nn.Module,
    feature_layer: int,
    x: torch.Tensor,
    axis: str,
    fill: torch.Tensor,
    max_shift: int = MAX_PIXEL_SHIFT,
    target: int | None = None,
) -> InvarianceCurve:
    """Shift ``x`` (C, H, W) by every ``k`` in ``-max_shift..max_shift``: one batch, one pass."""
    max_shift = min(int(max_shift), MAX_PIXEL_SHIFT)
    shifts = np.arange(-max_shift, max_shift + 1)
    batch = torch.stack([shift_images(x, int(k), axis, fill) for k in shifts])  # (S, C, H, W)
    model.eval()
    with torch.no_grad():
        out = layer_output(model, feature_layer, batch)
        features = out.flatten(1)  # (S, F)
        for layer in model.layers[feature_layer + 1 :]:  # type: ignore[index]  # a CNNModel
            out = layer(out)
        logits = out.float()  # (S, K)
    probabilities = torch.softmax(logits, dim=1).numpy()
    centre = int(np.flatnonzero(shifts == 0)[0])
    chosen = int(probabilities[centre].argmax()) if target is None else int(target)
    base = features[centre]
    norm = float(base.norm()) or 1.0
    change = (features - base).norm(dim=1).numpy() / norm
    return InvarianceCurve(
        shifts=shifts,
        target=chosen,
        probability=probabilities[:, chosen].astype(np.float32),
        predicted=probabilities.argmax(axis=1).astype(np.int64),
        feature_change=change.astype(np.float32),
    )


def pooling_variant(net: NetSpec, variant: str) -> NetSpec:
    """``net`` with its max and average pooling layers removed (``"no_pooling"``) or set to
    stride 1 (``"stride_one"``); global average pooling stays. The Linear layers take the new
    feature sizes from shape inference. Raises :class:`InsideError` when ``net`` has no such
    pooling, and :class:`cnnviz.net.SpecError` with every problem of a changed network that is
    not valid."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    pools = [i for i, s in enumerate(net.layers) if isinstance(s, (MaxPool2dSpec, AvgPool2dSpec))]
    if not pools:
        raise InsideError("inside.error.no_pooling")
    layers = []
    for spec in net.layers:
        if isinstance(spec, (MaxPool2dSpec, AvgPool2dSpec)):
            if variant == "no_pooling":
                continue
            spec = dataclasses.replace(spec, stride=(1, 1))
        layers.append(spec)
    suffix = "no-pool" if variant == "no_pooling" else "pool-stride-1"
    changed = dataclasses.replace(
        net, name=f"{net.name or 'network'} ({suffix})", layers=tuple(layers)
    )
    problems = validate(changed)
    if problems:
        raise SpecError(problems)
    return changed
