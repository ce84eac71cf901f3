"""Figures of the /activations page: curves and derivatives, gradient norms per layer, sparsity.

Pure functions of ``cnnviz.concepts`` results; every text from the catalog, every colour from the
theme. Built from plain dicts (``plain_figure``): a redraw costs about a millisecond.

Lesson: the /activations page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import ActivationCurve, LayerSparsity
from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, readable
from cnnviz.viz.train import log_ticks, plain_figure

__all__ = ["activation_figure_pair", "gradient_norms_figure", "sparsity_figure"]


def _colour(index: int) -> str:
    return PALETTE.series[index % len(PALETTE.series)]


def activation_figure_pair(
    curves: Sequence[ActivationCurve], cursor: float, lang: str = "en"
) -> tuple[go.Figure, go.Figure]:
    """``(f(x), f'(x))``: one line per function; on the derivative, a wide pale band marks
    where the function is saturated; a dashed vertical line at the cursor."""
    values: list[dict[str, Any]] = []
    derivatives: list[dict[str, Any]] = []
    for index, curve in enumerate(curves):
        colour = _colour(index)
        name = t(f"act.fn.{curve.name}", lang)
        values.append(
            {
                "type": "scatter",
                "x": curve.x,
                "y": curve.value,
                "mode": "lines",
                "name": name,
                "line": {"color": colour, "width": 2.5},
                "legendgroup": curve.name,
            }
        )
        band = np.where(curve.saturated, curve.derivative, np.nan)
        derivatives.append(
            {
                "type": "scatter",
                "x": curve.x,
                "y": band,
                "mode": "lines",
                "showlegend": False,
                "hoverinfo": "skip",
                "line": {"color": colour, "width": 14},
                "opacity": 0.22,
                "legendgroup": curve.name,
            }
        )
        derivatives.append(
            {
                "type": "scatter",
                "x": curve.x,
                "y": curve.derivative,
                "mode": "lines",
                "name": name,
                "line": {"color": colour, "width": 2.5},
                "legendgroup": curve.name,
            }
        )
    cursor_line = {
        "type": "line",
        "x0": cursor,
        "x1": cursor,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": PALETTE.muted, "dash": "dash", "width": 1.5},
    }
    common: dict[str, Any] = {
        "shapes": [cursor_line],
        "xaxis": {"title": {"text": "x"}, "zeroline": True},
    }
    value_fig = plain_figure(values, t("act.viz.values", lang), height=380, **common)
    derivative_fig = plain_figure(derivatives, t("act.viz.derivatives", lang), height=380, **common)
    return value_fig, derivative_fig


@readable
def gradient_norms_figure(
    series: Sequence[tuple[str, np.ndarray]], lang: str = "en", *, title_key: str = "act.viz.norms"
) -> go.Figure:
    """``||dL/dW_l||`` per layer on a log axis, one line per ``(label, norms)``."""
    data = []
    every: list[float] = []
    for index, (label, norms) in enumerate(series):
        layers = np.arange(1, len(norms) + 1)
        data.append(
            {
                "type": "scatter",
                "x": layers,
                "y": norms,
                "mode": "lines+markers",
                "name": label,
                "line": {"color": _colour(index), "width": 2},
                "marker": {"size": 5},
            }
        )
        every.extend(float(v) for v in norms)
    ticks = log_ticks(every)
    return plain_figure(
        data,
        t(title_key, lang),
        height=400,
        hovermode="x",
        xaxis={"title": {"text": t("act.viz.layer", lang)}, "dtick": 5 if len(every) > 40 else 1},
        yaxis={
            "type": "log",
            "title": {"text": t("act.viz.norm", lang)},
            "exponentformat": "power",
            **({"tickvals": ticks} if 0 < len(ticks) <= 12 else {}),
        },
    )


@readable
def sparsity_figure(
    runs: Sequence[tuple[str, Sequence[LayerSparsity]]], lang: str = "en"
) -> go.Figure:
    """Per activation layer: the fraction of zero outputs (solid bars) and of dead units (hatched),
    one colour per run."""
    data = []
    for index, (label, layers) in enumerate(runs):
        names = [layer.name for layer in layers]
        colour = _colour(index)
        data.append(
            {
                "type": "bar",
                "x": names,
                "y": [layer.zero_fraction for layer in layers],
                "name": t("act.viz.zero", lang, run=label),
                "marker": {"color": colour},
                "offsetgroup": f"{index}z",
                "texttemplate": "%{y:.0%}",
                "textposition": "outside",
            }
        )
        data.append(
            {
                "type": "bar",
                "x": names,
                "y": [layer.dead_fraction for layer in layers],
                "name": t("act.viz.dead", lang, run=label),
                "marker": {"color": colour, "pattern": {"shape": "/"}, "opacity": 0.55},
                "offsetgroup": f"{index}d",
                "texttemplate": "%{y:.0%}",
                "textposition": "outside",
            }
        )
    return plain_figure(
        data,
        t("act.viz.sparsity", lang),
        height=400,
        hovermode="x",
        barmode="group",
        yaxis={"range": [0, 1.12], "tickformat": ".0%"},
    )
