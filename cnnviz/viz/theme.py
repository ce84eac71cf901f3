"""The one figure theme: every colour of every figure (:data:`PALETTE`), every text size
(:data:`TYPE`), the stepper grids' look (:data:`THEME`), and how numbers are written in cells
(:func:`format_number`) and where space is short (:func:`format_compact`).

No other module of cnnviz or page writes a colour literal or a font size: they name one from here.
Text sizes are planned for the back row of a classroom: a 1280x720 projector at 125% browser
zoom is a 1024x576 CSS viewport, and no figure text is smaller than ``TYPE.min_px`` (14 CSS px)
there. ``format_number`` writes short, exact-looking numbers (``3``, ``-0.25``, ``1.33``, ``-∞``):
every number in a grid cell, a hover label or a written sum goes through it. ``format_compact``
writes totals in four significant digits (``60.97 M``) where a full number would be cut.

Lessons: every page with a figure.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, ParamSpec

import numpy as np
import plotly.graph_objects as go
from plotly.colors import get_colorscale

P = ParamSpec("P")

__all__ = [
    "PALETTE",
    "PRESENTER",
    "THEME",
    "TYPE",
    "Palette",
    "PresenterTheme",
    "StepperTheme",
    "Typography",
    "axis_fonts",
    "display_values",
    "for_presenter",
    "format_compact",
    "format_number",
    "layout_fonts",
    "plain_numbers",
    "readable",
    "readable_figure",
    "readable_fonts",
    "text_array",
    "text_px",
    "wrap_text",
]


@dataclass(frozen=True)
class Palette:
    """Every colour the figures use, by what it means (not by what it looks like)."""

    ink: str = "#111827"  # text drawn inside figures
    muted: str = "#6b7280"  # tick labels, thin outlines
    caption: str = "#334155"
    faint: str = "#e5e7eb"  # grid lines
    paper: str = "#ffffff"
    shadow: str = "#000000"  # mixed into a colour to shade a face
    transparent: str = "rgba(0,0,0,0)"
    train: str = "#2563eb"  # training curves (dashed in the lab)
    val: str = "#ea580c"  # validation curves
    raw_loss: str = "rgba(37, 99, 235, 0.35)"  # every batch's loss, under its moving average
    smoothed_loss: str = "#1d4ed8"
    lr: str = "#7c3aed"
    lr_band: str = "rgba(124, 58, 237, 0.08)"  # shades one epoch of the LR schedule
    bar: str = "#2563eb"
    bar_best: str = "#ea580c"
    bar_light: str = "#93c5fd"  # a probability that is not the winner
    cell_light: str = "#dbeafe"  # a window position in the practice grid
    #: One diverging scale for every signed map (negative blue, 0 white, positive red); feature
    #: maps are all drawn with it, centred on 0, so one caption describes every one of them.
    signed_scale: str = "RdBu_r"
    positive_scale: str = "Viridis"
    #: Loss surfaces under coloured optimizer paths: white at the bottom, slate grey up the walls.
    surface_scale: tuple[tuple[float, str], ...] = ((0.0, "#ffffff"), (1.0, "#94a3b8"))
    count_scale: str = "Blues"
    #: Attribution and receptive-field heat over a picture (/inside), and the window drawn on it.
    heat_scale: str = "Inferno"
    field_line: str = "#22c55e"
    #: Runs, layers and members told apart by colour, in this order.
    series: tuple[str, ...] = (
        "#1f77b4",
        "#d62728",
        "#2ca02c",
        "#9467bd",
        "#ff7f0e",
        "#17becf",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
    )
    #: The network diagram: one colour per kind of layer.
    layer_kinds: tuple[tuple[str, str], ...] = (
        ("input", "#94a3b8"),
        ("conv2d", "#2563eb"),
        ("residual", "#0e7490"),
        ("maxpool2d", "#f59e0b"),
        ("avgpool2d", "#f97316"),
        ("global_avg_pool", "#ea580c"),
        ("batchnorm2d", "#8b5cf6"),
        ("lrn", "#a855f7"),
        ("activation", "#10b981"),
        ("dropout", "#9ca3af"),
        ("dropout2d", "#9ca3af"),
        ("flatten", "#64748b"),
        ("linear", "#dc2626"),
        ("error", "#ef4444"),
        ("unknown", "#cbd5e1"),
    )
    #: The drawing canvas of "Try it yourself": white ink on black, like the training digits.
    canvas_ink: str = "#ffffff"
    canvas_background: str = "#000000"
    #: The Build page's U-Net diagram (a failing concatenation uses ``layer_kinds``' "error").
    unet_blocks: tuple[tuple[str, str], ...] = (
        ("input", "#94a3b8"),
        ("encoder", "#0e7490"),
        ("bottom", "#155e75"),
        ("decoder", "#2563eb"),
        ("head", "#dc2626"),
    )
    unet_pool: str = "#f59e0b"
    unet_up: str = "#7c3aed"
    unet_skip: str = "#0f766e"


PALETTE: Final[Palette] = Palette()


@dataclass(frozen=True)
class Typography:
    """Every text size of every figure, in CSS px.

    ``min_px`` is the floor: 14 CSS px is 17.5 device pixels on a 1280x720 projector at 125%
    zoom. Numbers written inside grid cells are shown at ``min_px`` or more, or not at all (the
    hover still gives them).
    """

    min_px: float = 14.0
    body_px: float = 14.0  # ticks, legends, axis titles, annotations, hover labels
    title_px: float = 16.0  # a figure's or a panel's title
    cell_max_px: float = 17.0  # numbers inside grid cells
    family: str = "Inter, 'Noto Sans SC', 'Microsoft YaHei', sans-serif"


TYPE: Final[Typography] = Typography()


#: Characters far narrower than a digit in every sans font (a point is ~0.27 em, a minus ~0.38).
_NARROW: Final[dict[str, float]] = {".": 0.35, ",": 0.35, ":": 0.35, "-": 0.45, " ": 0.35}


def text_px(text: str, size: float, em: float = 0.6) -> float:
    """A generous estimate of the width of one line of ``text`` at ``size`` px: ``em`` per Latin
    character (points, commas and minus signs a little over their real width), a full em per CJK
    character (labels planned with it never touch)."""
    return sum(size * (1.0 if ord(ch) >= 0x2E80 else _NARROW.get(ch, em)) for ch in text)


def wrap_text(text: str, width_px: float, size: float = TYPE.body_px) -> list[str]:
    """``text`` broken into lines no wider than ``width_px`` at ``size`` (by :func:`text_px`),
    between words; a single word wider than that keeps its own line."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_px(f"{lines[-1]} {word}", size) <= width_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def layout_fonts(title: bool = True) -> dict[str, Any]:
    """Layout entries giving every text of a figure a readable size: the global font, the
    legend, hover labels and (``title``) the figure title. Axes: :func:`axis_fonts`."""
    layout: dict[str, Any] = {
        "font": {"size": TYPE.body_px, "family": TYPE.family},
        "legend": {"font": {"size": TYPE.body_px}},
        "hoverlabel": {"font": {"size": TYPE.body_px}},
    }
    if title:
        layout["title"] = {"font": {"size": TYPE.title_px}}
    return layout


def axis_fonts() -> dict[str, Any]:
    """Axis entries for readable tick labels and axis titles."""
    return {"tickfont": {"size": TYPE.body_px}, "title": {"font": {"size": TYPE.body_px}}}


def readable(build: Callable[P, go.Figure]) -> Callable[P, go.Figure]:
    """A figure function whose figures get :func:`readable_fonts` (for the explorers' figures,
    built with plotly's defaults: 12 px ticks are unreadable on a projector)."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        return readable_fonts(build(*args, **kwargs))

    return wrapper


def readable_fonts(fig: go.Figure) -> go.Figure:
    """Give an assembled figure the theme's text sizes: global font, legend, hover labels, title,
    every axis and every annotation (subplot titles). For figures built with ``go.Figure`` and
    ``make_subplots``; the figures built from plain dicts set the same sizes as they are built."""
    fig.update_layout(layout_fonts(title=bool(fig.layout.title.text)))
    fig.update_xaxes(axis_fonts())
    fig.update_yaxes(axis_fonts())
    fig.update_annotations(font_size=TYPE.body_px)
    return fig


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``extra`` merged in, nested dicts merged, ``extra`` winning."""
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        out[key] = (
            _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return out


def readable_figure(spec: dict[str, Any]) -> go.Figure:
    """``go.Figure(spec)`` with what :func:`readable_fonts` sets written into the dict first:
    plotly validates the figure once instead of again for every axis. For figures built from
    plain dicts with many subplots (the init page's ten histogram panels)."""
    layout = _merged(spec.get("layout", {}), layout_fonts(title=bool(_title_text(spec))))
    for name in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        layout[name] = _merged(layout.get(name, {}), axis_fonts())
    if "annotations" in layout:
        layout["annotations"] = [
            _merged(note, {"font": {"size": TYPE.body_px}}) for note in layout["annotations"]
        ]
    return go.Figure({**spec, "layout": layout})


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("layout", {}).get("title")
    if isinstance(title, dict):
        return str(title.get("text") or "")
    return str(title or "")


@dataclass(frozen=True)
class StepperTheme:
    """Every colour, size and limit the stepper figures use."""

    font_family: str = TYPE.family
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
    #: The stepper figures' grids and titles together fit this height, so a figure and the step
    #: control above it both fit a 1024x576 projector viewport (more input channels: more rows,
    #: each at least ``min_row_px``).
    max_plot_px: float = 250.0
    min_row_px: float = 170.0
    #: The convolution stepper's figure shares its row with the written sum: its planned width.
    conv_width_px: float = 700.0
    max_cell_px: float = 46.0
    input_px: float = 520.0  # the padded input's longer side, before clamping
    kernel_px: float = 190.0
    output_px: float = 360.0
    content_width_px: float = 1050.0  # the width the layout is planned for (it stretches)
    gap_px: float = 44.0
    title_px: float = 34.0
    max_frames: int = 100  # animation frames at most; bigger outputs play a regular sub-grid
    # The animation frames of one convolution step, all channels together, stay near this many
    # bytes (a classroom shares one Wi-Fi): ~300 per frame plus ~170 per input channel.
    frame_budget_bytes: int = 36_000
    speeds_ms: tuple[int, int, int] = (1000, 500, 250)


THEME: Final[StepperTheme] = StepperTheme()


@dataclass(frozen=True)
class PresenterTheme:
    """Presenter mode (``?present=1``): readable from the back of a room on a 1280x720 projector:
    large fonts, thick lines and markers, black ink on white."""

    font_px: float = 22.0
    title_px: float = 26.0
    min_cell_text_px: float = 16.0
    line_width: float = 5.0
    marker_px: float = 12.0
    ink: str = "#000000"
    paper: str = "#ffffff"


PRESENTER: Final[PresenterTheme] = PresenterTheme()


def for_presenter(figure: go.Figure) -> go.Figure:
    """``figure`` restyled for presenter mode (:data:`PRESENTER`), in place; returned for chaining.

    Fonts grow to ``font_px`` (titles ``title_px``; numbers written in cells at least
    ``min_cell_text_px``), lines thicken to ``line_width``, markers to ``marker_px``, and text is
    black on white for contrast. Shapes of every figure keep their meaning: only sizes and ink change.
    """
    p = PRESENTER
    figure.update_layout(
        font={"size": p.font_px, "color": p.ink},
        title_font={"size": p.title_px, "color": p.ink},
        legend_font={"size": p.font_px},
        paper_bgcolor=p.paper,
    )
    figure.update_xaxes(
        tickfont={"size": p.font_px, "color": p.ink}, title_font={"size": p.font_px}
    )
    figure.update_yaxes(
        tickfont={"size": p.font_px, "color": p.ink}, title_font={"size": p.font_px}
    )
    for note in figure.layout.annotations or ():
        size = note.font.size if note.font is not None else None
        note.update(font={"size": max(float(size or 0), p.min_cell_text_px + 2)})
    for trace in figure.data:
        if trace.type in ("scatter", "scattergl"):
            mode = trace.mode or ""
            if "lines" in mode or not mode:
                trace.update(line={"width": p.line_width})
            if "markers" in mode and getattr(trace.marker, "size", None) not in (None, 0):
                trace.update(marker={"size": max(float(trace.marker.size), p.marker_px)})
        if trace.type in ("heatmap", "bar") and getattr(trace, "textfont", None) is not None:
            size = trace.textfont.size
            trace.update(textfont={"size": max(float(size or 0), p.min_cell_text_px)})
    return figure


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


_COMPACT_UNITS: Final[tuple[tuple[float, str], ...]] = (
    (1e12, "T"),
    (1e9, "G"),
    (1e6, "M"),
    (1e3, "K"),
)


def format_compact(value: float, exact_below: float = 10_000) -> str:
    """A total where space is short: ``60.97 M``, ``724.4 M``, ``1.136 G``, ``286.9 K``.

    Four significant digits and an SI prefix (K, M, G, T; the same in English and Chinese, as
    parameter counts are written in Chinese textbooks too). Values below ``exact_below`` are
    written in full with thousands separators (``5,958``); the page puts the exact number on hover.
    """
    number = float(value)
    if not np.isfinite(number):
        return format_number(number)
    magnitude = abs(number)
    if magnitude < exact_below:
        return f"{number:,.0f}" if number == round(number) else format_number(number)
    for scale, unit in _COMPACT_UNITS:
        if magnitude >= scale * 0.99995:  # 999,999.6 rounds to 1.000 M, not 1000 K
            scaled = number / scale
            for digits in (3, 2, 1, 0):  # four significant digits, after rounding
                text = f"{scaled:.{digits}f}"
                if len(text.lstrip("-").replace(".", "")) <= 4:
                    break
            return f"{text} {unit}"
    return f"{number:,.0f}"


def text_array(values: np.ndarray) -> np.ndarray:
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


# How a browser writes a number a figure sent as :func:`display_values`: d3's ``~r`` (plain
# decimals, trailing zeros trimmed, ASCII minus) prints each exactly as :func:`format_number`
# wrote it, as long as :func:`plain_numbers` holds. Plotly's default ``%{z}`` would not: it
# writes 1.2e-05 as "12μ" and uses its own minus sign.
Z_TEXT: Final[str] = "%{z:.12~r}"
# The same for numbers sent as float32 (hover only): 6 significant digits undo the rounding.
Z_TEXT32: Final[str] = "%{z:.6~r}"


def plain_numbers(labels: np.ndarray) -> bool:
    """Whether every text of :func:`text_array` is a plain decimal (no exponent, no infinity),
    which :data:`Z_TEXT` reproduces exactly from :func:`display_values`."""
    return not any("e" in s or "∞" in s for s in np.asarray(labels, dtype=object).ravel())


def display_values(values: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
    """The numbers :func:`text_array` writes, as float64: a browser prints each one (plotly's
    ``texttemplate=Z_TEXT``) exactly as :func:`format_number` does when :func:`plain_numbers`
    holds, so a figure can send the numbers once instead of the numbers and their texts
    (``NaN`` where the text is empty). ``labels``: ``text_array(values)`` if already made."""
    text = np.asarray(text_array(values) if labels is None else labels, dtype=object)
    flat = ["nan" if v == "" else v.replace("∞", "inf") for v in text.ravel()]
    return np.array(flat, dtype=np.float64).reshape(text.shape)
