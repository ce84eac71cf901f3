"""Feature maps, filters and the probe image as compact pictures: one small PNG per figure.

A live page redraws its feature maps every second for every watching student. As a heatmap, one
layer's montage sends every value twice (the values and the hover's channel numbers) as JSON:
about 80 KB for eight 28x28 maps. As a picture it is one palette PNG (one byte per pixel before
compression) inside a plotly ``image`` trace, a few KB, drawn pixel for pixel by the browser.

Colours: every signed value uses the one diverging scale of the theme (``PALETTE.signed_scale``:
negative blue, 0 white, positive red), symmetric around 0 so white always means 0; each figure
has its own range ``[-m, m]`` with ``m`` its largest absolute value, shown by its colour bar.
The values are quantised to :data:`LEVELS` colours (index ``round((v / m + 1) * 15)``, 15 is 0):
15 steps on each side of 0 look as continuous as 31 on these small noisy maps (compared side by
side), and the PNG is a fifth smaller (every live tick sends it to every watching student).

Lesson: the "Train live" page (the live panel, the feature maps, the filters, the replay).
"""

from __future__ import annotations

import base64
import functools
import math
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale, sample_colorscale

from cnnviz.i18n import t
from cnnviz.viz.maps import montage
from cnnviz.viz.png import encode_png
from cnnviz.viz.theme import PALETTE

__all__ = [
    "LEVELS",
    "filters_picture",
    "map_columns",
    "maps_picture",
    "png_uri",
    "probe_picture",
    "signed_indices",
    "signed_palette",
]

LEVELS = 31  # colours of the signed scale; palette index LEVELS is the transparent gap
_HALF = (LEVELS - 1) // 2  # the index of 0 (white)
_TITLE_PX = 14
_FONT_PX = 13


@functools.cache
def signed_palette() -> np.ndarray:
    """(LEVELS, 3) uint8: the theme's diverging scale sampled at ``LEVELS`` evenly spaced points."""
    scale = get_colorscale(PALETTE.signed_scale)
    colours = sample_colorscale(scale, np.linspace(0.0, 1.0, LEVELS).tolist(), colortype="tuple")
    return (np.asarray(colours, dtype=np.float64) * 255 + 0.5).astype(np.uint8)


def signed_indices(values: np.ndarray, limit: float) -> np.ndarray:
    """Palette indices of ``values`` on the scale ``[-limit, limit]``: ``round((v / limit + 1) *
    15)``, 0..30 (15 is 0); NaN (a gap) -> :data:`LEVELS` (transparent)."""
    values = np.asarray(values, dtype=np.float32)
    scaled = np.clip(np.nan_to_num(values, nan=0.0) / max(limit, 1e-12), -1.0, 1.0)
    index = np.rint((scaled + 1.0) * _HALF).astype(np.uint8)
    index[np.isnan(values)] = LEVELS
    return index


def _png(index: np.ndarray) -> bytes:
    """A palette PNG of ``index`` (H, W) uint8 on :func:`signed_palette` (LEVELS + 1 entries,
    the last transparent)."""
    palette = np.zeros((LEVELS + 1, 3), dtype=np.uint8)
    palette[:LEVELS] = signed_palette()
    return encode_png(index, palette=palette, transparent=LEVELS)


def png_uri(png: bytes) -> str:
    """``data:image/png;base64,...`` for a plotly image trace's ``source``."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _upscale(tiled: np.ndarray, scale: int) -> np.ndarray:
    return tiled if scale <= 1 else np.kron(tiled, np.ones((scale, scale), dtype=tiled.dtype))


def map_columns(count: int, height: int, width: int, aspect: float = 2.5) -> int:
    """Tiles per row so a montage of ``count`` (height x width) tiles is about ``aspect`` times
    as wide as tall: ``ceil(sqrt(count * aspect * height / width))``, at most ``count``."""
    return max(1, min(count, math.ceil(math.sqrt(count * aspect * height / max(width, 1)))))


def _limit(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size and finite.max() > 0 else 1.0


@functools.cache
def _signed_scale() -> tuple[tuple[float, str], ...]:
    """The theme's diverging scale as plotly's (position, colour) stops, positions rounded
    (``0.30000000000000004`` -> ``0.3``: the same scale in fewer bytes)."""
    return tuple((round(float(p), 4), str(c)) for p, c in get_colorscale(PALETTE.signed_scale))


def _colour_bar(limit: float, lang: str) -> dict[str, Any]:
    """An invisible trace that only carries the colour bar of the scale ``[-limit, limit]``
    (the theme's scale itself, which :func:`signed_palette` samples)."""
    return {
        "type": "heatmap",
        "z": [[-limit, limit]],
        "zmin": -limit,
        "zmax": limit,
        "colorscale": [list(stop) for stop in _signed_scale()],
        "opacity": 0.0,
        "hoverinfo": "skip",
        "xaxis": "x2",
        "yaxis": "y2",
        "colorbar": {
            "thickness": 12,
            "len": 1.0,
            "outlinewidth": 0,
            "tickfont": {"size": _FONT_PX},
            "tickformat": ".2~g",
            "title": {"text": t("live.scale", lang), "side": "right", "font": {"size": _FONT_PX}},
        },
    }


def _picture(
    source: str,
    size: tuple[int, int],
    title: str,
    *,
    height: int,
    width: int | None = None,
    colour_bar: dict[str, Any] | None = None,
) -> go.Figure:
    """A figure that shows the PNG ``source`` of ``size`` (height, width) pixels, squares kept."""
    rows, cols = size
    data: list[dict[str, Any]] = [
        {"type": "image", "source": source, "x0": 0, "y0": 0, "dx": 1, "dy": 1, "hoverinfo": "skip"}
    ]
    layout: dict[str, Any] = {
        "template": {},
        "height": height,
        "margin": {"l": 4, "r": 4, "t": 30 if title else 4, "b": 4},
        "dragmode": False,
        "paper_bgcolor": PALETTE.transparent,
        "plot_bgcolor": PALETTE.transparent,
        "xaxis": {"visible": False, "range": [-0.5, cols - 0.5], "constrain": "domain"},
        "yaxis": {
            "visible": False,
            "range": [rows - 0.5, -0.5],
            "scaleanchor": "x",
            "constrain": "domain",
        },
    }
    if title:
        layout["title"] = {"text": title, "font": {"size": _TITLE_PX}, "x": 0, "xanchor": "left"}
    if width is not None:
        layout["width"] = width
    if colour_bar is not None:
        data.append(colour_bar)
        layout["xaxis2"] = {"visible": False, "domain": [0, 0.001], "fixedrange": True}
        layout["yaxis2"] = {"visible": False, "domain": [0, 0.001], "fixedrange": True}
        layout["margin"]["r"] = 70
    # built without plotly's validation (~5x faster; this is redrawn every second while a run
    # trains): tests/test_live.py checks that every live figure validates
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def maps_picture(
    maps: np.ndarray,
    title: str,
    lang: str = "en",
    *,
    columns: int | None = None,
    height: int = 200,
) -> go.Figure:
    """Feature maps (C, H, W) as one montage picture on the signed scale, with its colour bar.

    Tile ``c`` sits at row ``c // columns``, column ``c % columns`` (default
    :func:`map_columns`), one transparent pixel apart.
    """
    maps = np.asarray(maps, dtype=np.float32)
    count, rows, cols = maps.shape
    columns = columns or map_columns(count, rows, cols)
    tiled = montage(maps, columns, gap=1)
    limit = _limit(maps)
    source = png_uri(_png(signed_indices(tiled, limit)))
    return _picture(source, tiled.shape, title, height=height, colour_bar=_colour_bar(limit, lang))


def filters_picture(filters: np.ndarray, lang: str = "en", *, tile_px: int = 64) -> go.Figure:
    """The first layer's filters (O, I, kh, kw), each tile at least ``tile_px`` screen pixels.

    One input channel: the weights on the signed scale (with a colour bar). Three: each filter
    as a colour picture, min-max scaled on its own. The figure has a fixed pixel size (draw it
    with its own width), so the tiles never shrink below ``tile_px``.
    """
    filters = np.asarray(filters, dtype=np.float32)
    count, channels, kh, kw = filters.shape
    title = t("train.viz.filters_title", lang, count=count, h=kh, w=kw)
    scale = max(1, math.ceil(tile_px / max(kh, kw)))
    columns = min(count, 8)
    rows = math.ceil(count / columns)
    gap = 4
    height_px = rows * kh * scale + (rows - 1) * gap
    width_px = columns * kw * scale + (columns - 1) * gap
    bar = None
    if channels == 3:
        source = png_uri(_rgb_png(filters, columns, scale, gap))
    else:
        weights = filters[:, 0]
        tiled = _upscale_montage(weights, columns, scale, gap)
        limit = _limit(weights)
        source = png_uri(_png(signed_indices(tiled, limit)))
        bar = _colour_bar(limit, lang)
    right = 70 if bar is not None else 4
    return _picture(
        source,
        (height_px, width_px),
        title,
        height=height_px + 34,
        width=width_px + 4 + right,
        colour_bar=bar,
    )


def _upscale_montage(maps: np.ndarray, columns: int, scale: int, gap: int) -> np.ndarray:
    """Each (h, w) tile of ``maps`` blown up ``scale`` times, ``gap`` NaN pixels apart."""
    count, kh, kw = maps.shape
    rows = math.ceil(count / columns)
    th, tw = kh * scale, kw * scale
    out = np.full((rows * (th + gap) - gap, columns * (tw + gap) - gap), np.nan, np.float32)
    for c in range(count):
        top, left = (c // columns) * (th + gap), (c % columns) * (tw + gap)
        out[top : top + th, left : left + tw] = _upscale(maps[c], scale)
    return out


def _rgb_png(filters: np.ndarray, columns: int, scale: int, gap: int) -> bytes:
    """(O, 3, kh, kw) as an RGBA PNG: each filter min-max scaled to 0..255, transparent gaps."""
    count, _, kh, kw = filters.shape
    rows = math.ceil(count / columns)
    th, tw = kh * scale, kw * scale
    out = np.zeros((rows * (th + gap) - gap, columns * (tw + gap) - gap, 4), np.uint8)
    for c in range(count):
        tile = filters[c].transpose(1, 2, 0)  # (kh, kw, 3)
        span = float(tile.max() - tile.min()) or 1.0
        pixels = ((tile - tile.min()) / span * 255 + 0.5).astype(np.uint8)
        pixels = np.kron(pixels, np.ones((scale, scale, 1), dtype=np.uint8))
        top, left = (c // columns) * (th + gap), (c % columns) * (tw + gap)
        out[top : top + th, left : left + tw, :3] = pixels
        out[top : top + th, left : left + tw, 3] = 255
    return encode_png(out)


def probe_picture(
    pixels: np.ndarray, title: str, *, label: str = "", height: int = 200
) -> go.Figure:
    """The probe image (H, W) or (H, W, 3) uint8 as it is (gray or colour), pixel for pixel,
    with ``label`` (its class) written under it."""
    pixels = np.asarray(pixels, dtype=np.uint8)
    figure = _picture(png_uri(encode_png(pixels)), pixels.shape[:2], title, height=height)
    if label:  # a note under the picture (an axis title would resize the square plot area)
        figure.layout.annotations = [
            {
                "text": label,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0,
                "xanchor": "center",
                "yanchor": "top",
                "yshift": -4,
                "showarrow": False,
                "font": {"size": _FONT_PX},
            }
        ]
        figure.layout.margin.b = 30
    return figure
