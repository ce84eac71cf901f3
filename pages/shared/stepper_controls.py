"""Widgets shared by the convolution and pooling steppers. Never a page itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from cnnviz.i18n import t
from pages.shared.session import lang, tr
from pages.shared.widgets import PERSIST

__all__ = [
    "int_input",
    "jump_to_clicked_cell",
    "move_position",
    "position_controls",
    "source_picker",
]


def move_position(prefix: str, delta: int) -> None:
    """Back/Next: move ``delta`` output cells, staying inside the output (``<prefix>_pos``)."""
    last = st.session_state.get(f"{prefix}_num_positions", 1) - 1
    position = st.session_state.get(f"{prefix}_pos", 0) + delta
    st.session_state[f"{prefix}_pos"] = int(min(max(position, 0), last))


def jump_to_clicked_cell(prefix: str) -> None:
    """A click on the figure ``<prefix>_figure``'s output grid jumps to that output cell."""
    event = st.session_state.get(f"{prefix}_figure")
    points = (event or {}).get("selection", {}).get("points", [])
    out_w = st.session_state.get(f"{prefix}_out_w", 1)
    for point in points:
        # only the click layer carries customdata; its marker sits at x = column, y = row
        if point.get("customdata") is not None and "x" in point and "y" in point:
            row, col = round(float(point["y"])), round(float(point["x"]))
            st.session_state[f"{prefix}_pos"] = int(row * out_w + col)
            return


def position_controls(
    prefix: str, columns: Sequence[Any], num_positions: int, out_w: int
) -> tuple[int, int]:
    """Back / Next buttons and a slider over the output cells (row-major); returns (row, col).

    ``columns`` are three containers (back, next, slider: the slider may sit elsewhere, below
    the figure, so Back and Next fit beside the settings above it); the position lives in
    ``<prefix>_pos`` and Back/Next change it with :func:`move_position`.
    """
    position = st.session_state[f"{prefix}_pos"]
    columns[0].button(
        tr("conv.prev"),
        key=f"{prefix}_prev",
        on_click=move_position,
        args=(prefix, -1),
        disabled=position == 0,
        width="stretch",
    )
    columns[1].button(
        tr("conv.next"),
        key=f"{prefix}_next",
        on_click=move_position,
        args=(prefix, 1),
        disabled=position >= num_positions - 1,
        width="stretch",
    )
    if num_positions > 1:
        columns[2].select_slider(
            tr("conv.position"),
            options=list(range(num_positions)),
            format_func=lambda k: f"({k // out_w}, {k % out_w})",
            key=f"{prefix}_pos",
            persist_state=PERSIST,
        )
    row, col = divmod(st.session_state[f"{prefix}_pos"], out_w)
    return row, col


def int_input(
    label_key: str, key: str, low: int, high: int, column: Any = None, **kwargs: Any
) -> int:
    """An int number input whose range always admits the current value (a request may exceed it)."""
    high = max(high, int(st.session_state.get(key, low)))
    target = column if column is not None else st
    return int(
        target.number_input(
            tr(label_key), low, high, step=1, key=key, persist_state=PERSIST, **kwargs
        )
    )


def source_picker(prefix: str, sources: Sequence[str], default: str) -> str:
    """The sidebar's input-values selectbox; offers "request" while a Build-page layer is loaded."""
    language = lang()  # bound into format_func: it may run after this script run
    if st.session_state.get(f"{prefix}_request"):
        sources = (*sources, "request")
    if st.session_state[f"{prefix}_source"] not in sources:
        st.session_state[f"{prefix}_source"] = default
    return st.sidebar.selectbox(
        tr("conv.source"),
        sources,
        format_func=lambda s, language=language: t(f"conv.source_{s}", language),
        key=f"{prefix}_source",
        persist_state=PERSIST,
    )
