"""Standalone figures around the steppers: a matrix as a grid of numbers, a montage of maps, the
window positions along one axis, and softmax probabilities as bars.

``window_positions_figure`` shows why the output size is ``floor((n + p_before + p_after -
d(k-1) - 1) / s) + 1``: one row per window position. Text goes through the i18n catalog (``lang``).
Lessons: "Worked example" (grids, montage, probabilities), "Practice" (window positions), and the
steppers' side panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.viz._panels import (
    Panel,
    cell_boxes,
    clamp,
    legend_item,
    mask_runs,
    panel_axes,
    panel_heatmap,
    panel_outline,
    panel_overlay,
    panel_title,
    panels_figure,
    value_scale,
)
from cnnviz.viz.theme import PALETTE, THEME, TYPE, axis_fonts, layout_fonts, wrap_text

__all__ = ["grid_figure", "montage_figure", "softmax_figure", "window_positions_figure"]


def grid_figure(
    values: np.ndarray,
    title: str = "",
    *,
    padding_mask: np.ndarray | None = None,
    inserted_mask: np.ndarray | None = None,
    highlight: Sequence[tuple[int, int]] = (),
    highlight_label: str = "",
    lang: str = "en",
    max_px: float = 360.0,
    row_offset: int = 0,
    col_offset: int = 0,
) -> go.Figure:
    """One (H, W) matrix as a grid of numbers: padding hatched, inserted zeros amber, and the
    ``highlight`` cells outlined (the walkthrough's intermediates, the transposed-conv input)."""
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    h, w = values.shape
    cell = clamp(max_px / max(h, w), 8.0, THEME.max_cell_px)
    total_w = max(w * cell, 120.0)
    # a title wider than the grid (and its tick labels) takes two lines, not the figure's edge
    lines = wrap_text(title, total_w + 30) if title else []
    top = THEME.title_px + (len(lines) - 1) * TYPE.body_px * 1.25 if title else 8.0
    title = "<br>".join(lines)
    panel = Panel(1, 0.0, top, w * cell, h * cell, h, w, row_offset, col_offset)
    total_h = panel.y0 + h * cell + 6
    special = np.zeros((h, w), dtype=bool)
    for mask in (padding_mask, inserted_mask):
        if mask is not None:
            special |= np.asarray(mask, dtype=bool)
    real = np.where(special, np.nan, values)
    traces = [
        panel_heatmap(
            panel,
            real,
            scale=value_scale(values),
            hover=t("stepper.hover_cell", lang) + "<extra></extra>",
        )
    ]
    legend = False
    if padding_mask is not None and np.any(padding_mask):
        label = t("stepper.legend_padding", lang)
        traces += panel_overlay(panel, padding_mask, THEME.padding_fill, "0", label, hatch=True)
        traces.append(legend_item(label, THEME.padding_fill))
        legend = True
    if inserted_mask is not None and np.any(inserted_mask):
        label = t("stepper.legend_inserted", lang)
        traces += panel_overlay(panel, inserted_mask, THEME.inserted_fill, "0", label, hatch=False)
        traces.append(legend_item(label, THEME.inserted_fill))
        legend = True
    if highlight:
        # a legend text wider than the figure takes more lines (plotly never wraps it)
        label = "<br>".join(wrap_text(highlight_label, total_w)) if highlight_label else ""
        traces.append(
            {
                **panel_outline(
                    panel,
                    cell_boxes([(r, r, c, c) for r, c in highlight]),
                    THEME.unreached_line,
                    label,
                    3.0,
                ),
                "showlegend": bool(highlight_label),
            }
        )
    annotations = [panel_title(panel, title, total_w, total_h)] if title else []
    fig = panels_figure(
        traces, panel_axes(panel, total_w, total_h), annotations, total_h, top_px=16
    )
    fig.update_layout(showlegend=legend or bool(highlight_label))
    return fig


def montage_figure(
    maps: np.ndarray,
    titles: Sequence[str],
    current: int = -1,
    lang: str = "en",
    width_px: float = 520.0,
) -> go.Figure:
    """Several (H, W) maps side by side (one output channel per filter); ``current`` outlined."""
    maps = np.asarray(maps, dtype=np.float64)
    gap = 18.0
    count, h, w = maps.shape
    cell = clamp(min((width_px - count * gap) / (count * w), 220.0 / h), 3.0, 40.0)
    total_w = count * (w * cell + gap)
    total_h = h * cell + THEME.title_px + 6
    traces = []
    axes: dict[str, Any] = {}
    annotations = []
    scale = value_scale(maps)
    for k in range(count):
        panel = Panel(k + 1, k * (w * cell + gap), THEME.title_px, w * cell, h * cell, h, w)
        traces.append(
            panel_heatmap(
                panel, maps[k], scale=scale, hover=t("stepper.hover_cell", lang) + "<extra></extra>"
            )
        )
        axes.update(panel_axes(panel, total_w, total_h))
        color = THEME.output_line if k == current else PALETTE.ink
        style = {"font": {"size": TYPE.body_px, "color": color}}
        annotations.append({**panel_title(panel, titles[k], total_w, total_h), **style})
        if k == current:
            traces.append(
                panel_outline(panel, cell_boxes([(0, h - 1, 0, w - 1)]), THEME.output_line, "", 3.0)
            )
    fig = panels_figure(traces, axes, annotations, total_h, top_px=16)
    fig.update_layout(showlegend=False)
    return fig


def softmax_figure(
    class_labels: Sequence[str], probabilities: np.ndarray, title: str, lang: str = "en"
) -> go.Figure:
    """Softmax output as bars with the value written on each bar."""
    probs = np.asarray(probabilities, dtype=np.float64)
    fig = go.Figure(
        go.Bar(
            x=list(class_labels),
            y=probs,
            text=[f"{p:.4f}" for p in probs],
            textposition="outside",
            marker_color=[
                THEME.output_line if k == int(np.argmax(probs)) else PALETTE.bar_light
                for k in range(len(probs))
            ],
            hovertemplate="%{x}: %{y:.6f}<extra></extra>",
        )
    )
    fig.update_layout(
        **layout_fonts(),
        height=300,
        margin={"l": 50, "r": 10, "t": 50, "b": 40},
        yaxis={
            "range": [0, 1.15],
            "title": {"text": t("walk.probability", lang)},
            "fixedrange": True,
            **axis_fonts(),
        },
        xaxis={"fixedrange": True, **axis_fonts()},
        plot_bgcolor="white",
    )
    fig.update_layout(title_text=title)
    fig.update_traces(textfont_size=TYPE.body_px)
    return fig


def window_positions_figure(
    n: int,
    kernel_size: int,
    stride: int,
    pad_before: int,
    pad_after: int,
    dilation: int = 1,
    lang: str = "en",
    max_cells: int = 72,
    max_rows: int = 40,
) -> go.Figure | None:
    """Why the output-size formula counts window positions: one row per position along one axis.

    Columns are the padded input cells (padding grey); in row i the cells the window reads
    (``i*s + d*a``) are orange. Columns no window reads (floor truncation) are tinted red. Returns
    None when the axis is too long to draw readably (the page then shows the formula only).
    """
    width = n + pad_before + pad_after
    span = dilation * (kernel_size - 1) + 1
    positions = (width - span) // stride + 1 if width >= span else 0
    if width > max_cells or positions > max_rows or positions < 1:
        return None
    grid = np.zeros((positions, width))  # 0 input, 1 padding, 2 read by this window
    grid[:, :pad_before] = 1
    grid[:, n + pad_before :] = 1
    for i in range(positions):
        grid[i, i * stride + dilation * np.arange(kernel_size)] = 2
    read_any = (grid == 2).any(axis=0)
    cell = clamp(THEME.content_width_px * 0.8 / width, 8.0, 30.0)
    panel = Panel(
        1, 0.0, THEME.title_px, width * cell, positions * cell, positions, width, 0, pad_before
    )
    colours = [PALETTE.cell_light, THEME.padding_fill, THEME.window_line]
    trace = {
        "type": "heatmap",
        "z": grid,
        "xaxis": "x",
        "yaxis": "y",
        "zmin": 0,
        "zmax": 2,
        "colorscale": [
            [0, colours[0]],
            [0.33, colours[0]],
            [0.34, colours[1]],
            [0.66, colours[1]],
            [0.67, colours[2]],
            [1, colours[2]],
        ],
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "hoverinfo": "skip",
    }
    traces: list[dict[str, Any]] = [trace]
    if not read_any.all():
        columns = np.broadcast_to(~read_any, grid.shape)
        x, y = cell_boxes(mask_runs(columns))
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": THEME.unreached_fill,
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        traces.append(legend_item(t("stepper.legend_unreached", lang), THEME.unreached_fill))
    traces.append(legend_item(t("practice.legend_read", lang), THEME.window_line))
    if pad_before or pad_after:
        traces.append(legend_item(t("stepper.legend_padding", lang), THEME.padding_fill))
    total_w = width * cell
    total_h = THEME.title_px + positions * cell + 6
    axes = panel_axes(panel, total_w, total_h)
    axes["yaxis"]["ticktext"] = [str(v) for v in axes["yaxis"]["tickvals"]]
    title = t("practice.positions_title", lang, count=positions)
    fig = panels_figure(
        traces, axes, [panel_title(panel, title, total_w, total_h)], total_h, top_px=16
    )
    return fig
