"""Building blocks of the stepper figures: square-cell grid panels, their traces and the figure.

Conventions shared by every grid (:mod:`cnnviz.viz_conv`, :mod:`cnnviz.viz_pool`,
:mod:`cnnviz.viz_grid`):

* row 0 at the top, one square cell per value, the value written in the cell while cells are big
  enough (``THEME.min_text_px``), always on hover;
* padding cells are grey and hatched, zeros inserted by a transposed conv are amber, rows/columns
  no window reaches (floor truncation) are tinted red, the current window has an orange outline.

A ``_Panel`` is one axis pair placed at a pixel rectangle; ``_heatmap``, ``_overlay``,
``_outline``, ``_legend_item`` and ``_text_trace`` return trace dicts for it, and ``_figure``
assembles them into a :class:`StepperFigure`. All visual constants come from
:data:`cnnviz.viz_theme.THEME`. Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz_theme import THEME, _text_array

__all__ = ["StepperFigure"]


class StepperFigure(go.Figure):
    """A ``go.Figure`` whose animation frames stay plain dicts until the figure is serialised.

    Turning 100 frames into plotly objects takes ~0.2 s (every attribute is validated and deep-
    copied); as dicts they cost a few ms. ``to_dict()``, which ``plotly.io.to_json``,
    ``st.plotly_chart`` and ``to_html`` all use, appends them, so the browser receives an ordinary
    animated figure. ``frame_dicts`` gives them to tests.
    """

    def __init__(self, *args: Any, frame_dicts: list[dict[str, Any]] | None = None, **kwargs: Any):
        kwargs.setdefault("_validate", False)  # built from known attributes; tests re-validate
        super().__init__(*args, **kwargs)
        self._frame_dicts: list[dict[str, Any]] = frame_dicts or []

    @property
    def frame_dicts(self) -> list[dict[str, Any]]:
        return self._frame_dicts

    def to_dict(self) -> dict[str, Any]:
        result = super().to_dict()
        if self._frame_dicts:
            result["frames"] = self._frame_dicts  # plain lists and strings: JSON-ready as they are
        return result


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _font_px(cell_px: float) -> float:
    return _clamp(cell_px * 0.36, 9.0, 15.0)


def _fitted_font(cell_px: float, labels: np.ndarray) -> float | None:
    """A font size at which the longest label fits its cell, or None (then hover only)."""
    if cell_px < THEME.min_text_px:
        return None
    longest = max((len(str(label)) for label in np.asarray(labels).ravel()), default=1)
    font = min(_font_px(cell_px), cell_px * 0.92 / (max(longest, 1) * 0.6))
    return font if font >= 8.0 else None


def _value_scale(values: np.ndarray) -> dict[str, Any]:
    finite = np.asarray(values, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return {"colorscale": [list(v) for v in THEME.positive_scale], "zmin": 0.0, "zmax": 1.0}
    low, high = float(finite.min()), float(finite.max())
    if low < 0:
        bound = max(abs(low), abs(high), 1e-9)
        return {"colorscale": [list(v) for v in THEME.signed_scale], "zmin": -bound, "zmax": bound}
    positive = [list(v) for v in THEME.positive_scale]
    return {"colorscale": positive, "zmin": 0.0, "zmax": max(high, 1e-9)}


def _box(
    r0: float, r1: float, c0: float, c1: float
) -> tuple[list[float | None], list[float | None]]:
    """A closed rectangle around cells rows r0..r1, cols c0..c1 (inclusive), as x/y lists."""
    x = [c0 - 0.5, c1 + 0.5, c1 + 0.5, c0 - 0.5, c0 - 0.5, None]
    y = [r0 - 0.5, r0 - 0.5, r1 + 0.5, r1 + 0.5, r0 - 0.5, None]
    return x, y


def _boxes(cells: Sequence[tuple[float, float, float, float]]) -> tuple[list[Any], list[Any]]:
    xs: list[Any] = []
    ys: list[Any] = []
    for r0, r1, c0, c1 in cells:
        x, y = _box(r0, r1, c0, c1)
        xs += x
        ys += y
    return xs, ys


def _mask_runs(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rectangles (one per horizontal run of True cells) covering ``mask``."""
    runs = []
    for r, row in enumerate(np.asarray(mask, dtype=bool)):
        c = 0
        width = len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                runs.append((r, r, start, c - 1))
            else:
                c += 1
    return runs


@dataclass
class _Panel:
    """One square-cell grid panel: an axis pair placed at a pixel rectangle."""

    index: int
    x0: float
    y0: float
    width: float
    height: float
    rows: int
    cols: int
    row_offset: int = 0
    col_offset: int = 0

    @property
    def xaxis(self) -> str:
        return "x" if self.index == 1 else f"x{self.index}"

    @property
    def yaxis(self) -> str:
        return "y" if self.index == 1 else f"y{self.index}"

    @property
    def cell_px(self) -> float:
        return min(self.width / max(self.cols, 1), self.height / max(self.rows, 1))


def _axis_layout(panel: _Panel, total_w: float, total_h: float) -> dict[str, Any]:
    step_r = max(1, int(np.ceil(panel.rows / 12)))
    step_c = max(1, int(np.ceil(panel.cols / 12)))
    tick_rows = list(range(0, panel.rows, step_r))
    tick_cols = list(range(0, panel.cols, step_c))
    common = {
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "",
        "tickfont": {"size": 10, "color": "#6b7280"},
    }
    x_domain = [panel.x0 / total_w, (panel.x0 + panel.width) / total_w]
    y_top = 1 - panel.y0 / total_h
    y_domain = [max(0.0, y_top - panel.height / total_h), y_top]
    return {
        f"xaxis{'' if panel.index == 1 else panel.index}": {
            **common,
            "domain": x_domain,
            "range": [-0.5, panel.cols - 0.5],
            "tickvals": tick_cols,
            "ticktext": [str(c - panel.col_offset) for c in tick_cols],
            "side": "top",
            "anchor": panel.yaxis,
            "constrain": "domain",
        },
        f"yaxis{'' if panel.index == 1 else panel.index}": {
            **common,
            "domain": y_domain,
            "range": [panel.rows - 0.5, -0.5],
            "tickvals": tick_rows,
            "ticktext": [str(r - panel.row_offset) for r in tick_rows],
            "anchor": panel.xaxis,
            "scaleanchor": panel.xaxis,
            "scaleratio": 1,
            "constrain": "domain",
        },
    }


def _title(panel: _Panel, text: str, total_w: float, total_h: float) -> dict[str, Any]:
    return {
        "text": text,
        "x": (panel.x0 + panel.width / 2) / total_w,
        "y": 1 - (panel.y0 - 22) / total_h,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13},
    }


def _heatmap(
    panel: _Panel,
    values: np.ndarray,
    *,
    scale: dict[str, Any] | None = None,
    show_text: bool | None = None,
    hover: str = "%{z}<extra></extra>",
    name: str = "",
    text: np.ndarray | None = None,
    hoverable: bool = True,
) -> dict[str, Any]:
    values = np.asarray(values, dtype=np.float64)
    show = panel.cell_px >= THEME.min_text_px if show_text is None else show_text
    trace: dict[str, Any] = {
        "type": "heatmap",
        "z": np.where(np.isfinite(values), values, np.nan),
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "hoverongaps": False,
        "hovertemplate": hover,
        "name": name,
        **(scale or _value_scale(values)),
    }
    trace["text"] = _text_array(values) if text is None else text
    rows, cols = np.indices(values.shape)
    trace["customdata"] = np.stack([rows - panel.row_offset, cols - panel.col_offset], axis=-1)
    if not hoverable:  # the click layer on top answers hover and clicks
        trace["hoverinfo"] = "skip"
        trace.pop("hovertemplate")
    font = _fitted_font(panel.cell_px, trace["text"]) if show else None
    if font is not None:
        trace["texttemplate"] = "%{text}"
        trace["textfont"] = {"size": font}
    return trace


def _overlay(
    panel: _Panel, mask: np.ndarray, fill: str, label: str, name: str, hatch: bool
) -> list[dict[str, Any]]:
    """Cells of ``mask`` in a flat colour with ``label`` written in them, optionally hatched."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    z = np.where(mask, 0.0, np.nan)
    trace: dict[str, Any] = {
        "type": "heatmap",
        "z": z,
        "text": np.where(mask, label, ""),
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "colorscale": [[0, fill], [1, fill]],
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "hoverongaps": False,
        "hovertemplate": f"{name}<extra></extra>",
        "name": name,
    }
    if panel.cell_px >= THEME.min_text_px:
        trace["texttemplate"] = "%{text}"
        trace["textfont"] = {"size": _font_px(panel.cell_px), "color": THEME.padding_text}
    traces = [trace]
    if hatch:
        x, y = _boxes(_mask_runs(mask))
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "xaxis": panel.xaxis,
                "yaxis": panel.yaxis,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": "rgba(0,0,0,0)",
                "fillpattern": {
                    "shape": "/",
                    "fgcolor": THEME.padding_hatch,
                    "size": 8,
                    "solidity": 0.15,
                },
                "line": {"width": 0},
                "hoverinfo": "skip",
                "name": name,
                "showlegend": False,
            }
        )
    return traces


def _outline(
    panel: _Panel, path: tuple[list[Any], list[Any]], color: str, name: str, width: float
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": path[0],
        "y": path[1],
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "mode": "lines",
        "line": {"color": color, "width": width},
        "hoverinfo": "skip",
        "name": name,
        "showlegend": False,
    }


def _legend_item(name: str, color: str, line: bool = False, dash: str = "solid") -> dict[str, Any]:
    """A legend entry that draws nothing (heatmap overlays have no legend symbol of their own)."""
    item: dict[str, Any] = {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "name": name,
        "showlegend": True,
        "hoverinfo": "skip",
    }
    if line:
        item.update(mode="lines", line={"color": color, "width": 3, "dash": dash})
    else:
        item.update(
            mode="markers",
            marker={
                "symbol": "square",
                "size": 14,
                "color": color,
                "line": {"color": "#6b7280", "width": 1},
            },
        )
    return item


def _text_trace(panel: _Panel, text: str, color: str, size: float = 14.0) -> dict[str, Any]:
    """Text centred just under a panel, as a data trace so animation frames can change it cheaply."""
    return {
        "type": "scatter",
        "mode": "text",
        "x": [(panel.cols - 1) / 2],
        "y": [panel.rows - 0.5],  # on the bottom edge: points beyond the axis range are culled
        "text": [text],
        "textposition": "bottom center",
        "textfont": {"size": size, "color": color},
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "cliponaxis": False,
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "",
    }


def _figure(
    traces: list[dict[str, Any]],
    axes: dict[str, Any],
    annotations: list[dict[str, Any]],
    total_h: float,
    frames: list[dict[str, Any]] | None = None,
    menus: list[dict[str, Any]] | None = None,
    top_px: float = 70.0,
) -> go.Figure:
    layout = {
        **axes,
        "height": int(total_h + top_px + 50),
        "margin": {"l": 30, "r": 10, "t": int(top_px), "b": 50},
        "annotations": annotations,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": THEME.font_family},
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top", "font": {"size": 12}},
        "dragmode": False,
        "clickmode": "event+select",
        "hovermode": "closest",
        "updatemenus": menus or [],
    }
    # Traces are built here from known attributes; tests re-validate every figure through
    # go.Figure(fig.to_dict()), frames included.
    return StepperFigure(data=traces, layout=layout, frame_dicts=frames)
