"""The pooling stepper and the pooling backward figure, plus the pooled value written out.

Pure functions of a :class:`cnnviz.ops.pool.PoolStep`: ``pool_stepper_figure`` draws one channel's
padded input with the window (and the arg-max for max pooling) and the pooled output (animated);
``pool_expression`` writes ``max(x1, ..., xn) = y`` or ``(x1 + ... + xn) / n = y``;
``pool_backward_figure`` shows where the upstream gradient goes as one row: the input with the
window, dL/dy, and dL/dx (the arg-max, or ``g / (kh*kw)`` to every cell of the window).
Text goes through the i18n catalog (``lang``). Lesson: "Pooling stepper".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.ops import PoolStep
from cnnviz.viz._animation import add_output_panel, cover_path, frame_positions, play_menu
from cnnviz.viz._panels import (
    Panel,
    cell_boxes,
    clamp,
    legend_item,
    panel_axes,
    panel_heatmap,
    panel_outline,
    panel_overlay,
    panel_text,
    panel_title,
    panels_figure,
    value_scale,
)
from cnnviz.viz.theme import THEME, TYPE, format_number, text_px

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
    budget = THEME.max_plot_px - THEME.title_px - 30  # the figure and the step control fit
    cell_in = min(clamp(THEME.input_px / max(hp, wp), 8.0, THEME.max_cell_px), budget / hp)
    cell_out = min(
        clamp(THEME.output_px / max(out_h, out_w), 8.0, THEME.max_cell_px), budget / out_h
    )
    widths = [wp * cell_in, out_w * cell_out]
    total_w = max(sum(widths) + 2 * THEME.gap_px, 500.0)
    total_h = max(hp * cell_in, out_h * cell_out) + THEME.title_px + 30
    inp = Panel(1, 0.0, THEME.title_px, widths[0], hp * cell_in, hp, wp, ph, pw)
    out_panel = Panel(
        2, widths[0] + 2 * THEME.gap_px, THEME.title_px, widths[1], out_h * cell_out, out_h, out_w
    )
    values = step.padded[c]
    real = np.where(step.is_padding, np.nan, values)
    pad_label = "-∞" if step.kind == "max" else "0"
    traces: list[dict[str, Any]] = [
        panel_heatmap(
            inp,
            real,
            hover=t("stepper.hover_cell", lang) + "<extra></extra>",
            name=t("stepper.input", lang),
        )
    ]
    traces += panel_overlay(
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
            **panel_outline(
                inp,
                cell_boxes([(step.rows[0], step.rows[-1], step.cols[0], step.cols[-1])]),
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
        return cell_boxes([(s.winner[0], s.winner[0], s.winner[1], s.winner[1])])

    traces.append(
        {
            **panel_outline(
                inp, winner_path(step), THEME.winner_line, t("pool.legend_winner", lang), 2.5
            ),
            "showlegend": step.kind == "max",
            "line": {"color": THEME.winner_line, "width": 2.5, "dash": "dot"},
        }
    )
    if step.is_padding.any():
        traces.append(legend_item(t("stepper.legend_padding", lang), THEME.padding_fill))
    output = step.output[c]
    add_output_panel(traces, dynamic, out_panel, output, (i0, j0), t("stepper.output", lang))
    axes = {**panel_axes(inp, total_w, total_h), **panel_axes(out_panel, total_w, total_h)}

    op = "max" if step.kind == "max" else "mean"

    def result_text(s: PoolStep) -> str:
        _, i, j = s.out_index
        return f"({i}, {j}) = {op}(…) = {format_number(s.result)}"

    dynamic.append(len(traces))
    traces.append(panel_text(out_panel, result_text(step), THEME.output_line))
    annotations = [
        panel_title(inp, t("pool.padded_input", lang, c=c), total_w, total_h),
        panel_title(out_panel, t("pool.output", lang), total_w, total_h),
    ]

    frames = None
    menus = None
    if animate and step.num_positions > 1:
        frames = []
        for k in frame_positions(out_h, out_w, i0 * out_w + j0):
            i, j = divmod(k, out_w)
            s = step.at(i, j)
            wx, wy = cell_boxes([(s.rows[0], s.rows[-1], s.cols[0], s.cols[-1])])
            vx, vy = winner_path(s)
            cx, cy = cover_path(i, j, out_h, out_w)
            ox, oy = cell_boxes([(i, i, j, j)])
            data = [
                {"type": "scatter", "x": wx, "y": wy},
                {"type": "scatter", "x": vx, "y": vy},
                {"type": "scatter", "x": cx, "y": cy},
                {"type": "scatter", "x": ox, "y": oy},
                {"type": "scatter", "text": [result_text(s)]},
            ]
            frames.append({"name": str(k), "data": data, "traces": dynamic})
        menus = play_menu(lang, total_h)
    return panels_figure(traces, axes, annotations, total_h, frames, menus)


def pool_backward_figure(
    grad_out: np.ndarray,
    grad_in: np.ndarray,
    step: PoolStep,
    lang: str = "en",
    width_px: float = 900.0,
) -> go.Figure:
    """The backward pass of pooling as one row, left to right as the gradient flows back:

    the padded input with the current window (and, for max pooling, the arg-max), the upstream
    gradient dL/dy (Ho, Wo) with the current cell outlined, and the gradient each input cell
    receives dL/dx (H, W) with the cells the current gradient flows to outlined (the arg-max, or
    the whole window for average pooling). Planned for ``width_px`` (a full-width row) and the
    theme's height, titles never wider than their panel and its gaps.
    """
    c, i, j = step.out_index
    grad_out = np.asarray(grad_out, dtype=np.float64)
    grad_in = np.asarray(grad_in, dtype=np.float64)
    out_h, out_w = grad_out.shape
    h, w = grad_in.shape
    _, hp, wp = step.padded.shape
    ph, pw = step.padding
    budget = THEME.max_plot_px - THEME.title_px - 26
    cell_in = min(clamp(THEME.input_px / max(hp, wp), 8.0, THEME.max_cell_px), budget / hp)
    cell_out = min(
        clamp(THEME.output_px / max(out_h, out_w), 8.0, THEME.max_cell_px), budget / out_h
    )
    cell_out = min(cell_out, max(cell_in * 1.3, 24.0))
    titles = [
        t("pool.padded_input", lang, c=c),
        t("pool.upstream", lang),
        t("pool.grad_input", lang),
    ]
    widths = [wp * cell_in, out_w * cell_out, w * cell_in]
    # a gap holds what the titles on either side stick out of their panels
    overhang = [
        max(0.0, text_px(title, TYPE.body_px) - width) / 2
        for title, width in zip(titles, widths, strict=True)
    ]
    gaps = [max(THEME.gap_px, overhang[k] + overhang[k + 1] + 12) for k in range(2)]
    factor = min(1.0, (width_px - sum(gaps) - overhang[0] - overhang[2]) / sum(widths))
    cell_in, cell_out = cell_in * factor, cell_out * factor
    widths = [v * factor for v in widths]
    x0 = overhang[0]
    xs = [x0, x0 + widths[0] + gaps[0], x0 + widths[0] + gaps[0] + widths[1] + gaps[1]]
    total_w = xs[2] + widths[2] + overhang[2]
    total_h = max(hp * cell_in, out_h * cell_out, h * cell_in) + THEME.title_px + 30
    top = THEME.title_px
    inp = Panel(1, xs[0], top, widths[0], hp * cell_in, hp, wp, ph, pw)
    up = Panel(2, xs[1], top, widths[1], out_h * cell_out, out_h, out_w)
    down = Panel(3, xs[2], top, widths[2], h * cell_in, h, w)
    values = step.padded[c]
    traces: list[dict[str, Any]] = [
        panel_heatmap(
            inp,
            np.where(step.is_padding, np.nan, values),
            hover=t("stepper.hover_cell", lang) + "<extra></extra>",
            name=t("stepper.input", lang),
        )
    ]
    pad_label = "-∞" if step.kind == "max" else "0"
    traces += panel_overlay(
        inp, step.is_padding, THEME.padding_fill, pad_label, t("stepper.legend_padding", lang), True
    )
    window = cell_boxes([(step.rows[0], step.rows[-1], step.cols[0], step.cols[-1])])
    traces.append(
        {
            **panel_outline(
                inp, window, THEME.window_line, t("stepper.legend_window", lang), THEME.window_width
            ),
            "showlegend": True,
        }
    )
    if step.winner is not None:
        r, q = step.winner
        traces.append(
            {
                **panel_outline(
                    inp,
                    cell_boxes([(r, r, q, q)]),
                    THEME.winner_line,
                    t("pool.legend_winner", lang),
                    2.5,
                ),
                "showlegend": True,
                "line": {"color": THEME.winner_line, "width": 2.5, "dash": "dot"},
            }
        )
    scale = value_scale(np.concatenate([grad_out.ravel(), grad_in.ravel()]))
    traces += [
        panel_heatmap(up, grad_out, scale=scale, name=t("pool.upstream", lang)),
        panel_outline(up, cell_boxes([(i, i, j, j)]), THEME.output_line, "", 3.5),
        panel_heatmap(down, grad_in, scale=scale, name=t("pool.grad_input", lang)),
    ]
    if step.winner is not None:
        targets = [(step.winner[0] - ph, step.winner[1] - pw)]
    else:
        targets = [(r - ph, q - pw) for r in step.rows for q in step.cols]
    targets = [(r, q) for r, q in targets if 0 <= r < h and 0 <= q < w]
    traces.append(
        {
            **panel_outline(
                down,
                cell_boxes([(r, r, q, q) for r, q in targets]),
                THEME.window_line,
                t("pool.legend_receives", lang),
                THEME.window_width,
            ),
            "showlegend": True,
            "line": {"color": THEME.window_line, "width": THEME.window_width, "dash": "dash"},
        }
    )
    axes: dict[str, Any] = {}
    for panel in (inp, up, down):
        axes.update(panel_axes(panel, total_w, total_h))
    annotations = [
        panel_title(panel, title, total_w, total_h)
        for panel, title in zip((inp, up, down), titles, strict=True)
    ]
    return panels_figure(traces, axes, annotations, total_h, top_px=34)
