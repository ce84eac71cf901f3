"""The convolution stepper: its figure, the sums written under it and the matching PyTorch line.

Pure functions of a :class:`cnnviz.ops.conv.ConvStep`: ``conv_stepper_figure`` draws the padded
input with the window, the kernel, the products and the output (animated); ``written_sum``,
``sum_expression`` and ``total_expression`` write
``out[f,i,j] = sum_c sum_{a,b} x_pad[c, i*s+a*d, j*s+b*d] * w[f,c,a,b] + b[f]`` with the numbers
filled in; ``conv_code`` is the ``nn.Conv2d`` / ``nn.ConvTranspose2d`` line for the settings.
Text goes through the i18n catalog (``lang``). Lessons: "Convolution stepper", "Worked example".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from cnnviz.i18n import t
from cnnviz.ops import ConvStep, Padding4
from cnnviz.viz._animation import add_output_panel, cover_path, frame_positions, play_menu
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
    panel_text,
    panel_title,
    panels_figure,
    value_scale,
)
from cnnviz.viz.theme import (
    PALETTE,
    THEME,
    display_values,
    format_number,
    plain_numbers,
    text_array,
)

__all__ = [
    "conv_code",
    "conv_stepper_figure",
    "sum_expression",
    "total_expression",
    "written_sum",
]


def _term(value: float) -> str:
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


def sum_expression(window: np.ndarray, kernel: np.ndarray, per_row: bool = False) -> str:
    """``x1×w1 + x2×w2 + ... = s`` for one channel's window and kernel, row by row
    (``per_row``: one line per kernel row, as the products sit in the grid)."""
    rows = np.atleast_2d(np.asarray(window))
    kernel_rows = np.atleast_2d(np.asarray(kernel))
    lines = [
        " + ".join(f"{_term(x)}×{_term(w)}" for x, w in zip(xr, wr, strict=True))
        for xr, wr in zip(rows, kernel_rows, strict=True)
    ]
    terms = "\n+ ".join(lines) if per_row else " + ".join(lines)
    total = format_number(float(np.dot(rows.ravel(), kernel_rows.ravel())))
    return f"{terms}\n= {total}" if per_row else f"{terms} = {total}"


def total_expression(
    partial_sums: Sequence[float] | np.ndarray, bias: float | None, total: float
) -> str:
    """``p1 + p2 + p3 + b = total`` (the bias term last; omitted when None)."""
    terms = [_term(p) for p in partial_sums]
    if bias is not None:
        terms.append(_term(bias))
    return f"{' + '.join(terms)} = {format_number(total)}"


def written_sum(
    step: ConvStep, channel_word: str, bias_word: str, total_word: str, per_row: bool = False
) -> list[str]:
    """The lines the stepper writes beside the figure for one output cell.

    One channel: ``x×w + ... + bias b = total``. Several: one line per channel
    (``channel c: ... = partial``) and a total line ``p0 + p1 + ... + bias b = total``.
    ``*_word`` are the translated labels; ``per_row`` breaks each sum after every kernel row
    (a narrow column beside the grid).
    """
    bias = f" + {bias_word} {_term(step.bias)}" if step.has_bias else ""
    sep = "\n" if per_row else " "
    if len(step.channels) == 1:
        terms = sum_expression(step.window[0], step.kernel[0], per_row).rsplit(f"{sep}= ", 1)[0]
        return [f"{terms}{bias}{sep}= {format_number(step.total)}"]
    lines = [
        f"{channel_word} {int(c)}:{sep}" + sum_expression(step.window[k], step.kernel[k], per_row)
        for k, c in enumerate(step.channels)
    ]
    partials = " + ".join(_term(p) for p in step.partial_sums)
    lines.append(f"{total_word}: {partials}{bias} = {format_number(step.total)}")
    return lines


def _pair_text(pair: tuple[int, int]) -> str:
    return f"({pair[0]}, {pair[1]})"


def conv_code(
    in_channels: int,
    out_channels: int,
    kernel_size: tuple[int, int],
    stride: tuple[int, int] = (1, 1),
    padding: Padding4 | str = (0, 0, 0, 0),
    dilation: tuple[int, int] = (1, 1),
    groups: int = 1,
    bias: bool = True,
    transposed: bool = False,
    output_padding: tuple[int, int] = (0, 0),
) -> str:
    """The PyTorch line for the current settings.

    Per-side padding that PyTorch's ``Conv2d`` cannot express (top != bottom or left != right)
    becomes ``nn.ZeroPad2d((left, right, top, bottom))`` before a ``padding=0`` conv.
    """
    args = [str(in_channels), str(out_channels), f"kernel_size={_pair_text(kernel_size)}"]
    if transposed:
        top, _, left, _ = padding if not isinstance(padding, str) else (0, 0, 0, 0)
        args += [
            f"stride={_pair_text(stride)}",
            f"padding={_pair_text((top, left))}",
            f"output_padding={_pair_text(output_padding)}",
        ]
        if groups != 1:
            args.append(f"groups={groups}")
        args += [f"bias={bias}", f"dilation={_pair_text(dilation)}"]
        return f"nn.ConvTranspose2d({', '.join(args)})"
    pre = ""
    args.append(f"stride={_pair_text(stride)}")
    if isinstance(padding, str):
        args.append(f'padding="{padding}"')
    else:
        top, bottom, left, right = padding
        if top == bottom and left == right:
            args.append(f"padding={_pair_text((top, left))}")
        else:
            pre = f"nn.ZeroPad2d(({left}, {right}, {top}, {bottom})), "
            args.append("padding=0")
    args.append(f"dilation={_pair_text(dilation)}")
    if groups != 1:
        args.append(f"groups={groups}")
    args.append(f"bias={bias}")
    line = f"nn.Conv2d({', '.join(args)})"
    return f"nn.Sequential({pre}{line})" if pre else line


def _window_paths(rows: np.ndarray, cols: np.ndarray) -> tuple[list[Any], list[Any]]:
    """The window's bounding box plus, when dilated, a small box on every cell it reads."""
    cells = [(rows[0], rows[-1], cols[0], cols[-1])]
    if (len(rows) > 1 and rows[1] - rows[0] > 1) or (len(cols) > 1 and cols[1] - cols[0] > 1):
        cells += [(r, r, c, c) for r in rows for c in cols]
    return cell_boxes(cells)


def _trimmed(path: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[Any]]:
    """A path without its closing gap (``None``): nothing follows it in a frame."""
    x, y = path
    return (x[:-1], y[:-1]) if x and x[-1] is None else (x, y)


def _compact(values: np.ndarray) -> list[Any]:
    """Nested lists for JSON, whole numbers as ints (``0`` rather than ``0.0``): every byte of a
    frame is sent a hundred times."""
    whole = np.isfinite(values) & (values == np.round(values))
    ints = np.round(np.where(whole, values, 0)).astype(np.int64).astype(object)
    return np.where(whole, ints, values.astype(object)).tolist()


def _unreached_mask(step: ConvStep) -> np.ndarray:
    """Padded cells after the last row/column any window reads (floor truncation)."""
    _, hp, wp = step.padded.shape
    _, out_h, out_w = step.output.shape
    kh, kw = len(step.rows), len(step.cols)
    last_row = (out_h - 1) * step.stride[0] + step.dilation[0] * (kh - 1)
    last_col = (out_w - 1) * step.stride[1] + step.dilation[1] * (kw - 1)
    mask = np.zeros((hp, wp), dtype=bool)
    mask[last_row + 1 :, :] = True
    mask[:, last_col + 1 :] = True
    return mask


def conv_stepper_figure(step: ConvStep, lang: str = "en", animate: bool = True) -> go.Figure:
    """The convolution stepper (CNN Explainer's view, with numbers).

    One row per input channel the filter sees: the padded input with the window outlined, the
    kernel, the element-wise products and their partial sum; on the right the output of this
    filter with the current cell outlined, later cells blank, every cell clickable. ``frames``
    replay the sweep in the browser (play buttons at three speeds).
    """
    f, i0, j0 = step.out_index
    num_ch = len(step.channels)
    _, hp, wp = step.padded.shape
    _, out_h, out_w = step.output.shape
    kh, kw = step.kernel.shape[1:]
    top, _, left, _ = step.padding
    cell_in = clamp(THEME.input_px / max(hp, wp), 8.0, THEME.max_cell_px)
    cell_k = clamp(THEME.kernel_px / max(kh, kw), 12.0, THEME.max_cell_px)
    cell_out = clamp(THEME.output_px / max(out_h, out_w), 8.0, THEME.max_cell_px)
    # each grid within the planned height (a channel's row each), then all to the planned width
    row_budget = max(THEME.max_plot_px / num_ch, THEME.min_row_px) - THEME.title_px - 26
    cell_in = min(cell_in, row_budget / hp)
    # the input is the picture: the kernel, products and output are never drawn much larger
    cell_k = min(cell_k, row_budget / kh, max(cell_in * 1.3, 30.0))
    cell_out = min(cell_out, num_ch * row_budget / out_h, max(cell_in * 1.3, 24.0))
    widths = [wp * cell_in, kw * cell_k, kw * cell_k, out_w * cell_out]
    factor = (THEME.conv_width_px - 3 * THEME.gap_px) / sum(widths)
    if factor < 1.0:
        cell_in, cell_k, cell_out = cell_in * factor, cell_k * factor, cell_out * factor
        widths = [w * factor for w in widths]
    total_w = sum(widths) + 3 * THEME.gap_px
    row_h = max(hp * cell_in, kh * cell_k) + THEME.title_px + 26
    total_h = max(num_ch * row_h, out_h * cell_out + THEME.title_px + 26)
    xs = np.cumsum([0.0] + [w + THEME.gap_px for w in widths])

    panels: list[tuple[Panel, Panel, Panel]] = []
    index = 1
    for row in range(num_ch):
        y0 = row * row_h + THEME.title_px
        inp = Panel(index, xs[0], y0, widths[0], hp * cell_in, hp, wp, top, left)
        ker = Panel(index + 1, xs[1], y0, widths[1], kh * cell_k, kh, kw)
        prod = Panel(index + 2, xs[2], y0, widths[2], kh * cell_k, kh, kw)
        panels.append((inp, ker, prod))
        index += 3
    out_panel = Panel(index, xs[3], THEME.title_px, widths[3], out_h * cell_out, out_h, out_w)

    positions: list[int] = []  # the output cells the animation plays
    if animate and step.num_positions > 1:
        limit = THEME.frame_budget_bytes // (300 + 170 * num_ch)  # see StepperTheme
        positions = frame_positions(out_h, out_w, i0 * out_w + j0, min(THEME.max_frames, limit))
    steps = [step.at(*divmod(k, out_w)) for k in positions]
    # (1 + frames, Cg, kh, kw), one vectorised call for every frame; the products are sent as
    # the numbers the cells show, unless one needs an exponent (then as texts)
    products = np.stack([step.products, *(s.products for s in steps)])
    product_labels = text_array(products)
    plain = plain_numbers(product_labels)

    inserted = step.is_inserted
    unreached = _unreached_mask(step)
    label_pad = t("stepper.legend_padding", lang)
    label_ins = t("stepper.legend_inserted", lang)
    label_unreached = t("stepper.legend_unreached", lang)
    traces: list[dict[str, Any]] = []
    dynamic: list[int] = []  # indices of traces that frames update, in frame order
    axes: dict[str, Any] = {}
    for row, (inp, ker, prod) in enumerate(panels):
        c = int(step.channels[row])
        values = step.padded[c]
        real = np.where(step.is_padding | inserted, np.nan, values)
        in_scale = value_scale(values)
        traces.append(
            panel_heatmap(
                inp,
                real,
                scale=in_scale,
                hover=t("stepper.hover_cell", lang) + "<extra></extra>",
                name=t("stepper.input", lang),
            )
        )
        traces += panel_overlay(
            inp, step.is_padding, THEME.padding_fill, "0", label_pad, hatch=True
        )
        traces += panel_overlay(inp, inserted, THEME.inserted_fill, "0", label_ins, hatch=False)
        if unreached.any():
            x, y = cell_boxes(mask_runs(unreached))
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": y,
                    "xaxis": inp.xaxis,
                    "yaxis": inp.yaxis,
                    "mode": "lines",
                    "fill": "toself",
                    "fillcolor": THEME.unreached_fill,
                    "line": {"width": 0},
                    "hoverinfo": "skip",
                    "name": label_unreached,
                    "showlegend": False,
                }
            )
        dynamic.append(len(traces))
        traces.append(
            panel_outline(
                inp,
                _window_paths(step.rows, step.cols),
                THEME.window_line,
                t("stepper.legend_window", lang),
                THEME.window_width,
            )
        )
        traces.append(panel_heatmap(ker, step.kernel[row], name=t("stepper.kernel", lang)))
        dynamic.append(len(traces))
        traces.append(
            panel_heatmap(
                prod,
                step.products[row],
                scale=value_scale(
                    np.abs(step.kernel).max()
                    * np.abs(values[np.isfinite(values)]).max()
                    * np.array([-1.0, 1.0])
                ),
                name=t("stepper.products", lang),
                hover=t("stepper.hover_product", lang) + "<extra></extra>",
                text=None if plain else product_labels[0, row],
            )
        )
        for panel in (inp, ker, prod):
            axes.update(panel_axes(panel, total_w, total_h))

    traces.append(legend_item(t("stepper.legend_window", lang), THEME.window_line, line=True))
    if step.is_padding.any():
        traces.append(legend_item(label_pad, THEME.padding_fill))
    if inserted.any():
        traces.append(legend_item(label_ins, THEME.inserted_fill))
    if unreached.any():
        traces.append(legend_item(label_unreached, THEME.unreached_fill))
    output = step.output[f]
    add_output_panel(traces, dynamic, out_panel, output, (i0, j0), t("stepper.output", lang))
    axes.update(panel_axes(out_panel, total_w, total_h))

    def sum_texts(s: ConvStep) -> list[str]:
        _, i, j = s.out_index
        bias = s.bias if s.has_bias else None
        total = (
            total_expression(s.partial_sums, bias, s.total)
            if num_ch > 1 or bias is not None
            else format_number(s.total)
        )
        partials = [f"Σ = {format_number(v)}" for v in s.partial_sums]
        return [*partials, f"({i}, {j}) = {total}"]

    for row, text in enumerate(sum_texts(step)[:-1]):
        dynamic.append(len(traces))
        traces.append(panel_text(panels[row][2], text, PALETTE.ink))
    dynamic.append(len(traces))
    traces.append(panel_text(out_panel, sum_texts(step)[-1], THEME.output_line))

    annotations = []
    for row, (inp, ker, prod) in enumerate(panels):
        channel = t("stepper.channel_n", lang, c=int(step.channels[row])) if num_ch > 1 else ""
        title = f"{t('stepper.padded_input', lang)} {channel}".strip()
        annotations.append(panel_title(inp, title, total_w, total_h))
        annotations.append(panel_title(ker, t("stepper.kernel", lang), total_w, total_h))
        annotations.append(panel_title(prod, t("stepper.products", lang), total_w, total_h))
    annotations.append(
        panel_title(out_panel, t("stepper.output_of_filter", lang, f=f), total_w, total_h)
    )

    frames = None
    menus = None
    if steps:
        frames = []
        if plain:  # the numbers as the cells show them (texttemplate Z_TEXT)
            shown = _compact(display_values(products, product_labels))
        for n, (k, s) in enumerate(zip(positions, steps, strict=True), start=1):
            i, j = divmod(k, out_w)
            # frame items carry only what changes; "type" only where it is not plotly's
            # default (scatter), which plotly.py needs to validate them
            data: list[dict[str, Any]] = []
            x, y = _trimmed(_window_paths(s.rows, s.cols))
            for row in range(num_ch):
                data.append({"x": x, "y": y})
                if plain:
                    data.append({"type": "heatmap", "z": shown[n][row]})
                else:
                    z, text = products[n, row].tolist(), product_labels[n, row].tolist()
                    data.append({"type": "heatmap", "z": z, "text": text})
            x, y = _trimmed(cover_path(i, j, out_h, out_w))
            data.append({"x": x, "y": y})
            x, y = _trimmed(cell_boxes([(i, i, j, j)]))
            data.append({"x": x, "y": y})
            data += [{"text": [text]} for text in sum_texts(s)]
            frames.append({"name": str(k), "data": data, "traces": dynamic})
        menus = play_menu(lang, total_h)
    return panels_figure(traces, axes, annotations, total_h, frames, menus)
