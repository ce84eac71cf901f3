"""More views of the optimizer race: the surface in 3-D with every path, and one step of one
optimizer drawn as arrows beside the step plain SGD would have made.

Lesson: the "Optimizers" page (3-D view, step inspector).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import RaceResult, StepDetail, Surface, SurfaceGrid
from cnnviz.i18n import t
from cnnviz.viz.optimizers import contour_trace, optimizer_color, optimizer_name, shown_height
from cnnviz.viz.theme import PALETTE, readable

__all__ = ["step_figure", "surface_3d_figure"]

_HEIGHT = 520


@readable
def surface_3d_figure(
    surface: Surface, grid: SurfaceGrid, result: RaceResult | None, lang: str = "en"
) -> go.Figure:
    """The surface in 3-D (log-scaled height on the steep surfaces) with every racer's path."""
    shown = shown_height(surface, grid.z)
    data: list[dict[str, Any]] = [
        {
            "type": "surface",
            "x": grid.x,
            "y": grid.y,
            "z": shown.astype(np.float32),
            "colorscale": PALETTE.positive_scale,
            "opacity": 0.85,
            "showscale": False,
            "hoverinfo": "skip",
        }
    ]
    floor = float(np.nanmin(grid.z))
    if result is not None:
        for k, racer in enumerate(result.race.racers):
            path = result.positions[k]
            height = result.losses[k]
            if surface.log_contours:
                height = np.log10(1.0 + np.maximum(height - floor, 0.0))
            inside = (
                (path[:, 0] >= surface.x_range[0])
                & (path[:, 0] <= surface.x_range[1])
                & (path[:, 1] >= surface.y_range[0])
                & (path[:, 1] <= surface.y_range[1])
            )
            z = np.where(inside, height, np.nan)
            data.append(
                {
                    "type": "scatter3d",
                    "x": path[:, 0].astype(np.float32),
                    "y": path[:, 1].astype(np.float32),
                    "z": z.astype(np.float32),
                    "mode": "lines",
                    "line": {"color": optimizer_color(racer.kind), "width": 6},
                    "name": optimizer_name(racer.kind, lang),
                }
            )
    label = t("opt.viz.log_loss" if surface.log_contours else "opt.viz.loss", lang)
    layout = {
        "template": {},
        "height": _HEIGHT,
        "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
        "scene": {
            "xaxis": {"title": {"text": "x"}},
            "yaxis": {"title": {"text": "y"}},
            "zaxis": {"title": {"text": label}},
            "camera": {"eye": {"x": 1.4, "y": -1.5, "z": 1.0}},
        },
        "legend": {"orientation": "h", "y": 1.0},
    }
    return go.Figure({"data": data, "layout": layout})


@readable
def step_figure(
    surface: Surface,
    grid: SurfaceGrid,
    result: RaceResult,
    index: int,
    detail: StepDetail,
    lang: str = "en",
) -> go.Figure:
    """One step drawn on the contour: the point before, the optimizer's real move (arrow), and the
    move plain SGD would have made with the same gradient and learning rate (dashed)."""
    racer = result.race.racers[index]
    color = optimizer_color(racer.kind)
    path = result.positions[index, : detail.step + 1]
    bx, by = detail.before
    ax, ay = detail.after
    gx, gy = bx - detail.lr * detail.grad[0], by - detail.lr * detail.grad[1]
    data = [
        contour_trace(surface, grid, lang),
        {
            "type": "scatter",
            "x": path[:, 0],
            "y": path[:, 1],
            "mode": "lines",
            "line": {"color": color, "width": 1.5, "dash": "dot"},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": [bx, gx],
            "y": [by, gy],
            "mode": "lines+markers",
            "line": {"color": PALETTE.muted, "width": 2, "dash": "dash"},
            "marker": {"size": [9, 6], "color": PALETTE.muted},
            "name": t("opt.viz.plain_step", lang),
        },
        {
            "type": "scatter",
            "x": [bx, ax],
            "y": [by, ay],
            "mode": "lines+markers",
            "line": {"color": color, "width": 3},
            "marker": {"size": [9, 11], "color": color},
            "name": t("opt.viz.real_step", lang, name=optimizer_name(racer.kind, lang)),
        },
    ]
    span = max(abs(ax - bx), abs(ay - by), abs(gx - bx), abs(gy - by), 1e-3) * 2.5
    finite = all(math.isfinite(v) for v in (bx, by, span))
    layout = {
        "template": {},
        "height": 360,
        "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        "title": {"text": t("opt.viz.step_title", lang, step=detail.step), "font": {"size": 14}},
        "xaxis": {"range": [bx - span, bx + span] if finite else list(surface.x_range)},
        "yaxis": {
            "range": [by - span, by + span] if finite else list(surface.y_range),
            "scaleanchor": "x",
        },
        "legend": {"orientation": "h", "y": -0.15},
        "dragmode": False,
    }
    return go.Figure({"data": data, "layout": layout})
