"""Feature maps and filters as pictures: montages of every channel of a layer in one heatmap.

A montage tiles all channels of a layer in one array with NaN gaps; plotly draws it ~100x faster
than one subplot per channel. Every map, signed or not, uses the one diverging scale of the
theme (``PALETTE.signed_scale``: blue negative, white 0, red positive), centred on 0.

Lesson: the "Train live" page (feature maps and first-layer filters while it learns).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, TYPE
from cnnviz.viz.train import STYLE

__all__ = ["display_image", "feature_map_figure", "filters_figure", "image_layout", "montage"]


def montage(maps: np.ndarray, columns: int | None = None, gap: int = 1) -> np.ndarray:
    """Tile ``maps`` (C, H, W) into one (rows*(H+gap)-gap, cols*(W+gap)-gap) array, NaN in gaps.

    ``columns`` defaults to ``ceil(sqrt(C))``; tile ``c`` sits at row ``c // columns``,
    column ``c % columns``.
    """
    maps = np.asarray(maps, dtype=np.float32)
    count, height, width = maps.shape
    columns = columns or max(1, math.ceil(math.sqrt(count)))
    rows = math.ceil(count / columns)
    out = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan, np.float32)
    for c in range(count):
        top, left = (c // columns) * (height + gap), (c % columns) * (width + gap)
        out[top : top + height, left : left + width] = maps[c]
    return out


def image_layout(title: str, height: int) -> dict[str, Any]:
    return {
        "template": {},
        "font": {"size": TYPE.body_px, "family": TYPE.family},
        "title": {"text": title, "font": {"size": TYPE.title_px}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 35, "b": 10},
        "dragmode": False,
        "plot_bgcolor": PALETTE.transparent,
        "xaxis": {"visible": False, "constrain": "domain"},
        "yaxis": {"visible": False, "autorange": "reversed", "scaleanchor": "x"},
    }


def _heatmap_montage(
    maps: np.ndarray, title: str, lang: str, *, columns: int | None = None
) -> go.Figure:
    """All channels of ``maps`` (C, H, W) in one heatmap; hover names the channel (1-based)."""
    maps = np.asarray(maps, dtype=np.float32)
    count, height, width = maps.shape
    columns = columns or min(count, max(1, math.ceil(math.sqrt(count * 2))))
    gap = STYLE.gap
    tiled = montage(maps, columns, gap)
    channels = np.arange(1, count + 1, dtype=np.float32)[:, None, None]
    channel = montage(np.broadcast_to(channels, maps.shape), columns, gap)
    # One diverging scale centred on 0 for every map, signed or not (after ReLU or pooling a
    # map is white to red): the page's one caption then describes every map it shows.
    heat: dict[str, Any] = {
        "type": "heatmap",
        "z": tiled,
        "customdata": channel,
        "colorscale": PALETTE.signed_scale,
        "zmid": 0.0,
        "showscale": True,
        "colorbar": {"thickness": 10, "len": 0.9, "tickfont": {"size": TYPE.body_px}},
        "hoverongaps": False,
        "hovertemplate": (
            t("train.viz.channel", lang)
            + " %{customdata:.0f}<br>"
            + t("train.viz.value", lang)
            + " %{z:.3f}<extra></extra>"
        ),
    }
    rows = math.ceil(count / columns)
    tile = STYLE.tile_px
    fig_height = int(min(460, max(170, rows * tile * max(1.0, height / max(width, 1)) + 60)))
    return go.Figure({"data": [heat], "layout": image_layout(title, fig_height)})


def feature_map_figure(name: str, maps: np.ndarray, lang: str = "en") -> go.Figure:
    """One layer's feature maps of the probe image as a montage heatmap (title: layer, shape)."""
    count, height, width = np.asarray(maps).shape
    title = t("train.viz.feature_maps_title", lang, name=name, count=count, h=height, w=width)
    return _heatmap_montage(maps, title, lang)


def _rgb_montage(filters: np.ndarray, columns: int) -> np.ndarray:
    """(O, 3, kh, kw) -> (H, W, 3) uint8, each filter min-max scaled, white gaps."""
    count, _, kh, kw = filters.shape
    gap = STYLE.gap
    rows = math.ceil(count / columns)
    out = np.full((rows * (kh + gap) - gap, columns * (kw + gap) - gap, 3), 255, np.uint8)
    for c in range(count):
        tile = filters[c].transpose(1, 2, 0)
        span = float(tile.max() - tile.min()) or 1.0
        tile = (tile - tile.min()) / span * 255
        top, left = (c // columns) * (kh + gap), (c % columns) * (kw + gap)
        out[top : top + kh, left : left + kw] = tile.astype(np.uint8)
    return out


def filters_figure(filters: np.ndarray, lang: str = "en") -> go.Figure:
    """The first conv layer's filters (O, I, kh, kw): RGB tiles for colour input, else a
    heatmap montage of the weights (input channel 0)."""
    filters = np.asarray(filters, dtype=np.float32)
    count, in_channels, kh, kw = filters.shape
    title = t("train.viz.filters_title", lang, count=count, h=kh, w=kw)
    if in_channels == 3:
        columns = min(count, 16)
        rows = math.ceil(count / columns)
        image = {"type": "image", "z": _rgb_montage(filters, columns), "hoverinfo": "skip"}
        layout = image_layout(title, int(min(400, max(150, rows * 40 + 60))))
        return go.Figure({"data": [image], "layout": layout})
    return _heatmap_montage(filters[:, 0], title, lang, columns=min(count, 16))


def display_image(x: np.ndarray, mean: Sequence[float], std: Sequence[float]) -> np.ndarray:
    """A normalised (C, H, W) image back to displayable uint8 pixels: ``x * std[c] + mean[c]``.

    Returns (H, W) for one channel, (H, W, 3) for three.
    """
    x = np.asarray(x, dtype=np.float32)
    mean_a = np.asarray(mean, dtype=np.float32).reshape(-1, 1, 1)
    std_a = np.asarray(std, dtype=np.float32).reshape(-1, 1, 1)
    pixels = np.clip(x * std_a + mean_a, 0.0, 1.0)
    pixels = (pixels * 255 + 0.5).astype(np.uint8)
    return pixels[0] if pixels.shape[0] == 1 else pixels.transpose(1, 2, 0)
