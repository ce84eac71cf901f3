"""Plotly figures of the "Train live" page: curves, feature-map montages, filters, diagnostics.

Pure functions returning ``go.Figure`` (never ``st.*``); every visible word comes from the catalog
(``train.viz.*``) in the requested language. Feature maps are drawn as one *montage* heatmap per
layer (all channels tiled in one array with NaN gaps), which plotly renders ~100x faster than one
subplot per channel. Visual constants live in :data:`STYLE`.

Lesson: the "Train live" page (live panel and after-training analysis) and the Overfitting lab.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.training import EpochEnd

__all__ = [
    "STYLE",
    "activation_figure",
    "confusion_figure",
    "display_image",
    "epoch_figure",
    "feature_map_figure",
    "filters_figure",
    "log_ticks",
    "loss_figure",
    "lr_figure",
    "montage",
    "norms_figure",
    "per_class_figure",
    "probability_figure",
]

STYLE: dict[str, object] = {
    "train": "#2563eb",
    "val": "#ea580c",
    "raw": "rgba(37, 99, 235, 0.35)",
    "smoothed": "#1d4ed8",
    "lr": "#7c3aed",
    "bar": "#2563eb",
    "bar_best": "#ea580c",
    "signed_scale": "RdBu_r",
    "positive_scale": "Viridis",
    "confusion_scale": "Blues",
    "gap": 1,
    "tile_px": 44,
    "height": 300,
    "margin": {"l": 50, "r": 20, "t": 40, "b": 45},
    "layer_colors": (
        "#2563eb",
        "#ea580c",
        "#16a34a",
        "#dc2626",
        "#7c3aed",
        "#0891b2",
        "#ca8a04",
        "#db2777",
        "#4b5563",
        "#65a30d",
    ),
}
MAX_LINE_POINTS = 2000


def _figure(
    data: list[dict[str, Any]],
    title: str,
    *,
    height: int | None = None,
    hovermode: str = "x unified",
    **layout: Any,
) -> go.Figure:
    """One figure from plain dicts: built in ~1 ms (property-by-property updates and the default
    template cost ~20 ms, too much for a panel redrawn every second). The empty template leaves
    the styling to the page's theme."""
    spec = {
        "template": {},
        "title": {"text": title, "font": {"size": 15}},
        "height": height or STYLE["height"],
        "margin": STYLE["margin"],
        "dragmode": False,  # live charts: nothing to select, nothing reset by the next redraw
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        "hovermode": hovermode,
    }
    spec.update(layout)
    return go.Figure({"data": data, "layout": spec})


def loss_figure(batches: np.ndarray, lang: str = "en") -> go.Figure:
    """Loss per batch: raw values (light) and the bias-corrected moving average (bold).

    ``batches``: (n, 3) array of ``step, loss, smoothed`` (``TrainingJob.snapshot().batches``).
    """
    rows = np.asarray(batches, dtype=np.float64).reshape(-1, 3)
    data = [
        {
            "type": "scatter",
            "x": rows[:, 0],
            "y": rows[:, 1],
            "mode": "lines",
            "name": t("train.viz.raw", lang),
            "line": {"color": STYLE["raw"], "width": 1},
        },
        {
            "type": "scatter",
            "x": rows[:, 0],
            "y": rows[:, 2],
            "mode": "lines",
            "name": t("train.viz.smoothed", lang),
            "line": {"color": STYLE["smoothed"], "width": 2.5},
        },
    ]
    return _figure(
        data,
        t("train.viz.loss_per_batch", lang),
        xaxis={"title": {"text": t("train.viz.step", lang)}, "rangemode": "tozero"},
        yaxis={"title": {"text": t("train.viz.loss", lang)}, "rangemode": "tozero"},
    )


def epoch_figure(epochs: Sequence[EpochEnd], metric: str, lang: str = "en") -> go.Figure:
    """Train (dashed) vs validation (solid) ``metric`` ("loss" or "acc") per epoch.

    A widening gap (train better than validation) is overfitting; both poor is underfitting.
    """
    x = [e.epoch for e in epochs]
    yaxis: dict[str, Any] = {"rangemode": "tozero"}
    if metric == "loss":
        train_y = [e.train_loss for e in epochs]
        val_y = [e.val_loss for e in epochs]
        title, axis = t("train.viz.loss_per_epoch", lang), t("train.viz.loss", lang)
    else:
        train_y = [100 * e.train_acc for e in epochs]
        val_y = [100 * e.val_acc for e in epochs]
        title, axis = t("train.viz.acc_per_epoch", lang), t("train.viz.accuracy", lang)
        yaxis.update(range=[0, 101], ticksuffix="%")
    yaxis["title"] = {"text": axis}
    data = [
        {
            "type": "scatter",
            "x": x,
            "y": train_y,
            "mode": "lines+markers",
            "name": t("train.viz.train", lang),
            "line": {"color": STYLE["train"], "dash": "dash"},
        },
        {
            "type": "scatter",
            "x": x,
            "y": val_y,
            "mode": "lines+markers",
            "name": t("train.viz.val", lang),
            "line": {"color": STYLE["val"], "width": 2.5},
        },
    ]
    xaxis: dict[str, Any] = {"title": {"text": t("train.viz.epoch", lang)}}
    if len(x) <= 20:
        xaxis["dtick"] = 1
    return _figure(data, title, xaxis=xaxis, yaxis=yaxis)


def lr_figure(rates: Sequence[float], steps_per_epoch: int, lang: str = "en") -> go.Figure:
    """The learning rate at every optimizer step, x in epochs (``step / steps_per_epoch``)."""
    values = np.asarray(rates, dtype=np.float64)
    stride = max(1, math.ceil(len(values) / MAX_LINE_POINTS))
    index = np.arange(0, len(values), stride)
    data = [
        {
            "type": "scatter",
            "x": index / max(1, steps_per_epoch),
            "y": values[index],
            "mode": "lines",
            "name": t("train.viz.lr", lang),
            "line": {"color": STYLE["lr"], "width": 2.5, "shape": "hv"},
            "fill": "tozeroy",
            "fillcolor": "rgba(124, 58, 237, 0.08)",
        }
    ]
    return _figure(
        data,
        t("train.viz.lr_curve", lang),
        height=240,
        xaxis={"title": {"text": t("train.viz.epoch", lang)}, "rangemode": "tozero"},
        yaxis={
            "title": {"text": t("train.viz.lr", lang)},
            "rangemode": "tozero",
            "exponentformat": "e",
        },
    )


def norms_figure(epochs: Sequence[EpochEnd], kind: str = "grad", lang: str = "en") -> go.Figure:
    """Per-layer gradient (``kind="grad"``) or weight L2 norm per epoch on a log scale.

    Gradients shrinking layer by layer towards the input are *vanishing gradients*.
    """
    names: list[str] = list(epochs[0].grad_norms) if epochs else []
    colors = STYLE["layer_colors"]
    data = []
    for i, name in enumerate(names):
        values = [(e.grad_norms if kind == "grad" else e.weight_norms).get(name) for e in epochs]
        values = [v if v is not None and v > 0 and math.isfinite(v) else None for v in values]
        data.append(
            {
                "type": "scatter",
                "x": [e.epoch for e in epochs],
                "y": values,
                "mode": "lines+markers",
                "name": name,
                "line": {"color": colors[i % len(colors)]},  # type: ignore[index]
            }
        )
    positive = [v for trace in data for v in trace["y"] if v is not None]
    key = "train.viz.grad_norms" if kind == "grad" else "train.viz.weight_norms"
    xaxis: dict[str, Any] = {"title": {"text": t("train.viz.epoch", lang)}}
    if len(epochs) <= 20:
        xaxis["dtick"] = 1
    return _figure(
        data,
        t(key, lang),
        height=320,
        hovermode="closest",
        xaxis=xaxis,
        yaxis={
            "title": {"text": t("train.viz.norm", lang)},
            "type": "log",
            "tickvals": log_ticks(positive),
            "tickformat": ".3~g",
        },
    )


def log_ticks(values: Sequence[float]) -> list[float]:
    """Tick values 1, 2, 5 x 10^k covering ``values`` (positive), so a log axis is readable
    whatever its range (plotly's own minor ticks crowd when the range is under a decade)."""
    finite = [v for v in values if v > 0 and math.isfinite(v)]
    if not finite:
        return []
    low, high = math.floor(math.log10(min(finite))), math.ceil(math.log10(max(finite)))
    ticks = [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5)]
    inside = [v for v in ticks if min(finite) / 2.5 <= v <= max(finite) * 2.5]
    if len(inside) > 12:  # many decades: powers of ten only
        inside = [v for v in inside if math.isclose(math.log10(v) % 1, 0, abs_tol=1e-9)]
    return inside


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


def _image_layout(title: str, height: int) -> dict[str, Any]:
    return {
        "template": {},
        "title": {"text": title, "font": {"size": 14}},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 35, "b": 10},
        "dragmode": False,
        "plot_bgcolor": "rgba(0,0,0,0)",
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
    gap = int(STYLE["gap"])  # type: ignore[call-overload]
    tiled = montage(maps, columns, gap)
    channels = np.arange(1, count + 1, dtype=np.float32)[:, None, None]
    channel = montage(np.broadcast_to(channels, maps.shape), columns, gap)
    finite = maps[np.isfinite(maps)]
    low = float(finite.min()) if finite.size else 0.0
    high = float(finite.max()) if finite.size else 1.0
    signed = low < 0 < high
    heat: dict[str, Any] = {
        "type": "heatmap",
        "z": tiled,
        "customdata": channel,
        "colorscale": STYLE["signed_scale"] if signed else STYLE["positive_scale"],
        "showscale": True,
        "colorbar": {"thickness": 10, "len": 0.9},
        "hoverongaps": False,
        "hovertemplate": (
            t("train.viz.channel", lang)
            + " %{customdata:.0f}<br>"
            + t("train.viz.value", lang)
            + " %{z:.3f}<extra></extra>"
        ),
    }
    if signed:
        heat["zmid"] = 0.0
    rows = math.ceil(count / columns)
    tile = int(STYLE["tile_px"])  # type: ignore[call-overload]
    fig_height = int(min(460, max(170, rows * tile * max(1.0, height / max(width, 1)) + 60)))
    return go.Figure({"data": [heat], "layout": _image_layout(title, fig_height)})


def feature_map_figure(name: str, maps: np.ndarray, lang: str = "en") -> go.Figure:
    """One layer's feature maps of the probe image as a montage heatmap (title: layer, shape)."""
    count, height, width = np.asarray(maps).shape
    title = t("train.viz.feature_maps_title", lang, name=name, count=count, h=height, w=width)
    return _heatmap_montage(maps, title, lang)


def _rgb_montage(filters: np.ndarray, columns: int) -> np.ndarray:
    """(O, 3, kh, kw) -> (H, W, 3) uint8, each filter min-max scaled, white gaps."""
    count, _, kh, kw = filters.shape
    gap = int(STYLE["gap"])  # type: ignore[call-overload]
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
        layout = _image_layout(title, int(min(400, max(150, rows * 40 + 60))))
        return go.Figure({"data": [image], "layout": layout})
    return _heatmap_montage(filters[:, 0], title, lang, columns=min(count, 16))


def confusion_figure(
    matrix: np.ndarray, class_labels: Sequence[str], lang: str = "en"
) -> go.Figure:
    """Confusion matrix: rows = true class, columns = predicted; counts written in the cells."""
    matrix = np.asarray(matrix)
    labels = list(class_labels)
    heat: dict[str, Any] = {
        "type": "heatmap",
        "z": matrix,
        "x": labels,
        "y": labels,
        "colorscale": STYLE["confusion_scale"],
        "text": matrix.astype(str),
        "hovertemplate": (
            t("train.viz.true", lang)
            + ": %{y}<br>"
            + t("train.viz.predicted", lang)
            + ": %{x}<br>"
            + t("train.viz.count", lang)
            + ": %{z}<extra></extra>"
        ),
        "showscale": False,
    }
    if len(labels) <= 20:
        heat["texttemplate"] = "%{text}"
    return _figure(
        [heat],
        t("train.viz.confusion", lang),
        height=max(320, 40 * len(labels) + 120),
        hovermode="closest",
        xaxis={"title": {"text": t("train.viz.predicted", lang)}, "type": "category"},
        yaxis={
            "title": {"text": t("train.viz.true", lang)},
            "autorange": "reversed",
            "type": "category",
        },
    )


def per_class_figure(
    accuracy: np.ndarray, class_labels: Sequence[str], lang: str = "en"
) -> go.Figure:
    """Per-class accuracy (recall) bars, in percent."""
    values = [None if not math.isfinite(v) else 100 * v for v in np.asarray(accuracy, float)]
    bar = {
        "type": "bar",
        "x": list(class_labels),
        "y": values,
        "marker": {"color": STYLE["bar"]},
        "text": [f"{v:.0f}%" if v is not None else "" for v in values],
        "textposition": "outside",
        "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
    }
    return _figure(
        [bar],
        t("train.viz.per_class", lang),
        height=max(320, 40 * len(values) + 120),
        hovermode="closest",
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": t("train.viz.accuracy", lang)},
            "range": [0, 110],
            "ticksuffix": "%",
        },
    )


def probability_figure(
    probabilities: np.ndarray, class_labels: Sequence[str], lang: str = "en"
) -> go.Figure:
    """The softmax probabilities of one image as horizontal bars; the winner highlighted."""
    probs = np.asarray(probabilities, dtype=np.float64)
    best = int(np.argmax(probs)) if probs.size else -1
    colors = [STYLE["bar_best"] if i == best else STYLE["bar"] for i in range(len(probs))]
    bar = {
        "type": "bar",
        "x": 100 * probs,
        "y": list(class_labels),
        "orientation": "h",
        "marker": {"color": colors},
        "text": [f"{100 * p:.1f}%" for p in probs],
        "textposition": "outside",
        "hovertemplate": "%{y}: %{x:.2f}%<extra></extra>",
    }
    return _figure(
        [bar],
        t("train.viz.prediction", lang),
        height=max(260, 28 * len(probs) + 100),
        hovermode="closest",
        showlegend=False,
        xaxis={
            "title": {"text": t("train.viz.probability", lang)},
            "range": [0, 115],
            "ticksuffix": "%",
        },
        yaxis={"autorange": "reversed", "type": "category"},
    )


def activation_figure(
    name: str, value: np.ndarray, lang: str = "en", *, total: int | None = None
) -> go.Figure:
    """One layer's output for one image: a montage for (C, H, W) maps, bars for (F,) vectors
    (``total``: the layer's full size when only the first values are given)."""
    value = np.asarray(value, dtype=np.float32)
    if value.ndim == 3:
        return feature_map_figure(name, value, lang)
    bar = {
        "type": "bar",
        "y": value,
        "marker": {"color": STYLE["bar"]},
        "hovertemplate": t("train.viz.unit", lang) + " %{x}: %{y:.3f}<extra></extra>",
    }
    return _figure(
        [bar],
        t("train.viz.vector_title", lang, name=name, count=total or value.size)
        if not total or total == value.size
        else t("train.viz.vector_title_capped", lang, name=name, count=total, shown=value.size),
        height=220,
        hovermode="closest",
        showlegend=False,
        xaxis={"title": {"text": t("train.viz.unit", lang)}},
        yaxis={"title": {"text": t("train.viz.value", lang)}},
    )


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
