"""Figures of the optimizer race: the contour with the animated trajectories beside a
loss-per-step chart (the 3-D view and one step drawn as arrows: :mod:`cnnviz.viz.optimizer_views`).

The contour figure carries a nearly invisible marker grid (clicking it returns a start point,
``customdata = [x, y]``: plotly returns nothing for clicks on contours) and plotly ``frames`` with
play / pause buttons and a scrub slider, so the race replays in the browser without a server
round trip. Colours: one per optimizer, the same on every figure (:func:`optimizer_color`).

Lesson: the "Optimizers" page.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.concepts import KINDS, RaceResult, Surface, SurfaceGrid
from cnnviz.i18n import t
from cnnviz.viz._animation import play_menu
from cnnviz.viz._panels import StepperFigure
from cnnviz.viz.theme import PALETTE, THEME, format_number, readable

__all__ = [
    "MAX_RACE_FRAMES",
    "RACE_CLICK_GRID",
    "contour_trace",
    "optimizer_color",
    "optimizer_name",
    "race_figure",
    "shown_height",
]

#: Click targets per axis of the contour (a start point snaps to this grid).
RACE_CLICK_GRID = 41
#: Animation frames of a race (steps are sampled evenly above this).
MAX_RACE_FRAMES = 60
_LOG_FLOOR = 1e-12
_HEIGHT = 520


def optimizer_color(kind: str) -> str:
    """The colour of optimizer ``kind`` on every figure."""
    index = KINDS.index(kind) if kind in KINDS else 0
    return PALETTE.series[index % len(PALETTE.series)]


def optimizer_name(kind: str, lang: str) -> str:
    """The optimizer's short display name (catalog ``opt.short.<kind>``)."""
    return t(f"opt.short.{kind}", lang)


def shown_height(surface: Surface, z: np.ndarray) -> np.ndarray:
    """Contour values: ``log10(1 + f - f_min)`` on surfaces with huge walls, else ``f``."""
    if surface.log_contours:
        return np.log10(1.0 + np.maximum(z - float(np.nanmin(z)), 0.0))
    return z


def contour_trace(surface: Surface, grid: SurfaceGrid, lang: str, **axes: str) -> dict[str, Any]:
    label = t("opt.viz.log_loss" if surface.log_contours else "opt.viz.loss", lang)
    return {
        "type": "contour",
        "x": grid.x,
        "y": grid.y,
        "z": shown_height(surface, grid.z).astype(np.float32),
        "colorscale": PALETTE.surface_scale,
        "reversescale": False,
        "ncontours": 24,
        "contours": {"coloring": "fill", "showlines": True},
        "line": {"width": 0.5, "color": PALETTE.muted},
        "opacity": 0.9,
        "showscale": False,
        "hoverinfo": "skip",  # the click layer above answers hover and clicks
        "name": label,
        **axes,
    }


def _click_layer(surface: Surface, grid: SurfaceGrid, lang: str) -> dict[str, Any]:
    """A nearly invisible marker grid over the contour: a click returns ``[x, y]``; hovering
    shows the loss there (read from the contour grid where the two grids share points)."""
    xs = np.linspace(*surface.x_range, RACE_CLICK_GRID)
    ys = np.linspace(*surface.y_range, RACE_CLICK_GRID)
    xx, yy = np.meshgrid(xs, ys)  # (RACE_CLICK_GRID, RACE_CLICK_GRID): rows are y
    hidden = {"marker": {"opacity": THEME.click_marker_opacity}}
    label = t("opt.viz.loss", lang)
    hover = t("opt.viz.click_here", lang) + " (%{x:.2f}, %{y:.2f})"
    trace: dict[str, Any] = {
        "type": "scatter",
        "x": xx.ravel().astype(np.float32),
        "y": yy.ravel().astype(np.float32),
        "customdata": np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32),
        "mode": "markers",
        "marker": {"size": 9, "color": PALETTE.ink, "opacity": THEME.click_marker_opacity},
        "selected": hidden,
        "unselected": hidden,
        "hovertemplate": hover + "<extra></extra>",
        "showlegend": False,
        "name": t("opt.viz.click_here", lang),
        "xaxis": "x",
        "yaxis": "y",
    }
    ratio = (len(grid.x) - 1) // (RACE_CLICK_GRID - 1)
    if ratio * (RACE_CLICK_GRID - 1) == len(grid.x) - 1 == len(grid.y) - 1:
        trace["text"] = [f"{v:.4g}" for v in grid.z[::ratio, ::ratio].ravel()]
        trace["hovertemplate"] = hover + f"<br>{label} %{{text}}<extra></extra>"
    return trace


def _minima(surface: Surface, lang: str) -> dict[str, Any]:
    xs, ys = zip(*surface.minima, strict=True)
    return {
        "type": "scatter",
        "x": list(xs),
        "y": list(ys),
        "mode": "markers",
        "marker": {"symbol": "star", "size": 13, "color": PALETTE.bar_best},
        "name": t("opt.viz.minimum", lang),
        "hovertemplate": t("opt.viz.minimum", lang) + " (%{x:.2f}, %{y:.2f})<extra></extra>",
        "showlegend": False,
    }


def _loss_values(surface: Surface, losses: np.ndarray) -> np.ndarray:
    """Losses for the chart: floored at 1e-12 on the log axis of surfaces whose minimum is 0."""
    if surface.kind in ("bowl", "rosenbrock", "beale"):
        return np.where(np.isfinite(losses), np.maximum(losses, _LOG_FLOOR), np.nan)
    return losses


def _frame_steps(steps: int, frames: int) -> list[int]:
    count = max(2, min(frames, steps + 1))
    return sorted({round(v) for v in np.linspace(0, steps, count)})


@readable
def race_figure(
    surface: Surface,
    grid: SurfaceGrid,
    result: RaceResult | None,
    lang: str = "en",
    *,
    frames: int = MAX_RACE_FRAMES,
    clickable: bool = True,
    animate: bool = True,
) -> go.Figure:
    """The contour with every racer's path (left) and the loss per step (right), animated.

    Frame ``k`` shows each path up to a sampled step (every path is also drawn in full, faint);
    the play buttons and the slider under the plots replay the race in the browser. Without a
    result the contour is shown alone; ``animate=False`` draws the finished race without frames.
    """
    xaxis = {"domain": [0.0, 0.56], "range": list(surface.x_range), "title": {"text": "x"}}
    yaxis = {"range": list(surface.y_range), "title": {"text": "y"}, "scaleanchor": "x"}
    log_y = surface.kind in ("bowl", "rosenbrock", "beale")
    traces: list[dict[str, Any]] = [contour_trace(surface, grid, lang, xaxis="x", yaxis="y")]
    if clickable:
        traces.append(_click_layer(surface, grid, lang))
    traces.append(_minima(surface, lang))
    dynamic: list[int] = []  # indices of the traces that frames update, in frame order
    frame_list: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "template": {},
        "height": _HEIGHT,
        "margin": {"l": 50, "r": 20, "t": 60, "b": 90},
        "xaxis": xaxis,
        "yaxis": yaxis,
        "xaxis2": {"domain": [0.64, 1.0], "title": {"text": t("opt.viz.step", lang)}},
        "yaxis2": {
            "anchor": "x2",
            "type": "log" if log_y else "linear",
            "title": {"text": t("opt.viz.loss", lang)},
            "exponentformat": "e",
        },
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0.0},
        "hovermode": "closest",
        "dragmode": False,
        "clickmode": "event+select",
    }
    if result is None:
        return StepperFigure(data=traces, layout=layout)
    steps_axis = np.arange(result.race.steps + 1)
    sampled = _frame_steps(result.race.steps, frames)
    step_word = t("opt.viz.step", lang)
    for k, racer in enumerate(result.race.racers):
        color = optimizer_color(racer.kind)
        name = f"{optimizer_name(racer.kind, lang)} · lr {format_number(racer.lr)}"
        path = result.positions[k]
        losses = _loss_values(surface, result.losses[k])
        faint = {"color": color, "width": 1, "dash": "dot"}
        traces.append(
            {
                "type": "scatter",
                "x": path[:, 0],
                "y": path[:, 1],
                "mode": "lines",
                "line": faint,
                "hoverinfo": "skip",  # clicks on the contour go to the click layer
                "showlegend": False,
                "name": name,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": steps_axis,
                "y": losses,
                "mode": "lines",
                "name": name,
                "line": {"color": color, "width": 2},
                "xaxis": "x2",
                "yaxis": "y2",
                "showlegend": False,
                "legendgroup": racer.kind,
                "hovertemplate": f"{name}<br>{step_word} %{{x}}: %{{y:.4g}}<extra></extra>",
            }
        )
        live: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "legendgroup": racer.kind,
                "line": {"color": color, "width": 2.5},
                "marker": {"size": 3, "color": color},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "showlegend": False,
                "legendgroup": racer.kind,
                "marker": {
                    "size": 12,
                    "color": color,
                    "line": {"width": 1.5, "color": PALETTE.paper},
                },
                "hoverinfo": "skip",
                "name": name,
            },
            {
                "type": "scatter",
                "mode": "markers",
                "showlegend": False,
                "legendgroup": racer.kind,
                "marker": {"size": 9, "color": color},
                "xaxis": "x2",
                "yaxis": "y2",
                "hoverinfo": "skip",
                "name": name,
            },
        ]
        for trace in live:
            dynamic.append(len(traces))
            traces.append(trace)
    if not animate:
        sampled = sampled[-1:]
    for step in sampled:
        upto = [s for s in sampled if s <= step] if animate else list(steps_axis)
        data: list[dict[str, Any]] = []
        for k in range(len(result.race.racers)):
            path = result.positions[k]
            head = _last_finite(path, step)
            loss = _loss_values(surface, result.losses[k])
            data.append({"x": _plain(path[upto, 0]), "y": _plain(path[upto, 1])})
            data.append({"x": _plain(path[[head], 0]), "y": _plain(path[[head], 1])})
            data.append({"x": [head], "y": _plain(loss[[head]], digits=None)})
        frame_list.append({"name": str(step), "data": data, "traces": dynamic})
    for index, update in zip(dynamic, frame_list[-1]["data"], strict=True):
        traces[index] = {**traces[index], **update}  # the figure opens on the finished race
    if not animate:
        return StepperFigure(data=traces, layout=layout)
    layout["updatemenus"] = play_menu(lang, _HEIGHT)
    layout["updatemenus"][0]["y"] = -0.12
    layout["updatemenus"][0]["yanchor"] = "top"
    layout["sliders"] = [_scrub_slider(sampled, lang)]
    return StepperFigure(data=traces, layout=layout, frame_dicts=frame_list)


def _last_finite(path: np.ndarray, step: int) -> int:
    """``step``, or the last step before it where the path is still finite (a racer that
    stopped stays where it stopped)."""
    finite = np.flatnonzero(np.isfinite(path[: step + 1, 0]))
    return int(finite[-1]) if finite.size else 0


def _plain(values: np.ndarray, digits: int | None = 4) -> list[float | None]:
    """Numbers for a frame: JSON-ready floats (rounded to ``digits`` decimals), NaN as None."""
    array = np.asarray(values, dtype=np.float64)
    if digits is not None:
        array = np.round(array, digits)
    return [None if not math.isfinite(v) else v for v in array.tolist()]


def _scrub_slider(steps: list[int], lang: str) -> dict[str, Any]:
    """A slider under the plots: drag it to see the race at any sampled step."""
    return {
        "active": len(steps) - 1,
        "x": 0.25,
        "len": 0.75,
        "y": -0.08,
        "yanchor": "top",
        "pad": {"t": 10},
        # one tick per frame: too many labels to read, so only the current step is written
        "font": {"color": PALETTE.transparent},
        "tickcolor": PALETTE.muted,
        "ticklen": 3,
        "currentvalue": {
            "prefix": t("opt.viz.step", lang) + " ",
            "visible": True,
            "xanchor": "right",
            "font": {"color": PALETTE.ink},
        },
        "steps": [
            {
                "label": str(step),
                "method": "animate",
                "args": [
                    [str(step)],
                    {
                        "mode": "immediate",
                        "frame": {"duration": 0, "redraw": False},
                        "transition": {"duration": 0},
                    },
                ],
            }
            for step in steps
        ],
    }
