"""The live class's answer histogram: one bar per option or value, the right one marked.

Lesson: the live class (/class).
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.teach import Histogram
from cnnviz.viz.theme import PALETTE, THEME

__all__ = ["histogram_figure"]


def histogram_figure(
    histogram: Histogram, lang: str = "en", mark_correct: bool = True
) -> go.Figure:
    """Bars of ``histogram``; with ``mark_correct`` the right bar is green and the title gives the
    fraction correct."""
    colors = [
        THEME.output_line if mark_correct and k == histogram.correct_bar else PALETTE.bar_light
        for k in range(len(histogram.labels))
    ]
    title = t("class.histogram_title", lang, total=histogram.total)
    if mark_correct and histogram.total:
        title = t(
            "class.histogram_correct",
            lang,
            total=histogram.total,
            percent=round(100 * histogram.fraction_correct),
        )
    figure = go.Figure(
        go.Bar(
            x=[html.escape(label[:30]) for label in histogram.labels],  # typed text: no markup
            y=list(histogram.counts),
            text=list(histogram.counts),
            textposition="outside",
            marker_color=colors,
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": title, "font": {"size": 16}},
        height=320,
        margin={"l": 40, "r": 10, "t": 50, "b": 60},
        yaxis={
            "rangemode": "tozero",
            "fixedrange": True,
            "dtick": 1 if max(histogram.counts or (0,)) < 10 else None,
        },
        xaxis={"type": "category", "fixedrange": True},
        plot_bgcolor="white",
        font={"family": THEME.font_family},
    )
    return figure
