"""Figures of the Initialisation page: per-layer histograms of a deep stack's activations and
gradients, their standard deviation layer by layer for every initialisation, and a filter bank.

Lesson: the "Initialisation" page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import INIT_SCHEMES, LayerProbe
from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, TYPE, format_number, readable, readable_figure

__all__ = ["filter_bank_figure", "layer_histograms_figure", "layer_std_figure"]

_FONT = {"size": TYPE.body_px}


def layer_histograms_figure(
    probes: Sequence[LayerProbe], which: str = "act", lang: str = "en"
) -> go.Figure:
    """One small histogram per layer, side by side (values up, counts across): the activations
    (``which="act"``) or the gradients dL/dh (``"grad"``), on the range shared by every layer
    (values that shrank show as a spike at 0). Each layer's standard deviation is written under
    its panel, the shared range in the title."""
    count = max(1, len(probes))
    gap = 0.012
    width = (1.0 - gap * (count - 1)) / count
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "template": {},
        "height": 300,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 60},
        "showlegend": False,
        "font": _FONT,
        "title": {
            "text": t(f"init.viz.hist_{which}", lang, reach=_short(_range(probes, which))),
            "font": {"size": 15},
        },
        "bargap": 0.0,
        "annotations": [],
    }
    color = PALETTE.train if which == "act" else PALETTE.val
    for slot, probe in enumerate(probes):
        edges = probe.act_edges if which == "act" else probe.grad_edges
        counts = probe.act_counts if which == "act" else probe.grad_counts
        std = probe.act_std if which == "act" else probe.grad_std
        centres = (edges[:-1] + edges[1:]) / 2
        share = counts / max(1.0, float(counts.sum()))
        axis = "" if slot == 0 else str(slot + 1)
        left = slot * (width + gap)
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": share,
                "y": centres,
                "marker": {"color": color},
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "hovertemplate": "%{y:.3g}: %{x:.1%}<extra></extra>",
            }
        )
        layout[f"xaxis{axis}"] = {
            "domain": [left, left + width],
            "showticklabels": False,
            "range": [0, 1.0],
        }
        layout[f"yaxis{axis}"] = {
            "anchor": f"x{axis}",
            "showticklabels": False,
            "range": [float(edges[0]), float(edges[-1])],
        }
        layout["annotations"].append(
            {
                "x": left + width / 2,
                "y": -0.02,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": TYPE.body_px},
                "text": t(
                    "init.viz.panel",
                    lang,
                    layer=probe.index,
                    std=_short(std),
                ),
            }
        )
    return readable_figure({"data": data, "layout": layout})


def _range(probes: Sequence[LayerProbe], which: str) -> float:
    if not probes:
        return 0.0
    edges = probes[0].act_edges if which == "act" else probes[0].grad_edges
    return float(edges[-1])


def _short(value: float) -> str:
    if value == 0 or not math.isfinite(value):
        return format_number(value) or "0"
    return f"{value:.1e}" if abs(value) < 1e-2 or abs(value) >= 1e3 else f"{value:.2g}"


def layer_std_figure(
    per_scheme: Mapping[str, Sequence[LayerProbe]], current: str, lang: str = "en"
) -> go.Figure:
    """Standard deviation per layer (log scale) of the activations (left) and of the gradients
    dL/dh (right), one line per initialisation; ``current`` drawn bold. A scheme whose values
    are all 0 (all zeros) cannot sit on a log axis and is named in the legend."""
    data: list[dict[str, Any]] = []
    for index, scheme in enumerate(INIT_SCHEMES):
        probes = per_scheme.get(scheme)
        if not probes:
            continue
        color = PALETTE.series[index % len(PALETTE.series)]
        bold = scheme == current
        layers = [p.index for p in probes]
        name = t(f"init.scheme.{scheme}", lang)
        for axis, values in (
            ("", [p.act_std for p in probes]),
            ("2", [p.grad_std for p in probes]),
        ):
            shown = [v if v > 0 and math.isfinite(v) else None for v in values]
            if all(v is None for v in shown):
                name = t("init.viz.all_zero", lang, name=name)
            data.append(
                {
                    "type": "scatter",
                    "x": layers,
                    "y": shown,
                    "mode": "lines+markers",
                    "name": name,
                    "legendgroup": scheme,
                    "showlegend": axis == "",
                    "line": {"color": color, "width": 4 if bold else 1.5},
                    "marker": {"size": 8 if bold else 5, "color": color},
                    "opacity": 1.0 if bold else 0.6,
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                    "hovertemplate": f"{name}<br>%{{x}}: %{{y:.2e}}<extra></extra>",
                }
            )
    layout = {
        "template": {},
        "height": 380,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "font": _FONT,
        "title": {"text": t("init.viz.std_title", lang), "font": {"size": 15}},
        "xaxis": {"domain": [0, 0.46], "title": {"text": t("init.viz.layer", lang)}, "dtick": 1},
        "yaxis": {
            "type": "log",
            "title": {"text": t("init.viz.act_std", lang)},
            "exponentformat": "e",
        },
        "xaxis2": {
            "domain": [0.54, 1.0],
            "anchor": "y2",
            "title": {"text": t("init.viz.layer", lang)},
            "dtick": 1,
        },
        "yaxis2": {
            "type": "log",
            "anchor": "x2",
            "title": {"text": t("init.viz.grad_std", lang)},
            "exponentformat": "e",
        },
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "closest",
    }
    return readable_figure({"data": data, "layout": layout})


@readable
def filter_bank_figure(filters: np.ndarray, title: str) -> go.Figure:
    """A conv layer's filters (O, I, kh, kw), input channel 0, side by side on one colour scale
    (so identical filters look identical)."""
    bank = np.asarray(filters, dtype=np.float64)[:, 0]  # (O, kh, kw)
    count, kh, kw = bank.shape
    gap = 1
    montage = np.full((kh, count * (kw + gap) - gap), np.nan)
    for index in range(count):
        montage[:, index * (kw + gap) : index * (kw + gap) + kw] = bank[index]
    reach = float(np.nanmax(np.abs(montage))) or 1.0
    data = [
        {
            "type": "heatmap",
            "z": montage[::-1],
            "colorscale": PALETTE.signed_scale,
            "zmin": -reach,
            "zmax": reach,
            "showscale": True,
            "colorbar": {"thickness": 10},
            "hovertemplate": "%{z:.4f}<extra></extra>",
            "xgap": 0,
            "ygap": 0,
        }
    ]
    layout = {
        "template": {},
        "height": 190,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "title": {"text": title, "font": {"size": TYPE.title_px}},
        "xaxis": {"visible": False, "scaleanchor": "y"},
        "yaxis": {"visible": False},
        "plot_bgcolor": PALETTE.paper,
    }
    return go.Figure({"data": data, "layout": layout})
