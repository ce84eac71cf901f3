"""What turns a grid figure into a stepper: covered cells, the click layer and the play buttons.

* output cells not computed yet are blank (``_cover``);
* a nearly transparent marker layer over the output cells makes them clickable
  (``st.plotly_chart(on_select="rerun", selection_mode="points")``, the clicked cell comes back
  as ``customdata = [i, j]``);
* the steppers carry plotly ``frames`` (at most ``THEME.max_frames``, ``_frame_positions``) and
  play buttons at three speeds (``_play_menu``), so "play" runs in the browser without a server
  round trip.

Internal to :mod:`cnnviz.viz_conv` and :mod:`cnnviz.viz_pool`. Lessons: "Convolution stepper",
"Pooling stepper".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnviz.i18n import t
from cnnviz.viz_panels import _boxes, _heatmap, _outline, _Panel
from cnnviz.viz_theme import THEME, _text_array

__all__: list[str] = []


def _cover_path(i: int, j: int, out_h: int, out_w: int) -> tuple[list[Any], list[Any]]:
    """The output cells after (i, j) in raster order: not computed yet, so covered."""
    cells = []
    if j + 1 < out_w:
        cells.append((i, i, j + 1, out_w - 1))
    if i + 1 < out_h:
        cells.append((i + 1, out_h - 1, 0, out_w - 1))
    if not cells:
        return [None], [None]
    return _boxes(cells)


def _cover(panel: _Panel, i: int, j: int, out_h: int, out_w: int) -> dict[str, Any]:
    x, y = _cover_path(i, j, out_h, out_w)
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


def _click_layer(panel: _Panel, values: np.ndarray, label: str) -> dict[str, Any]:
    """Nearly invisible markers on every output cell: clicking one returns customdata [i, j]."""
    out_h, out_w = values.shape
    ii, jj = np.meshgrid(np.arange(out_h), np.arange(out_w), indexing="ij")
    size = max(6.0, panel.cell_px * 0.9)
    hidden = {"marker": {"opacity": THEME.click_marker_opacity}}
    return {
        "type": "scatter",
        "x": jj.ravel(),
        "y": ii.ravel(),
        "customdata": np.stack([ii.ravel(), jj.ravel()], axis=1),
        "text": _text_array(values.ravel()),
        "xaxis": panel.xaxis,
        "yaxis": panel.yaxis,
        "mode": "markers",
        "marker": {
            "symbol": "square",
            "size": size,
            "color": "#111827",
            "opacity": THEME.click_marker_opacity,
        },
        "selected": hidden,
        "unselected": hidden,
        "hovertemplate": f"{label} (%{{customdata[0]}}, %{{customdata[1]}}) = %{{text}}<extra></extra>",
        "showlegend": False,
        "name": label,
    }


def _frame_positions(num: int, current: int) -> list[int]:
    if num <= THEME.max_frames:
        return list(range(num))
    return sorted(set(np.linspace(0, num - 1, THEME.max_frames).round().astype(int)) | {current})


def _play_menu(lang: str, total_h: float) -> list[dict[str, Any]]:
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


def _add_output_panel(
    traces: list[dict[str, Any]],
    dynamic: list[int],
    panel: _Panel,
    output: np.ndarray,
    cell: tuple[int, int],
    name: str,
) -> None:
    """Append the output grid of a stepper: its values, the cover over cells not computed yet and
    the current cell's outline (both ``dynamic``: frames update them), and the click layer."""
    i0, j0 = cell
    out_h, out_w = output.shape
    traces.append(_heatmap(panel, output, name=name, hoverable=False))
    dynamic.append(len(traces))
    traces.append(_cover(panel, i0, j0, out_h, out_w))
    dynamic.append(len(traces))
    traces.append(_outline(panel, _boxes([(i0, i0, j0, j0)]), THEME.output_line, "", 3.5))
    traces.append(_click_layer(panel, output, name))
