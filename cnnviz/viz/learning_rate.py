"""Figures of the Learning rate page: every schedule's curve, the range test with its suggested
range, the gradient noise of each batch size, and the batch-size runs against epochs and time.

Pure functions from plain data; text from the catalog in the caller's language.

Lesson: the "Learning rate" page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import FULL_BATCH, BatchEpoch, RangePoint, RangeSuggestion
from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, TYPE, readable

__all__ = [
    "batch_curves_figure",
    "batch_label",
    "noise_figure",
    "range_test_figure",
    "schedules_figure",
]

_FONT = {"size": TYPE.body_px}


def _layout(title: str, height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": {},
        "title": {"text": title, "font": {"size": 15}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "font": _FONT,
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def batch_label(batch: int, n: int, lang: str) -> str:
    """``B = 32``, or ``full batch (B = 800)``."""
    if batch == FULL_BATCH:
        return t("lrate.batch.full", lang, n=n)
    return t("lrate.batch.size", lang, batch=batch)


@readable
def schedules_figure(
    curves: Mapping[str, Sequence[float]], steps_per_epoch: int, lang: str = "en"
) -> go.Figure:
    """Every schedule's learning rate per optimizer step, x in epochs."""
    data = []
    for index, (schedule, rates) in enumerate(curves.items()):
        values = np.asarray(rates, dtype=np.float64)
        data.append(
            {
                "type": "scatter",
                "x": np.arange(len(values)) / max(1, steps_per_epoch),
                "y": values,
                "mode": "lines",
                "name": t(f"train.schedule.{schedule}", lang),
                "line": {"color": PALETTE.series[index % len(PALETTE.series)], "width": 2.5},
                "hovertemplate": "%{y:.3g}<extra>%{fullData.name}</extra>",
            }
        )
    layout = _layout(
        t("lrate.viz.schedules", lang),
        380,
        xaxis={"title": {"text": t("lrate.viz.epoch", lang)}, "rangemode": "tozero"},
        yaxis={"title": {"text": t("lrate.viz.lr", lang)}, "rangemode": "tozero"},
        hovermode="x unified",
    )
    return go.Figure({"data": data, "layout": layout})


@readable
def range_test_figure(
    points: Sequence[RangePoint], suggestion: RangeSuggestion | None, lang: str = "en"
) -> go.Figure:
    """Loss against the (log-scaled) learning rate: every batch (faint), the smoothed loss, the
    suggested range shaded and the suggested learning rate marked."""
    lrs = np.array([p.lr for p in points], dtype=np.float64)
    raw = np.array([p.loss for p in points], dtype=np.float64)
    smooth = np.array([p.smoothed for p in points], dtype=np.float64)
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": lrs,
            "y": raw,
            "mode": "markers",
            "name": t("lrate.viz.batch_loss", lang),
            "marker": {"size": 5, "color": PALETTE.raw_loss},
        },
        {
            "type": "scatter",
            "x": lrs,
            "y": smooth,
            "mode": "lines",
            "name": t("lrate.viz.smoothed", lang),
            "line": {"color": PALETTE.smoothed_loss, "width": 3},
        },
    ]
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    if suggestion is not None:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": suggestion.low,
                "x1": suggestion.high,
                "y0": 0,
                "y1": 1,
                "fillcolor": PALETTE.lr_band,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": suggestion.suggested,
                "x1": suggestion.suggested,
                "y0": 0,
                "y1": 1,
                "line": {"color": PALETTE.lr, "width": 2, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "x": math.log10(suggestion.suggested),
                "xref": "x",
                "y": 1.0,
                "yref": "paper",
                "text": t("lrate.viz.suggested", lang, lr=f"{suggestion.suggested:.2g}"),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"color": PALETTE.lr},
            }
        )
    finite = smooth[np.isfinite(smooth)]
    top = float(min(np.nanmax(finite) * 1.3, 3.0 * float(finite[0]))) if finite.size else 1.0
    layout = _layout(
        t("lrate.viz.range_title", lang),
        400,
        xaxis={"type": "log", "title": {"text": t("lrate.viz.lr", lang)}, "exponentformat": "e"},
        yaxis={"title": {"text": t("lrate.viz.loss", lang)}, "range": [0, top]},
        shapes=shapes,
        annotations=annotations,
    )
    return go.Figure({"data": data, "layout": layout})


@readable
def noise_figure(rows: Sequence[tuple[int, float, float]], n: int, lang: str = "en") -> go.Figure:
    """Measured gradient noise per batch size (log-log) beside the prediction sigma^2/B (N-B)/(N-1).

    ``rows``: ``(batch, measured, predicted)``; the full batch (noise 0) cannot sit on a log axis
    and is named in the title instead.
    """
    shown = [(b, m, p) for b, m, p in rows if b != FULL_BATCH and m > 0]
    sizes = [b for b, _, _ in shown]
    data = [
        {
            "type": "scatter",
            "x": sizes,
            "y": [m for _, m, _ in shown],
            "mode": "markers+lines",
            "name": t("lrate.viz.noise_measured", lang),
            "marker": {"size": 11, "color": PALETTE.train},
            "line": {"color": PALETTE.train, "width": 2},
        },
        {
            "type": "scatter",
            "x": sizes,
            "y": [p for _, _, p in shown],
            "mode": "lines",
            "name": t("lrate.viz.noise_predicted", lang),
            "line": {"color": PALETTE.val, "dash": "dash", "width": 2},
        },
    ]
    full = next((m for b, m, _ in rows if b == FULL_BATCH), None)
    title = t("lrate.viz.noise_title", lang)
    if full is not None:
        title += t("lrate.viz.noise_full", lang, n=n, value=f"{full:.2g}")
    layout = _layout(
        title,
        380,
        xaxis={"type": "log", "title": {"text": t("lrate.viz.batch", lang)}, "tickvals": sizes},
        yaxis={"type": "log", "title": {"text": t("lrate.viz.noise", lang)}, "exponentformat": "e"},
    )
    return go.Figure({"data": data, "layout": layout})


@readable
def batch_curves_figure(
    runs: Mapping[int, Sequence[BatchEpoch]], n: int, lang: str = "en"
) -> go.Figure:
    """Training loss per epoch (left) and against wall-clock seconds (middle); seconds per epoch
    (right). One colour per batch size."""
    data: list[dict[str, Any]] = []
    names, per_epoch, colors = [], [], []
    for index, (batch, epochs) in enumerate(runs.items()):
        color = PALETTE.series[index % len(PALETTE.series)]
        name = batch_label(batch, n, lang)
        x_epoch = [e.epoch.epoch for e in epochs]
        x_time = [e.elapsed for e in epochs]
        loss = [e.epoch.train_loss if math.isfinite(e.epoch.train_loss) else None for e in epochs]
        for axis, x in (("", x_epoch), ("2", x_time)):
            data.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": loss,
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": name,
                    "showlegend": axis == "",
                    "line": {"color": color, "width": 2},
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
        if epochs:
            names.append(name)
            per_epoch.append(sum(e.epoch.seconds for e in epochs) / len(epochs))
            colors.append(color)
    data.append(
        {
            "type": "bar",
            "x": names,
            "y": per_epoch,
            "marker": {"color": colors},
            "xaxis": "x3",
            "yaxis": "y3",
            "showlegend": False,
            "hovertemplate": "%{y:.2f} s<extra>%{x}</extra>",
        }
    )
    axis_title = {"font": {"size": TYPE.body_px}}
    layout = _layout(
        t("lrate.viz.batch_title", lang),
        420,
        xaxis={"domain": [0.0, 0.3], "title": {"text": t("lrate.viz.epoch", lang), **axis_title}},
        yaxis={"title": {"text": t("lrate.viz.train_loss", lang), **axis_title}},
        xaxis2={
            "domain": [0.36, 0.66],
            "anchor": "y2",
            "title": {"text": t("lrate.viz.seconds", lang), **axis_title},
        },
        yaxis2={"anchor": "x2"},
        xaxis3={"domain": [0.74, 1.0], "anchor": "y3"},
        yaxis3={
            "anchor": "x3",
            "title": {"text": t("lrate.viz.seconds_per_epoch", lang), **axis_title},
        },
    )
    return go.Figure({"data": data, "layout": layout})
