"""The pooling stepper and the pooling backward figure, plus the pooled value written out.

Pure functions of a :class:`cnnviz.ops_pool.PoolStep`: ``pool_stepper_figure`` draws one channel's
padded input with the window (and the arg-max for max pooling) and the pooled output (animated);
``pool_expression`` writes ``max(x1, ..., xn) = y`` or ``(x1 + ... + xn) / n = y``;
``pool_backward_figure`` shows where the upstream gradient goes (the arg-max, or ``g / (kh*kw)``
to every cell of the window).
Text goes through the i18n catalog (``lang``). Lesson: "Pooling stepper".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.ops_pool import PoolStep
from cnnviz.viz_animation import (
    _add_output_panel,
    _cover_path,
    _frame_positions,
    _play_menu,
)
from cnnviz.viz_panels import (
    _axis_layout,
    _boxes,
    _clamp,
    _figure,
    _heatmap,
    _legend_item,
    _outline,
    _overlay,
    _Panel,
    _text_trace,
    _title,
    _value_scale,
)
from cnnviz.viz_theme import THEME, format_number

__all__ = ["pool_backward_figure", "pool_expression", "pool_stepper_figure"]


def pool_expression(step: PoolStep) -> str:
    """``max(1, 5, 3, 2) = 5`` or ``(1 + 5 + 3 + 2) / 4 = 2.75`` for the current window
    (padding cells written as -∞ for max pooling and 0 for average pooling)."""
    values = [format_number(v) for v in np.asarray(step.window).ravel()]
    if step.kind == "max":
        return f"max({', '.join(values)}) = {format_number(step.result)}"
    terms = " + ".join(f"({v})" if v.startswith("-") else v for v in values)
    return f"({terms}) / {len(values)} = {format_number(step.result)}"


def pool_stepper_figure(step: PoolStep, lang: str = "en", animate: bool = True) -> go.Figure:
    """The pooling stepper: one channel's padded input with the window (and, for max pooling, the
    winning cell) and the pooled output with the current cell; frames replay the sweep."""
    c, i0, j0 = step.out_index
    _, hp, wp = step.padded.shape
    _, out_h, out_w = step.output.shape
    ph, pw = step.padding
    cell_in = _clamp(THEME.input_px / max(hp, wp), 8.0, THEME.max_cell_px)
    cell_out = _clamp(THEME.output_px / max(out_h, out_w), 8.0, THEME.max_cell_px)
    widths = [wp * cell_in, out_w * cell_out]
    total_w = max(sum(widths) + 2 * THEME.gap_px, 500.0)
    total_h = max(hp * cell_in, out_h * cell_out) + THEME.title_px + 30
    inp = _Panel(1, 0.0, THEME.title_px, widths[0], hp * cell_in, hp, wp, ph, pw)
    out_panel = _Panel(
        2, widths[0] + 2 * THEME.gap_px, THEME.title_px, widths[1], out_h * cell_out, out_h, out_w
    )
    values = step.padded[c]
    real = np.where(step.is_padding, np.nan, values)
    pad_label = "-∞" if step.kind == "max" else "0"
    traces: list[dict[str, Any]] = [
        _heatmap(
            inp,
            real,
            hover=t("stepper.hover_cell", lang) + "<extra></extra>",
            name=t("stepper.input", lang),
        )
    ]
    traces += _overlay(
        inp,
        step.is_padding,
        THEME.padding_fill,
        pad_label,
        t("stepper.legend_padding", lang),
        hatch=True,
    )
    dynamic = [len(traces)]
    traces.append(
        {
            **_outline(
                inp,
                _boxes([(step.rows[0], step.rows[-1], step.cols[0], step.cols[-1])]),
                THEME.window_line,
                t("stepper.legend_window", lang),
                THEME.window_width,
            ),
            "showlegend": True,
        }
    )
    dynamic.append(len(traces))

    def winner_path(s: PoolStep) -> tuple[list[Any], list[Any]]:
        if s.winner is None:
            return [None], [None]
        return _boxes([(s.winner[0], s.winner[0], s.winner[1], s.winner[1])])

    traces.append(
        {
            **_outline(
                inp, winner_path(step), THEME.winner_line, t("pool.legend_winner", lang), 2.5
            ),
            "showlegend": step.kind == "max",
            "line": {"color": THEME.winner_line, "width": 2.5, "dash": "dot"},
        }
    )
    if step.is_padding.any():
        traces.append(_legend_item(t("stepper.legend_padding", lang), THEME.padding_fill))
    output = step.output[c]
    _add_output_panel(traces, dynamic, out_panel, output, (i0, j0), t("stepper.output", lang))
    axes = {**_axis_layout(inp, total_w, total_h), **_axis_layout(out_panel, total_w, total_h)}

    op = "max" if step.kind == "max" else "mean"

    def result_text(s: PoolStep) -> str:
        _, i, j = s.out_index
        return f"({i}, {j}) = {op}(…) = {format_number(s.result)}"

    dynamic.append(len(traces))
    traces.append(_text_trace(out_panel, result_text(step), THEME.output_line))
    annotations = [
        _title(inp, t("pool.padded_input", lang, c=c), total_w, total_h),
        _title(out_panel, t("pool.output", lang), total_w, total_h),
    ]

    frames = None
    menus = None
    if animate and step.num_positions > 1:
        frames = []
        for k in _frame_positions(step.num_positions, i0 * out_w + j0):
            i, j = divmod(k, out_w)
            s = step.at(i, j)
            wx, wy = _boxes([(s.rows[0], s.rows[-1], s.cols[0], s.cols[-1])])
            vx, vy = winner_path(s)
            cx, cy = _cover_path(i, j, out_h, out_w)
            ox, oy = _boxes([(i, i, j, j)])
            data = [
                {"type": "scatter", "x": wx, "y": wy},
                {"type": "scatter", "x": vx, "y": vy},
                {"type": "scatter", "x": cx, "y": cy},
                {"type": "scatter", "x": ox, "y": oy},
                {"type": "scatter", "text": [result_text(s)]},
            ]
            frames.append({"name": str(k), "data": data, "traces": dynamic})
        menus = _play_menu(lang, total_h)
    return _figure(traces, axes, annotations, total_h, frames, menus)


def pool_backward_figure(
    grad_out: np.ndarray,
    grad_in: np.ndarray,
    step: PoolStep,
    lang: str = "en",
    width_px: float = 480.0,
) -> go.Figure:
    """Backward pass of pooling: the upstream gradient (Ho, Wo) with the current cell outlined, and
    the gradient each input cell receives (H, W) with the cells the current gradient flows to
    outlined (the arg-max for max pooling, the whole window for average pooling)."""
    _, i, j = step.out_index
    grad_out = np.asarray(grad_out, dtype=np.float64)
    grad_in = np.asarray(grad_in, dtype=np.float64)
    out_h, out_w = grad_out.shape
    h, w = grad_in.shape
    ph, pw = step.padding
    cell_in = _clamp(THEME.input_px / max(h, w), 8.0, THEME.max_cell_px)
    cell_out = _clamp(THEME.output_px / max(out_h, out_w), 8.0, THEME.max_cell_px)
    gap = 28.0
    widths = [out_w * cell_out, w * cell_in]
    if sum(widths) + gap > width_px:  # plan for the column it is shown in
        factor = (width_px - gap) / sum(widths)
        cell_in, cell_out = cell_in * factor, cell_out * factor
        widths = [v * factor for v in widths]
    total_w = sum(widths) + gap
    total_h = max(h * cell_in, out_h * cell_out) + THEME.title_px + 30
    up = _Panel(1, 0.0, THEME.title_px, widths[0], out_h * cell_out, out_h, out_w)
    down = _Panel(2, widths[0] + gap, THEME.title_px, widths[1], h * cell_in, h, w)
    scale = _value_scale(np.concatenate([grad_out.ravel(), grad_in.ravel()]))
    traces = [
        _heatmap(up, grad_out, scale=scale, name=t("pool.upstream", lang)),
        _outline(up, _boxes([(i, i, j, j)]), THEME.output_line, "", 3.5),
        _heatmap(down, grad_in, scale=scale, name=t("pool.grad_input", lang)),
    ]
    if step.winner is not None:
        targets = [(step.winner[0] - ph, step.winner[1] - pw)]
    else:
        targets = [
            (r - ph, q - pw)
            for r in step.rows
            for q in step.cols
            if 0 <= r - ph < h and 0 <= q - pw < w
        ]
    targets = [(r, q) for r, q in targets if 0 <= r < h and 0 <= q < w]
    traces.append(
        {
            **_outline(
                down,
                _boxes([(r, r, q, q) for r, q in targets]),
                THEME.window_line,
                t("pool.legend_receives", lang),
                THEME.window_width,
            ),
            "showlegend": True,
        }
    )
    axes = {**_axis_layout(up, total_w, total_h), **_axis_layout(down, total_w, total_h)}
    annotations = [
        _title(up, t("pool.upstream", lang), total_w, total_h),
        _title(down, t("pool.grad_input", lang), total_w, total_h),
    ]
    return _figure(traces, axes, annotations, total_h, top_px=40)
