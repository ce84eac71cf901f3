"""Figures of the /losses page: softmax bars, loss curves, the sigmoid neuron, metric learning,
the embedding as it learns, and image losses.

Lesson: the /losses page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import EmbeddingStep, ImageLosses, MetricLosses, NeuronRun, SoftmaxResult
from cnnviz.data import SHAPE_CLASSES
from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, THEME, TYPE, readable
from cnnviz.viz.train import plain_figure

__all__ = [
    "CLICK_GRID",
    "embedding_figure",
    "image_losses_figure",
    "loss_curves_figure",
    "metric_figure",
    "neuron_figure",
    "softmax_bars",
    "tcnn_figure",
]

#: Coordinates of the invisible click targets of the metric figure (every 0.25 from -3 to 3).
CLICK_GRID = np.round(np.arange(-3.0, 3.0001, 0.25), 2)


def _colour(index: int) -> str:
    return PALETTE.series[index % len(PALETTE.series)]


@readable
def softmax_bars(result: SoftmaxResult, lang: str = "en") -> go.Figure:
    """The probabilities, the target's bar in the output colour, each value written on its bar."""
    probs = result.probabilities
    colours = [
        THEME.output_line if k == result.target else PALETTE.bar_light for k in range(len(probs))
    ]
    data = [
        {
            "type": "bar",
            "x": [str(k) for k in range(len(probs))],
            "y": probs,
            "marker": {"color": colours},
            "text": [f"{p:.4f}" for p in probs],
            "textposition": "outside",
            "name": "softmax",
        }
    ]
    return plain_figure(
        data,
        t("loss.viz.softmax", lang, target=result.target, temperature=f"{result.temperature:g}"),
        height=330,
        hovermode="x",
        showlegend=False,
        xaxis={"title": {"text": t("loss.viz.class", lang)}, "type": "category"},
        yaxis={"range": [0, min(1.15, float(probs.max()) * 1.25 + 0.02)]},
    )


@readable
def loss_curves_figure(
    p: np.ndarray, curves: Mapping[str, np.ndarray], lang: str = "en"
) -> go.Figure:
    """Each loss against the predicted probability of the true class (log y axis)."""
    data = [
        {
            "type": "scatter",
            "x": p,
            "y": np.maximum(values, 1e-6),
            "mode": "lines",
            "name": t(f"loss.name.{key}", lang),
            "line": {"color": _colour(index), "width": 2},
        }
        for index, (key, values) in enumerate(curves.items())
    ]
    return plain_figure(
        data,
        t("loss.viz.curves", lang),
        height=420,
        hovermode="x",
        xaxis={"title": {"text": t("loss.viz.p_true", lang)}, "range": [0, 1]},
        yaxis={
            "type": "log",
            "title": {"text": t("loss.viz.loss", lang)},
            "exponentformat": "power",
        },
    )


@readable
def neuron_figure(run: NeuronRun, step: int, lang: str = "en") -> go.Figure:
    """One run's loss per step, with a marker at ``step``."""
    steps = np.arange(len(run.loss))
    colour = PALETTE.train if run.loss_name == "mse" else PALETTE.val
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": steps,
            "y": run.loss,
            "mode": "lines",
            "name": t("loss.viz.loss", lang),
            "line": {"color": colour, "width": 2.5},
        },
        {
            "type": "scatter",
            "x": [step],
            "y": [run.loss[step]],
            "mode": "markers",
            "showlegend": False,
            "marker": {"color": colour, "size": 12, "line": {"color": PALETTE.ink, "width": 1}},
        },
    ]
    return plain_figure(
        data,
        t(f"loss.viz.neuron.{run.loss_name}", lang),
        height=320,
        hovermode="x",
        showlegend=False,
        xaxis={"title": {"text": t("loss.viz.step", lang)}},
        yaxis={"title": {"text": t("loss.viz.loss", lang)}, "rangemode": "tozero"},
    )


def _circle(x: float, y: float, radius: float, colour: str) -> dict[str, Any]:
    return {
        "type": "circle",
        "x0": x - radius,
        "x1": x + radius,
        "y0": y - radius,
        "y1": y + radius,
        "line": {"color": colour, "dash": "dot", "width": 1.5},
        "layer": "below",
    }


@readable
def metric_figure(result: MetricLosses, loss: str, lang: str = "en") -> go.Figure:
    """Anchor, positive and negative; arrows along ``-grad`` of ``loss`` ("triplet" or
    "contrastive"); the margin drawn around the anchor; an invisible grid of click targets."""
    grads = result.triplet_grads if loss == "triplet" else result.contrastive_grads
    names = [t(f"loss.metric.{role}", lang) for role in ("anchor", "positive", "negative")]
    colours = [PALETTE.ink, PALETTE.train, PALETTE.val]
    (ax, ay), _, _ = result.points
    grid_x, grid_y = np.meshgrid(CLICK_GRID, CLICK_GRID)
    hidden = {"marker": {"opacity": THEME.click_marker_opacity}}
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": grid_x.ravel(),
            "y": grid_y.ravel(),
            "mode": "markers",
            # squares that tile the plane (like the steppers' click layer): a click anywhere
            # lands on one; selecting it must not make it visible
            "marker": {
                "symbol": "square",
                "size": 18,
                "color": PALETTE.ink,
                "opacity": THEME.click_marker_opacity,
            },
            "selected": hidden,
            "unselected": hidden,
            "hovertemplate": "(%{x}, %{y})<extra></extra>",
            "showlegend": False,
            "name": "grid",
        }
    ]
    annotations = []
    for index, ((x, y), (gx, gy)) in enumerate(zip(result.points, grads, strict=True)):
        data.append(
            {
                "type": "scatter",
                "x": [x],
                "y": [y],
                "mode": "markers+text",
                "name": names[index],
                "text": [names[index]],
                "textposition": "top center",
                "marker": {"size": 16, "color": colours[index]},
                "unselected": {"marker": {"opacity": 1}},
            }
        )
        if abs(gx) + abs(gy) > 1e-9:
            annotations.append(
                {
                    "x": x - 0.5 * gx,
                    "y": y - 0.5 * gy,
                    "ax": x,
                    "ay": y,
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 3,
                    "arrowwidth": 2,
                    "arrowcolor": colours[index],
                    "text": "",
                }
            )
    if loss == "triplet":
        shapes = [_circle(ax, ay, result.d_pos + result.margin, PALETTE.val)]
    else:
        shapes = [_circle(ax, ay, result.margin, PALETTE.val)]
    return plain_figure(
        data,
        t(f"loss.viz.metric.{loss}", lang),
        height=460,
        hovermode="closest",
        dragmode=False,
        shapes=shapes,
        annotations=annotations,
        xaxis={"range": [-3.3, 3.3], "zeroline": False},
        yaxis={"range": [-3.3, 3.3], "zeroline": False, "scaleanchor": "x"},
        clickmode="event+select",
    )


@readable
def embedding_figure(step: EmbeddingStep, lang: str = "en") -> go.Figure:
    """The probe pictures' 2-D embedding, one colour per shape class."""
    data = []
    for label, name in enumerate(SHAPE_CLASSES):
        chosen = step.labels == label
        data.append(
            {
                "type": "scatter",
                "x": step.points[chosen, 0],
                "y": step.points[chosen, 1],
                "mode": "markers",
                "name": t(f"data.class.{name}", lang),
                "marker": {"color": _colour(label), "size": 7, "opacity": 0.8},
            }
        )
    return plain_figure(
        data,
        t("loss.viz.embedding", lang, step=step.step),
        height=420,
        hovermode="closest",
        yaxis={"scaleanchor": "x"},
    )


@readable
def tcnn_figure(steps: Sequence[EmbeddingStep], lang: str = "en") -> go.Figure:
    """R, L1, L2, the triplet loss and the trained objective per logged step."""
    x = [s.step for s in steps]
    parts = {
        "loss": [s.loss for s in steps],
        "r": [s.r for s in steps],
        "l1": [s.l1 for s in steps],
        "l2": [s.l2 for s in steps],
        "triplet": [s.triplet for s in steps],
    }
    data = [
        {
            "type": "scatter",
            "x": x,
            "y": values,
            "mode": "lines",
            "name": t(f"loss.tcnn.{key}", lang),
            "line": {"color": _colour(index), "width": 3 if key == "loss" else 1.8},
        }
        for index, (key, values) in enumerate(parts.items())
    ]
    return plain_figure(
        data,
        t("loss.viz.tcnn", lang),
        height=360,
        xaxis={"title": {"text": t("loss.viz.step", lang)}},
    )


@readable
def image_losses_figure(result: ImageLosses, lang: str = "en") -> go.Figure:
    """Target, prediction and the gradient of each loss with respect to the prediction, as
    heatmaps side by side (gradients on one signed scale each)."""
    panels = [
        ("loss.img.target", result.target, "positive"),
        ("loss.img.prediction", result.prediction, "positive"),
        ("loss.img.grad_mse", result.mse_grad, "signed"),
        ("loss.img.grad_dice", result.dice_grad, "signed"),
        ("loss.img.grad_ssim", result.ssim_grad, "signed"),
    ]
    data = []
    annotations = []
    width = 1.0 / len(panels)
    layout: dict[str, Any] = {}
    for index, (key, values, kind) in enumerate(panels):
        axis = "" if index == 0 else str(index + 1)
        limit = float(np.abs(values).max()) or 1.0
        data.append(
            {
                "type": "heatmap",
                "z": values[::-1],
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
                "colorscale": THEME.positive_scale if kind == "positive" else THEME.signed_scale,
                "zmin": 0 if kind == "positive" else -limit,
                "zmax": 1 if kind == "positive" else limit,
                "showscale": False,
                "hovertemplate": "%{z:.3g}<extra></extra>",
            }
        )
        domain = [index * width + 0.01, (index + 1) * width - 0.01]
        layout[f"xaxis{axis}"] = {"domain": domain, "visible": False}
        layout[f"yaxis{axis}"] = {"visible": False, "scaleanchor": f"x{axis}"}
        annotations.append(
            {
                "text": t(key, lang),
                "x": sum(domain) / 2,
                "y": 1.08,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": TYPE.body_px},
            }
        )
    return plain_figure(
        data,
        "",
        height=250,
        hovermode="closest",
        annotations=annotations,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        **layout,
    )
