"""Plotly figures of the "Train live" page: the loss, accuracy, learning-rate and norm curves.

Pure functions returning ``go.Figure`` (never ``st.*``); every visible word comes from the catalog
(``train.viz.*``) in the requested language. Feature maps are drawn as one *montage* heatmap per
layer (all channels tiled in one array with NaN gaps), which plotly renders ~100x faster than one
subplot per channel. Visual constants live in :data:`STYLE`.

Lesson: the "Train live" page (live panel and after-training analysis) and the Overfitting lab.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.train import EpochEnd
from cnnviz.viz.theme import PALETTE, TYPE, layout_fonts

__all__ = [
    "STYLE",
    "CurveStyle",
    "envelope_rows",
    "epoch_figure",
    "log_ticks",
    "loss_figure",
    "lr_figure",
    "norms_figure",
    "plain_figure",
    "thin_rows",
]


@dataclass(frozen=True)
class CurveStyle:
    """Sizes of the Train page's figures (colours come from the theme's :data:`PALETTE`)."""

    gap: int = 1  # pixels of NaN between montage tiles
    tile_px: int = 44  # one feature-map tile
    height: int = 300
    margin: tuple[tuple[str, int], ...] = (("l", 50), ("r", 20), ("t", 40), ("b", 45))


STYLE = CurveStyle()
MAX_LINE_POINTS = 2000
LIVE_POINTS = 240  # points of a curve redrawn every second


def plain_figure(
    data: list[dict[str, Any]],
    title: str,
    *,
    height: int | None = None,
    hovermode: str = "x unified",
    validate: bool = True,
    **layout: Any,
) -> go.Figure:
    """One figure from plain dicts: built in ~1 ms (property-by-property updates and the default
    template cost ~20 ms, too much for a panel redrawn every second). The empty template leaves
    the styling to the page's theme."""
    spec = {
        "template": {},
        **layout_fonts(),
        "title": {"text": title, "font": {"size": TYPE.title_px}},
        "height": height or STYLE.height,
        "margin": dict(STYLE.margin),
        "dragmode": False,  # live charts: nothing to select, nothing reset by the next redraw
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.0,
            "xanchor": "right",
            "x": 1.0,
            "font": {"size": TYPE.body_px},
        },
        "hovermode": hovermode,
    }
    spec.update(layout)
    for name in ("xaxis", "yaxis"):  # readable ticks and axis titles, whatever the caller set
        axis = dict(spec.get(name) or {})
        axis["tickfont"] = {"size": TYPE.body_px, **axis.get("tickfont", {})}
        if "title" in axis:
            axis["title"] = {**axis["title"], "font": {"size": TYPE.body_px}}
        spec[name] = axis
    for trace in data:
        if "text" in trace:
            trace.setdefault("textfont", {"size": TYPE.body_px})
    # ``validate=False`` for figures redrawn every second (~5x faster to build; the tests
    # validate them)
    return go.Figure({"data": data, "layout": spec}, _validate=validate)


def thin_rows(rows: np.ndarray, max_points: int) -> np.ndarray:
    """At most ``max_points`` rows of ``rows``: every k-th (``k = ceil(n / max_points)``) and
    always the last, so a live curve ends where the run is."""
    n = len(rows)
    if n <= max_points:
        return rows
    stride = math.ceil(n / max(1, max_points - 1))
    index = np.arange(0, n, stride)
    if index[-1] != n - 1:
        index = np.append(index, n - 1)
    return rows[index]


def envelope_rows(rows: np.ndarray, max_points: int, column: int = 1) -> np.ndarray:
    """At most about ``max_points`` rows of ``rows`` that keep the shape of ``column``: the
    rows split into ``max_points // 2`` runs of consecutive rows, each run keeps its lowest and
    its highest value (in their order), and the first and last rows are always kept. Unlike
    every k-th row (:func:`thin_rows`), a spike in a noisy loss survives the thinning."""
    n = len(rows)
    if n <= max_points:
        return rows
    buckets = max(1, max_points // 2)
    edges = np.linspace(0, n, buckets + 1).astype(np.int64)  # run b: rows edges[b]..edges[b+1]-1
    values = np.nan_to_num(np.asarray(rows[:, column], dtype=np.float64), nan=np.inf)
    keep = {0, n - 1}
    for start, stop in itertools.pairwise(edges):
        if stop > start:
            run = values[start:stop]
            keep.update((start + int(np.argmin(run)), start + int(np.argmax(run))))
    return rows[np.fromiter(sorted(keep), dtype=np.int64)]


def _steps(steps: np.ndarray) -> np.ndarray:
    """Step numbers in the fewest bytes plotly sends them in: uint16 or uint32 when they are
    whole numbers (they are), else float32."""
    if len(steps) and np.all(steps == np.round(steps)) and steps.min() >= 0:
        return steps.astype(np.uint16 if steps.max() < 2**16 else np.uint32)
    return steps.astype(np.float32)


def loss_figure(
    batches: np.ndarray,
    lang: str = "en",
    *,
    max_points: int = LIVE_POINTS,
    height: int | None = None,
    marker: float | None = None,
) -> go.Figure:
    """Loss per batch: raw values (light) and the bias-corrected moving average (bold).

    ``batches``: (n, 3) array of ``step, loss, smoothed`` (``TrainingJob.snapshot().batches``).
    A live curve costs a few KB a redraw, whatever the run's length: the raw loss keeps at most
    ``max_points`` rows with its spikes (:func:`envelope_rows`), the smooth average half as many
    (:func:`thin_rows`), losses as float32 and steps as integers. ``marker``: a step to mark
    with a dotted vertical line (the end of the epoch a replay shows).
    """
    all_rows = np.asarray(batches, dtype=np.float64).reshape(-1, 3)
    raw = envelope_rows(all_rows, max_points)
    rows = thin_rows(all_rows, max(2, max_points // 2))
    data = [
        {
            "type": "scatter",
            "x": _steps(raw[:, 0]),
            "y": raw[:, 1].astype(np.float32),
            "mode": "lines",
            "name": t("train.viz.raw", lang),
            "line": {"color": PALETTE.raw_loss, "width": 1},
        },
        {
            "type": "scatter",
            "x": _steps(rows[:, 0]),
            "y": rows[:, 2].astype(np.float32),
            "mode": "lines",
            "name": t("train.viz.smoothed", lang),
            "line": {"color": PALETTE.smoothed_loss, "width": 2.5},
        },
    ]
    extra: dict[str, Any] = {}
    if height is not None and height < STYLE.height:  # a small panel: the legend goes inside
        extra["legend"] = {
            "x": 1.0,
            "y": 1.0,
            "xanchor": "right",
            "yanchor": "top",
            "bgcolor": PALETTE.paper,
        }
        extra["margin"] = {"l": 50, "r": 10, "t": 34, "b": 40}
    if marker is not None:
        extra["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": marker,
                "x1": marker,
                "y0": 0,
                "y1": 1,
                "line": {"color": PALETTE.val, "width": 2, "dash": "dot"},
            }
        ]
    return plain_figure(
        data,
        t("train.viz.loss_per_batch", lang),
        height=height,
        validate=False,
        **extra,
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
            "line": {"color": PALETTE.train, "dash": "dash"},
        },
        {
            "type": "scatter",
            "x": x,
            "y": val_y,
            "mode": "lines+markers",
            "name": t("train.viz.val", lang),
            "line": {"color": PALETTE.val, "width": 2.5},
        },
    ]
    xaxis: dict[str, Any] = {"title": {"text": t("train.viz.epoch", lang)}}
    if len(x) <= 20:
        xaxis["dtick"] = 1
    # redrawn after every epoch while a run trains: built without validation (the tests validate)
    return plain_figure(data, title, validate=False, xaxis=xaxis, yaxis=yaxis)


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
            "line": {"color": PALETTE.lr, "width": 2.5, "shape": "hv"},
            "fill": "tozeroy",
            "fillcolor": PALETTE.lr_band,
        }
    ]
    return plain_figure(
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
    colors = PALETTE.series
    data: list[dict[str, Any]] = []
    positive: list[float] = []
    for i, name in enumerate(names):
        raw = [(e.grad_norms if kind == "grad" else e.weight_norms).get(name) for e in epochs]
        values = [v if v is not None and v > 0 and math.isfinite(v) else None for v in raw]
        positive += [v for v in values if v is not None]
        data.append(
            {
                "type": "scatter",
                "x": [e.epoch for e in epochs],
                "y": values,
                "mode": "lines+markers",
                "name": name,
                "line": {"color": colors[i % len(colors)]},
            }
        )
    key = "train.viz.grad_norms" if kind == "grad" else "train.viz.weight_norms"
    xaxis: dict[str, Any] = {"title": {"text": t("train.viz.epoch", lang)}}
    if len(epochs) <= 20:
        xaxis["dtick"] = 1
    return plain_figure(
        data,
        t(key, lang),
        height=320,
        hovermode="closest",
        validate=False,  # redrawn after every epoch while a run trains (the tests validate)
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
