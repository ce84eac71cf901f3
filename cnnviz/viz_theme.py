"""The stepper figures' look in one place: colours, sizes, limits (:data:`THEME`), number text.

``format_number`` writes short, exact-looking numbers (``3``, ``-0.25``, ``1.33``, ``-∞``): every
number in a grid cell, a hover label or a written sum goes through it. Lessons: "Convolution
stepper", "Pooling stepper", "Worked example".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from plotly.colors import get_colorscale

__all__ = ["THEME", "StepperTheme", "format_number"]


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
