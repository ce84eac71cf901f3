"""Figures of the Overfitting lab: compared curves, capacity sweep, weight histograms, ensemble bars.

Pure functions returning plotly figures; all text comes from the catalog in the caller's language.
Visual conventions (kept in this module only): training curves dashed, validation solid, one
colour per run, a star at the epoch with the lowest validation loss.

Lesson: the "Overfitting lab" page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cnnviz.i18n import t
from cnnviz.lab import SweepPoint
from cnnviz.net import near_zero_fraction
from cnnviz.train import EpochLike
from cnnviz.viz.theme import PALETTE, TYPE, readable_fonts

__all__ = [
    "COLORS",
    "CurveSeries",
    "curves_figure",
    "ensemble_figure",
    "legend_texts",
    "sweep_figure",
    "weights_figure",
]

COLORS: tuple[str, ...] = PALETTE.series
TRAIN_DASH = "dash"
BEST_SYMBOL = "star"
HEIGHT = 360


@dataclass(frozen=True)
class CurveSeries:
    """One run's curves: its name, the legend text (name + how it differs), and its epochs."""

    name: str
    legend: str
    epochs: Sequence[EpochLike]


def _finite(values: Sequence[float]) -> list[float | None]:
    return [v if isinstance(v, (int, float)) and math.isfinite(v) else None for v in values]


def curves_figure(
    series: Sequence[CurveSeries], lang: str = "en", *, show_legend: bool = True
) -> go.Figure:
    """Loss (left) and accuracy (right) per epoch: train dashed, validation solid, best epoch starred.

    One legend entry per run (its legend text); hover shows run, train/validation, epoch, value and
    seconds per epoch. Clicking a legend entry hides the run's curves.
    """
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(t("lab.cmp.loss", lang), t("lab.cmp.accuracy", lang)),
        horizontal_spacing=0.08,
    )
    train_word, val_word = t("lab.legend.train", lang), t("lab.legend.val", lang)
    epoch_word, seconds_word = t("lab.hover.epoch", lang), t("lab.hover.seconds", lang)
    for index, run in enumerate(series):
        color = COLORS[index % len(COLORS)]
        epochs = list(run.epochs)
        x = [e.epoch for e in epochs]
        seconds = [[getattr(e, "seconds", float("nan"))] for e in epochs]
        panels = (
            (1, [e.train_loss for e in epochs], [e.val_loss for e in epochs], ":.3f", 1.0),
            (2, [e.train_acc for e in epochs], [e.val_acc for e in epochs], ":.1f", 100.0),
        )
        for col, train_values, val_values, fmt, scale in panels:
            for word, values, dash in (
                (train_word, train_values, TRAIN_DASH),
                (val_word, val_values, "solid"),
            ):
                y = _finite([v * scale for v in values])
                fig.add_trace(
                    go.Scatter(
                        x=x,
                        y=y,
                        mode="lines+markers" if len(x) <= 1 else "lines",
                        name=run.legend,
                        legendgroup=run.name,
                        showlegend=show_legend and col == 1 and dash == "solid",
                        line={"color": color, "dash": dash, "width": 2},
                        customdata=seconds,
                        hovertemplate=(
                            f"<b>{run.name}</b> · {word}<br>{epoch_word} %{{x}}"
                            f"<br>%{{y{fmt}}}<br>%{{customdata[0]:.2f}} {seconds_word}"
                            "<extra></extra>"
                        ),
                    ),
                    row=1,
                    col=col,
                )
        finite = [(e.val_loss, i) for i, e in enumerate(epochs) if math.isfinite(e.val_loss)]
        if finite:
            _, best = min(finite)
            for col, value in ((1, epochs[best].val_loss), (2, 100 * epochs[best].val_acc)):
                fig.add_trace(
                    go.Scatter(
                        x=[epochs[best].epoch],
                        y=[value],
                        mode="markers",
                        name=t("lab.legend.best", lang),
                        legendgroup=run.name,
                        showlegend=False,
                        marker={
                            "symbol": BEST_SYMBOL,
                            "size": 15,
                            "color": color,
                            "line": {"color": "white", "width": 1},
                        },
                        hovertemplate=(
                            f"<b>{run.name}</b> · {t('lab.legend.best', lang)}"
                            f"<br>{epoch_word} %{{x}}<extra></extra>"
                        ),
                    ),
                    row=1,
                    col=col,
                )
    fig.update_xaxes(title_text=t("lab.axis.epoch", lang))
    fig.update_yaxes(title_text=t("lab.axis.loss", lang), rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text=t("lab.axis.accuracy", lang), range=[0, 101], row=1, col=2)
    fig.update_layout(
        height=HEIGHT + (24 * len(series) if show_legend else 0),
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        showlegend=show_legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
        hovermode="closest",
    )
    return readable_fonts(fig)


def sweep_figure(points: Sequence[SweepPoint], lang: str = "en") -> go.Figure:
    """Final training and validation error (%) against parameters on a log axis; best val starred."""
    points = sorted(points, key=lambda p: p.params)
    x = [p.params for p in points]
    labels = [t("lab.sweep.hover", lang, width=f"{p.width:g}") for p in points]
    fig = go.Figure()
    for name, values, dash, color in (
        (t("lab.sweep.train_err", lang), [p.train_error for p in points], TRAIN_DASH, COLORS[0]),
        (t("lab.sweep.val_err", lang), [p.val_error for p in points], "solid", COLORS[1]),
    ):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_finite([100 * v for v in values]),
                mode="lines+markers",
                name=name,
                line={"dash": dash, "color": color, "width": 2},
                marker={"size": 9},
                text=labels,
                hovertemplate="%{text}<br>%{x:,} params<br>%{y:.1f}%<extra>" + name + "</extra>",
            )
        )
    finite = [p for p in points if math.isfinite(p.val_error)]
    if finite:
        best = min(finite, key=lambda p: p.val_error)
        fig.add_trace(
            go.Scatter(
                x=[best.params],
                y=[100 * best.val_error],
                mode="markers",
                name=t("lab.sweep.best", lang),
                marker={"symbol": BEST_SYMBOL, "size": 18, "color": COLORS[1]},
                hoverinfo="skip",
            )
        )
    fig.update_xaxes(type="log", dtick=1, tickformat="~s", title_text=t("lab.sweep.axis_x", lang))
    fig.update_yaxes(title_text=t("lab.sweep.axis_y", lang), rangemode="tozero")
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return readable_fonts(fig)


def weights_figure(
    groups: Sequence[tuple[str, np.ndarray]],
    lang: str = "en",
    *,
    tol: float = 1e-3,
    bins: int = 81,
) -> go.Figure:
    """Histograms (% of weights per bin, step lines, log scale) of each group's weights.

    The range covers the 0.5th to 99.5th percentile of all weights, symmetric around zero, so the
    spike at zero that L1 produces and the narrower bell of L2 are both visible.
    """
    fig = go.Figure()
    everything = np.concatenate([values for _, values in groups if values.size] or [np.zeros(1)])
    limit = float(np.percentile(np.abs(everything), 99.5)) or 1.0
    edges = np.linspace(-limit, limit, bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    for index, (label, values) in enumerate(groups):
        counts, _ = np.histogram(values, bins=edges)  # the 1% beyond the range is left out
        share = 100 * counts / max(1, values.size)
        zero = 100 * near_zero_fraction(values, tol)
        fig.add_trace(
            go.Scatter(
                x=centres,
                y=np.where(share > 0, share, np.nan),
                mode="lines",
                line={"color": COLORS[index % len(COLORS)], "width": 2.5, "shape": "hvh"},
                name=t("lab.reg.legend", lang, label=label, zero=zero),
                hovertemplate="%{x:.4f}<br>%{y:.2f}%<extra>" + label + "</extra>",
                connectgaps=False,
            )
        )
    fig.update_layout(
        height=HEIGHT,
        margin={"l": 60, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    fig.update_xaxes(title_text=t("lab.reg.axis_x", lang))
    fig.update_yaxes(title_text=t("lab.reg.axis_y", lang), type="log")
    return readable_fonts(fig)


def ensemble_figure(
    member_names: Sequence[str],
    member_accs: Sequence[float],
    ensemble_acc: float,
    lang: str = "en",
) -> go.Figure:
    """Bars: each member's validation accuracy (%) and the ensemble's, values printed on the bars."""
    names = [*member_names, t("lab.ens.ensemble", lang)]
    values = [100 * a for a in (*member_accs, ensemble_acc)]
    colors = [COLORS[0]] * len(member_names) + [COLORS[2]]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker={"color": colors},
            text=[f"{v:.1f}%" for v in values],
            textposition="outside",
            textfont={"size": TYPE.body_px},
            hovertemplate="%{x}<br>%{y:.1f}%<extra></extra>",
        )
    )
    low = max(0.0, min(values) - 10)
    fig.update_yaxes(title_text=t("lab.ens.axis_y", lang), range=[low, min(100.0, max(values) + 8)])
    fig.update_layout(height=360, margin={"l": 60, "r": 20, "t": 20, "b": 40})
    return readable_fonts(fig)


def legend_texts(names: Sequence[str], diffs: Mapping[str, str]) -> dict[str, str]:
    """``name: differences`` for each run (just the name when nothing differs)."""
    return {name: f"{name}: {diffs[name]}" if diffs.get(name) else name for name in names}
