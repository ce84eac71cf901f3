"""Figures of the /regularize page: a dropout mask and 1,000 of them, batch-norm histograms, and
local response normalisation of one position's channels.

Lesson: the /regularize page.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import BatchNormDemo, DropoutDemo, LrnExplained
from cnnviz.i18n import t
from cnnviz.viz.theme import PALETTE, readable
from cnnviz.viz.train import plain_figure

__all__ = ["bn_histogram_figure", "dropout_convergence_figure", "dropout_figure", "lrn_figure"]


@readable
def dropout_figure(demo: DropoutDemo, lang: str = "en") -> go.Figure:
    """Per unit: the eval output ``h``, this mask's train output ``h m / (1 - p)`` (dropped units
    marked with an x), and the mean over 1,000 masks."""
    units = np.arange(1, len(demo.eval) + 1)
    dropped = ~demo.keep
    data = [
        {
            "type": "bar",
            "x": units,
            "y": demo.eval,
            "name": t("reg.viz.eval", lang),
            "marker": {"color": PALETTE.bar_light},
        },
        {
            "type": "bar",
            "x": units,
            "y": demo.train,
            "name": t("reg.viz.train", lang),
            "marker": {"color": PALETTE.bar},
        },
        {
            "type": "scatter",
            "x": units,
            "y": demo.running_mean[-1],
            "mode": "markers",
            "name": t("reg.viz.mean", lang, count=len(demo.running_mean)),
            "marker": {"symbol": "diamond", "size": 10, "color": PALETTE.val},
        },
        {
            "type": "scatter",
            "x": units[dropped],
            "y": np.zeros(int(dropped.sum())),
            "mode": "markers",
            "name": t("reg.viz.dropped", lang),
            "marker": {"symbol": "x", "size": 11, "color": PALETTE.muted},
        },
    ]
    return plain_figure(
        data,
        t("reg.viz.dropout", lang, p=f"{demo.p:g}", seed=demo.seed),
        height=360,
        hovermode="x",
        barmode="group",
        xaxis={"title": {"text": t("reg.viz.unit", lang)}, "dtick": 1},
    )


@readable
def dropout_convergence_figure(demo: DropoutDemo, lang: str = "en") -> go.Figure:
    """``||mean of the first k masks - h|| / ||h||`` against k (log-log), with ``1/sqrt(k)``
    scaled to start at the first point: the average closes in on the eval output."""
    k = np.arange(1, len(demo.distance) + 1)
    reference = demo.distance[0] / np.sqrt(k)
    data = [
        {
            "type": "scatter",
            "x": k,
            "y": demo.distance,
            "mode": "lines",
            "name": t("reg.viz.gap", lang),
            "line": {"color": PALETTE.train, "width": 2},
        },
        {
            "type": "scatter",
            "x": k,
            "y": reference,
            "mode": "lines",
            "name": "∝ 1/√k",
            "line": {"color": PALETTE.muted, "dash": "dash", "width": 1.5},
        },
    ]
    return plain_figure(
        data,
        t("reg.viz.convergence", lang),
        height=330,
        hovermode="x",
        xaxis={"type": "log", "dtick": 1, "title": {"text": t("reg.viz.masks", lang)}},
        yaxis={"type": "log", "dtick": 1, "exponentformat": "power"},
    )


@readable
def bn_histogram_figure(demo: BatchNormDemo, channel: int, lang: str = "en") -> go.Figure:
    """One channel's values before BN, after it in train mode and after it in eval mode."""
    series = (
        ("reg.viz.before", demo.before, PALETTE.muted),
        ("reg.viz.after_train", demo.train_out, PALETTE.train),
        ("reg.viz.after_eval", demo.eval_out, PALETTE.val),
    )
    data = [
        {
            "type": "histogram",
            "x": values[:, channel].ravel(),
            "name": t(key, lang),
            "opacity": 0.55,
            "marker": {"color": colour},
            "nbinsx": 60,
        }
        for key, values, colour in series
    ]
    return plain_figure(
        data,
        t("reg.viz.bn", lang, channel=channel + 1, batches=demo.batches_seen),
        height=360,
        hovermode="closest",
        barmode="overlay",
        xaxis={"title": {"text": t("reg.viz.value", lang)}},
    )


@readable
def lrn_figure(result: LrnExplained, lang: str = "en") -> go.Figure:
    """Each channel's ``a_i`` against ``b_i`` (the paper's layer) and PyTorch with the paper's
    alpha passed straight in."""
    channels = [str(i) for i in range(len(result.activations))]
    data = [
        {
            "type": "bar",
            "x": channels,
            "y": result.activations,
            "name": t("reg.viz.lrn_in", lang),
            "marker": {"color": PALETTE.bar_light},
        },
        {
            "type": "bar",
            "x": channels,
            "y": result.paper,
            "name": t("reg.viz.lrn_paper", lang),
            "marker": {"color": PALETTE.bar},
        },
        {
            "type": "bar",
            "x": channels,
            "y": result.torch_naive,
            "name": t("reg.viz.lrn_naive", lang),
            "marker": {"color": PALETTE.val, "opacity": 0.7},
        },
    ]
    return plain_figure(
        data,
        t("reg.viz.lrn", lang),
        height=340,
        hovermode="x",
        barmode="group",
        xaxis={"title": {"text": t("reg.viz.channel", lang)}, "type": "category"},
    )
