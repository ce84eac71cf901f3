"""Pictures as RGB arrays and PNG files: a network's input, heat maps laid over it, windows drawn
on it, tiles of several pictures. Every picture the /inside page shows can be downloaded as the
PNG made here (PIL), enlarged with square pixels so a 28x28 input stays sharp.

Colours come from the one theme (:data:`cnnviz.viz.theme.PALETTE`): magnitudes use its
``heat_scale``, signed maps its ``signed_scale``.

Lesson: the /inside page (every picture, and its PNG download).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from PIL import Image, ImageColor, ImageDraw
from plotly.colors import get_colorscale, sample_colorscale

from cnnviz.viz.png import encode_png
from cnnviz.viz.theme import PALETTE

__all__ = [
    "PNG_SIZE",
    "draw_box",
    "enlarge",
    "heat_overlay",
    "heat_rgb",
    "picture_rgb",
    "png_bytes",
    "tile_pictures",
]

#: The longer side of a downloaded picture, in pixels (before tiling).
PNG_SIZE = 224
#: How strongly the heat covers the picture where it is largest.
OVERLAY_ALPHA = 0.75


@lru_cache(maxsize=8)
def _lookup(scale: str) -> np.ndarray:
    """256 RGB colours (256, 3) uint8 sampled from a plotly colour scale name."""
    colours = sample_colorscale(get_colorscale(scale), list(np.linspace(0.0, 1.0, 256)))
    return np.array(
        [[int(float(v)) for v in c[c.index("(") + 1 : -1].split(",")] for c in colours],
        dtype=np.uint8,
    )


def picture_rgb(pixels: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1], ``(C, H, W)`` with C = 1 or 3 (or (H, W)), as (H, W, 3) uint8."""
    array = np.asarray(pixels, dtype=np.float32)
    if array.ndim == 2:
        array = array[None]
    array = np.clip(array, 0.0, 1.0)
    if array.shape[0] == 1:
        array = np.repeat(array, 3, axis=0)
    return (array[:3].transpose(1, 2, 0) * 255 + 0.5).astype(np.uint8)


def _scaled(heat: np.ndarray, signed: bool) -> np.ndarray:
    """``heat`` (H, W) to [0, 1]: magnitudes by their maximum; signed values around 0.5 by the
    largest magnitude. NaN (no value) becomes the neutral level."""
    values = np.asarray(heat, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if signed:
        top = float(np.abs(finite).max()) if finite.size else 0.0
        out = 0.5 + 0.5 * values / top if top > 0 else np.full(values.shape, 0.5)
        return np.nan_to_num(np.clip(out, 0.0, 1.0), nan=0.5)
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    top = float(finite.max()) if finite.size else 0.0
    out = (values - low) / (top - low) if top > low else np.zeros(values.shape)
    return np.nan_to_num(np.clip(out, 0.0, 1.0), nan=0.0)


def heat_rgb(heat: np.ndarray, signed: bool = False) -> np.ndarray:
    """A map (H, W) in the theme's colours, (H, W, 3) uint8 (signed: blue < 0 < red)."""
    scale = PALETTE.signed_scale if signed else PALETTE.heat_scale
    index = (_scaled(heat, signed) * 255 + 0.5).astype(np.int64)
    return _lookup(scale)[index]


def heat_overlay(rgb: np.ndarray, heat: np.ndarray, signed: bool = False) -> np.ndarray:
    """``heat`` (H, W) laid over the picture ``rgb`` (H, W, 3) uint8: each pixel covered in
    proportion to the heat's size there (up to :data:`OVERLAY_ALPHA`)."""
    level = _scaled(heat, signed)
    strength = np.abs(level - 0.5) * 2 if signed else level
    alpha = (OVERLAY_ALPHA * strength)[..., None]
    colours = heat_rgb(heat, signed).astype(np.float64)
    mixed = np.asarray(rgb, dtype=np.float64) * (1 - alpha) + colours * alpha
    return (mixed + 0.5).astype(np.uint8)


def enlarge(rgb: np.ndarray, size: int = PNG_SIZE) -> np.ndarray:
    """``rgb`` scaled up by a whole factor (square pixels) so its longer side is about
    ``size`` (never scaled down)."""
    height, width = rgb.shape[:2]
    factor = max(1, size // max(height, width, 1))
    return np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)


def draw_box(
    rgb: np.ndarray, box: tuple[int, int, int, int], colour: str = PALETTE.field_line
) -> np.ndarray:
    """``rgb`` enlarged (:func:`enlarge`) with the rectangle of input rows ``top..bottom`` and
    columns ``left..right`` (inclusive, in the small picture's pixels) drawn around those pixels."""
    height = rgb.shape[0]
    big = enlarge(rgb)
    factor = big.shape[0] // max(height, 1)
    top, left, bottom, right = box
    image = Image.fromarray(np.ascontiguousarray(big))
    width = max(2, factor // 3)
    ImageDraw.Draw(image).rectangle(
        [left * factor, top * factor, (right + 1) * factor - 1, (bottom + 1) * factor - 1],
        outline=ImageColor.getrgb(colour),
        width=width,
    )
    return np.asarray(image)


def tile_pictures(
    pictures: Sequence[np.ndarray], columns: int, gap: int = 4, background: int = 255
) -> np.ndarray:
    """Pictures of one size (H, W, 3) uint8 in a grid of ``columns``, ``gap`` pixels apart."""
    if not pictures:
        return np.full((1, 1, 3), background, np.uint8)
    height, width = pictures[0].shape[:2]
    rows = -(-len(pictures) // columns)
    columns = min(columns, len(pictures))
    out = np.full(
        (rows * (height + gap) - gap, columns * (width + gap) - gap, 3), background, np.uint8
    )
    for i, picture in enumerate(pictures):
        top, left = (i // columns) * (height + gap), (i % columns) * (width + gap)
        out[top : top + height, left : left + width] = picture
    return out


def png_bytes(rgb: np.ndarray, *, enlarge_to: int | None = PNG_SIZE) -> bytes:
    """``rgb`` (H, W, 3) uint8 as a PNG file, enlarged to about ``enlarge_to`` pixels first
    (None: as is)."""
    array = np.ascontiguousarray(rgb, dtype=np.uint8)
    if enlarge_to is not None:
        array = enlarge(array, enlarge_to)
    return encode_png(array)
