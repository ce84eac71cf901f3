"""What a trained network does: the confusion matrix, per-class accuracy, top-k probabilities
and the activations of one image.

Lesson: the "Train live" page (after training, and "Try it yourself").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.viz.maps import feature_map_figure
from cnnviz.viz.theme import PALETTE
from cnnviz.viz.train import plain_figure

__all__ = ["activation_figure", "confusion_figure", "per_class_figure", "probability_figure"]


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
        "colorscale": PALETTE.count_scale,
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
    return plain_figure(
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
        "marker": {"color": PALETTE.bar},
        "text": [f"{v:.0f}%" if v is not None else "" for v in values],
        "textposition": "outside",
        "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
    }
    return plain_figure(
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
    colors = [PALETTE.bar_best if i == best else PALETTE.bar for i in range(len(probs))]
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
    return plain_figure(
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
        "marker": {"color": PALETTE.bar},
        "hovertemplate": t("train.viz.unit", lang) + " %{x}: %{y:.3f}<extra></extra>",
    }
    return plain_figure(
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
