"""Building blocks of the stepper figures: square-cell grid panels, their traces and the figure.

Conventions shared by every grid (:mod:`cnnviz.viz.conv`, :mod:`cnnviz.viz.pool`,
:mod:`cnnviz.viz.grid`):

* row 0 at the top, one square cell per value, the value written in the cell while cells are big
  enough (``THEME.min_text_px``), always on hover;
* padding cells are grey and hatched, zeros inserted by a transposed conv are amber, rows/columns
  no window reaches (floor truncation) are tinted red, the current window has an orange outline.

What goes to the browser is kept small (a classroom shares one Wi-Fi): a heatmap sends its
numbers once, as the values its cells show (``texttemplate=Z_TEXT`` on
:func:`cnnviz.viz.theme.display_values`), or as float32 when its cells are too small for text;
customdata only where hover reads it; regions as a few merged rectangles.

A ``Panel`` is one axis pair placed at a pixel rectangle; ``panel_heatmap``, ``panel_overlay``,
``panel_outline``, ``legend_item`` and ``panel_text`` return trace dicts for it, and ``panels_figure``
assembles them into a :class:`StepperFigure`. All visual constants come from
:data:`cnnviz.viz.theme.THEME`. Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.viz._cells import cell_boxes, mask_runs
from cnnviz.viz.theme import (
    PALETTE,
    THEME,
    TYPE,
    Z_TEXT,
    Z_TEXT32,
    display_values,
    plain_numbers,
    text_array,
    text_px,
)

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


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def font_px(cell_px: float) -> float:
    return clamp(cell_px * 0.4, TYPE.min_px, TYPE.cell_max_px)


def fitted_font(cell_px: float, labels: np.ndarray) -> float | None:
    """A font size at which the longest label fits its cell, or None (then hover only): never
    below ``TYPE.min_px``, a number too small to read from the back row is not drawn."""
    if cell_px < THEME.min_text_px:
        return None
    widest = max((text_px(str(label), 1.0) for label in np.asarray(labels).ravel()), default=0.6)
    font = min(font_px(cell_px), cell_px * 0.92 / max(widest, 0.6))
    return font if font >= TYPE.min_px else None


def value_scale(values: np.ndarray) -> dict[str, Any]:
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


@dataclass
class Panel:
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


def panel_axes(panel: Panel, total_w: float, total_h: float) -> dict[str, Any]:
    step_r = max(1, int(np.ceil(panel.rows / 12)))
    step_c = max(1, int(np.ceil(panel.cols / 12)))
    tick_rows = list(range(0, panel.rows, step_r))
    tick_cols = list(range(0, panel.cols, step_c))
    common = {
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "ticks": "",
        "tickfont": {"size": TYPE.body_px, "color": PALETTE.muted},
    }
    x_domain = [max(0.0, panel.x0 / total_w), min(1.0, (panel.x0 + panel.width) / total_w)]
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


def panel_title(panel: Panel, text: str, total_w: float, total_h: float) -> dict[str, Any]:
    return {
        "text": text,
        "x": (panel.x0 + panel.width / 2) / total_w,
        "y": 1 - (panel.y0 - 22) / total_h,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": TYPE.body_px},
    }


def panel_heatmap(
    panel: Panel,
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
    labels = text_array(values) if text is None else text
    font = fitted_font(panel.cell_px, labels) if show else None
    trace: dict[str, Any] = {
        "type": "heatmap",
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "hoverongaps": False,
        "name": name,
        **(scale or value_scale(values)),
    }
    if text is not None or ((font is not None or hoverable) and not plain_numbers(labels)):
        # labels other than the numbers, or numbers d3 cannot write as Python does (1.2e-05):
        # send the texts
        trace["z"] = np.where(np.isfinite(values), values, np.nan)
        trace["text"] = labels
        if text is None:
            hover = hover.replace("%{z}", "%{text}")
        shown = "%{text}"
    elif font is not None:  # the cells show the numbers: send them once, as shown
        trace["z"] = display_values(values)
        hover = hover.replace("%{text}", Z_TEXT).replace("%{z}", Z_TEXT)
        shown = Z_TEXT
    elif hoverable or not np.isfinite(values).all():
        # hover only: the shown numbers as float32 (6 digits print them back exactly)
        trace["z"] = display_values(values, labels).astype(np.float32)
        hover = hover.replace("%{text}", Z_TEXT32).replace("%{z}", Z_TEXT32)
        shown = ""
    else:  # colours only (the click layer answers hover): 256 levels are plenty for the eye
        low, high = float(trace["zmin"]), float(trace["zmax"])
        level = np.clip((values - low) / max(high - low, 1e-12), 0.0, 1.0)
        trace["z"] = np.round(level * 255).astype(np.uint8)
        trace["zmin"], trace["zmax"] = 0, 255
        shown = ""
    if hoverable:
        trace["hovertemplate"] = hover
        if "customdata" in hover:
            rows, cols = np.indices(values.shape)
            coords = np.stack([rows - panel.row_offset, cols - panel.col_offset], axis=-1)
            small = coords.min() >= -128 and coords.max() < 128
            trace["customdata"] = coords.astype(np.int8 if small else np.int16)
    else:  # the click layer on top answers hover and clicks
        trace["hoverinfo"] = "skip"
    if font is not None:
        trace["texttemplate"] = shown
        trace["textfont"] = {"size": font}
    return trace


def panel_overlay(
    panel: Panel, mask: np.ndarray, fill: str, label: str, name: str, hatch: bool
) -> list[dict[str, Any]]:
    """Cells of ``mask`` in a flat colour with ``label`` written in them, optionally hatched.

    Cells big enough for the label get a heatmap that writes it; smaller ones only a filled
    outline of a few merged rectangles (:func:`mask_runs`), which is all the colour needs."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    traces: list[dict[str, Any]] = []
    labelled = panel.cell_px >= THEME.min_text_px
    if labelled:
        traces.append(
            {
                "type": "heatmap",
                "z": np.where(mask, 0.0, np.nan).astype(np.float32),
                "xaxis": panel.xaxis,
                "yaxis": panel.yaxis,
                "colorscale": [[0, fill], [1, fill]],
                "showscale": False,
                "xgap": 1,
                "ygap": 1,
                "hoverongaps": False,
                "hovertemplate": f"{name}<extra></extra>",
                "name": name,
                # a text per cell: a constant texttemplate would write it in the gaps too
                "text": np.where(mask, label, ""),
                "texttemplate": "%{text}",
                "textfont": {"size": font_px(panel.cell_px), "color": THEME.padding_text},
            }
        )
    if hatch or not labelled:
        x, y = cell_boxes(mask_runs(mask))
        region: dict[str, Any] = {
            "type": "scatter",
            "x": x,
            "y": y,
            "xaxis": panel.xaxis,
            "yaxis": panel.yaxis,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": PALETTE.transparent if labelled else fill,
            "line": {"width": 0},
            "hoverinfo": "skip" if labelled else "name",
            "name": name,
            "showlegend": False,
        }
        if not labelled:
            region["hoveron"] = "fills"
        if hatch:
            region["fillpattern"] = {
                "shape": "/",
                "fgcolor": THEME.padding_hatch,
                "size": 8,
                "solidity": 0.15,
                **({} if labelled else {"bgcolor": fill}),
            }
        traces.append(region)
    return traces


def panel_outline(
    panel: Panel, path: tuple[list[Any], list[Any]], color: str, name: str, width: float
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


def legend_item(name: str, color: str, line: bool = False, dash: str = "solid") -> dict[str, Any]:
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
                "line": {"color": PALETTE.muted, "width": 1},
            },
        )
    return item


def panel_text(panel: Panel, text: str, color: str, size: float = TYPE.body_px) -> dict[str, Any]:
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


def panels_figure(
    traces: list[dict[str, Any]],
    axes: dict[str, Any],
    annotations: list[dict[str, Any]],
    total_h: float,
    frames: list[dict[str, Any]] | None = None,
    menus: list[dict[str, Any]] | None = None,
    top_px: float = 58.0,
) -> go.Figure:
    """The figure: with play buttons (``menus``) the legend shares their band above the grids, on
    the right, so the figure spends no height on it (the projector's 576 px are counted)."""
    legend: dict[str, Any] = {"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"}
    bottom = 40
    if menus:
        legend = {
            "orientation": "h",
            "x": 1.0,
            "xanchor": "right",
            "y": 1 + (top_px - 10) / total_h,
            "yanchor": "top",
        }
        bottom = 12
    layout = {
        **axes,
        # no plotly template (its ~7 KB would travel with every step): every colour is set here,
        # and Streamlit applies its own theme in the browser
        "template": {"data": {}, "layout": {}},
        "height": int(total_h + top_px + bottom),
        "margin": {"l": 30, "r": 10, "t": int(top_px), "b": bottom},
        "annotations": annotations,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": TYPE.family, "size": TYPE.body_px},
        "hoverlabel": {"font": {"size": TYPE.body_px}},
        "showlegend": True,
        "legend": {**legend, "font": {"size": TYPE.body_px}},
        "dragmode": False,
        "clickmode": "event+select",
        "hovermode": "closest",
        "updatemenus": menus or [],
    }
    # Traces are built here from known attributes; tests re-validate every figure through
    # go.Figure(fig.to_dict()), frames included.
    return StepperFigure(data=traces, layout=layout, frame_dicts=frames)
