"""Plotly figures of the /inside page: a feature map whose cells can be clicked, maps before and
after a shift, the prediction against the shift, the ascent of activation maximisation and the
2-D map of the features. Pictures themselves (attribution overlays, receptive fields, top
images) are RGB arrays from :mod:`cnnviz.viz.picture_files`.

Lesson: the /inside page ("Look inside a trained network").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.viz.maps import image_layout
from cnnviz.viz.theme import PALETTE, THEME
from cnnviz.viz.train import plain_figure

__all__ = [
    "ascent_figure",
    "cell_map_figure",
    "invariance_figure",
    "probe_map_figure",
    "shift_maps_figure",
]


def _heat(values: np.ndarray, lang: str, **extra: Any) -> dict[str, Any]:
    values = np.asarray(values, dtype=np.float32)
    finite = values[np.isfinite(values)]
    signed = bool(finite.size) and float(finite.min()) < 0 < float(finite.max())
    heat: dict[str, Any] = {
        "type": "heatmap",
        "z": values,
        "colorscale": PALETTE.signed_scale if signed else PALETTE.positive_scale,
        "hoverongaps": False,
        "hovertemplate": (
            t("inside.viz.row", lang)
            + " %{y}, "
            + t("inside.viz.col", lang)
            + " %{x}<br>"
            + t("inside.viz.value", lang)
            + " %{z:.3f}<extra></extra>"
        ),
        "colorbar": {"thickness": 10, "len": 0.9},
    }
    if signed:
        heat["zmid"] = 0.0
    heat.update(extra)
    return heat


def cell_map_figure(
    values: np.ndarray, title: str, selected: tuple[int, int], lang: str = "en"
) -> go.Figure:
    """One channel's map (h, w) with the ``selected`` cell outlined; every cell answers a click
    (a nearly transparent marker on each cell centre carries ``[row, col]``: plotly's heatmaps
    return nothing on a click)."""
    values = np.asarray(values, dtype=np.float32)
    height, width = values.shape
    rows, cols = np.mgrid[0:height, 0:width]
    hidden = {"marker": {"opacity": THEME.click_marker_opacity}}
    markers = {
        "type": "scatter",
        "x": cols.ravel(),
        "y": rows.ravel(),
        "customdata": np.stack([rows.ravel(), cols.ravel()], axis=1),
        "mode": "markers",
        "marker": {
            "size": max(6, min(40, 300 // max(height, width))),
            "symbol": "square",
            "color": PALETTE.ink,
            "opacity": THEME.click_marker_opacity,
        },
        # the markers answer hover and click (hoverinfo "skip" would silence the click too)
        "text": [f"{v:.3f}" for v in values.ravel()],
        "hovertemplate": (
            t("inside.viz.row", lang)
            + " %{customdata[0]}, "
            + t("inside.viz.col", lang)
            + " %{customdata[1]}<br>"
            + t("inside.viz.value", lang)
            + " %{text}<extra></extra>"
        ),
        "selected": hidden,
        "unselected": hidden,
        "showlegend": False,
    }
    row, col = selected
    layout = image_layout(title, 340)
    layout["xaxis"] = {"visible": False, "constrain": "domain", "range": [-0.5, width - 0.5]}
    layout["yaxis"] = {
        "visible": False,
        "range": [height - 0.5, -0.5],
        "scaleanchor": "x",
    }
    layout["clickmode"] = "event+select"
    layout["shapes"] = [
        {
            "type": "rect",
            "x0": col - 0.5,
            "x1": col + 0.5,
            "y0": row - 0.5,
            "y1": row + 0.5,
            "line": {"color": PALETTE.field_line, "width": 3},
        }
    ]
    heat = _heat(values, lang, hoverinfo="skip")
    heat.pop("hovertemplate")
    return go.Figure({"data": [heat, markers], "layout": layout})


def shift_maps_figure(
    original: np.ndarray, shifted: np.ndarray, difference: np.ndarray, title: str, lang: str = "en"
) -> go.Figure:
    """Three maps side by side: the original picture's, the shifted picture's, and their
    difference after shifting back (grey where a cell is not compared)."""
    panels = (
        (original, t("inside.viz.original", lang)),
        (shifted, t("inside.viz.shifted", lang)),
        (difference, t("inside.viz.difference", lang)),
    )
    data = []
    layout = image_layout(title, 300)
    layout["annotations"] = []
    for i, (values, label) in enumerate(panels):
        suffix = "" if i == 0 else str(i + 1)
        left, right = i / 3 + 0.01, (i + 1) / 3 - 0.04
        data.append(
            _heat(
                values,
                lang,
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                colorbar={"thickness": 8, "len": 0.8, "x": right + 0.005},
            )
        )
        layout[f"xaxis{suffix}"] = {
            "visible": False,
            "domain": [left, right],
            "constrain": "domain",
        }
        layout[f"yaxis{suffix}"] = {
            "visible": False,
            "autorange": "reversed",
            "scaleanchor": f"x{suffix}",
        }
        layout["annotations"].append(
            {
                "text": label,
                "x": (left + right) / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 12, "color": PALETTE.caption},
            }
        )
    layout["plot_bgcolor"] = PALETTE.faint  # compared-out cells (NaN) show as grey
    layout["margin"] = {"l": 10, "r": 30, "t": 55, "b": 10}
    return go.Figure({"data": data, "layout": layout})


def invariance_figure(
    shifts: np.ndarray,
    series: Sequence[tuple[str, np.ndarray]],
    title: str,
    y_title: str,
    lang: str = "en",
    *,
    current: int | None = None,
    percent: bool = True,
) -> go.Figure:
    """Lines of one value per shift (probability of the predicted class, or the change of the
    features), one per network, with the chosen shift marked."""
    data = []
    for i, (label, values) in enumerate(series):
        data.append(
            {
                "type": "scatter",
                "x": np.asarray(shifts),
                "y": np.asarray(values, dtype=np.float64) * (100 if percent else 1),
                "mode": "lines+markers",
                "name": label,
                "line": {"color": PALETTE.series[i % len(PALETTE.series)], "width": 2},
            }
        )
    layout: dict[str, Any] = {
        "xaxis": {"title": {"text": t("inside.viz.shift_axis", lang)}, "dtick": 2},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
    }
    if percent:
        layout["yaxis"]["range"] = [0, 102]
    if current is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": current,
                "x1": current,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": PALETTE.muted, "dash": "dot"},
            }
        ]
    return plain_figure(data, title, height=320, **layout)


def ascent_figure(
    steps: Sequence[int], activations: Sequence[float], lang: str = "en"
) -> go.Figure:
    """The channel's mean activation during activation maximisation, step by step."""
    line = {
        "type": "scatter",
        "x": list(steps),
        "y": list(activations),
        "mode": "lines",
        "line": {"color": PALETTE.train, "width": 2},
        "name": t("inside.viz.activation", lang),
    }
    return plain_figure(
        [line],
        t("inside.viz.ascent_title", lang),
        height=260,
        showlegend=False,
        xaxis={"title": {"text": t("inside.viz.step", lang)}},
        yaxis={"title": {"text": t("inside.viz.activation", lang)}},
    )


def probe_map_figure(
    points: np.ndarray,
    labels: np.ndarray,
    predicted: np.ndarray,
    class_labels: Sequence[str],
    title: str,
    lang: str = "en",
) -> go.Figure:
    """The features in 2-D, one colour per true class; a black cross marks each picture the
    network got wrong."""
    points = np.asarray(points, dtype=np.float32)
    labels = np.asarray(labels)
    predicted = np.asarray(predicted)
    data = []
    names = list(class_labels)
    for k, name in enumerate(names):
        chosen = labels == k
        if not chosen.any():
            continue
        data.append(
            {
                "type": "scattergl",
                "x": points[chosen, 0],
                "y": points[chosen, 1],
                "mode": "markers",
                "name": name,
                "marker": {"size": 6, "color": PALETTE.series[k % len(PALETTE.series)]},
                "customdata": [
                    names[int(p)] if 0 <= p < len(names) else "?" for p in predicted[chosen]
                ],
                "hovertemplate": (
                    f"{t('inside.viz.true', lang)}: {name}<br>"
                    + t("inside.viz.predicted", lang)
                    + ": %{customdata}<extra></extra>"
                ),
            }
        )
    wrong = labels != predicted
    if wrong.any():
        data.append(
            {
                "type": "scattergl",
                "x": points[wrong, 0],
                "y": points[wrong, 1],
                "mode": "markers",
                "name": t("inside.viz.wrong", lang),
                "marker": {
                    "size": 9,
                    "symbol": "x-thin",
                    "line": {"width": 2, "color": PALETTE.ink},
                },
                "hoverinfo": "skip",
            }
        )
    return plain_figure(
        data,
        title,
        height=420,
        hovermode="closest",
        xaxis={"showticklabels": False, "zeroline": False},
        yaxis={"showticklabels": False, "zeroline": False},
        legend={"orientation": "v"},
    )
