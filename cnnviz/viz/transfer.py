"""Figures of transfer learning: the validation-accuracy curves of the three approaches overlaid
(from scratch, frozen features, fine-tuning) and the sweep: the accuracy each reaches with 10, 50
or 200 labelled images per class, with the target accuracy as a line.

Pure functions returning plotly figures; all text comes from the catalog in the caller's language.
One colour per approach, the same in both figures.

Lesson: the "Beyond classification" page, section "Transfer learning".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.train import MODES
from cnnviz.viz.theme import PALETTE, readable_fonts

__all__ = ["transfer_curves_figure", "transfer_sweep_figure"]


def _colour(mode: str) -> str:
    return PALETTE.series[MODES.index(mode) % len(PALETTE.series)]


def transfer_curves_figure(
    curves: Mapping[tuple[str, int], Sequence[tuple[int, float]]],
    per_class: int,
    lang: str = "en",
) -> go.Figure:
    """Validation accuracy against the training step, one line per approach, for the runs with
    ``per_class`` labelled images per class."""
    fig = go.Figure()
    for mode in MODES:
        points = list(curves.get((mode, per_class), ()))
        name = t(f"transfer.mode.{mode}", lang)
        fig.add_trace(
            go.Scatter(
                x=[step for step, _ in points],
                y=[accuracy for _, accuracy in points],
                mode="lines+markers",
                name=name,
                line={"color": _colour(mode), "width": 2},
                hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{y:.3f}}<extra></extra>",
            )
        )
    fig.update_layout(
        title=t("transfer.plot.curves", lang, k=per_class),
        xaxis_title=t("transfer.axis.step", lang),
        yaxis_title=t("transfer.axis.accuracy", lang),
        yaxis_range=[0, 1.02],
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
    )
    return readable_fonts(fig)


def transfer_sweep_figure(
    results: Mapping[tuple[str, int], float], threshold: float, lang: str = "en"
) -> go.Figure:
    """Final validation accuracy against labelled images per class (log axis), one line per
    approach, and the target accuracy dashed."""
    counts = sorted({k for _, k in results})
    fig = go.Figure()
    for mode in MODES:
        xs = [k for k in counts if (mode, k) in results]
        if not xs:
            continue
        name = t(f"transfer.mode.{mode}", lang)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[results[(mode, k)] for k in xs],
                mode="lines+markers",
                name=name,
                line={"color": _colour(mode), "width": 2},
                hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{y:.3f}}<extra></extra>",
            )
        )
    fig.add_hline(
        y=threshold,
        line={"dash": "dash", "color": "grey"},
        annotation_text=t("transfer.plot.threshold", lang, value=threshold),
    )
    fig.update_layout(
        title=t("transfer.plot.sweep", lang),
        xaxis={"type": "log", "tickvals": counts, "title": t("transfer.axis.per_class", lang)},
        yaxis_title=t("transfer.axis.accuracy", lang),
        yaxis_range=[0, 1.02],
        height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0},
    )
    return readable_fonts(fig)
