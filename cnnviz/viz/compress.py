"""Figures of the pruning lab: accuracy against sparsity, per-layer fractions, the first layer's
filters with the pruned ones greyed out, distillation curves and soft targets.

Pure functions returning plotly figures; every text from the catalog in the caller's language.
Conventions: one colour per pruning method; before fine-tuning solid, after fine-tuning dashed;
a cross where a method first loses more than one point.

Lesson: the pruning lab (page /prune).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnnviz.compress import METHODS, DistillEpoch, LayerSparsity, SweepPoint, first_loss_over
from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, TYPE

__all__ = [
    "accuracy_sparsity_figure",
    "distill_figure",
    "layer_fraction_figure",
    "pruned_filters_figure",
    "soft_targets_figure",
]

HEIGHT = 420
FONT = {"size": TYPE.body_px}
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}


def _color(index: int) -> str:
    return PALETTE.series[index % len(PALETTE.series)]


def accuracy_sparsity_figure(
    points: Sequence[SweepPoint], base_acc: float, lang: str = "en"
) -> go.Figure:
    """Validation accuracy (%) against measured sparsity (%) for every method, without
    fine-tuning (solid) and after it (dashed); a cross where each first loses > 1 point."""
    fig = go.Figure()
    fig.add_hline(
        y=100 * base_acc - 1.0,
        line={"color": PALETTE.muted, "dash": "dot", "width": 1},
        annotation_text=t("prune.chart.one_point", lang),
        annotation_position="bottom left",
    )
    for index, method in enumerate(METHODS):
        for finetuned in (False, True):
            mine = sorted(
                (p for p in points if p.method == method and p.finetuned == finetuned),
                key=lambda p: p.requested,
            )
            if not mine:
                continue
            label = t(f"prune.method.{method}", lang)
            if finetuned:
                label = t("prune.chart.finetuned", lang, method=label)
            fig.add_trace(
                go.Scatter(
                    x=[100 * p.sparsity for p in mine],
                    y=[100 * p.val_acc for p in mine],
                    mode="lines+markers",
                    name=label,
                    line={"color": _color(index), "dash": "dash" if finetuned else "solid"},
                    hovertemplate="%{x:.1f}% → %{y:.1f}%<extra>" + label + "</extra>",
                )
            )
            cliff = first_loss_over(mine, base_acc)
            if cliff is not None:
                acc = next(p.val_acc for p in mine if p.sparsity == cliff)
                fig.add_trace(
                    go.Scatter(
                        x=[100 * cliff],
                        y=[100 * acc],
                        mode="markers",
                        marker={"symbol": "x", "size": 14, "color": _color(index)},
                        showlegend=False,
                        hovertemplate=t("prune.chart.cliff", lang, method=label)
                        + "<extra></extra>",
                    )
                )
    fig.update_layout(height=HEIGHT, margin={"l": 60, "r": 20, "t": 40, "b": 40}, font=FONT)
    fig.update_layout(legend=LEGEND)
    fig.update_xaxes(title_text=t("prune.chart.sparsity", lang), range=[-2, 100])
    fig.update_yaxes(title_text=t("prune.chart.accuracy", lang), range=[0, 102])
    return fig


def layer_fraction_figure(layers: Sequence[LayerSparsity], lang: str = "en") -> go.Figure:
    """The fraction of each layer's weights that are zero (bars), with its weight count."""
    names = [f"{layer.name} ({layer.total:,})" for layer in layers]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=[100 * layer.fraction for layer in layers],
            marker_color=PALETTE.bar,
            text=[f"{100 * layer.fraction:.0f}%" for layer in layers],
            textposition="outside",
        )
    )
    fig.update_layout(height=320, margin={"l": 60, "r": 20, "t": 20, "b": 40}, font=FONT)
    fig.update_yaxes(title_text=t("prune.layers.axis", lang), range=[0, 110])
    return fig


def pruned_filters_figure(
    weights: np.ndarray, pruned: Sequence[bool], lang: str = "en"
) -> go.Figure:
    """The first conv's filters (input channel 0 of each, (F, kh, kw)); pruned ones greyed out."""
    count = len(weights)
    cols = min(8, max(1, count))
    rows = (count + cols - 1) // cols
    titles = [t("prune.filters.pruned", lang) if pruned[i] else f"#{i + 1}" for i in range(count)]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles)
    limit = float(np.abs(weights).max()) or 1.0
    for i in range(count):
        grey: list[list[object]] = [[0, PALETTE.faint], [1, PALETTE.faint]]
        z = np.ones_like(weights[i]) if pruned[i] else weights[i]
        scale: str | list[list[object]] = grey if pruned[i] else PALETTE.signed_scale
        fig.add_trace(
            go.Heatmap(
                z=z[::-1],
                colorscale=scale,
                zmin=-limit if not pruned[i] else 0,
                zmax=limit if not pruned[i] else 1,
                showscale=False,
                hovertemplate="%{z:.3f}<extra></extra>",
            ),
            row=i // cols + 1,
            col=i % cols + 1,
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=120 * rows + 40, margin={"l": 10, "r": 10, "t": 30, "b": 10})
    return fig


def distill_figure(epochs: Sequence[DistillEpoch], lang: str = "en") -> go.Figure:
    """Validation accuracy per epoch of the student alone and distilled, overlaid."""
    fig = go.Figure()
    for index, run in enumerate(("alone", "distilled")):
        mine = [e for e in epochs if e.run == run]
        if mine:
            fig.add_trace(
                go.Scatter(
                    x=[e.epoch for e in mine],
                    y=[100 * e.val_acc for e in mine],
                    mode="lines+markers",
                    name=t(f"prune.distill.run.{run}", lang),
                    line={"color": _color(index)},
                )
            )
    fig.update_layout(height=360, margin={"l": 60, "r": 20, "t": 40, "b": 40}, font=FONT)
    fig.update_layout(legend=LEGEND)
    fig.update_xaxes(title_text=t("prune.distill.axis_epoch", lang), dtick=1)
    fig.update_yaxes(title_text=t("prune.chart.accuracy", lang))
    return fig


def soft_targets_figure(
    probs: np.ndarray, temperatures: Sequence[float], classes: Sequence[str], lang: str = "en"
) -> go.Figure:
    """Grouped bars: the teacher's softmax(z / T) over the classes, one colour per T."""
    fig = go.Figure()
    for index, (temperature, row) in enumerate(zip(temperatures, probs, strict=True)):
        fig.add_trace(
            go.Bar(
                x=list(classes),
                y=row,
                name=f"T = {temperature:g}",
                marker_color=_color(index),
                hovertemplate="%{x}: %{y:.3f}<extra>T = " + f"{temperature:g}" + "</extra>",
            )
        )
    fig.update_layout(
        barmode="group", height=340, margin={"l": 60, "r": 20, "t": 40, "b": 40}, font=FONT
    )
    fig.update_layout(legend=LEGEND)
    fig.update_yaxes(title_text=t("prune.distill.axis_prob", lang), range=[0, 1])
    return fig
