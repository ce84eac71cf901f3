"""Plotly figures (and the written-out sums) for the convolution and pooling steppers.

Pure functions of :mod:`cnnviz.ops` results: they return ``go.Figure`` objects or strings and never
touch streamlit. Conventions shared by every grid:

* row 0 at the top, one square cell per value, the value written in the cell while cells are big
  enough (``THEME.min_text_px``), always on hover;
* padding cells are grey and hatched, zeros inserted by a transposed conv are amber, rows/columns
  no window reaches (floor truncation) are tinted red, the current window has an orange outline;
* output cells not computed yet are blank; a nearly transparent marker layer over the output cells
  makes them clickable (``st.plotly_chart(on_select="rerun", selection_mode="points")``, the
  clicked cell comes back as ``customdata = [i, j]``);
* the steppers carry plotly ``frames`` and play buttons at three speeds, so "play" runs in the
  browser without a server round trip.

All visual constants live in :data:`THEME`. Text goes through the i18n catalog (``lang``).
Lessons: "Convolution stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

from cnnviz.i18n import t
from cnnviz.ops import ConvStep, Padding4, PoolStep

__all__ = [
    "THEME",
    "StepperFigure",
    "StepperTheme",
    "conv_code",
    "conv_stepper_figure",
    "format_number",
    "grid_figure",
    "montage_figure",
    "pool_backward_figure",
    "pool_expression",
    "pool_stepper_figure",
    "probability_figure",
    "sum_expression",
    "total_expression",
    "window_positions_figure",
    "written_sum",
]


@dataclass(frozen=True)
class StepperTheme:
    """Every colour, size and limit the stepper figures use."""

    font_family: str = "Inter, 'Noto Sans SC', 'Microsoft YaHei', sans-serif"
    # Explicit [position, colour] lists: the figures skip plotly.py's validation, which is what
    # turns names like "RdBu_r" into lists (plotly.js alone does not know the "_r" suffix).
    signed_scale: tuple[tuple[float, str], ...] = tuple(
        (float(p), c) for p, c in get_colorscale("RdBu_r")
    )  # negative blue, positive red, 0 white
    positive_scale: tuple[tuple[float, str], ...] = tuple(
        (float(p), c) for p, c in get_colorscale("Blues")
    )
    padding_fill: str = "#e5e7eb"
    padding_text: str = "#6b7280"
    padding_hatch: str = "#9ca3af"
    inserted_fill: str = "#fde68a"
    window_line: str = "#f97316"
    window_width: float = 3.0
    winner_line: str = "#16a34a"
    output_line: str = "#16a34a"
    unreached_fill: str = "rgba(220, 38, 38, 0.16)"
    unreached_line: str = "#dc2626"
    cover_fill: str = "#ffffff"
    grid_line: str = "#d1d5db"
    click_marker_opacity: float = 0.02
    min_text_px: float = 19.0  # hide the numbers in cells smaller than this (hover still works)
    max_cell_px: float = 46.0
    input_px: float = 520.0  # the padded input's longer side, before clamping
    kernel_px: float = 190.0
    output_px: float = 360.0
    content_width_px: float = 1050.0  # the width the layout is planned for (it stretches)
    gap_px: float = 56.0
    title_px: float = 34.0
    max_frames: int = 100  # animation frames; bigger outputs are sampled evenly
    speeds_ms: tuple[int, int, int] = (1000, 500, 250)


THEME: Final[StepperTheme] = StepperTheme()


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


# ---------------------------------------------------------------- text helpers


def format_number(value: float) -> str:
    """Short, exact-looking numbers: ``3``, ``-0.25``, ``1.33``, ``12.5``, ``-inf``."""
    value = float(value)
    if np.isnan(value):
        return ""
    if np.isinf(value):
        return "-∞" if value < 0 else "∞"
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    if abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 0.01:
        text = f"{value:.2f}"
    else:
        text = f"{value:.2g}"
    return text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text


def _term(value: float) -> str:
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


def sum_expression(window: np.ndarray, kernel: np.ndarray) -> str:
    """``x1×w1 + x2×w2 + ... = s`` for one channel's window and kernel, row by row."""
    window, kernel = np.asarray(window).ravel(), np.asarray(kernel).ravel()
    terms = " + ".join(f"{_term(x)}×{_term(w)}" for x, w in zip(window, kernel, strict=True))
    return f"{terms} = {format_number(float(np.dot(window, kernel)))}"


def total_expression(partial_sums: Sequence[float], bias: float | None, total: float) -> str:
    """``p1 + p2 + p3 + b = total`` (the bias term last; omitted when None)."""
    terms = [_term(p) for p in partial_sums]
    if bias is not None:
        terms.append(_term(bias))
    return f"{' + '.join(terms)} = {format_number(total)}"


def written_sum(step: ConvStep, channel_word: str, bias_word: str, total_word: str) -> list[str]:
    """The lines the stepper writes under the figure for one output cell.

    One channel: ``x×w + ... + bias b = total``. Several: one line per channel
    (``channel c: ... = partial``) and a total line ``p0 + p1 + ... + bias b = total``.
    ``*_word`` are the translated labels.
    """
    bias = f" + {bias_word} {_term(step.bias)}" if step.has_bias else ""
    if len(step.channels) == 1:
        terms = sum_expression(step.window[0], step.kernel[0]).rsplit(" = ", 1)[0]
        return [f"{terms}{bias} = {format_number(step.total)}"]
    lines = [
        f"{channel_word} {int(c)}: {sum_expression(step.window[k], step.kernel[k])}"
        for k, c in enumerate(step.channels)
    ]
    partials = " + ".join(_term(p) for p in step.partial_sums)
    lines.append(f"{total_word}: {partials}{bias} = {format_number(step.total)}")
    return lines


def pool_expression(step: PoolStep) -> str:
    """``max(1, 5, 3, 2) = 5`` or ``(1 + 5 + 3 + 2) / 4 = 2.75`` for the current window
    (padding cells written as -∞ for max pooling and 0 for average pooling)."""
    values = [format_number(v) for v in np.asarray(step.window).ravel()]
    if step.kind == "max":
        return f"max({', '.join(values)}) = {format_number(step.result)}"
    terms = " + ".join(f"({v})" if v.startswith("-") else v for v in values)
    return f"({terms}) / {len(values)} = {format_number(step.result)}"


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


# ---------------------------------------------------------------- geometry helpers


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _text_array(values: np.ndarray) -> np.ndarray:
    """:func:`format_number` for a whole array, vectorised for the common cases (a 34x34x3 input
    and 100 frames of products would otherwise cost ~10k Python calls per figure)."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.size <= 32:  # numpy's per-call overhead beats the scalar loop on tiny arrays
        return np.array([format_number(v) for v in arr.ravel()], dtype=object).reshape(arr.shape)
    out = np.full(arr.shape, "", dtype=object)
    magnitude = np.abs(arr)
    with np.errstate(invalid="ignore"):  # inf - inf in the integer test
        ints = np.isfinite(arr) & (np.abs(arr - np.round(arr)) < 1e-9)
    out[ints] = np.round(arr[ints]).astype(np.int64).astype(str)
    for low, high, fmt in ((100.0, np.inf, "%.0f"), (10.0, 100.0, "%.1f"), (0.01, 10.0, "%.2f")):
        chosen = ~ints & (magnitude >= low) & (magnitude < high)
        if chosen.any():
            text = np.char.mod(fmt, arr[chosen])
            if fmt != "%.0f":
                text = np.char.rstrip(np.char.rstrip(text, "0"), ".")
            out[chosen] = text
    rest = ~ints & ~(np.isfinite(arr) & (magnitude >= 0.01))
    if rest.any():  # tiny values, infinities, NaN: the scalar rules
        out[rest] = [format_number(v) for v in arr[rest]]
    return out


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


def _window_paths(rows: np.ndarray, cols: np.ndarray) -> tuple[list[Any], list[Any]]:
    """The window's bounding box plus, when dilated, a small box on every cell it reads."""
    cells = [(rows[0], rows[-1], cols[0], cols[-1])]
    if (len(rows) > 1 and rows[1] - rows[0] > 1) or (len(cols) > 1 and cols[1] - cols[0] > 1):
        cells += [(r, r, c, c) for r in rows for c in cols]
    return _boxes(cells)


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


def _frame_positions(num: int, current: int) -> list[int]:
    if num <= THEME.max_frames:
        return list(range(num))
    return sorted(set(np.linspace(0, num - 1, THEME.max_frames).round().astype(int)) | {current})


# ---------------------------------------------------------------- layout helpers


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


def _note(panel: _Panel, text: str, total_w: float, total_h: float, color: str) -> dict[str, Any]:
    return {
        "text": text,
        "x": (panel.x0 + panel.width / 2) / total_w,
        "y": 1 - (panel.y0 + panel.height + 6) / total_h,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 14, "color": color},
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


# ---------------------------------------------------------------- convolution stepper


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
    cell_in = _clamp(THEME.input_px / max(hp, wp), 8.0, THEME.max_cell_px)
    cell_k = _clamp(THEME.kernel_px / max(kh, kw), 12.0, THEME.max_cell_px)
    cell_out = _clamp(THEME.output_px / max(out_h, out_w), 8.0, THEME.max_cell_px)
    widths = [wp * cell_in, kw * cell_k, kw * cell_k, out_w * cell_out]
    natural = sum(widths) + 3 * THEME.gap_px
    if natural > THEME.content_width_px:  # shrink every grid to fit the planned width
        factor = (THEME.content_width_px - 3 * THEME.gap_px) / sum(widths)
        cell_in, cell_k, cell_out = cell_in * factor, cell_k * factor, cell_out * factor
        widths = [w * factor for w in widths]
    total_w = sum(widths) + 3 * THEME.gap_px
    row_h = max(hp * cell_in, kh * cell_k) + THEME.title_px + 26
    total_h = max(num_ch * row_h, out_h * cell_out + THEME.title_px + 26)
    xs = np.cumsum([0.0] + [w + THEME.gap_px for w in widths])

    panels: list[tuple[_Panel, _Panel, _Panel]] = []
    index = 1
    for row in range(num_ch):
        y0 = row * row_h + THEME.title_px
        inp = _Panel(index, xs[0], y0, widths[0], hp * cell_in, hp, wp, top, left)
        ker = _Panel(index + 1, xs[1], y0, widths[1], kh * cell_k, kh, kw)
        prod = _Panel(index + 2, xs[2], y0, widths[2], kh * cell_k, kh, kw)
        panels.append((inp, ker, prod))
        index += 3
    out_panel = _Panel(index, xs[3], THEME.title_px, widths[3], out_h * cell_out, out_h, out_w)

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
        in_scale = _value_scale(values)
        traces.append(
            _heatmap(
                inp,
                real,
                scale=in_scale,
                hover=t("stepper.hover_cell", lang) + "<extra></extra>",
                name=t("stepper.input", lang),
            )
        )
        traces += _overlay(inp, step.is_padding, THEME.padding_fill, "0", label_pad, hatch=True)
        traces += _overlay(inp, inserted, THEME.inserted_fill, "0", label_ins, hatch=False)
        if unreached.any():
            x, y = _boxes(_mask_runs(unreached))
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
            _outline(
                inp,
                _window_paths(step.rows, step.cols),
                THEME.window_line,
                t("stepper.legend_window", lang),
                THEME.window_width,
            )
        )
        traces.append(_heatmap(ker, step.kernel[row], name=t("stepper.kernel", lang)))
        dynamic.append(len(traces))
        traces.append(
            _heatmap(
                prod,
                step.products[row],
                scale=_value_scale(
                    np.abs(step.kernel).max()
                    * np.abs(values[np.isfinite(values)]).max()
                    * np.array([-1.0, 1.0])
                ),
                name=t("stepper.products", lang),
                hover=t("stepper.hover_product", lang) + "<extra></extra>",
            )
        )
        for panel in (inp, ker, prod):
            axes.update(_axis_layout(panel, total_w, total_h))

    traces.append(_legend_item(t("stepper.legend_window", lang), THEME.window_line, line=True))
    if step.is_padding.any():
        traces.append(_legend_item(label_pad, THEME.padding_fill))
    if inserted.any():
        traces.append(_legend_item(label_ins, THEME.inserted_fill))
    if unreached.any():
        traces.append(_legend_item(label_unreached, THEME.unreached_fill))
    output = step.output[f]
    traces.append(_heatmap(out_panel, output, name=t("stepper.output", lang), hoverable=False))
    dynamic.append(len(traces))
    traces.append(_cover(out_panel, i0, j0, out_h, out_w))
    dynamic.append(len(traces))
    traces.append(_outline(out_panel, _boxes([(i0, i0, j0, j0)]), THEME.output_line, "", 3.5))
    traces.append(_click_layer(out_panel, output, t("stepper.output", lang)))
    axes.update(_axis_layout(out_panel, total_w, total_h))

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
        traces.append(_text_trace(panels[row][2], text, "#111827"))
    dynamic.append(len(traces))
    traces.append(_text_trace(out_panel, sum_texts(step)[-1], THEME.output_line))

    annotations = []
    for row, (inp, ker, prod) in enumerate(panels):
        channel = t("stepper.channel_n", lang, c=int(step.channels[row])) if num_ch > 1 else ""
        title = f"{t('stepper.padded_input', lang)} {channel}".strip()
        annotations.append(_title(inp, title, total_w, total_h))
        annotations.append(_title(ker, t("stepper.kernel", lang), total_w, total_h))
        annotations.append(_title(prod, t("stepper.products", lang), total_w, total_h))
    annotations.append(
        _title(out_panel, t("stepper.output_of_filter", lang, f=f), total_w, total_h)
    )

    frames = None
    menus = None
    if animate and step.num_positions > 1:
        frames = []
        positions = _frame_positions(step.num_positions, i0 * out_w + j0)
        steps = [step.at(*divmod(k, out_w)) for k in positions]
        all_products = np.stack([s.products for s in steps])  # (frames, Cg, kh, kw)
        all_texts = _text_array(all_products).tolist()  # one vectorised call for every frame
        for n, (k, s) in enumerate(zip(positions, steps, strict=True)):
            i, j = divmod(k, out_w)
            data: list[dict[str, Any]] = []
            x, y = _window_paths(s.rows, s.cols)
            for row in range(num_ch):
                data.append({"type": "scatter", "x": x, "y": y})
                data.append(
                    {
                        "type": "heatmap",
                        "z": all_products[n, row].tolist(),
                        "text": all_texts[n][row],
                    }
                )
            x, y = _cover_path(i, j, out_h, out_w)
            data.append({"type": "scatter", "x": x, "y": y})
            x, y = _boxes([(i, i, j, j)])
            data.append({"type": "scatter", "x": x, "y": y})
            data += [{"type": "scatter", "text": [text]} for text in sum_texts(s)]
            frames.append({"name": str(k), "data": data, "traces": dynamic})
        menus = _play_menu(lang, total_h)
    return _figure(traces, axes, annotations, total_h, frames, menus)


# ---------------------------------------------------------------- pooling stepper


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
    traces.append(_heatmap(out_panel, output, name=t("stepper.output", lang), hoverable=False))
    dynamic.append(len(traces))
    traces.append(_cover(out_panel, i0, j0, out_h, out_w))
    dynamic.append(len(traces))
    traces.append(_outline(out_panel, _boxes([(i0, i0, j0, j0)]), THEME.output_line, "", 3.5))
    traces.append(_click_layer(out_panel, output, t("stepper.output", lang)))
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


# ---------------------------------------------------------------- plain grids


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
    cell = _clamp(max_px / max(h, w), 8.0, THEME.max_cell_px)
    panel = _Panel(
        1, 0.0, THEME.title_px if title else 8.0, w * cell, h * cell, h, w, row_offset, col_offset
    )
    total_w = max(w * cell, 120.0)
    total_h = panel.y0 + h * cell + 6
    special = np.zeros((h, w), dtype=bool)
    for mask in (padding_mask, inserted_mask):
        if mask is not None:
            special |= np.asarray(mask, dtype=bool)
    real = np.where(special, np.nan, values)
    traces = [
        _heatmap(
            panel,
            real,
            scale=_value_scale(values),
            hover=t("stepper.hover_cell", lang) + "<extra></extra>",
        )
    ]
    legend = False
    if padding_mask is not None and np.any(padding_mask):
        label = t("stepper.legend_padding", lang)
        traces += _overlay(panel, padding_mask, THEME.padding_fill, "0", label, hatch=True)
        traces.append(_legend_item(label, THEME.padding_fill))
        legend = True
    if inserted_mask is not None and np.any(inserted_mask):
        label = t("stepper.legend_inserted", lang)
        traces += _overlay(panel, inserted_mask, THEME.inserted_fill, "0", label, hatch=False)
        traces.append(_legend_item(label, THEME.inserted_fill))
        legend = True
    if highlight:
        traces.append(
            {
                **_outline(
                    panel,
                    _boxes([(r, r, c, c) for r, c in highlight]),
                    THEME.unreached_line,
                    highlight_label,
                    3.0,
                ),
                "showlegend": bool(highlight_label),
            }
        )
    annotations = [_title(panel, title, total_w, total_h)] if title else []
    fig = _figure(traces, _axis_layout(panel, total_w, total_h), annotations, total_h, top_px=16)
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
    cell = _clamp(min((width_px - count * gap) / (count * w), 220.0 / h), 3.0, 40.0)
    total_w = count * (w * cell + gap)
    total_h = h * cell + THEME.title_px + 6
    traces = []
    axes: dict[str, Any] = {}
    annotations = []
    scale = _value_scale(maps)
    for k in range(count):
        panel = _Panel(k + 1, k * (w * cell + gap), THEME.title_px, w * cell, h * cell, h, w)
        traces.append(
            _heatmap(
                panel, maps[k], scale=scale, hover=t("stepper.hover_cell", lang) + "<extra></extra>"
            )
        )
        axes.update(_axis_layout(panel, total_w, total_h))
        style = {"font": {"size": 13, "color": THEME.output_line if k == current else "#111827"}}
        annotations.append({**_title(panel, titles[k], total_w, total_h), **style})
        if k == current:
            traces.append(
                _outline(panel, _boxes([(0, h - 1, 0, w - 1)]), THEME.output_line, "", 3.0)
            )
    fig = _figure(traces, axes, annotations, total_h, top_px=16)
    fig.update_layout(showlegend=False)
    return fig


def probability_figure(
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
                THEME.output_line if k == int(np.argmax(probs)) else "#93c5fd"
                for k in range(len(probs))
            ],
            hovertemplate="%{x}: %{y:.6f}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=300,
        margin={"l": 40, "r": 10, "t": 50, "b": 40},
        yaxis={"range": [0, 1.15], "title": t("walk.probability", lang), "fixedrange": True},
        xaxis={"fixedrange": True},
        plot_bgcolor="white",
        font={"family": THEME.font_family},
    )
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
    cell = _clamp(THEME.content_width_px * 0.8 / width, 8.0, 30.0)
    panel = _Panel(
        1, 0.0, THEME.title_px, width * cell, positions * cell, positions, width, 0, pad_before
    )
    colours = ["#dbeafe", THEME.padding_fill, THEME.window_line]
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
        x, y = _boxes(_mask_runs(columns))
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
        traces.append(_legend_item(t("stepper.legend_unreached", lang), THEME.unreached_fill))
    traces.append(_legend_item(t("practice.legend_read", lang), THEME.window_line))
    if pad_before or pad_after:
        traces.append(_legend_item(t("stepper.legend_padding", lang), THEME.padding_fill))
    total_w = width * cell
    total_h = THEME.title_px + positions * cell + 6
    axes = _axis_layout(panel, total_w, total_h)
    axes["yaxis"]["ticktext"] = [str(v) for v in axes["yaxis"]["tickvals"]]
    title = t("practice.positions_title", lang, count=positions)
    fig = _figure(traces, axes, [_title(panel, title, total_w, total_h)], total_h, top_px=16)
    return fig
