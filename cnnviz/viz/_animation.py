"""What turns a grid figure into a stepper: covered cells, the click layer and the play buttons.

* output cells not computed yet are blank (``cover_trace``);
* a nearly transparent marker layer over the output cells makes them clickable
  (``st.plotly_chart(on_select="rerun", selection_mode="points")``, the clicked cell comes back
  as ``customdata = [i, j]``);
* the steppers carry plotly ``frames`` (at most ``THEME.max_frames``, ``frame_positions``) and
  play buttons at three speeds (``play_menu``), so "play" runs in the browser without a server
  round trip.

Internal to :mod:`cnnviz.viz.conv` and :mod:`cnnviz.viz.pool`. Lessons: "Convolution stepper",
"Pooling stepper".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cnnviz.i18n import t
from cnnviz.viz._panels import Panel, cell_boxes, panel_heatmap, panel_outline
from cnnviz.viz.theme import PALETTE, THEME, TYPE, Z_TEXT32, display_values

__all__: list[str] = []


def cover_path(i: int, j: int, out_h: int, out_w: int) -> tuple[list[Any], list[Any]]:
    """The output cells after (i, j) in raster order: not computed yet, so covered."""
    cells = []
    if j + 1 < out_w:
        cells.append((i, i, j + 1, out_w - 1))
    if i + 1 < out_h:
        cells.append((i + 1, out_h - 1, 0, out_w - 1))
    if not cells:
        return [None], [None]
    return cell_boxes(cells)


def cover_trace(panel: Panel, i: int, j: int, out_h: int, out_w: int) -> dict[str, Any]:
    x, y = cover_path(i, j, out_h, out_w)
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "mode": "lines",
        "fill": "toself",
        "fillcolor": THEME.cover_fill,
        "line": {"width": 1, "color": THEME.grid_line},
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "",
    }


def click_layer(panel: Panel, values: np.ndarray, label: str) -> dict[str, Any]:
    """Nearly invisible markers on every output cell: clicking one returns customdata [i, j]."""
    out_h, out_w = values.shape
    ii, jj = np.meshgrid(np.arange(out_h), np.arange(out_w), indexing="ij")
    size = max(6.0, panel.cell_px * 0.9)
    hidden = {"marker": {"opacity": THEME.click_marker_opacity}}
    coords = np.stack([ii.ravel(), jj.ravel()], axis=1)
    small = coords.max(initial=0) < 128
    return {
        "type": "scatter",
        "x": jj.ravel().astype(np.int8 if small else np.int16),
        "y": ii.ravel().astype(np.int8 if small else np.int16),
        "customdata": coords.astype(np.int8 if small else np.int16),
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "mode": "markers",
        "marker": {
            "symbol": "square",
            "size": size,
            # the values ride in the marker colours (float32, one colour for all): hover reads
            # them, so no text per cell has to travel
            "color": np.nan_to_num(display_values(values.ravel())).astype(np.float32),
            "colorscale": [[0, PALETTE.ink], [1, PALETTE.ink]],
            "showscale": False,
            "opacity": THEME.click_marker_opacity,
        },
        "selected": hidden,
        "unselected": hidden,
        "hovertemplate": (
            f"{label} (%{{customdata[0]}}, %{{customdata[1]}}) = "
            + Z_TEXT32.replace("%{z", "%{marker.color")
            + "<extra></extra>"
        ),
        "showlegend": False,
        "name": label,
    }


def frame_positions(
    out_h: int, out_w: int, current: int, limit: int = THEME.max_frames
) -> list[int]:
    """Output positions (raster index) the animation plays: all of them up to ``limit``, else a
    regular sub-grid (every s-th row and column, the smallest s that fits) plus ``current``, so
    the window sweeps row by row with an even stride instead of jumping irregularly."""
    num = out_h * out_w
    if num <= limit:
        return list(range(num))
    step = 1
    while math.ceil(out_h / step) * math.ceil(out_w / step) > max(1, limit):
        step += 1
    grid = {r * out_w + c for r in range(0, out_h, step) for c in range(0, out_w, step)}
    return sorted(grid | {current})


def play_menu(lang: str, total_h: float) -> list[dict[str, Any]]:
    slow, normal, fast = THEME.speeds_ms

    def play(duration: int) -> list[Any]:
        return [
            None,
            {
                "frame": {"duration": duration, "redraw": True},
                "fromcurrent": True,
                "transition": {"duration": 0},
                "mode": "immediate",
            },
        ]

    return [
        {
            "type": "buttons",
            "direction": "left",
            "x": 0.0,
            "y": 1 + 8 / total_h,
            "xanchor": "left",
            "yanchor": "bottom",
            "pad": {"r": 4, "t": 0},
            "font": {"size": TYPE.body_px},
            "showactive": False,
            "buttons": [
                {"label": t("stepper.play_slow", lang), "method": "animate", "args": play(slow)},
                {"label": t("stepper.play", lang), "method": "animate", "args": play(normal)},
                {"label": t("stepper.play_fast", lang), "method": "animate", "args": play(fast)},
                {
                    "label": t("stepper.pause", lang),
                    "method": "animate",
                    "args": [
                        [None],
                        {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"},
                    ],
                },
            ],
        }
    ]


def add_output_panel(
    traces: list[dict[str, Any]],
    dynamic: list[int],
    panel: Panel,
    output: np.ndarray,
    cell: tuple[int, int],
    name: str,
) -> None:
    """Append the output grid of a stepper: its values, the cover over cells not computed yet and
    the current cell's outline (both ``dynamic``: frames update them), and the click layer."""
    i0, j0 = cell
    out_h, out_w = output.shape
    traces.append(panel_heatmap(panel, output, name=name, hoverable=False))
    dynamic.append(len(traces))
    traces.append(cover_trace(panel, i0, j0, out_h, out_w))
    dynamic.append(len(traces))
    traces.append(panel_outline(panel, cell_boxes([(i0, i0, j0, j0)]), THEME.output_line, "", 3.5))
    traces.append(click_layer(panel, output, name))
