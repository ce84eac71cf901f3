"""Widgets shared by the convolution and pooling steppers. Never a page itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from cnnviz.i18n import t
from pages._ui import lang, tr

__all__ = ["int_input", "position_controls", "source_picker"]


def position_controls(
    prefix: str,
    columns: Sequence[Any],
    num_positions: int,
    out_w: int,
    move: Callable[[int], None],
) -> tuple[int, int]:
    """Back / Next buttons and a slider over the output cells (row-major); returns (row, col).

    ``columns`` are three containers (back, next, slider); the position lives in ``<prefix>_pos``
    and ``move(delta)`` is the page's callback that changes it.
    """
    position = st.session_state[f"{prefix}_pos"]
    columns[0].button(
        tr("conv.prev"),
        key=f"{prefix}_prev",
        on_click=move,
        args=(-1,),
        disabled=position == 0,
        width="stretch",
    )
    columns[1].button(
        tr("conv.next"),
        key=f"{prefix}_next",
        on_click=move,
        args=(1,),
        disabled=position >= num_positions - 1,
        width="stretch",
    )
    if num_positions > 1:
        columns[2].select_slider(
            tr("conv.position"),
            options=list(range(num_positions)),
            format_func=lambda k: f"({k // out_w}, {k % out_w})",
            key=f"{prefix}_pos",
        )
    row, col = divmod(st.session_state[f"{prefix}_pos"], out_w)
    return row, col


def int_input(
    label_key: str, key: str, low: int, high: int, column: Any = None, **kwargs: Any
) -> int:
    """An int number input whose range always admits the current value (a request may exceed it)."""
    high = max(high, int(st.session_state.get(key, low)))
    target = column if column is not None else st
    return int(target.number_input(tr(label_key), low, high, step=1, key=key, **kwargs))


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
    )
